// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/wait.c - wait4(2) and waitid(2).
 *
 * A waiter looks at the children of every thread of its group (or only
 * its own with __WNOTHREAD), picks the first eligible child with something
 * to report -- a zombie first, then a stop, then a continue -- and reaps a
 * zombie, or reports it and leaves it in place with WNOWAIT.  When nothing
 * is ready it sleeps on its group's wait_chldexit until a child's exit,
 * stop or continue wakes it, and returns ECHILD once no eligible child
 * exists at all.
 *
 * Stop and continue reports come from the group's one report slot
 * (jobctl.c): a stopped group reports once to WUNTRACED/WSTOPPED, a
 * continued one once to WCONTINUED, and WNOWAIT leaves the report.  A
 * zombie a waiter without WEXITED cannot reap does not count as a child
 * that may still report (Linux: waitid(WSTOPPED) on an only zombie child is
 * ECHILD), but a zombie leader whose threads live does.
 *
 * A signal that interrupts the sleep gives -KF_ERESTARTSYS, as Linux's
 * do_wait does: the host's signal delivery restarts the call (SA_RESTART)
 * or turns it into -KF_EINTR, exactly as it does for its own syscalls.
 */
#include "internal.h"

#define KF_INT_MIN (-__INT_MAX__ - 1)

#define WAIT4_OPTIONS (KF_WNOHANG | KF_WUNTRACED | KF_WCONTINUED | \
		       KF___WNOTHREAD | KF___WCLONE | KF___WALL)
#define WAITID_OPTIONS (KF_WNOHANG | KF_WNOWAIT | KF_WEXITED | KF_WSTOPPED | \
			KF_WCONTINUED | KF___WNOTHREAD | KF___WCLONE | KF___WALL)

enum wait_select { WAIT_ANY, WAIT_PID, WAIT_PGID };

/* what a child has to report */
enum wait_event { EV_NONE, EV_EXIT, EV_STOPPED, EV_CONTINUED };

struct wait_opts {
	enum wait_select select;
	int id;				/* the pid to match */
	struct kf_pid *pgrp;		/* the group to match, a reference */
	unsigned flags;			/* KF_W* options */
	unsigned sleep_mode;		/* KF_WAIT_* for kf_os_wait */
	struct kf_pid_ns *ns;		/* the waiter's pid namespace */
	struct kf_rusage *ru;		/* where the child's usage goes, or NULL */
	/* what was found */
	int pid, uid, status;		/* status: wait4's encoding */
	int code, si_status;		/* waitid's CLD_* and si_status */
};

static void wait_opts_init(struct wait_opts *wo, enum wait_select select,
			   int id, unsigned flags, unsigned sleep_mode)
{
	wo->select = select;
	wo->id = id;
	wo->pgrp = NULL;
	wo->flags = flags;
	wo->sleep_mode = sleep_mode;
	wo->ns = kf_task_active_pid_ns(kf_current());
	wo->ru = NULL;
	wo->pid = wo->uid = wo->status = wo->code = wo->si_status = 0;
}

/*
 * wait_opts_pgrp - a wait for process group @pgid (0: the caller's): the
 * group is looked up now, as Linux's find_get_pid does, and a number that
 * names no group matches no child.
 */
static void wait_opts_pgrp(struct wait_opts *wo, int pgid)
{
	unsigned long f = kf_tasklist_lock_irq();
	struct kf_pid *pgrp = pgid ? kf_pid_ns_find_pid(wo->ns, pgid) :
				     kf_task_pgrp(kf_current());

	wo->pgrp = pgrp ? kf_pid_get(pgrp) : NULL;
	kf_tasklist_unlock_irq(f);
}

static void wait_opts_done(struct wait_opts *wo)
{
	kf_pid_put(wo->pgrp);
}

/* ---- which children count ---------------------------------------------- */

/* eligible_pid - does @p match the pid or process group asked for? */
static bool eligible_pid(const struct wait_opts *wo, struct kf_task *p)
{
	switch (wo->select) {
	case WAIT_PID:
		return kf_pid_nr_ns(p->pid, wo->ns) == wo->id;
	case WAIT_PGID:
		return wo->pgrp && kf_task_pgrp(p) == wo->pgrp;
	default:
		return true;
	}
}

