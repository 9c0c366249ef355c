// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/kill.c - kill(2), tkill(2), tgkill(2) and the permission check
 * every user-sent signal passes, as Linux 6.12's kernel/signal.c:
 *
 *   kill(pid > 0)   the process of the task with that id (a thread id
 *                   names its process)
 *   kill(0)         every process of the caller's process group, the
 *                   caller included
 *   kill(-pgid)     every process of that group: 0 if one of them got it,
 *                   else the last error, ESRCH for an empty group
 *   kill(-1)        every process the caller's pid namespace numbers above
 *                   1, but the caller's own; EPERM counts as success, so it
 *                   is 0 unless there was nobody at all (ESRCH)
 *
 * Permission (check_kill_permission): a bad signal is EINVAL, found only
 * once a target is; a signal from user space to another process needs the
 * sender's real or effective uid to be the target's real or saved uid, or
 * CAP_KILL in the target's user namespace -- except SIGCONT within one
 * session.  Signal 0 checks and sends nothing.
 *
 * Locking: lookups, group walks and sending under the tasklist lock.
 */
#include "clone.h"

/* ---- permission --------------------------------------------------------------- */

/* kill_ok_by_cred - may current signal @t by credentials?  (T) */
static bool kill_ok_by_cred(const struct kf_task *t)
{
	const struct kf_cred *c = kf_current()->cred, *tc = t->cred;

	if (!tc)
		return true;	/* reaped: the send finds nothing */
	return c->euid == tc->suid || c->euid == tc->uid ||
	       c->uid == tc->suid || c->uid == tc->uid ||
	       kf_ns_capable(tc->user_ns, KF_CAP_KILL);
}

/* check_kill_permission - @fromuser: the sender is a user process (si_code
 * <= 0), not the kernel.  (T) */
static long check_kill_permission(int sig, bool fromuser, struct kf_task *t)
{
	struct kf_task *me = kf_current();
	struct kf_pid *sid;

	if (!kf_valid_signal((unsigned long)(long)sig))
		return -KF_EINVAL;
	if (!fromuser)
		return 0;
	if (t->signal == me->signal || kill_ok_by_cred(t))
		return 0;
	if (sig == KF_SIGCONT) {
		/* continuing a job of one's own session needs no uid match */
		sid = kf_task_session(t);
		if (!sid || sid == kf_task_session(me))
			return 0;
	}
	return -KF_EPERM;
}

/* ---- sending one ------------------------------------------------------------------ */

/*
 * send_user - @info (a copy) to @t as user space sent it: the sender's uid
 * as the target's user namespace names it, the sender's pid as the target
 * sees it, which is none from an ancestor namespace -- and then even an
 * init takes SIGKILL and SIGSTOP.  (T)
 */
static void send_user(struct kf_task *t, int sig, struct kf_siginfo info,
		      bool group)
{
	const struct kf_user_ns *from = kf_current()->cred->user_ns;
	bool force = info.code == KF_SI_KERNEL;

	/* the uid is the sender's name for it: the target's may differ */
	if (t->cred && t->cred->user_ns != from)
		info.uid = (int)kf_from_kuid(t->cred->user_ns,
					     kf_make_kuid(from, (uint32_t)info.uid));
	if (!kf_pid_nr_ns(kf_current()->tgid, kf_task_active_pid_ns(t))) {
		info.pid = 0;
		force = true;
	}
	kf_send_signal_locked(t, sig, &info, group, force);
}

/*
 * send_checked - permission, then @sig (0: nothing) to @t, or to its
 * thread group if @group.  A task already reaped is ESRCH.  (T)
 */
static long send_checked(struct kf_task *t, int sig,
			 const struct kf_siginfo *info, bool group)
{
	long err = check_kill_permission(sig, info->code <= 0, t);

	if (err || !sig)
		return err;
	if (!t->sighand)
		return -KF_ESRCH;
	send_user(t, sig, *info, group);
	return 0;
}

/* kill_info - what kill(2) (@code SI_USER) and tkill (SI_TKILL) send. */
static void kill_info(struct kf_siginfo *info, int sig, int code)
{
	*info = (struct kf_siginfo){
		.signo = sig, .code = code, .pid = kf_getpid(),
		.uid = (int)kf_getuid(),
	};
}

/* ---- process groups and everybody ------------------------------------------------ */

/* kf_kill_pgrp_locked - @sig to every process of @pgrp: 0 once one send
 * succeeded, else the last error, -ESRCH for an empty group.  (T) */
long kf_kill_pgrp_locked(struct kf_pid *pgrp, int sig,
			 const struct kf_siginfo *info)
{
	struct kf_list *pos;
	long ret = -KF_ESRCH, err;

	if (!pgrp)
		return -KF_ESRCH;
	kf_list_for_each(pos, kf_pid_groups(pgrp, KF_PIDTYPE_PGID)) {
		struct kf_signal *s = kf_list_entry(pos, struct kf_signal,
						    group_node[KF_PIDTYPE_PGID]);

		err = send_checked(kf_signal_leader(s), sig, info, true);
		if (ret)
			ret = err;
	}
	return ret;
}

