// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/time.c - clocks and sleeping.  Time is the timer tick
 * (MK_HZ per second): every clock reads it, with CLOCK_REALTIME offset to
 * a fixed date.  A sleep lasts at least what was asked, rounded up to
 * whole ticks.
 */
#include <kf/kf.h>
#include <kf/hal/irq.h>
#include <mk/proc.h>

#define NSEC_PER_SEC 1000000000ll
#define NSEC_PER_TICK (NSEC_PER_SEC / MK_HZ)
#define REALTIME_EPOCH 1767225600ll	/* 2026-01-01 00:00:00 UTC */
#define CLOCK_REALTIME 0
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1

struct mk_timespec {
	int64_t sec, nsec;
};

uint64_t mk_timeout_ticks(int64_t sec, int64_t nsec)
{
	uint64_t ns = (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;

	/* +1: the current tick is already partly gone */
	return mk_ticks + (ns + NSEC_PER_TICK - 1) / NSEC_PER_TICK + 1;
}

static void now(int clk, struct mk_timespec *ts)
{
	uint64_t t = mk_ticks;

	ts->sec = (int64_t)(t / MK_HZ);
	ts->nsec = (int64_t)(t % MK_HZ) * NSEC_PER_TICK;
	if (clk == CLOCK_REALTIME)
		ts->sec += REALTIME_EPOCH;
}

static bool clock_valid(long clk)
{
	return clk >= 0 && clk <= CLOCK_BOOTTIME;
}

long mk_sys_clock_gettime(const long *a)
{
	struct mk_timespec ts;

	if (!clock_valid(a[0]))
		return -KF_EINVAL;
	now((int)a[0], &ts);
	return kf_os_copy_to_user((uintptr_t)a[1], &ts, sizeof(ts)) ?
	       -KF_EFAULT : 0;
}

long mk_sys_gettimeofday(const long *a)
{
	struct mk_timespec ts;
	int64_t tv[2];

	now(CLOCK_REALTIME, &ts);
	tv[0] = ts.sec;
	tv[1] = ts.nsec / 1000;
	if (a[0] && kf_os_copy_to_user((uintptr_t)a[0], tv, sizeof(tv)))
		return -KF_EFAULT;
	return 0;
}

static long get_timespec(uintptr_t u, struct mk_timespec *ts)
{
	if (kf_os_copy_from_user(ts, u, sizeof(*ts)))
		return -KF_EFAULT;
	if (ts->sec < 0 || ts->nsec < 0 || ts->nsec >= NSEC_PER_SEC)
		return -KF_EINVAL;
	return 0;
}

/*
 * sleep_until - nap until tick @deadline.  A signal ends it early with
 * -ERESTARTNOHAND (EINTR when a handler runs; else the call restarts),
 * after storing the time left at @urem (if any).
 */
static long sleep_until(uint64_t deadline, uintptr_t urem)
{
	for (;;) {
		unsigned long flags = kf_arch_irq_save();

		if (mk_ticks >= deadline) {
			kf_arch_irq_restore(flags);
			return 0;
		}
		if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE)) {
			uint64_t left = deadline - mk_ticks;
			struct mk_timespec rem = {
				(int64_t)(left / MK_HZ),
				(int64_t)(left % MK_HZ) * NSEC_PER_TICK,
			};

			kf_arch_irq_restore(flags);
			if (urem && kf_os_copy_to_user(urem, &rem, sizeof(rem)))
				return -KF_EFAULT;
			return -MK_ERESTARTNOHAND;
		}
		mk_sleep(NULL, KF_WAIT_INTERRUPTIBLE, deadline);
		kf_arch_irq_restore(flags);
	}
}

long mk_sys_nanosleep(const long *a)
{
	struct mk_timespec ts;
	long r = get_timespec((uintptr_t)a[0], &ts);

	if (r)
		return r;
	return sleep_until(mk_timeout_ticks(ts.sec, ts.nsec), (uintptr_t)a[1]);
}

/* clock_nanosleep(clock, flags, req, rem) */
long mk_sys_clock_nanosleep(const long *a)
{
	struct mk_timespec ts, cur;
	long r;

	if (!clock_valid(a[0]) || a[0] == 3 /* THREAD_CPUTIME */)
		return -KF_EINVAL;
	r = get_timespec((uintptr_t)a[2], &ts);
	if (r)
		return r;
	if (a[1] & TIMER_ABSTIME) {
		now((int)a[0], &cur);
		ts.sec -= cur.sec;
		ts.nsec -= cur.nsec;
		if (ts.nsec < 0) {
			ts.nsec += NSEC_PER_SEC;
			ts.sec--;
		}
		if (ts.sec < 0)
			return 0;
		return sleep_until(mk_timeout_ticks(ts.sec, ts.nsec), 0);
	}
	return sleep_until(mk_timeout_ticks(ts.sec, ts.nsec), (uintptr_t)a[3]);
}
