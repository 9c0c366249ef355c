// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/wait.c - wait4(2) and waitid(2).
 *
 * A waiter looks at the children of every thread of its group (or only
 * its own with __WNOTHREAD), picks the first eligible zombie, and reaps it
 * -- or reports it and leaves it in place with WNOWAIT.  When nothing is
 * ready it sleeps on its group's wait_chldexit until a child's exit wakes
 * it, and returns ECHILD once no eligible child exists at all.
 *
 * Stop and continue events are not modelled (the core has no job control),
 * so WUNTRACED/WSTOPPED and WCONTINUED are accepted but never report.
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

struct wait_opts {
	enum wait_select select;
	int id;				/* the pid or pgid to match */
	unsigned flags;			/* KF_W* options */
	unsigned sleep_mode;		/* KF_WAIT_* for kf_os_wait */
	struct kf_pid_ns *ns;		/* the waiter's pid namespace */
	struct kf_rusage *ru;		/* where the child's usage goes, or NULL */
	/* what was found */
	int pid, uid, status;
};

static void wait_opts_init(struct wait_opts *wo, enum wait_select select,
			   int id, unsigned flags, unsigned sleep_mode)
{
	wo->select = select;
	wo->id = id;
	wo->flags = flags;
	wo->sleep_mode = sleep_mode;
	wo->ns = kf_task_active_pid_ns(kf_current());
	wo->ru = NULL;
	wo->pid = wo->uid = wo->status = 0;
}

/* ---- which children count ---------------------------------------------- */

/* eligible_pid - does @p match the pid or process group asked for?  A
 * pgid is kept as a number (task.h), so it is compared as one. */
static bool eligible_pid(const struct wait_opts *wo, struct kf_task *p)
{
	switch (wo->select) {
	case WAIT_PID:
		return kf_pid_nr_ns(p->pid, wo->ns) == wo->id;
	case WAIT_PGID:
		return p->signal->pgid == wo->id;
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
 * consider - is @p a zombie this wait reports now?  Sets *@waitable when
 * @p is eligible and may report later (alive, or a delayed leader), which
 * is what keeps the wait from failing with ECHILD.  (T)
 */
static bool consider(const struct wait_opts *wo, struct kf_task *p,
		     bool *waitable)
{
	if (p->exit_state == KF_EXIT_DEAD || !eligible_child(wo, p))
		return false;
	if (p->exit_state == KF_EXIT_ZOMBIE && !delay_group_leader(p))
		return (wo->flags & KF_WEXITED) != 0;
	*waitable = true;
	return false;
}

static struct kf_task *scan_children(const struct wait_opts *wo,
				     struct kf_task *tsk, bool *waitable)
{
	struct kf_list *pos;

	kf_list_for_each(pos, &tsk->children) {
		struct kf_task *p = kf_list_entry(pos, struct kf_task, sibling);

		if (consider(wo, p, waitable))
			return p;
	}
	return NULL;
}

/*
 * wait_scan - the first zombie the caller may report, or NULL; *@waitable
 * says whether any eligible child exists at all.  (T)
 */
static struct kf_task *wait_scan(const struct wait_opts *wo, bool *waitable)
{
	struct kf_task *me = kf_current();
	struct kf_list *pos;
	struct kf_task *p;

	*waitable = false;
	if (wo->flags & KF___WNOTHREAD)
		return scan_children(wo, me, waitable);
	kf_list_for_each(pos, &me->signal->threads) {
		p = scan_children(wo, kf_list_entry(pos, struct kf_task,
						    thread_node), waitable);
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
	wo->pid = kf_pid_nr_ns(p->pid, wo->ns);
	wo->uid = (int)p->cred->uid;
	kf_rusage_reap(p, reap, wo->ru);
	if (reap)
		p->exit_state = KF_EXIT_DEAD;
	kf_tasklist_unlock_irq(f);

	if (reap)
		kf_release_task(p);
	return wo->pid;
}

/* wait_ready - kf_os_wait condition: a child to report, or none left. */
static bool wait_ready(void *arg)
{
	const struct wait_opts *wo = arg;
	bool waitable;
	struct kf_task *p;
	unsigned long f = kf_tasklist_lock_irq();

	p = wait_scan(wo, &waitable);
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
	struct kf_task *p;
	bool waitable;
	unsigned long f;

	for (;;) {
		f = kf_tasklist_lock_irq();
		p = wait_scan(wo, &waitable);
		if (p)
			return wait_report(wo, p, f);
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
		id = kf_current()->signal->pgid;
	}
	wait_opts_init(&wo, select, id, (unsigned)options | KF_WEXITED,
		       KF_WAIT_INTERRUPTIBLE);
	if (urusage)
		wo.ru = &ru;

	ret = do_wait(&wo);
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
	info->code = kf_cld_code(wo->status, &info->status);
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
		if (!id)
			id = kf_current()->signal->pgid;
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

	ret = do_wait(&wo);
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
