// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/reparent.c - who inherits a dying task's children, and the end of
 * a pid namespace.
 *
 * Orphans go, in order of preference, to a live thread of the same group,
 * to the nearest child-subreaper ancestor in the same pid namespace, and
 * finally to the namespace's reaper (its init).  When the init's last live
 * thread exits, the namespace dies with it: every other member is killed
 * and the init waits until they are all gone before it becomes a zombie.
 *
 * The reaper role moves between the init's threads: when the thread that
 * holds it exits while others live, one of them takes over, as Linux moves
 * pid_ns->child_reaper.  The initial namespace is never emptied (Linux
 * panics when its init dies): its orphans go to the boot task, and the
 * host decides what an exited init means.
 */
#include "clone.h"

/* find_alive_thread - a thread of @p's group not yet exiting.  (T) */
static struct kf_task *find_alive_thread(struct kf_task *p)
{
	struct kf_list *pos;

	kf_list_for_each(pos, &p->signal->threads) {
		struct kf_task *t = kf_list_entry(pos, struct kf_task, thread_node);

		if (!(kf_task_flags(t) & KF_PF_EXITING))
			return t;
	}
	return NULL;
}

/*
 * kf_is_last_ns_reaper - is @t the init of a (non-initial) pid namespace
 * with no live thread left to take over?  Then its exit ends the
 * namespace.  (T)
 */
bool kf_is_last_ns_reaper(struct kf_task *t)
{
	struct kf_pid_ns *ns = kf_task_active_pid_ns(t);

	return kf_pid_ns_parent(ns) && kf_pid_ns_reaper(ns) == t &&
	       !find_alive_thread(t);
}

/*
 * find_child_reaper - the reaper of @father's namespace.  If @father holds
 * the role, a live thread of its group takes it over; if there is none, a
 * nested namespace has been emptied already (NULL), and the initial one
 * falls back to the boot task.  (T)
 */
static struct kf_task *find_child_reaper(struct kf_task *father)
{
	struct kf_pid_ns *ns = kf_task_active_pid_ns(father);
	struct kf_task *reaper = kf_pid_ns_reaper(ns);

	if (reaper != father)
		return reaper;
	reaper = find_alive_thread(father);
	if (!reaper && !kf_pid_ns_parent(ns))
		reaper = &kf_boot_task;
	if (reaper)
		kf_pid_ns_set_reaper(ns, reaper);
	return reaper;
}

/*
 * find_subreaper - the nearest ancestor of @father in the same pid
 * namespace that declared itself a child subreaper and still has a live
 * thread.  (T)
 */
static struct kf_task *find_subreaper(struct kf_task *father)
{
	const struct kf_pid_ns *ns = kf_task_active_pid_ns(father);
	struct kf_task *r, *next, *t;

	for (r = father->real_parent; r && r != &kf_boot_task &&
	     kf_task_active_pid_ns(r) == ns; r = next) {
		next = r->real_parent != r ? r->real_parent : NULL;
		if (!r->signal->is_child_subreaper)
			continue;
		t = find_alive_thread(r);
		if (t)
			return t;
	}
	return NULL;
}

/* find_new_reaper - where @father's children go.  (T) */
static struct kf_task *find_new_reaper(struct kf_task *father,
				       struct kf_task *child_reaper)
{
	struct kf_task *t = find_alive_thread(father);

	if (t)
		return t;
	t = find_subreaper(father);
	if (t)
		return t;
	/* no reaper at all: the namespace is gone; keep them (Linux too) */
	return child_reaper ? child_reaper : father;
}

/*
 * reparent_leader - @p moved from @father to a reaper outside @father's
 * group: it now reports with SIGCHLD, and a zombie is announced to the new
 * parent at once -- and released when that parent will not wait.  If
 * @father was the last link of @p's process group, the group is orphaned
 * now (a stopped member gets SIGHUP and SIGCONT).  (T)
 */
