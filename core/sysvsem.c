// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/sysvsem.c - the System V semaphore undo list: CLONE_SYSVSEM shares
 * it (creating current's first if it has none, as copy_semundo); otherwise
 * a child starts without one.  Exit drops it; the undo entries themselves
 * belong to the host's ipc code, which must have applied them by then.
 * CONFIG_KF_SYSVSEM=0: no task has a list and CLONE_SYSVSEM is a no-op,
 * as on a Linux kernel without SYSVIPC.
 */
#include "clone.h"

#if CONFIG_KF_SYSVSEM
struct kf_sem_undo_list *kf_sysvsem_undo_list(void)
{
	struct kf_task *cur = kf_current();
	struct kf_sem_undo_list *ul = cur->sysvsem;

	if (ul)
		return ul;
	ul = kf_os_alloc(sizeof(*ul), KF_SITE("clone.semundo"));
	if (!ul)
		return NULL;
	kf_ref_init(&ul->ref, 1);
	kf_os_spin_init(&ul->lock);
	kf_list_init(&ul->undos);
	cur->sysvsem = ul;
	return ul;
}

int kf_sysvsem_copy(struct kf_task *child, bool share)
{
	struct kf_sem_undo_list *ul;

	child->sysvsem = NULL;
	if (!share)
		return 0;
	ul = kf_sysvsem_undo_list();
	if (!ul)
		return -KF_ENOMEM;
	kf_ref_get(&ul->ref);
	child->sysvsem = ul;
	return 0;
}
#else
struct kf_sem_undo_list *kf_sysvsem_undo_list(void)
{
	return NULL;
}

int kf_sysvsem_copy(struct kf_task *child, bool share)
{
	(void)share;
	child->sysvsem = NULL;
	return 0;
}
#endif

void kf_sysvsem_put(struct kf_sem_undo_list *ul)
{
	if (ul && kf_ref_put(&ul->ref))
		kf_os_free(ul, sizeof(*ul));
}

/* kf_sysvsem_exit - exit_sem: @t stops using its undo list. */
void kf_sysvsem_exit(struct kf_task *t)
{
	struct kf_sem_undo_list *ul = t->sysvsem;

	t->sysvsem = NULL;
	kf_sysvsem_put(ul);
}
