// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/pgrp.c - process groups and sessions: setpgid, getpgid, getsid,
 * setsid, and orphaned process groups.
 *
 * A process group and a session are struct kf_pid objects (pid.c): each
 * thread group points at its two (kf_signal.group_pid[], a reference
 * each) and sits on the pid's list of members, so a group is found by its
 * number and walked, and its number stays taken while it has members,
 * even once the process it was named after is gone.  A fork inherits its
 * creator's two; the boot task's are pid 0, so init starts in group 0 and
 * session 0, as on Linux.  Numbers are given as the caller's pid
 * namespace sees them: 0 for a group it cannot see.
 *
 * An orphaned process group has no member whose parent is in another
 * group of the same session (a child of the initial namespace's init does
 * not count).  When an exit or a reparenting makes a group orphaned and
 * one of its members is stopped, every member gets SIGHUP and then
 * SIGCONT, so nothing stays stopped with nobody left to continue it.
 * Linux checks only there, not on setpgid or setsid.
 *
 * Locking: all of it is (T), the tasklist lock.
 */
#include "clone.h"

/* is_global_init - @t is pid 1 of the initial pid namespace. */
static bool is_global_init(const struct kf_task *t)
{
	return kf_pid_nr_ns(t->tgid, &kf_init_pid_ns) == 1;
}

/* pid_vnr - @pid's number in current's pid namespace; 0 if not there. */
static long pid_vnr(const struct kf_pid *pid)
{
	return kf_pid_nr_ns(pid, kf_task_active_pid_ns(kf_current()));
}

/* find_task_vpid - the task with id @nr in current's namespace.  (T) */
static struct kf_task *find_task_vpid(int nr)
{
	return kf_pid_ns_find_task(kf_task_active_pid_ns(kf_current()), nr);
}

/* ---- orphaned process groups ----------------------------------------------------- */

/*
 * kf_pgrp_orphaned - is @pgrp orphaned, or will it be once @ignored is
 * gone (Linux's will_become_orphaned_pgrp)?  Members that are dead
 * zombies, and children of the initial init, do not hold a group.  (T)
 */
bool kf_pgrp_orphaned(struct kf_pid *pgrp, struct kf_task *ignored)
{
	struct kf_list *pos;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	kf_list_for_each(pos, kf_pid_groups(pgrp, KF_PIDTYPE_PGID)) {
		struct kf_signal *s = kf_list_entry(pos, struct kf_signal,
						    group_node[KF_PIDTYPE_PGID]);
		struct kf_task *p = kf_signal_leader(s);
		struct kf_task *parent = p->real_parent;

		if (p == ignored || (p->exit_state && s->nr_threads <= 1) ||
		    !parent || is_global_init(parent))
			continue;
		if (kf_task_pgrp(parent) != pgrp &&
		    kf_task_session(parent) == kf_task_session(p))
			return false;
	}
	return true;
}

/* has_stopped_jobs - is a process of @pgrp stopped?  (T) */
static bool has_stopped_jobs(struct kf_pid *pgrp)
{
	struct kf_list *pos;

	kf_list_for_each(pos, kf_pid_groups(pgrp, KF_PIDTYPE_PGID)) {
		struct kf_signal *s = kf_list_entry(pos, struct kf_signal,
						    group_node[KF_PIDTYPE_PGID]);

		if (s->flags & KF_SIGNAL_STOP_STOPPED)
			return true;
	}
	return false;
}

/*
 * kf_kill_orphaned_pgrp - after @tsk's exit (@parent NULL: @tsk's process
 * is dead, its parent was its group's link) or its reparenting away from
 * @parent: if that orphaned @tsk's group and a member is stopped, HUP and
 * CONT it (the kernel's signals: no permission check).  (T)
 */
void kf_kill_orphaned_pgrp(struct kf_task *tsk, struct kf_task *parent)
{
	struct kf_pid *pgrp = kf_task_pgrp(tsk);
	struct kf_task *ignored = tsk;
	struct kf_siginfo info = { .code = KF_SI_KERNEL };

	KF_ASSERT_HELD(&kf_tasklist_lock);
	if (!parent)
		parent = tsk->real_parent;	/* exit: we were the link */
	else
		ignored = NULL;			/* reparent: the old parent was */
	if (!pgrp || !parent || kf_task_pgrp(parent) == pgrp ||
	    kf_task_session(parent) != kf_task_session(tsk))
		return;
	if (!kf_pgrp_orphaned(pgrp, ignored) || !has_stopped_jobs(pgrp))
		return;
	info.signo = KF_SIGHUP;
	kf_kill_pgrp_locked(pgrp, KF_SIGHUP, &info);
	info.signo = KF_SIGCONT;
	kf_kill_pgrp_locked(pgrp, KF_SIGCONT, &info);
}

/* ---- the system calls ------------------------------------------------------------------ */