/* kill_all - kill(-1): every visible process numbered above 1 but the
 * caller's own.  EPERM is not an error here.  (T) */
static long kill_all(int sig, const struct kf_siginfo *info)
{
	struct kf_task *me = kf_current();
	struct kf_pid_ns *ns = kf_task_active_pid_ns(me);
	struct kf_list *pos;
	long ret = 0, err;
	int count = 0;

	kf_list_for_each(pos, &kf_all_tasks) {
		struct kf_task *p = kf_list_entry(pos, struct kf_task, all_node);

		if (!kf_thread_group_leader(p) || p->signal == me->signal ||
		    kf_pid_nr_ns(p->pid, ns) <= 1)
			continue;
		err = send_checked(p, sig, info, true);
		count++;
		if (err != -KF_EPERM)
			ret = err;
	}
	return count ? ret : -KF_ESRCH;
}

/* kf_send_pdeath_locked - the parent-death signal @sig from current, @t's
 * dying parent: a user signal (SI_USER, with the permission check) from
 * current's pid as @t sees it.  (T) */
void kf_send_pdeath_locked(struct kf_task *t, int sig)
{
	struct kf_task *me = kf_current();
	struct kf_siginfo info = {
		.signo = sig, .code = KF_SI_USER,
		.pid = kf_pid_nr_ns(me->tgid, kf_task_active_pid_ns(t)),
		.uid = (int)kf_getuid(),	/* send_user names it for @t */
	};

	send_checked(t, sig, &info, true);
}

/* ---- the system calls ------------------------------------------------------------------ */

long kf_kill(int pid, int sig)
{
	struct kf_task *me = kf_current();
	struct kf_pid_ns *ns = kf_task_active_pid_ns(me);
	struct kf_siginfo info;
	struct kf_task *t;
	unsigned long f;
	long ret;

	kill_info(&info, sig, KF_SI_USER);
	if (pid == -__INT_MAX__ - 1)	/* -INT_MIN does not exist */
		return -KF_ESRCH;
	f = kf_tasklist_lock_irq();
	if (pid > 0) {
		t = kf_pid_ns_find_task(ns, pid);
		ret = t ? send_checked(t, sig, &info, true) : -KF_ESRCH;
	} else if (pid == 0) {
		ret = kf_kill_pgrp_locked(kf_task_pgrp(me), sig, &info);
	} else if (pid != -1) {
		ret = kf_kill_pgrp_locked(kf_pid_ns_find_pid(ns, -pid), sig,
					  &info);
	} else {
		ret = kill_all(sig, &info);
	}
	kf_tasklist_unlock_irq(f);
	return ret;
}

/*
 * do_tkill - @sig to the thread @tid, which must belong to process @tgid
 * when @tgid > 0.  A thread reaped meanwhile counts as signalled.
 */
static long do_tkill(int tgid, int tid, int sig)
{
	struct kf_pid_ns *ns = kf_task_active_pid_ns(kf_current());
	struct kf_siginfo info;
	struct kf_task *t;
	unsigned long f;
	long ret = -KF_ESRCH;

	kill_info(&info, sig, KF_SI_TKILL);
	f = kf_tasklist_lock_irq();
	t = kf_pid_ns_find_task(ns, tid);
	if (t && (tgid <= 0 || kf_pid_nr_ns(t->tgid, ns) == tgid)) {
		ret = send_checked(t, sig, &info, false);
		if (ret == -KF_ESRCH)
			ret = 0;
	}
	kf_tasklist_unlock_irq(f);
	return ret;
}

long kf_tkill(int tid, int sig)
{
	if (tid <= 0)
		return -KF_EINVAL;
	return do_tkill(0, tid, sig);
}

long kf_tgkill(int tgid, int tid, int sig)
{
	if (tid <= 0 || tgid <= 0)
		return -KF_EINVAL;
	return do_tkill(tgid, tid, sig);
}

long kf_kill_task(struct kf_task *t, int sig, const struct kf_siginfo *info,
		  int scope)
{
	struct kf_siginfo ki;
	unsigned long f;
	long ret;

	if (info)
		ki = *info;
	else
		kill_info(&ki, sig, scope == KF_KILL_THREAD ? KF_SI_TKILL :
						      KF_SI_USER);
	f = kf_tasklist_lock_irq();
	if (scope == KF_KILL_PGRP)	/* the group @t's pid names */
		ret = kf_kill_pgrp_locked(t->pid, sig, &ki);
	else if (!t->real_parent)	/* reaped */
		ret = -KF_ESRCH;
	else
		ret = send_checked(t, sig, &ki, scope == KF_KILL_PROCESS);
	kf_tasklist_unlock_irq(f);
	return ret;
}
