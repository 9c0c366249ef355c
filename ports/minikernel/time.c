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
 * The interval timers (setitimer, getitimer, alarm) are the process's
 * (struct mk_proc), driven by the tick: see their section below.
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

static void real_tick(uint64_t now);
static void cpu_tick(bool from_user);

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
	real_tick(last_tick_ns);
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
	/* getrusage's context switches: it slept, or was preempted */
	if (prev->state == MK_THREAD_SLEEPING)
		prev->nvcsw++;
	else if (prev->state == MK_THREAD_RUNNABLE)
		prev->nivcsw++;
}

void mk_cputime_tick(bool from_user)
{
	struct mk_thread *t = mk_current();

	if (from_user)
		t->user_ticks++;
	else
		t->sys_ticks++;
	cpu_tick(from_user);
}

/* The running thread @t stops for good: its figures are final (the
 * core reads them once more when it reaps the task).  Interrupts off. */
void mk_cputime_exit(struct mk_thread *t)
{
	uint64_t now = board_clock_ns();

	t->cpu_ns += now - t->on_cpu_since;
	t->on_cpu_since = now;
}

void mk_thread_cputime(const struct mk_thread *t, struct kf_cputime *out)
{
	unsigned long flags = kf_arch_irq_save();

	out->runtime = thread_cpu_ns(t, board_clock_ns());
	out->utime = t->user_ticks * TICK_NSEC;
	out->stime = t->sys_ticks * TICK_NSEC;
	out->nvcsw = t->nvcsw;
	out->nivcsw = t->nivcsw;
	kf_arch_irq_restore(flags);
}

/* cpu_read - @which of thread @t, or of its task @task's whole process:
 * what kfork's core sums over the group, dead threads included (a zombie
 * process's too: its thread has let go of the task). */
