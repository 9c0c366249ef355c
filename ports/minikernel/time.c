// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/time.c - clocks, CPU time and sleeping.
 *
 * Every clock reads the board's nanosecond counter (board_clock_ns):
 * MONOTONIC, MONOTONIC_RAW and BOOTTIME are it (no suspend, no frequency
 * correction), REALTIME and TAI add a fixed date (no RTC is read and
 * clock_settime does not exist).  The COARSE clocks give the time of the
 * last timer tick, as Linux's do.  The CPU-time clocks count the
 * nanoseconds a thread was on the CPU, summed at each context switch
 * (mk_cputime_switch); a process's include its dead threads.  Linux's
 * dynamic CPU clocks (negative ids naming a pid or a thread) work too:
 * their SCHED kind is that exact time, their PROF (user + system) and
 * VIRT (user) kinds are sampled by the tick, as Linux's tick-based
 * accounting does: reading the clock at every kernel entry and exit made
 * a null syscall about a sixth longer (371 against 320 instructions,
 * counted with QEMU's -icount).  The ALARM clocks answer as on a Linux
 * without an RTC device.
 *
 * Sleeps have nanosecond deadlines on the monotonic clock.  The periodic
 * tick wakes a sleeper at the first tick past its deadline, so a sleep is
 * never shorter than asked and at most a tick longer.
 */
#include <kf/kf.h>
#include <kf/hal/irq.h>
#include <mk/board.h>
#include <mk/proc.h>

#define NSEC_PER_SEC	1000000000ll
#define TICK_NSEC	(NSEC_PER_SEC / MK_HZ)
#define REALTIME_EPOCH	1767225600ll	/* 2026-01-01 00:00:00 UTC */
#define TIMER_ABSTIME	1

/* Linux's clock ids (include/uapi/linux/time.h). */
#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_REALTIME_ALARM		8
#define CLOCK_BOOTTIME_ALARM		9
#define CLOCK_TAI			11
#define MAX_CLOCKS			16

/* A negative id is a CPU clock: ~pid << 3 | thread << 2 | which (Linux's
 * CPUCLOCK_*), or a clock fd when the low three bits are 3. */
#define CPUCLOCK_PROF		0	/* user + system */
#define CPUCLOCK_VIRT		1	/* user */
#define CPUCLOCK_SCHED		2	/* on the CPU, ns */
#define CPUCLOCK_MAX		3
#define CPUCLOCK_PERTHREAD	4
#define CLOCKFD			3
#define CLOCKFD_MASK		7

struct mk_timespec {
	int64_t sec, nsec;
};

/* What a clock id names (Linux's k_clock, one per kind). */
enum clk_kind {
	CLK_REAL,		/* REALTIME, TAI */
	CLK_MONO,		/* MONOTONIC, BOOTTIME */
	CLK_RAW,		/* MONOTONIC_RAW: no nanosleep */
	CLK_REAL_COARSE,
	CLK_MONO_COARSE,
	CLK_CPU,		/* PROCESS/THREAD_CPUTIME_ID and the dynamic ones */
	CLK_ALARM,		/* no RTC device: EINVAL, nanosleep EOPNOTSUPP */
	CLK_FD,			/* a posix clock fd: none exists */
};

struct clk {
	enum clk_kind kind;
	int which;		/* CLK_CPU: CPUCLOCK_* */
	bool thread;		/* CLK_CPU: a thread's clock, else a process's */
	int pid;		/* CLK_CPU: 0 = the caller */
};

/* Time of the last tick (mk_timer_tick), for the COARSE clocks. */
static volatile uint64_t last_tick_ns;

/* ---- Deadlines ---------------------------------------------------------------- */

uint64_t mk_deadline_ns(int64_t sec, int64_t nsec)
{
	uint64_t now = board_clock_ns(), max = ~0ull - now;

	if ((uint64_t)sec >= max / NSEC_PER_SEC)
		return ~0ull;	/* beyond any uptime: never */
	return now + (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
}

bool mk_deadline_passed(uint64_t deadline)
{
	return deadline && board_clock_ns() >= deadline;
}

void mk_time_tick(void)
{
	last_tick_ns = board_clock_ns();
}

/* ---- CPU time --------------------------------------------------------------------- */

/* The running thread's time so far: what was summed plus its current
 * stretch on the CPU. */
static uint64_t thread_cpu_ns(const struct mk_thread *t, uint64_t now)
{
	return t->cpu_ns + (t == mk_current() ? now - t->on_cpu_since : 0);
}

void mk_cputime_switch(struct mk_thread *prev, struct mk_thread *next)
{
	uint64_t now = board_clock_ns();

	prev->cpu_ns += now - prev->on_cpu_since;
	next->on_cpu_since = now;
}

void mk_cputime_tick(bool from_user)
{
	struct mk_thread *t = mk_current();

	if (from_user)
		t->user_ticks++;
	else
		t->sys_ticks++;
}

/* The running thread @t leaves @p for good: its time stays with @p.
 * Interrupts off. */
void mk_cputime_exit(struct mk_thread *t, struct mk_proc *p)
{
	uint64_t now = board_clock_ns();

	t->cpu_ns += now - t->on_cpu_since;
	t->on_cpu_since = now;
	p->dead_cpu_ns += t->cpu_ns;
	p->dead_user_ticks += t->user_ticks;
	p->dead_sys_ticks += t->sys_ticks;
}

/* cpu_read - @which of thread @t (or of its whole process). */
static uint64_t cpu_read(const struct mk_thread *t, bool process, int which)
{
	uint64_t now = board_clock_ns(), cpu, user, sys;
	unsigned long flags = kf_arch_irq_save();
	struct mk_list *pos;

	if (!process || !t->proc) {
		cpu = thread_cpu_ns(t, now);
		user = t->user_ticks;
		sys = t->sys_ticks;
	} else {
		cpu = t->proc->dead_cpu_ns;
		user = t->proc->dead_user_ticks;
		sys = t->proc->dead_sys_ticks;
		for (pos = t->proc->threads.next; pos != &t->proc->threads;
		     pos = pos->next) {
			const struct mk_thread *o =
				mk_container_of(pos, struct mk_thread, proc_node);

			cpu += thread_cpu_ns(o, now);
			user += o->user_ticks;
			sys += o->sys_ticks;
		}
	}
	kf_arch_irq_restore(flags);
	switch (which) {
	case CPUCLOCK_VIRT:
		return user * TICK_NSEC;
	case CPUCLOCK_PROF:
		return (user + sys) * TICK_NSEC;
	default:
		return cpu;
	}
}

/*
 * cpu_target - the thread whose clock (or whose process's) @c names, as
 * Linux's pid_for_clock finds it: a thread clock only of the caller's own
 * group, a process clock only by a group leader's pid, or (for gettime
 * alone) by the caller's own tid.  NULL: EINVAL.  *@ref is the task
 * reference to drop (kf_task_put) when not NULL.
 */
static struct mk_thread *cpu_target(const struct clk *c, bool gettime,
				    struct kf_task **ref)
{
	struct mk_thread *self = mk_current(), *t;

	*ref = NULL;
	if (c->pid == 0 || (gettime && !c->thread && c->pid == kf_gettid()))
		return self;
	*ref = kf_task_find(c->pid);
	t = mk_task_thread(*ref);
	if (!t || !t->proc)
		return NULL;
	if (c->thread)
		return t->proc == self->proc ? t : NULL;
	return kf_task_vtgid(*ref) == c->pid ? t : NULL;
}

/* cpu_clock_ns - the value of CPU clock @c (gettime: the caller's own tid
 * names its process too). */
static long cpu_clock_ns(const struct clk *c, bool gettime, uint64_t *ns)
{
	struct kf_task *ref;
	struct mk_thread *t = cpu_target(c, gettime, &ref);

	if (t)
		*ns = cpu_read(t, !c->thread, c->which);
	if (ref)
		kf_task_put(ref);
	return t ? 0 : -KF_EINVAL;
}

/* ---- Clock ids ------------------------------------------------------------------ */

/* clock_decode - Linux's clockid_to_kclock: -EINVAL when nothing is named. */
static long clock_decode(long id, struct clk *c)
{
	memset(c, 0, sizeof(*c));
	id = (int)id;		/* clockid_t is an int: the upper half is ignored */
	if (id < 0) {
		if ((id & CLOCKFD_MASK) == CLOCKFD) {
			c->kind = CLK_FD;
			return 0;
		}
		c->kind = CLK_CPU;
		c->which = (int)(id & 3);
		c->thread = (id & CPUCLOCK_PERTHREAD) != 0;
		c->pid = (int)~(id >> 3);
		return 0;
	}
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
		c->kind = CLK_REAL;
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		c->kind = CLK_MONO;
		return 0;
	case CLOCK_MONOTONIC_RAW:
		c->kind = CLK_RAW;
		return 0;
	case CLOCK_REALTIME_COARSE:
		c->kind = CLK_REAL_COARSE;
		return 0;
	case CLOCK_MONOTONIC_COARSE:
		c->kind = CLK_MONO_COARSE;
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		c->kind = CLK_CPU;
		c->which = CPUCLOCK_SCHED;
		c->thread = id == CLOCK_THREAD_CPUTIME_ID;
		return 0;
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		c->kind = CLK_ALARM;
		return 0;
	default:		/* 10 (SGI_CYCLE, gone), 12.. */
		return -KF_EINVAL;
	}
}

/* clock_now - @c's time in ns (CPU clocks: which may fail). */
static long clock_now(const struct clk *c, uint64_t *ns)
{
	switch (c->kind) {
	case CLK_REAL:
		*ns = board_clock_ns() + REALTIME_EPOCH * NSEC_PER_SEC;
		return 0;
	case CLK_MONO:
	case CLK_RAW:
		*ns = board_clock_ns();
		return 0;
	case CLK_REAL_COARSE:
		*ns = last_tick_ns + REALTIME_EPOCH * NSEC_PER_SEC;
		return 0;
	case CLK_MONO_COARSE:
		*ns = last_tick_ns;
		return 0;
	case CLK_CPU:
		if (c->which >= CPUCLOCK_MAX)
			return -KF_EINVAL;
		return cpu_clock_ns(c, true, ns);
	default:
		return -KF_EINVAL;
	}
}

/* clock_res - Linux's clock_getres: 1 ns for the high-resolution clocks
 * and the scheduler's CPU clocks, a tick for COARSE and the tick-sampled
 * CPU clocks (PROF, VIRT). */
static long clock_res(const struct clk *c, uint64_t *ns)
{
	struct kf_task *ref;
	struct mk_thread *t;

	switch (c->kind) {
	case CLK_REAL:
	case CLK_MONO:
	case CLK_RAW:
		*ns = 1;
		return 0;
	case CLK_REAL_COARSE:
	case CLK_MONO_COARSE:
		*ns = TICK_NSEC;
		return 0;
	case CLK_CPU:
		if (c->which >= CPUCLOCK_MAX)
			return -KF_EINVAL;
		t = cpu_target(c, false, &ref);
		if (ref)
			kf_task_put(ref);
		if (!t)
			return -KF_EINVAL;
		*ns = c->which == CPUCLOCK_SCHED ? 1 : TICK_NSEC;
		return 0;
	default:
		return -KF_EINVAL;
	}
}

static struct mk_timespec ns_to_ts(uint64_t ns)
{
	struct mk_timespec ts = {
		(int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC)
	};

	return ts;
}

static long put_timespec(uintptr_t u, uint64_t ns)
{
	struct mk_timespec ts = ns_to_ts(ns);

	return kf_os_copy_to_user(u, &ts, sizeof(ts)) ? -KF_EFAULT : 0;
}

/* clock_gettime(id, tp): EINVAL before EFAULT, as Linux. */
long mk_sys_clock_gettime(const long *a)
{
	struct clk c;
	uint64_t ns;
	long r = clock_decode(a[0], &c);

	if (!r)
		r = clock_now(&c, &ns);
	return r ? r : put_timespec((uintptr_t)a[1], ns);
}

/* clock_getres(id, res): res may be NULL. */
long mk_sys_clock_getres(const long *a)
{
	struct clk c;
	uint64_t ns;
	long r = clock_decode(a[0], &c);

	if (!r)
		r = clock_res(&c, &ns);
	if (r || !a[1])
		return r;
	return put_timespec((uintptr_t)a[1], ns);
}

/* gettimeofday(tv, tz): tz is Linux's sys_tz, all zero here. */
long mk_sys_gettimeofday(const long *a)
{
	struct mk_timespec ts = ns_to_ts(board_clock_ns() +
					 REALTIME_EPOCH * NSEC_PER_SEC);
	int64_t tv[2] = { ts.sec, ts.nsec / 1000 };
	int32_t tz[2] = { 0, 0 };

	if (a[0] && kf_os_copy_to_user((uintptr_t)a[0], tv, sizeof(tv)))
		return -KF_EFAULT;
	if (a[1] && kf_os_copy_to_user((uintptr_t)a[1], tz, sizeof(tz)))
		return -KF_EFAULT;
	return 0;
}

/* ---- Sleeping -------------------------------------------------------------------- */

/* get_timespec - Linux's get_timespec64 then timespec64_valid: EFAULT,
 * then EINVAL for a negative second or a nanosecond outside [0, 1e9). */
static long get_timespec(uintptr_t u, struct mk_timespec *ts)
{
	if (kf_os_copy_from_user(ts, u, sizeof(*ts)))
		return -KF_EFAULT;
	if (ts->sec < 0 || (uint64_t)ts->nsec >= NSEC_PER_SEC)
		return -KF_EINVAL;
	return 0;
}

static uint64_t ts_to_ns(const struct mk_timespec *ts)
{
	if ((uint64_t)ts->sec >= ~0ull / NSEC_PER_SEC - 1)
		return ~0ull;
	return (uint64_t)ts->sec * NSEC_PER_SEC + (uint64_t)ts->nsec;
}

/*
 * interrupted - a signal ended a sleep @left ns short of its @end: the
 * time left goes to @urem (if any).  An absolute sleep (@relative false)
 * restarts as it was, or gives EINTR (-ERESTARTNOHAND).  A relative one
 * gives -ERESTART_RESTARTBLOCK: EINTR if a handler runs, else the call
 * restarts and resumes() towards the same @end, as Linux's restart block
 * does -- a sleep that was stopped meanwhile does not start over.
 */
static long interrupted(uint64_t end, uint64_t left, uintptr_t urem,
			bool relative)
{
	if (urem && put_timespec(urem, left))
		return -KF_EFAULT;
	if (!relative)
		return -MK_ERESTARTNOHAND;
	mk_current()->sleep_end = end;
	return -MK_ERESTART_RESTARTBLOCK;
}

/* resumes - the end of a relative sleep: @end, or when the call is the
 * restart of one a signal interrupted, the end it had then. */
static uint64_t resumes(uint64_t end)
{
	struct mk_thread *t = mk_current();

	if (!t->resume_sleep)
		return end;
	t->resume_sleep = false;
	return t->sleep_end;
}

/* sleep_mono - nap until monotonic time @deadline (@relative: asked for
 * as a duration). */
static long sleep_mono(uint64_t deadline, uintptr_t urem, bool relative)
{
	for (;;) {
		unsigned long flags = kf_arch_irq_save();
		uint64_t now = board_clock_ns();

		if (now >= deadline) {
			kf_arch_irq_restore(flags);
			return 0;
		}
		if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE)) {
			kf_arch_irq_restore(flags);
			return interrupted(deadline, deadline - now, urem, relative);
		}
		mk_sleep(NULL, KF_WAIT_INTERRUPTIBLE, deadline);
		kf_arch_irq_restore(flags);
	}
}