/*
 * eligible_child - does this wait look at @p at all?  Without __WALL,
 * __WCLONE selects exactly the "clone" children (those that report with a
 * signal other than SIGCHLD) and its absence exactly the others.
 */
static bool eligible_child(const struct wait_opts *wo, struct kf_task *p)
{
	if (!eligible_pid(wo, p))
		return false;
	if (wo->flags & KF___WALL)
		return true;
	return (p->exit_signal != KF_SIGCHLD) == !!(wo->flags & KF___WCLONE);
}

/* a zombie leader whose threads still run is reaped only after them */
static bool delay_group_leader(const struct kf_task *p)
{
	return kf_thread_group_leader(p) && !kf_thread_group_empty(p);
}

/*
 * take_stopped - @p's group is stopped with a report left: fill it in, and
 * use it up unless WNOWAIT (or @peek: only looking).  (T)
 */
static bool take_stopped(struct wait_opts *wo, struct kf_task *p, bool peek)
{
	struct kf_signal *s = p->signal;
	unsigned long irq;
	int code = 0;

	if (!(wo->flags & KF_WUNTRACED))
		return false;
	irq = kf_os_spin_lock(&p->sighand->siglock);
	if (s->flags & KF_SIGNAL_STOP_STOPPED)
		code = s->group_exit_code;
	if (code && !peek && !(wo->flags & KF_WNOWAIT))
		s->group_exit_code = 0;
	kf_os_spin_unlock(&p->sighand->siglock, irq);
	if (!code)
		return false;
	wo->status = (code << 8) | 0x7f;
	wo->code = KF_CLD_STOPPED;
	wo->si_status = code;
	return true;
}

/* take_continued - the same for a continued group's report.  (T) */
static bool take_continued(struct wait_opts *wo, struct kf_task *p, bool peek)
{
	struct kf_signal *s = p->signal;
	unsigned long irq;
	bool cont;

	if (!(wo->flags & KF_WCONTINUED))
		return false;
	irq = kf_os_spin_lock(&p->sighand->siglock);
	cont = s->flags & KF_SIGNAL_STOP_CONTINUED;
	if (cont && !peek && !(wo->flags & KF_WNOWAIT))
		s->flags &= ~KF_SIGNAL_STOP_CONTINUED;
	kf_os_spin_unlock(&p->sighand->siglock, irq);
	if (!cont)
		return false;
	wo->status = 0xffff;
	wo->code = KF_CLD_CONTINUED;
	wo->si_status = KF_SIGCONT;
	return true;
}

/*
 * consider - what @p reports to this wait now (Linux's
 * wait_consider_task): its exit, if it is a zombie this waiter may reap;
 * else its stop or continue.  Sets *@waitable when @p is eligible and may
 * report later (alive, or a zombie leader with live threads) -- what keeps
 * the wait from failing with ECHILD.  A stop or continue report is used up
 * here unless @peek.  (T)
 */
static enum wait_event consider(struct wait_opts *wo, struct kf_task *p,
				bool *waitable, bool peek)
{
	if (p->exit_state == KF_EXIT_DEAD || !eligible_child(wo, p))
		return EV_NONE;
	if (p->exit_state == KF_EXIT_ZOMBIE && !delay_group_leader(p))
		return (wo->flags & KF_WEXITED) ? EV_EXIT : EV_NONE;
	*waitable = true;
	if (take_stopped(wo, p, peek))
		return EV_STOPPED;
	if (take_continued(wo, p, peek))
		return EV_CONTINUED;
	return EV_NONE;
}

static struct kf_task *scan_children(struct wait_opts *wo, struct kf_task *tsk,
				     bool *waitable, bool peek,
				     enum wait_event *ev)
{
	struct kf_list *pos;

	kf_list_for_each(pos, &tsk->children) {
		struct kf_task *p = kf_list_entry(pos, struct kf_task, sibling);

		*ev = consider(wo, p, waitable, peek);
		if (*ev != EV_NONE)
			return p;
	}
	return NULL;
}

