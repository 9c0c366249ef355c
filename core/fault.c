// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/fault.c - the two places where a task's address space meets the
 * rest of the core: the page-fault entry and exec's switch to a new mm.
 */
#include <kf/mm.h>
#include <kf/hal/tlb.h>
#include "internal.h"

/*
 * kf_fault - resolve a user fault of the current task.  A task without an
 * address space (a kernel thread, or one past exit_mm) has nothing to
 * fault in: the host delivers SIGSEGV or applies its fixup.
 */
int kf_fault(uintptr_t va, unsigned access)
{
	struct kf_mm *mm = kf_current()->mm;

	if (!mm)
		return -KF_EFAULT;
	return kf_mm_fault(mm, va, access);
}

/*
 * kf_exec_mm - exec gives current the fresh address space @mm (the caller's
 * reference moves to the task).  The old one is released first, while it is
 * still active, so CHILD_CLEARTID lands in it and a vfork parent wakes; then
 * the new one is installed and activated, and only then is the old one
 * dropped (its tables may be freed, so it must not be active any more).
 */
void kf_exec_mm(struct kf_mm *mm)
{
	struct kf_task *t = kf_current();
	struct kf_mm *old = t->mm;
	unsigned long f;

	kf_mm_release(t);

	f = kf_tasklist_lock_irq();
	t->mm = mm;
	/* exec'd: the parent's setpgid on it is EACCES from now on */
	__atomic_fetch_and(&t->flags, ~KF_PF_FORKNOEXEC, __ATOMIC_ACQ_REL);
	kf_tasklist_unlock_irq(f);
	kf_arch_mm_activate(kf_mm_arch(mm));

	if (old)
		kf_mm_put(old);
}