/*
 * sleep_cpu - nap until CPU clock @c reaches @deadline.  CPU time has no
 * timer of its own: the clock is looked at on every tick.  A target that
 * goes away ends the sleep (Linux's too: its timer is then deleted).
 */
static long sleep_cpu(const struct clk *c, uint64_t deadline, uintptr_t urem,
		      bool relative)
{
	uint64_t ns;

	for (;;) {
		unsigned long flags;

		if (cpu_clock_ns(c, false, &ns) || ns >= deadline)
			return 0;
		flags = kf_arch_irq_save();
		if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE)) {
			kf_arch_irq_restore(flags);
			return interrupted(deadline, deadline - ns, urem, relative);
		}
		mk_sleep(NULL, KF_WAIT_INTERRUPTIBLE, board_clock_ns() + 1);
		kf_arch_irq_restore(flags);
	}
}

/* nsleep - the sleep of clock @c (validated) for @ts, as @flags say. */
static long nsleep(const struct clk *c, long flags,
		   const struct mk_timespec *ts, uintptr_t urem)
{
	uint64_t req = ts_to_ns(ts), now;
	long r;

	if (flags & TIMER_ABSTIME)
		urem = 0;
	if (c->kind == CLK_CPU) {
		/* a thread cannot wait for its own CPU time to grow */
		if (c->thread && (c->pid == 0 || c->pid == kf_gettid()))
			return -KF_EINVAL;
		r = cpu_clock_ns(c, false, &now);
		if (r)
			return r;
		if (!(flags & TIMER_ABSTIME))
			req = resumes(req > ~0ull - now ? ~0ull : now + req);
		return sleep_cpu(c, req, urem, !(flags & TIMER_ABSTIME));
	}
	if (flags & TIMER_ABSTIME) {
		/* REALTIME is the monotonic clock plus a fixed offset */
		if (c->kind == CLK_REAL)
			req = req > REALTIME_EPOCH * NSEC_PER_SEC ?
			      req - REALTIME_EPOCH * NSEC_PER_SEC : 0;
		return sleep_mono(req ? req : 1, 0, false);
	}
	return sleep_mono(resumes(mk_deadline_ns(ts->sec, ts->nsec)), urem, true);
}