/*
 * wait_scan - the first child with something to report (*@ev says what),
 * or NULL; *@waitable says whether any eligible child exists at all.
 * Unless @peek, a stop or continue report found is used up.  (T)
 */
static struct kf_task *wait_scan(struct wait_opts *wo, bool *waitable,
				 bool peek, enum wait_event *ev)
{
	struct kf_task *me = kf_current();
	struct kf_list *pos;
	struct kf_task *p;

	*waitable = false;
	if (wo->flags & KF___WNOTHREAD)
		return scan_children(wo, me, waitable, peek, ev);
	kf_list_for_each(pos, &me->signal->threads) {
		p = scan_children(wo, kf_list_entry(pos, struct kf_task,
						    thread_node),
				  waitable, peek, ev);
		if (p)
			return p;
	}
	return NULL;
}

/* ---- reporting and sleeping ---------------------------------------------- */

/*
 * wait_report - report zombie @p, and reap it unless WNOWAIT.  Entered
 * with the tasklist lock held (@f), which it drops.  Setting KF_EXIT_DEAD
 * under the lock makes this waiter the only one that releases @p; its
 * usage joins the waiter's children's sums first (rusage.c).
 */
static long wait_report(struct wait_opts *wo, struct kf_task *p,
			unsigned long f)
{
	bool reap = !(wo->flags & KF_WNOWAIT);

	wo->status = (p->signal->flags & KF_SIGNAL_GROUP_EXIT) ?
		     p->signal->group_exit_code : p->exit_code;
	wo->code = kf_cld_code(wo->status, &wo->si_status);
	wo->pid = kf_pid_nr_ns(p->pid, wo->ns);
	wo->uid = (int)kf_from_kuid(kf_current()->cred->user_ns, p->cred->uid);
	kf_rusage_reap(p, reap, wo->ru);
	if (reap)
		p->exit_state = KF_EXIT_DEAD;
	kf_tasklist_unlock_irq(f);

	if (reap)
		kf_release_task(p);
	return wo->pid;
}

/* report_event - a stop or continue report @p gave (already used up);
 * the rusage is p's, as for an exit report, and counts nowhere. */
static long report_event(struct wait_opts *wo, struct kf_task *p,
			 unsigned long f)
{
	wo->pid = kf_pid_nr_ns(p->pid, wo->ns);
	wo->uid = (int)kf_from_kuid(kf_current()->cred->user_ns, p->cred->uid);
	kf_rusage_reap(p, false, wo->ru);
	kf_tasklist_unlock_irq(f);
	return wo->pid;
}

/* wait_ready - kf_os_wait condition: a child to report, or none left.
 * Only looks: nothing is used up. */
static bool wait_ready(void *arg)
{
	struct wait_opts wo = *(const struct wait_opts *)arg;
	enum wait_event ev;
	bool waitable;
	struct kf_task *p;
	unsigned long f = kf_tasklist_lock_irq();

	p = wait_scan(&wo, &waitable, true, &ev);
	kf_tasklist_unlock_irq(f);
	return p || !waitable;
}

/*
 * do_wait - the common loop.  Returns the reported pid, 0 for WNOHANG with
 * nothing ready, -KF_ECHILD, or -KF_ERESTARTSYS when a signal the sleep
 * mode allows arrives first.  No lock held; may sleep.
 */
static long do_wait(struct wait_opts *wo)
{
	struct kf_task *me = kf_current();
	enum wait_event ev;
	struct kf_task *p;
	bool waitable;
	unsigned long f;

	for (;;) {
		f = kf_tasklist_lock_irq();
		p = wait_scan(wo, &waitable, false, &ev);
		if (p && ev == EV_EXIT)
			return wait_report(wo, p, f);
		if (p)
			return report_event(wo, p, f);
		kf_tasklist_unlock_irq(f);

		if (!waitable)
			return -KF_ECHILD;
		if (wo->flags & KF_WNOHANG)
			return 0;
		if (kf_os_wait(&me->signal->wait_chldexit, wait_ready, wo,
			       wo->sleep_mode) != 0 &&
		    wo->sleep_mode != KF_WAIT_UNINTERRUPTIBLE)
			return -KF_ERESTARTSYS;
	}
}

