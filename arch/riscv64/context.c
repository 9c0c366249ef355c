// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/riscv64/context.c - copy_thread, the user frame's place, and the
 * first-run state of a kernel context.
 *
 * A task's user frame (struct kf_arch_regs) sits at the top of its kernel
 * stack, where the entry code saves it.  A kernel context that has never
 * run resumes in kf_rv_thread_start (switch.S) with the function in s0
 * and its argument in s1.
 */
#include <kf/kf.h>
#include <kf/hal/context.h>

extern char kf_rv_thread_start[];

/* The ABI wants sp 16-byte aligned at every call. */
void kf_arch_thread_init(struct kf_arch_thread *th, uintptr_t top,
			 void (*fn)(void *), void *arg)
{
	__builtin_memset(th->s, 0, sizeof(th->s));
	th->ra = (uintptr_t)kf_rv_thread_start;
	th->sp = top & ~(uintptr_t)15;
	th->s[0] = (uintptr_t)fn;
	th->s[1] = (uintptr_t)arg;
}

struct kf_arch_regs *kf_arch_task_regs(struct kf_task *t)
{
	return kf_rv_regs_at_top((uintptr_t)kf_task_kstack(t) +
				 KF_ARCH_KSTACK_SIZE);
}

/*
 * kf_arch_copy_thread - the child resumes after the parent's ecall with
 * every register the parent had (Linux keeps all but a0 across a
 * syscall), a0 = 0, the new stack pointer and thread pointer (tp, x4)
 * when given.  @parent is the running task, so its FP registers are live
 * in the hart: they are saved straight into the child.
 */
int kf_arch_copy_thread(struct kf_task *child, struct kf_task *parent,
			uintptr_t stack, uintptr_t tls, bool settls)
{
	struct kf_arch_regs *r = kf_arch_task_regs(child);

	*r = *kf_arch_task_regs(parent);
	kf_arch_set_return(r, 0);
	if (stack)
		r->sp = stack;
	if (settls)
		r->tp = tls;
	kf_rv_fpu_save(kf_task_arch(child));
	return 0;
}

uintptr_t kf_arch_get_tls(struct kf_task *t)
{
	return kf_arch_task_regs(t)->tp;
}