static void reparent_leader(struct kf_task *father, struct kf_task *p,
			    struct kf_list *dead)
{
	if (p->exit_state == KF_EXIT_DEAD)
		return;
	p->exit_signal = KF_SIGCHLD;
	if (p->exit_state == KF_EXIT_ZOMBIE && kf_thread_group_empty(p) &&
	    kf_notify_parent(p, p->exit_signal)) {
		p->exit_state = KF_EXIT_DEAD;
		kf_list_add_tail(&p->dead_node, dead);
	}
	kf_kill_orphaned_pgrp(p, father);
}

/*
 * kf_forget_original_parent - give @father's children to their new
 * reaper.  Every thread of each child process gets the new parent, and
 * those that asked for a parent-death signal get it.  Zombies the new
 * parent will not wait for are put on @dead for the caller to release
 * after dropping the lock.  (T)
 */
void kf_forget_original_parent(struct kf_task *father, struct kf_list *dead)
{
	struct kf_task *reaper;
	struct kf_list *pos, *tmp, *tp;

	reaper = find_child_reaper(father);
	if (kf_list_empty(&father->children))
		return;
	reaper = find_new_reaper(father, reaper);
	if (reaper == father)
		return;

	kf_list_for_each_safe(pos, tmp, &father->children) {
		struct kf_task *p = kf_list_entry(pos, struct kf_task, sibling);

		kf_list_for_each(tp, &p->signal->threads) {
			struct kf_task *t = kf_list_entry(tp, struct kf_task,
							  thread_node);

			t->real_parent = reaper;
			t->parent = reaper;
			if (t->pdeath_signal)
				kf_send_pdeath_locked(t, t->pdeath_signal);
		}
		kf_list_del(&p->sibling);
		kf_list_add_tail(&p->sibling, &reaper->children);
		/* a move between threads of one group is invisible */
		if (reaper->signal != father->signal)
			reparent_leader(father, p, dead);
	}
}

/* ---- the end of a pid namespace ------------------------------------------------- */

/* zap_one - SIGKILL a member of the dying namespace.  (T) */
static void zap_one(struct kf_task *t, void *arg)
{
	struct kf_task *me = arg;

	if (t->signal == me->signal || t->exit_state)
		return;
	kf_os_signal(t, KF_SIGKILL, NULL, true);
}

struct ns_census {
	struct kf_task *me;
	int others;
};

/* count_other - tally tasks that still hold a pid in the namespace, apart
 * from the exiting init itself and its zombie leader.  (T) */
static void count_other(struct kf_task *t, void *arg)
{
	struct ns_census *c = arg;

	if (t != c->me && t != c->me->group_leader)
		c->others++;
}

/* ns_empty - kf_os_wait condition: nobody else is left in the namespace. */
static bool ns_empty(void *arg)
{
	struct ns_census c = { .me = arg, .others = 0 };
	unsigned long f = kf_tasklist_lock_irq();

	kf_pid_ns_for_each_task(kf_task_active_pid_ns(c.me), count_other, &c);
	kf_tasklist_unlock_irq(f);
	return c.others == 0;
}

/* ignore_sigchld - the dying init's children reap themselves from now on,
 * including zombies reparented to it later.  @me is current. */
static void ignore_sigchld(void)
{
	struct kf_sigaction ign = { .handler = KF_SIG_IGN };

	kf_sigaction(KF_SIGCHLD, &ign, NULL);
}

/*
 * kf_zap_pid_ns - @me (current), the last live thread of a pid namespace's
 * init, ends the namespace: no more pids are handed out, every other
 * member gets SIGKILL, and @me reaps its children and then sleeps until
 * the last member is released (pid.c wakes the reaper then).  The
 * sleeps ignore signals: the init may itself have been killed.  Called
 * with no lock held; sleeps.
 */
void kf_zap_pid_ns(struct kf_task *me)
{
	struct kf_pid_ns *ns = kf_task_active_pid_ns(me);
	unsigned long f;

	f = kf_tasklist_lock_irq();
	kf_pid_ns_mark_dead(ns);
	kf_pid_ns_for_each_task(ns, zap_one, me);
	kf_tasklist_unlock_irq(f);

	ignore_sigchld();
	kf_wait_reap_all();
	while (kf_os_wait(&me->signal->wait_chldexit, ns_empty, me,
			  KF_WAIT_UNINTERRUPTIBLE) != 0)
		;
}

