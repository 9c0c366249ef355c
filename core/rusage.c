// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/rusage.c - what tasks use: getrusage(2), times(2) and the rusage
 * that wait4 and waitid report, with Linux 6.12's bookkeeping
 * (kernel/sys.c getrusage, kernel/exit.c wait_task_zombie and
 * __exit_signal, kernel/sched/cputime.c cputime_adjust).
 *
 * A live thread's CPU time and context switches are the host's
 * (kf_os_task_cputime); its minor faults are counted here, as mm/'s fault
 * path reports them (kf_account_fault).  When a thread is reaped its
 * figures are added to its group's "dead" sums, so a process keeps what
 * its dead threads used.  When a parent reaps a child with wait4/waitid
 * (never when the child was reaped automatically), the child's whole
 * usage -- its threads' and its own reaped descendants' -- is added to the
 * parent group's "children" sums: RUSAGE_CHILDREN only ever shows waited-
 * for children.  Peak RSS is the mm's high-water mark, kept in the group
 * when the mm goes (the group's last exit, an exec).
 *
 * Times: the host gives an exact run time and a tick-sampled split
 * between user and system; like Linux, the reported utime + stime is the
 * exact run time, split in the sampled proportion, and never decreasing
 * from one report to the next (kf_prev_cputime).
 *
 * Locking: every sum and split is (T), the tasklist lock, which also keeps
 * the thread lists and parent links steady while they are walked.
 */
#include <kf/mm.h>
#include <kf/hal/pte.h>
#include "internal.h"

#define NSEC_PER_SEC  1000000000ull
#define NSEC_PER_USEC 1000ull

/* ---- counting ------------------------------------------------------------------ */

void kf_account_fault(void)
{
	struct kf_task *t = kf_current();

	if (t)
		__atomic_add_fetch(&t->min_flt, 1, __ATOMIC_RELAXED);
}

static uint64_t task_min_flt(const struct kf_task *t)
{
	return __atomic_load_n(&t->min_flt, __ATOMIC_RELAXED);
}

/* thread_cputime - @t's own figures from the host (none for the boot
 * task, which the host does not schedule as a task). */
static void thread_cputime(struct kf_task *t, struct kf_cputime *ct)
{
	__builtin_memset(ct, 0, sizeof(*ct));
	if (t != &kf_boot_task)
		kf_os_task_cputime(t, ct);
}

static void usage_add(struct kf_sig_usage *u, const struct kf_cputime *ct,
		      uint64_t min_flt)
{
	u->utime += ct->utime;
	u->stime += ct->stime;
	u->runtime += ct->runtime;
	u->nvcsw += ct->nvcsw;
	u->nivcsw += ct->nivcsw;
	u->min_flt += min_flt;
}

static void usage_sum(struct kf_sig_usage *u, const struct kf_sig_usage *a)
{
	u->utime += a->utime;
	u->stime += a->stime;
	u->runtime += a->runtime;
	u->nvcsw += a->nvcsw;
	u->nivcsw += a->nivcsw;
	u->min_flt += a->min_flt;
}

/* kf_rusage_release - @t is being reaped: its group keeps its usage. */
void kf_rusage_release(struct kf_task *t)
{
	struct kf_cputime ct;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	thread_cputime(t, &ct);
	usage_add(&t->signal->dead, &ct, task_min_flt(t));
}

/* group_usage - everything @p's group used: its reaped threads' sums plus
 * each thread still listed (a zombie leader included). */
static void group_usage(struct kf_task *p, struct kf_sig_usage *u)
{
	struct kf_list *pos;
	struct kf_cputime ct;

	*u = p->signal->dead;
	kf_list_for_each(pos, &p->signal->threads) {
		struct kf_task *t = kf_list_entry(pos, struct kf_task, thread_node);

		thread_cputime(t, &ct);
		usage_add(u, &ct, task_min_flt(t));
	}
}

void kf_rusage_note_maxrss(struct kf_signal *sig, struct kf_mm *mm)
{
	unsigned long hw = kf_mm_hiwater_rss(mm);
	unsigned long f = kf_tasklist_lock_irq();

	if (sig->maxrss < hw)
		sig->maxrss = hw;
	kf_tasklist_unlock_irq(f);
}

/* ---- splitting the run time ---------------------------------------------------- */

/* mul_div - @a * @b / @c for @a <= @c, without 128-bit arithmetic (a
 * vendoring kernel may lack its helpers): @c is brought below 2^32 first,
 * which costs at most a relative error of 2^-32. */
static uint64_t mul_div(uint64_t a, uint64_t b, uint64_t c)
{
	while (c >> 32) {
		a >>= 1;
		c >>= 1;
	}
	if (!c)
		return 0;
	return (b / c) * a + (b % c) * a / c;
}

/*
 * cputime_adjust - the exact run time @rtime split as the samples
 * @utime : @stime split it, and never less in either part than @prev
 * (updated) held: Linux's cputime_adjust.
 */
static void cputime_adjust(uint64_t utime, uint64_t stime, uint64_t rtime,
			   struct kf_prev_cputime *prev, uint64_t *ut,
			   uint64_t *st)
{
	if (prev->stime + prev->utime >= rtime)
		goto out;
	/* no system sample: all of it is user time; no user sample: all
	 * of it system time; else the sampled proportion */
	if (stime && !utime)
		stime = rtime;
	else if (stime)
		stime = mul_div(stime, rtime, stime + utime);
	if (stime > rtime)
		stime = rtime;
	if (stime < prev->stime)
		stime = prev->stime;
	utime = rtime - stime;
	if (utime < prev->utime) {
		utime = prev->utime;
		stime = rtime - utime;
	}
	prev->stime = stime;
	prev->utime = utime;
out:
	*ut = prev->utime;
	*st = prev->stime;
}

static void usage_adjusted(const struct kf_sig_usage *u,
			   struct kf_prev_cputime *prev, uint64_t *ut,
			   uint64_t *st)
{
	cputime_adjust(u->utime, u->stime, u->runtime, prev, ut, st);
}

/* ---- reports -------------------------------------------------------------------- */

static void ns_to_timeval(uint64_t ns, int64_t *sec, int64_t *usec)
{
	*sec = (int64_t)(ns / NSEC_PER_SEC);
	*usec = (int64_t)((ns % NSEC_PER_SEC) / NSEC_PER_USEC);
}

static void fill_counts(struct kf_rusage *r, const struct kf_sig_usage *u)
{
	r->minflt += (int64_t)u->min_flt;
	r->nvcsw += (int64_t)u->nvcsw;
	r->nivcsw += (int64_t)u->nivcsw;
}

static unsigned long max_ul(unsigned long a, unsigned long b)
{
	return a > b ? a : b;
}

/*
 * task_rusage - Linux's getrusage(p, who): the times and counts of @who
 * for @p, peak RSS in KiB.  THREAD is @p alone (current), SELF its group,
 * CHILDREN its group's reaped descendants, BOTH the last two.  (T)
 */
static void task_rusage(struct kf_task *p, int who, struct kf_rusage *r)
{
	struct kf_signal *sig = p->signal;
	struct kf_sig_usage u = { 0 };
	struct kf_cputime ct;
	uint64_t ut = 0, st = 0, gut, gst;
	unsigned long maxrss = 0;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	__builtin_memset(r, 0, sizeof(*r));
	if (who == KF_RUSAGE_THREAD) {
		thread_cputime(p, &ct);
		usage_add(&u, &ct, task_min_flt(p));
		usage_adjusted(&u, &p->prev_cputime, &ut, &st);
		fill_counts(r, &u);
		maxrss = sig->maxrss;
		goto out_mm;
	}
	if (who == KF_RUSAGE_CHILDREN || who == KF_RUSAGE_BOTH) {
		ut = sig->cutime;
		st = sig->cstime;
		fill_counts(r, &sig->children);
		maxrss = sig->cmaxrss;
		if (who == KF_RUSAGE_CHILDREN)
			goto out;
	}
	group_usage(p, &u);
	fill_counts(r, &u);
	maxrss = max_ul(maxrss, sig->maxrss);
	usage_adjusted(&u, &sig->prev_cputime, &gut, &gst);
	ut += gut;
	st += gst;
out_mm:
	if (p->mm)
		maxrss = max_ul(maxrss, kf_mm_hiwater_rss(p->mm));
out:
	r->maxrss = (int64_t)(maxrss * (KF_PAGE_SIZE / 1024));
	ns_to_timeval(ut, &r->utime_sec, &r->utime_usec);
	ns_to_timeval(st, &r->stime_sec, &r->stime_usec);
}

/*
 * kf_rusage_reap - current's wait found zombie @p.  @ru gets p's usage
 * with its reaped descendants' (RUSAGE_BOTH); when the wait reaps @p
 * (not WNOWAIT), all of it joins current's group's children's sums --
 * Linux's wait_task_zombie, which adds it before the child is released.
 * (T)
 */
void kf_rusage_reap(struct kf_task *p, bool reap, struct kf_rusage *ru)
{
	struct kf_signal *sig = p->signal, *psig = kf_current()->signal;
	struct kf_sig_usage u;
	uint64_t ut, st;

	KF_ASSERT_HELD(&kf_tasklist_lock);
	if (reap && kf_thread_group_leader(p)) {
		group_usage(p, &u);
		usage_adjusted(&u, &sig->prev_cputime, &ut, &st);
		psig->cutime += ut + sig->cutime;
		psig->cstime += st + sig->cstime;
		usage_sum(&psig->children, &u);
		usage_sum(&psig->children, &sig->children);
		psig->cmaxrss = max_ul(psig->cmaxrss,
				       max_ul(sig->maxrss, sig->cmaxrss));
	}
	if (ru)
		task_rusage(p, KF_RUSAGE_BOTH, ru);
}

void kf_task_rusage(struct kf_task *t, int who, struct kf_rusage *out)
{
	unsigned long f = kf_tasklist_lock_irq();

	/* a reaped task's links are gone, and its group may be freed */
	if (t->real_parent)
		task_rusage(t, who, out);
	else
		__builtin_memset(out, 0, sizeof(*out));
	kf_tasklist_unlock_irq(f);
}

void kf_task_group_cputime(struct kf_task *t, struct kf_cputime *out)
{
	unsigned long f = kf_tasklist_lock_irq();
	struct kf_sig_usage u = { 0 };

	if (t->real_parent)
		group_usage(t, &u);
	kf_tasklist_unlock_irq(f);
	out->utime = u.utime;
	out->stime = u.stime;
	out->runtime = u.runtime;
	out->nvcsw = u.nvcsw;
	out->nivcsw = u.nivcsw;
}

long kf_getrusage(int who, kf_uptr_t uru)
{
	struct kf_rusage r;

	if (who != KF_RUSAGE_SELF && who != KF_RUSAGE_CHILDREN &&
	    who != KF_RUSAGE_THREAD)
		return -KF_EINVAL;
	kf_task_rusage(kf_current(), who, &r);
	return kf_os_copy_to_user(uru, &r, sizeof(r)) ? -KF_EFAULT : 0;
}

/* times(2)'s struct tms: four clock_t (longs). */
struct tms_abi {
	int64_t utime, stime, cutime, cstime;
};

long kf_times(kf_uptr_t utms, unsigned hz)
{
	struct kf_task *cur = kf_current();
	uint64_t tick = NSEC_PER_SEC / (hz ? hz : 100), ut, st;
	struct kf_sig_usage u;
	struct tms_abi tms;
	unsigned long f;

	if (!utms)
		return 0;
	f = kf_tasklist_lock_irq();
	group_usage(cur, &u);
	usage_adjusted(&u, &cur->signal->prev_cputime, &ut, &st);
	tms.utime = (int64_t)(ut / tick);
	tms.stime = (int64_t)(st / tick);
	tms.cutime = (int64_t)(cur->signal->cutime / tick);
	tms.cstime = (int64_t)(cur->signal->cstime / tick);
	kf_tasklist_unlock_irq(f);
	return kf_os_copy_to_user(utms, &tms, sizeof(tms)) ? -KF_EFAULT : 0;
}