/* ---- the system calls ------------------------------------------------------ */

_Static_assert(sizeof(struct kf_rusage) == 144, "Linux's LP64 struct rusage");

long kf_wait4(int upid, kf_uptr_t ustatus, int options, kf_uptr_t urusage)
{
	enum wait_select select = WAIT_PID;
	int id = upid;
	struct wait_opts wo;
	struct kf_rusage ru;
	long ret;

	if ((unsigned)options & ~(unsigned)WAIT4_OPTIONS)
		return -KF_EINVAL;
	if (upid == KF_INT_MIN)		/* -INT_MIN does not exist */
		return -KF_ESRCH;

	if (upid == -1) {
		select = WAIT_ANY;
	} else if (upid < 0) {
		select = WAIT_PGID;
		id = -upid;
	} else if (upid == 0) {
		select = WAIT_PGID;
	}
	wait_opts_init(&wo, select, id, (unsigned)options | KF_WEXITED,
		       KF_WAIT_INTERRUPTIBLE);
	if (urusage)
		wo.ru = &ru;
	if (select == WAIT_PGID)
		wait_opts_pgrp(&wo, id);

	ret = do_wait(&wo);
	wait_opts_done(&wo);
	if (ret <= 0)
		return ret;
	/* the child is reaped even when the status cannot be stored */
	if (ustatus && kf_os_copy_to_user(ustatus, &wo.status, sizeof(int)))
		return -KF_EFAULT;
	if (urusage && kf_os_copy_to_user(urusage, &ru, sizeof(ru)))
		return -KF_EFAULT;
	return ret;
}

/* waitid_info - the siginfo fields waitid reports for what @wo found. */
static void waitid_info(const struct wait_opts *wo, struct kf_waitinfo *info)
{
	info->signo = KF_SIGCHLD;
	info->pid = wo->pid;
	info->uid = wo->uid;
	info->code = wo->code;
	info->status = wo->si_status;
}

long kf_waitid(int which, int id, struct kf_waitinfo *info, int options)
{
	return kf_waitid_rusage(which, id, info, options, NULL);
}

long kf_waitid_rusage(int which, int id, struct kf_waitinfo *info,
		      int options, struct kf_rusage *ru)
{
	enum wait_select select;
	struct wait_opts wo;
	long ret;

	if ((unsigned)options & ~(unsigned)WAITID_OPTIONS)
		return -KF_EINVAL;
	if (!(options & (KF_WEXITED | KF_WSTOPPED | KF_WCONTINUED)))
		return -KF_EINVAL;

	switch (which) {
	case KF_P_ALL:
		select = WAIT_ANY;
		break;
	case KF_P_PID:
		if (id <= 0)
			return -KF_EINVAL;
		select = WAIT_PID;
		break;
	case KF_P_PGID:
		if (id < 0)
			return -KF_EINVAL;
		select = WAIT_PGID;
		break;
	case KF_P_PIDFD:
		if (id < 0)
			return -KF_EINVAL;
		/* kf_os has no pidfd -> task lookup: no fd is a pidfd here */
		return -KF_EBADF;
	default:
		return -KF_EINVAL;
	}
	wait_opts_init(&wo, select, id, (unsigned)options,
		       KF_WAIT_INTERRUPTIBLE);
	wo.ru = ru;
	if (select == WAIT_PGID)
		wait_opts_pgrp(&wo, id);

	ret = do_wait(&wo);
	wait_opts_done(&wo);
	if (ret < 0)
		return ret;
	if (info) {
		__builtin_memset(info, 0, sizeof(*info));
		if (ret > 0)
			waitid_info(&wo, info);
	}
	return 0;
}

/*
 * kf_wait_reap_all - reap every child of current's group, sleeping until
 * the live ones have exited too; signals do not interrupt (the caller is
 * an exiting pid-namespace init that may have been killed itself).
 */
void kf_wait_reap_all(void)
{
	struct wait_opts wo;

	wait_opts_init(&wo, WAIT_ANY, 0, KF_WEXITED | KF___WALL,
		       KF_WAIT_UNINTERRUPTIBLE);
	while (do_wait(&wo) != -KF_ECHILD)
		;
}