/*
 * setpgid_check - setpgid's rules in Linux's order, for process @p
 * (current's own or a child's) and target group @pgid; the group to join
 * in *@pgrp.  (T)
 */
static long setpgid_check(struct kf_task *p, int pid, int pgid,
			  struct kf_pid **pgrp)
{
	struct kf_task *leader = kf_current()->group_leader;
	struct kf_signal *g;

	if (!kf_thread_group_leader(p))
		return -KF_EINVAL;
	if (p->real_parent && p->real_parent->signal == leader->signal) {
		/* a child: of our session, and not since an exec */
		if (kf_task_session(p) != kf_task_session(leader))
			return -KF_EPERM;
		if (!(kf_task_flags(p) & KF_PF_FORKNOEXEC))
			return -KF_EACCES;
	} else if (p != leader) {
		return -KF_ESRCH;
	}
	if (p->signal->leader)
		return -KF_EPERM;	/* a session leader stays in its group */
	*pgrp = p->pid;
	if (pgid != pid) {
		/* an existing group, in our session */
		*pgrp = kf_pid_ns_find_pid(kf_task_active_pid_ns(leader), pgid);
		g = *pgrp ? kf_pid_group_first(*pgrp, KF_PIDTYPE_PGID) : NULL;
		if (!g || g->group_pid[KF_PIDTYPE_SID] != kf_task_session(leader))
			return -KF_EPERM;
	}
	return 0;
}

long kf_setpgid(int pid, int pgid)
{
	struct kf_task *leader = kf_current()->group_leader;
	struct kf_pid *pgrp = NULL;
	struct kf_task *p;
	unsigned long f;
	long err;

	if (!pid)
		pid = (int)pid_vnr(leader->pid);
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -KF_EINVAL;
	f = kf_tasklist_lock_irq();
	p = find_task_vpid(pid);
	err = p ? setpgid_check(p, pid, pgid, &pgrp) : -KF_ESRCH;
	if (!err && kf_task_pgrp(p) != pgrp)
		kf_pid_group_attach(p->signal, KF_PIDTYPE_PGID, pgrp);
	kf_tasklist_unlock_irq(f);
	return err;
}

/* getpgid(0)/getsid(0): current's; otherwise the process of task @pid,
 * ESRCH when there is none (or it was reaped meanwhile). */
static long get_group(int pid, int type)
{
	struct kf_pid *grp = NULL;
	struct kf_task *p;
	unsigned long f;
	long ret = -KF_ESRCH;

	f = kf_tasklist_lock_irq();
	p = pid ? find_task_vpid(pid) : kf_current();
	if (p)
		grp = p->signal ? p->signal->group_pid[type] : NULL;
	if (grp)
		ret = pid_vnr(grp);
	kf_tasklist_unlock_irq(f);
	return ret;
}

long kf_getpgid(int pid)
{
	return get_group(pid, KF_PIDTYPE_PGID);
}

long kf_getsid(int pid)
{
	return get_group(pid, KF_PIDTYPE_SID);
}

long kf_setsid(void)
{
	struct kf_task *leader = kf_current()->group_leader;
	struct kf_pid *sid = leader->pid;
	long session = pid_vnr(sid);
	long err = -KF_EPERM;
	unsigned long f;

	f = kf_tasklist_lock_irq();
	/* not a session leader already, and no group goes by our pid */
	if (!leader->signal->leader && !kf_pid_group_first(sid, KF_PIDTYPE_PGID)) {
		leader->signal->leader = true;
		kf_pid_group_attach(leader->signal, KF_PIDTYPE_SID, sid);
		kf_pid_group_attach(leader->signal, KF_PIDTYPE_PGID, sid);
		err = session;
	}
	kf_tasklist_unlock_irq(f);
	return err;
}

/* ---- for a terminal's job control ------------------------------------------------------ */

bool kf_pgrp_orphaned_current(void)
{
	struct kf_pid *pgrp;
	unsigned long f;
	bool orphaned;

	f = kf_tasklist_lock_irq();
	pgrp = kf_task_pgrp(kf_current());
	orphaned = pgrp && kf_pgrp_orphaned(pgrp, NULL);
	kf_tasklist_unlock_irq(f);
	return orphaned;
}

long kf_pgrp_check_session(int pgid)
{
	struct kf_task *leader = kf_current()->group_leader;
	struct kf_pid *pgrp;
	struct kf_signal *g;
	unsigned long f;
	long err = 0;

	if (pgid < 0)
		return -KF_EINVAL;
	f = kf_tasklist_lock_irq();
	pgrp = kf_pid_ns_find_pid(kf_task_active_pid_ns(leader), pgid);
	g = pgrp ? kf_pid_group_first(pgrp, KF_PIDTYPE_PGID) : NULL;
	if (!g)
		err = -KF_ESRCH;
	else if (g->group_pid[KF_PIDTYPE_SID] != kf_task_session(leader))
		err = -KF_EPERM;
	kf_tasklist_unlock_irq(f);
	return err;
}