static uint64_t cpu_read(const struct mk_thread *t, struct kf_task *task,
			 bool process, int which)
{
	struct kf_cputime ct;

	if (process)
		kf_task_group_cputime(task, &ct);
	else
		mk_thread_cputime(t, &ct);
	switch (which) {
	case CPUCLOCK_VIRT:
		return ct.utime;
	case CPUCLOCK_PROF:
		return ct.utime + ct.stime;
	default:
		return ct.runtime;
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
		*ns = cpu_read(t, ref ? ref : mk_current_task(), !c->thread,
			       c->which);
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

/* ---- Interval timers: setitimer, getitimer, alarm ------------------------------- */

/*
 * A process's three timers live in its mk_proc (so threads share them,
 * fork starts without any and execve keeps them).  ITIMER_REAL's value
 * is a deadline on the monotonic clock, kept in [0, INT64_MAX] ns as
 * Linux's ktime is (so a huge value reads back as Linux's does); the
 * tick sends SIGALRM at the first tick past it, to the process.  As on
 * Linux, a periodic ITIMER_REAL then stays stopped until the SIGALRM is
 * dequeued (mk_itimer_alarm_taken), and re-arms from there: while the
 * signal waits, blocked, getitimer reads a value of 0.  ITIMER_VIRTUAL
 * and ITIMER_PROF count the process's CPU time in ticks, as Linux's
 * tick-based accounting samples it: every tick takes a tick off the
 * PROF timer of the process it interrupted, and off VIRTUAL when it
 * interrupted user mode.  A new CPU timer value gets one tick more, as
 * Linux's does (it cannot fire before a whole tick has been used).
 */
#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2
#define KTIME_MAX	((uint64_t)INT64_MAX)
#define SIGVTALRM	26
#define SIGPROF		27
#define SI_KERNEL	0x80

/* Linux's struct __kernel_old_itimerval on a 64-bit arch. */
struct mk_itimerval {
	int64_t interval_sec, interval_usec;
	int64_t value_sec, value_usec;
};

/* Processes whose ITIMER_REAL is armed (mk_proc.itimer_node). */
static struct mk_list real_timers = MK_LIST_INIT(real_timers);

/* itimer_signal - @sig from the kernel to process @p (a live thread of
 * it names it).  Interrupts off. */
static void itimer_signal(struct mk_proc *p, int sig)
{
	struct mk_siginfo info = { .code = SI_KERNEL };
	struct mk_list *pos;

	for (pos = p->threads.next; pos != &p->threads; pos = pos->next) {
		struct mk_thread *t = mk_container_of(pos, struct mk_thread,
						      proc_node);

		if (t->task) {
			mk_send_signal(t->task, sig, &info, true);
			return;
		}
	}
}

/* real_stop - take @p's ITIMER_REAL off the tick's list.  Interrupts off. */
static void real_stop(struct mk_proc *p)
{
	if (p->itimer_armed) {
		mk_list_del(&p->itimer_node);
		p->itimer_armed = false;
	}
}

/* real_start - arm @p's ITIMER_REAL for monotonic time @deadline.
 * Interrupts off. */
static void real_start(struct mk_proc *p, uint64_t deadline)
{
	p->itimer[ITIMER_REAL].value = deadline;
	if (!p->itimer_armed) {
		mk_list_add_tail(&p->itimer_node, &real_timers);
		p->itimer_armed = true;
	}
}

/* real_tick - the tick at @now: every ITIMER_REAL that is due fires once
 * and stops (a process that has ended takes nothing). */
static void real_tick(uint64_t now)
{
	struct mk_list *pos = real_timers.next, *next;

	for (; pos != &real_timers; pos = next) {
		struct mk_proc *p = mk_container_of(pos, struct mk_proc,
						    itimer_node);

		next = pos->next;
		if (p->live && p->itimer[ITIMER_REAL].value > now)
			continue;
		real_stop(p);
		if (p->live)
			itimer_signal(p, KF_SIGALRM);
	}
}

/*
 * mk_itimer_alarm_taken - a SIGALRM of @p's was dequeued: a periodic
 * ITIMER_REAL that fired starts again, its next expiry the first of its
 * period's steps from the last one that is still ahead.
 */
void mk_itimer_alarm_taken(struct mk_proc *p)
{
	unsigned long flags = kf_arch_irq_save();
	struct mk_itimer *it = &p->itimer[ITIMER_REAL];
	uint64_t now = board_clock_ns(), next;

	if (!p->itimer_armed && it->interval && it->value) {
		next = it->value;
		if (next <= now)
			next += ((now - next) / it->interval + 1) * it->interval;
		real_start(p, next < KTIME_MAX ? next : KTIME_MAX);
	}
	kf_arch_irq_restore(flags);
}

/* mk_itimer_proc_free - @p goes away: its timer leaves the tick's list. */
void mk_itimer_proc_free(struct mk_proc *p)
{
	unsigned long flags = kf_arch_irq_save();

	real_stop(p);
	kf_arch_irq_restore(flags);
}

/* cpu_tick - a tick of CPU time for the running process's PROF timer,
 * and its VIRTUAL one when it was in user mode (@from_user). */
static void cpu_tick(bool from_user)
{
	struct mk_thread *t = mk_current();
	struct mk_proc *p = t->proc;
	int which;

	if (!t->task || !p || !p->live)
		return;
	for (which = ITIMER_VIRTUAL; which <= ITIMER_PROF; which++) {
		struct mk_itimer *it = &p->itimer[which];

		if (!it->value || (which == ITIMER_VIRTUAL && !from_user))
			continue;
		if (it->value > TICK_NSEC) {
			it->value -= TICK_NSEC;
			continue;
		}
		/* Linux's expiry += interval: what the tick overshot counts */
		it->value = it->interval ?
			    (it->interval > TICK_NSEC - it->value ?
			     it->interval - (TICK_NSEC - it->value) : 1) : 0;
		itimer_signal(p, which == ITIMER_PROF ? SIGPROF : SIGVTALRM);
	}
}

/* tv_to_ns - a timeval's sec and usec as ns (valid), at most KTIME_MAX. */
static uint64_t tv_to_ns(int64_t sec, int64_t usec)
{
	if ((uint64_t)sec >= KTIME_MAX / NSEC_PER_SEC)
		return KTIME_MAX;
	return (uint64_t)sec * NSEC_PER_SEC + (uint64_t)usec * 1000;
}

/* itimer_read - @p's timer @which as a value left and an interval, in
 * ns.  Interrupts off. */
static void itimer_read(struct mk_proc *p, int which, uint64_t *value,
			uint64_t *interval)
{
	struct mk_itimer *it = &p->itimer[which];
	uint64_t now;

	*interval = it->interval;
	*value = 0;
	if (which != ITIMER_REAL) {
		*value = it->value;
	} else if (p->itimer_armed) {
		/* due but not yet fired: Linux's 1 us */
		now = board_clock_ns();
		*value = it->value > now ? it->value - now : 1000;
	}
}

/* itimer_write - @p's timer @which set to @value and @interval (ns).
 * Interrupts off. */
static void itimer_write(struct mk_proc *p, int which, uint64_t value,
			 uint64_t interval)
{
	struct mk_itimer *it = &p->itimer[which];
	uint64_t now;

	if (which != ITIMER_REAL) {
		it->value = value ? (value < KTIME_MAX - TICK_NSEC ?
				     value + TICK_NSEC : KTIME_MAX) : 0;
		it->interval = interval;
		return;
	}
	real_stop(p);
	/* a disarmed real timer keeps no interval (Linux reads back 0) */
	it->interval = value ? interval : 0;
	it->value = 0;
	if (value) {
		now = board_clock_ns();
		real_start(p, value < KTIME_MAX - now ? now + value : KTIME_MAX);
	}
}

static void put_itimerval(struct mk_itimerval *v, uint64_t value,
			  uint64_t interval)
{
	v->value_sec = (int64_t)(value / NSEC_PER_SEC);
	v->value_usec = (int64_t)(value % NSEC_PER_SEC / 1000);
	v->interval_sec = (int64_t)(interval / NSEC_PER_SEC);
	v->interval_usec = (int64_t)(interval % NSEC_PER_SEC / 1000);
}

static bool tv_valid(int64_t sec, int64_t usec)
{
	return sec >= 0 && usec >= 0 && usec < 1000000;
}

/* getitimer(which, curr): which before the copy (EINVAL, then EFAULT). */
long mk_sys_getitimer(const long *a)
{
	struct mk_proc *p = mk_current()->proc;
	struct mk_itimerval v;
	uint64_t value, interval;
	unsigned long flags;

	if (a[0] < ITIMER_REAL || a[0] > ITIMER_PROF)
		return -KF_EINVAL;
	flags = kf_arch_irq_save();
	itimer_read(p, (int)a[0], &value, &interval);
	kf_arch_irq_restore(flags);
	put_itimerval(&v, value, interval);
	return kf_os_copy_to_user((uintptr_t)a[1], &v, sizeof(v)) ?
	       -KF_EFAULT : 0;
}

/* do_setitimer - the old timer into @old (if any), then the new one. */
static long do_setitimer(int which, uint64_t value, uint64_t interval,
			 struct mk_itimerval *old)
{
	struct mk_proc *p = mk_current()->proc;
	uint64_t ov, oi;
	unsigned long flags;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -KF_EINVAL;
	flags = kf_arch_irq_save();
	itimer_read(p, which, &ov, &oi);
	itimer_write(p, which, value, interval);
	kf_arch_irq_restore(flags);
	if (old)
		put_itimerval(old, ov, oi);
	return 0;
}

/*
 * setitimer(which, new, old) in Linux's order: @new is read first
 * (EFAULT), then checked (EINVAL), then @which (EINVAL); the timer is set
 * before @old is written, so a bad @old gives EFAULT with the new timer
 * running.  A NULL @new disarms, as Linux still allows.
 */
long mk_sys_setitimer(const long *a)
{
	struct mk_itimerval nv = { 0, 0, 0, 0 }, ov;
	long r;

	if (a[1] && kf_os_copy_from_user(&nv, (uintptr_t)a[1], sizeof(nv)))
		return -KF_EFAULT;
	if (!tv_valid(nv.value_sec, nv.value_usec) ||
	    !tv_valid(nv.interval_sec, nv.interval_usec))
		return -KF_EINVAL;
	r = do_setitimer((int)a[0], tv_to_ns(nv.value_sec, nv.value_usec),
			 tv_to_ns(nv.interval_sec, nv.interval_usec),
			 a[2] ? &ov : NULL);
	if (r || !a[2])
		return r;
	return kf_os_copy_to_user((uintptr_t)a[2], &ov, sizeof(ov)) ?
	       -KF_EFAULT : 0;
}

/*
 * alarm(seconds) (x86_64's own call): ITIMER_REAL for that many seconds
 * (an unsigned int: no clamp on a 64-bit kernel), without an interval.
 * Returns what was left, rounded to the nearest second (.5 up), and never
 * 0 while a timer was armed.
 */
long mk_sys_alarm(const long *a)
{
	struct mk_itimerval old;
	long left;

	do_setitimer(ITIMER_REAL, (uint64_t)(unsigned)a[0] * NSEC_PER_SEC, 0,
		     &old);
	left = (long)old.value_sec;
	if ((!left && old.value_usec) || old.value_usec >= 500000)
		left++;
	return left;
}
