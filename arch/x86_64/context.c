// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/x86_64/context.c - copy_thread and first-run stack frames.
 *
 * A task's user frame (struct kf_arch_regs) sits at the top of its kernel
 * stack, where the entry code saves it.  A task that has never run gets a
 * switch frame right below it whose return address is a trampoline in
 * switch.S, so the first kf_x86_switch to it "returns" into user space (or
 * into a kernel function).  Like any arch's context code this knows the
 * layout of struct kf_task (core/task.h): the arch state is embedded in it.
 */
#include "../../core/task.h"

extern char kf_x86_kthread_start[], kf_x86_uthread_start[];
extern char kf_x86_kuthread_start[];

/* What kf_x86_switch pops, lowest address first. */
struct x86_switch_frame {
	uint64_t r15, r14, r13, r12, rbx, rbp;
	uint64_t ret;
};

void kf_x86_thread_init_user(struct kf_arch_thread *th, uintptr_t top)
{
	struct x86_switch_frame *f =
		(struct x86_switch_frame *)kf_x86_regs_at_top(top) - 1;

	__builtin_memset(f, 0, sizeof(*f));
	f->ret = (uintptr_t)kf_x86_uthread_start;
	th->ksp = (uintptr_t)f;
}

/* The frame ends 16 bytes below @top so that the trampoline's call sees
 * the ABI's stack alignment. */
void kf_x86_thread_init_kernel(struct kf_arch_thread *th, uintptr_t top,
			       void (*fn)(void *), void *arg)
{
	struct x86_switch_frame *f = (struct x86_switch_frame *)(top - 16) - 1;

	__builtin_memset(f, 0, sizeof(*f));
	f->rbx = (uintptr_t)fn;
	f->r12 = (uintptr_t)arg;
	f->ret = (uintptr_t)kf_x86_kthread_start;
	th->ksp = (uintptr_t)f;
}

/* The frame sits 16 bytes below the user frame, so that the call in the
 * trampoline sees the ABI's alignment and returns to the user frame. */
void kf_x86_thread_init_kernel_user(struct kf_arch_thread *th, uintptr_t top,
				    void (*fn)(void *), void *arg)
{
	uintptr_t regs = (uintptr_t)kf_x86_regs_at_top(top);
	struct x86_switch_frame *f = (struct x86_switch_frame *)(regs - 16) - 1;

	__builtin_memset(f, 0, sizeof(*f));
	f->rbx = (uintptr_t)fn;
	f->r12 = (uintptr_t)arg;
	f->ret = (uintptr_t)kf_x86_kuthread_start;
	th->ksp = (uintptr_t)f;
}

struct kf_arch_thread *kf_x86_task_arch(struct kf_task *t)
{
	return &t->arch;
}

void kf_x86_task_set_kstack(struct kf_task *t, void *kstack)
{
	t->kstack = kstack;
}

struct kf_arch_regs *kf_arch_task_regs(struct kf_task *t)
{
	return kf_x86_regs_at_top((uintptr_t)t->kstack + KF_ARCH_KSTACK_SIZE);
}

/*
 * kf_arch_copy_thread - the child resumes user space where the parent
 * made the call, with every register the parent had (Linux keeps all but
 * rax, rcx and r11 across a syscall; musl's clone needs r9 and vfork's
 * return address in rdx), rax = 0, the new stack pointer and FS base when
 * given.  The parent's FS base is current in parent->arch (arch_prctl
 * writes it there as well as to the MSR).  @parent is the running task, so
 * its FPU registers are live in the CPU: they are saved straight into the
 * child.
 */
int kf_arch_copy_thread(struct kf_task *child, struct kf_task *parent,
			uintptr_t stack, uintptr_t tls, bool settls)
{
	uintptr_t top = (uintptr_t)child->kstack + KF_ARCH_KSTACK_SIZE;
	struct kf_arch_regs *r = kf_x86_regs_at_top(top);

	*r = *kf_arch_task_regs(parent);
	kf_arch_set_return(r, 0);
	if (stack)
		r->rsp = stack;
	child->arch.fs_base = settls ? tls : parent->arch.fs_base;
	kf_x86_fpu_save(&child->arch);
	kf_x86_thread_init_user(&child->arch, top);
	return 0;
}

uintptr_t kf_arch_get_tls(struct kf_task *t)
{
	return t->arch.fs_base;
}
