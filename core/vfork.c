// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/vfork.c - the address-space release a vfork parent waits for.
 *
 * A task stops using its mm either by exiting or by exec.  Both go through
 * kf_mm_release, which does what user space was promised at clone time:
 * CLONE_CHILD_CLEARTID's store of 0 and futex wake (how pthread_join learns
 * a thread is gone), then the vfork completion the parent sleeps on.
 */
#include <kf/mm.h>
#include "internal.h"

void kf_completion_init(struct kf_completion *c)
{
	kf_os_waitq_init(&c->wq);
	kf_atomic_set(&c->done, 0);
}

/*
 * kf_complete - mark @c done and wake its waiter.  Atomic.  The caller
 * keeps @c alive across the call: for vfork that is the tasklist lock,
 * which the waiter takes before its frame (and @c with it) goes away.
 */
void kf_complete(struct kf_completion *c)
{
	kf_atomic_set(&c->done, 1);
	kf_os_wake_all(&c->wq);
}

static bool completion_done(void *arg)
{
	struct kf_completion *c = arg;

	return kf_atomic_read(&c->done) != 0;
}

/*
 * clear_child_tid - the CLONE_CHILD_CLEARTID promise.  Only worth doing
 * when someone else still uses the address space (a thread that may be
 * blocked in pthread_join); Linux skips it for the last user, and so do we.
 * A bad address is ignored, as Linux ignores the put_user failure.
 */
static void clear_child_tid(struct kf_task *t)
{
	uint32_t zero = 0;
	kf_uptr_t addr = t->clear_child_tid;

	t->clear_child_tid = 0;
	if (!addr || !t->mm || kf_mm_users(t->mm) <= 1)
		return;
	if (kf_os_copy_to_user(addr, &zero, sizeof(zero)) == 0)
		kf_os_futex_wake(addr, 1);
}

/*
 * complete_vfork_done - wake a vfork parent.  The completion lives in the
 * parent's stack frame; taking it under the tasklist lock pairs with
 * kf_vfork_wait, which clears the pointer under the same lock when it
 * gives up, so exactly one side owns it.
 */
static void complete_vfork_done(struct kf_task *t)
{
	unsigned long f = kf_tasklist_lock_irq();
	struct kf_completion *done = t->vfork_done;

	if (done) {
		t->vfork_done = NULL;
		kf_complete(done);
	}
	__atomic_fetch_and(&t->flags, ~KF_PF_VFORK, __ATOMIC_RELEASE);
	kf_tasklist_unlock_irq(f);
}

/*
 * kf_mm_release - @t (current) stops using its address space, by exit or
 * exec: clear and wake CHILD_CLEARTID, then release a vfork parent.
 * Called while t->mm is still the active address space.  May sleep (the
 * user store may take a COW fault).
 */
void kf_mm_release(struct kf_task *t)
{
	clear_child_tid(t);
	complete_vfork_done(t);
}

/*
 * kf_vfork_wait - the vfork parent (current) sleeps until @child releases
 * its mm.  Killable only: a fatal signal ends the wait early, and then the
 * child must no longer see @done (it is about to leave with our frame).
 * Consumes the reference on @child the caller took before starting it.
 */
void kf_vfork_wait(struct kf_task *child, struct kf_completion *done)
{
	unsigned long f;

	kf_os_wait(&done->wq, completion_done, done, KF_WAIT_KILLABLE);

	/* Either we unhook @done before the child sees it, or the child
	 * completed it under this lock and is finished with it. */
	f = kf_tasklist_lock_irq();
	if (child->vfork_done == done)
		child->vfork_done = NULL;
	kf_tasklist_unlock_irq(f);
	kf_task_put(child);
}
