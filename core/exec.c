// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/exec.c - what execve does to a thread group: Linux 6.12's de_thread.
 *
 * A new program starts with one thread.  The exec'ing thread sends SIGKILL
 * to every other thread of its group and waits (killably) until they are
 * gone: the non-leaders are reaped as they exit, the leader stays a zombie
 * (its group is not empty, so its parent hears nothing).  A thread that is
 * not the leader then takes the leader's place: the two trade pids, so the
 * process keeps its pid and the exec'ing thread's own tid is gone; it takes
 * the leader's place among its parent's children, and the old leader is
 * released without a word to the parent.  No wait status or SIGCHLD ever
 * tells of the threads that vanished.
 *
 * While this runs, sig->group_exec_task names the exec'ing thread: a second
 * exec or a group exit then fails (-EAGAIN), the killed threads' exit_group
 * ends each of them alone (exit.c), and every thread that goes wakes the
 * waiter (exit.c's exec_wake).
 */
#include "clone.h"

/* others_gone - only @me is left, and the leader if @me is not it, as a
 * zombie.  (T) */
static bool others_gone(struct kf_task *me)
{
	struct kf_task *leader = me->group_leader;

	if (leader == me)
		return me->signal->nr_threads <= 1;
	return me->signal->nr_threads <= 2 && leader->exit_state;
}

static bool others_gone_cond(void *arg)
{
	unsigned long f = kf_tasklist_lock_irq();
	bool gone = others_gone(arg);

	kf_tasklist_unlock_irq(f);
	return gone;
}

/* zap_others - SIGKILL every other thread that has not exited.  (T)+(S) */
static void zap_others(struct kf_task *me)
{
	struct kf_list *pos;

	kf_list_for_each(pos, &me->signal->threads) {
		struct kf_task *o = kf_list_entry(pos, struct kf_task, thread_node);

		if (o != me && !o->exit_state)
			kf_os_signal(o, KF_SIGKILL, NULL, false);
	}
}

/*
 * take_leader - @me, beside nothing but its zombie leader, becomes the
 * leader: it takes the leader's pid (the process id stays) and its place
 * among the parent's children; the old leader, now a plain dead thread
 * with @me's old tid, is returned for release.  (T)
 */
static struct kf_task *take_leader(struct kf_task *me)
{
	struct kf_task *leader = me->group_leader;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	kf_pid_exchange(me, leader);
	kf_list_add(&me->sibling, &leader->sibling);
	kf_list_del(&leader->sibling);
	me->real_parent = leader->real_parent;
	me->parent = leader->parent;
	me->group_leader = me;
	leader->group_leader = me;
	leader->exit_signal = -1;
	leader->exit_state = KF_EXIT_DEAD;
	return leader;
}

/* end_others - kill the other threads and wait until they are gone; 0, or
 * -EAGAIN when another group exit or exec came first or a fatal signal
 * ended the wait.  Leaves group_exec_task set on success. */
static long end_others(struct kf_task *me)
{
	struct kf_signal *sig = me->signal;
	unsigned long f, fs;
	long err = 0;

	f = kf_tasklist_lock_irq();
	fs = kf_os_spin_lock(&me->sighand->siglock);
	if ((sig->flags & KF_SIGNAL_GROUP_EXIT) || sig->group_exec_task)
		err = -KF_EAGAIN;
	else {
		sig->group_exec_task = me;
		zap_others(me);
	}
	kf_os_spin_unlock(&me->sighand->siglock, fs);
	kf_tasklist_unlock_irq(f);
	if (err)
		return err;

	if (kf_os_wait(&sig->wait_chldexit, others_gone_cond, me,
		       KF_WAIT_KILLABLE) == 0)
		return 0;
	/* killed while waiting: the exec fails and the caller dies */
	f = kf_tasklist_lock_irq();
	fs = kf_os_spin_lock(&me->sighand->siglock);
	sig->group_exec_task = NULL;
	kf_os_spin_unlock(&me->sighand->siglock, fs);
	kf_tasklist_unlock_irq(f);
	return -KF_EAGAIN;
}

long kf_exec_de_thread(void)
{
	struct kf_task *me = kf_current(), *old_leader = NULL;
	struct kf_signal *sig = me->signal;
	unsigned long f, fs;
	long err;

	f = kf_tasklist_lock_irq();
	if (kf_thread_group_empty(me)) {
		me->exit_signal = KF_SIGCHLD;
		kf_tasklist_unlock_irq(f);
		return 0;
	}
	kf_tasklist_unlock_irq(f);

	err = end_others(me);
	if (err)
		return err;

	f = kf_tasklist_lock_irq();
	fs = kf_os_spin_lock(&me->sighand->siglock);
	if (!kf_thread_group_leader(me))
		old_leader = take_leader(me);
	sig->group_exec_task = NULL;
	/* a new program reports its end with SIGCHLD, whatever clone said */
	me->exit_signal = KF_SIGCHLD;
	kf_os_spin_unlock(&me->sighand->siglock, fs);
	kf_tasklist_unlock_irq(f);

	if (old_leader)
		kf_release_task(old_leader);
	return 0;
}
