// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/sim/context.c - copy_thread and the task's machine state, and the
 * per-thread IRQ flag.  Like any arch's context code it knows the layout of
 * struct kf_task (core/task.h): the arch state is embedded in it.
 */
#include "../../core/task.h"
#include <kf/arch/sim.h>

__thread unsigned long kf_sim_irqs_off;

struct kf_arch_regs *kf_arch_task_regs(struct kf_task *t)
{
	return &t->arch.regs;
}

/*
 * kf_arch_copy_thread - the child gets the parent's frame (so the entry a
 * host stored with kf_host_set_child_entry travels along), returns 0 from
 * the creating call, and takes the new stack and TLS when given.
 */
int kf_arch_copy_thread(struct kf_task *child, struct kf_task *parent,
			uintptr_t stack, uintptr_t tls, bool settls)
{
	struct kf_arch_regs *r = &child->arch.regs;

	child->arch = parent->arch;
	kf_arch_set_return(r, 0);
	if (stack)
		r->sp = stack;
	if (settls)
		r->tls = tls;
	return 0;
}

uintptr_t kf_arch_get_tls(struct kf_task *t)
{
	return t->arch.regs.tls;
}

void kf_sim_set_kstack(struct kf_task *t, void *kstack)
{
	t->kstack = kstack;
}

void *kf_sim_get_kstack(struct kf_task *t)
{
	return t->kstack;
}
