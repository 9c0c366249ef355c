// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/x86_64/context.c - copy_thread, the user frame's place, and the
 * first-run frame of a kernel context.
 *
 * A task's user frame (struct kf_arch_regs) sits at the top of its kernel
 * stack, where the entry code saves it.  A kernel context that has never
 * run gets a switch frame whose return address is the trampoline in
 * switch.S, so the first kf_arch_switch to it calls its function.
 */
#include <kf/kf.h>
#include <kf/hal/context.h>

extern char kf_x86_thread_start[];

/* What kf_arch_switch pops, lowest address first. */
struct x86_switch_frame {
	uint64_t r15, r14, r13, r12, rbx, rbp;
	uint64_t ret;
};

/* The frame ends 16 bytes below @top so that the trampoline's call sees
 * the ABI's stack alignment. */
void kf_arch_thread_init(struct kf_arch_thread *th, uintptr_t top,
			 void (*fn)(void *), void *arg)
{
	struct x86_switch_frame *f =
		(struct x86_switch_frame *)((top & ~15ul) - 16) - 1;

	__builtin_memset(f, 0, sizeof(*f));
	f->rbx = (uintptr_t)fn;
	f->r12 = (uintptr_t)arg;
	f->ret = (uintptr_t)kf_x86_thread_start;
	th->ksp = (uintptr_t)f;
}

struct kf_arch_regs *kf_arch_task_regs(struct kf_task *t)
{
	return kf_x86_regs_at_top((uintptr_t)kf_task_kstack(t) +
				  KF_ARCH_KSTACK_SIZE);
}

/*
 * kf_arch_copy_thread - the child resumes user space where the parent
 * made the call, with every register the parent had (Linux keeps all but
 * rax, rcx and r11 across a syscall; musl's clone needs r9 and vfork's
 * return address in rdx), rax = 0, the new stack pointer and FS base when
 * given.  The parent's FS base is current in its kf_arch_thread
 * (arch_prctl writes it there as well as to the MSR).  @parent is the
 * running task, so its FPU registers are live in the CPU: they are saved
 * straight into the child.  The child's kernel context is the host's to
 * make (kf_arch_thread_init or its own).
 */
int kf_arch_copy_thread(struct kf_task *child, struct kf_task *parent,
			uintptr_t stack, uintptr_t tls, bool settls)
{
	struct kf_arch_thread *cth = kf_task_arch(child);
	struct kf_arch_regs *r = kf_arch_task_regs(child);

	*r = *kf_arch_task_regs(parent);
	kf_arch_set_return(r, 0);
	if (stack)
		r->rsp = stack;
	cth->fs_base = settls ? tls : kf_task_arch(parent)->fs_base;
	kf_x86_fpu_save(cth);
	return 0;
}

uintptr_t kf_arch_get_tls(struct kf_task *t)
{
	return kf_task_arch(t)->fs_base;
}