long mk_sys_nanosleep(const long *a)
{
	struct mk_timespec ts;
	long r = get_timespec((uintptr_t)a[0], &ts);

	if (r)
		return r;
	return sleep_mono(resumes(mk_deadline_ns(ts.sec, ts.nsec)),
			  (uintptr_t)a[1], true);
}

/*
 * clock_nanosleep(clock, flags, req, rem) in Linux's order: an unknown
 * clock EINVAL; a clock that cannot sleep EOPNOTSUPP (THREAD_CPUTIME,
 * MONOTONIC_RAW, the COARSE ones, a clock fd); then the request (EFAULT,
 * EINVAL); then what the clock's own sleep checks.  Flags other than
 * TIMER_ABSTIME are ignored.
 */
long mk_sys_clock_nanosleep(const long *a)
{
	struct mk_timespec ts;
	struct clk c;
	long r = clock_decode(a[0], &c);

	if (r)
		return r;
	if (c.kind == CLK_RAW || c.kind == CLK_REAL_COARSE ||
	    c.kind == CLK_MONO_COARSE || c.kind == CLK_FD ||
	    (c.kind == CLK_CPU && a[0] == CLOCK_THREAD_CPUTIME_ID))
		return -KF_EOPNOTSUPP;
	r = get_timespec((uintptr_t)a[2], &ts);
	if (r)
		return r;
	if (c.kind == CLK_ALARM)
		return -KF_EOPNOTSUPP;
	if (c.kind == CLK_CPU && c.which >= CPUCLOCK_MAX)
		return -KF_EINVAL;
	return nsleep(&c, a[1], &ts, (uintptr_t)a[3]);
}
