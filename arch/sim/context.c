// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/sim/context.c - copy_thread and the task's machine state, and the
 * per-thread IRQ flag.
 */
#include <kf/kf.h>
#include <kf/hal/context.h>

__thread unsigned long kf_sim_irqs_off;

struct kf_arch_regs *kf_arch_task_regs(struct kf_task *t)
{
	return &kf_task_arch(t)->regs;
}

/*
 * kf_arch_copy_thread - the child gets the parent's frame (so the entry a
 * host stored with kf_host_set_child_entry travels along), returns 0 from
 * the creating call, and takes the new stack and TLS when given.
 */
int kf_arch_copy_thread(struct kf_task *child, struct kf_task *parent,
			uintptr_t stack, uintptr_t tls, bool settls)
{
	struct kf_arch_regs *r = kf_arch_task_regs(child);

	*kf_task_arch(child) = *kf_task_arch(parent);
	kf_arch_set_return(r, 0);
	if (stack)
		r->sp = stack;
	if (settls)
		r->tls = tls;
	return 0;
}

uintptr_t kf_arch_get_tls(struct kf_task *t)
{
	return kf_task_arch(t)->regs.tls;
}
