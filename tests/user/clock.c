/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/clock.c - clocks and sleeps: the monotonic clocks never go
 * back and have nanosecond resolution (not tick steps); clock_getres
 * gives Linux's answers; the CPU-time clocks advance with work and not
 * with sleep, a process's keeping its dead threads' time and a child's
 * starting afresh; sleeps last at least what was asked; the errnos and
 * their order.  Raw syscalls where the C library would hide the kernel's
 * answer.  Each busy loop is bounded (about 30 ms of CPU, 2 s of time).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

#define NS 1000000000ll
#define MS 1000000ll
#define BAD ((void *)8)			/* never mapped */
#define BURN_NS (30 * MS)		/* CPU time a busy loop spends */
#define BURN_LIMIT_NS (2 * NS)		/* ... within this much real time */

/* Linux's dynamic CPU clock ids: ~pid << 3 | thread << 2 | which. */
#define CPUCLOCK(pid, thread, which) \
	((clockid_t)(((unsigned)~(pid) << 3) | ((thread) ? 4 : 0) | (which)))
#define CPUCLOCK_PROF 0
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_SCHED 2

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * NS + ts->tv_nsec;
}

static int64_t now(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		return -1;
	return ts_ns(&ts);
}

/* raw_res - clock_getres straight from the kernel: ns, or -errno. */
static long raw_res(clockid_t c)
{
	struct timespec ts;

	if (syscall(SYS_clock_getres, c, &ts))
		return -errno;
	return (long)ts_ns(&ts);
}

static volatile unsigned long burn_sink;

/* burn - spin until @c advanced @ns; false when the time limit hit first. */
static int burn(clockid_t c, int64_t ns)
{
	int64_t c0 = now(c), w0 = now(CLOCK_MONOTONIC);

	while (now(c) - c0 < ns) {
		int i;

		for (i = 0; i < 1000; i++)
			burn_sink += (unsigned long)i;
		if (now(CLOCK_MONOTONIC) - w0 > BURN_LIMIT_NS)
			return 0;
	}
	return 1;
}

/* ---- Resolution and monotonicity ------------------------------------------------ */

static void test_monotonic(void)
{
	static const clockid_t mono[] = { CLOCK_MONOTONIC, CLOCK_BOOTTIME,
					  CLOCK_MONOTONIC_RAW,
					  CLOCK_MONOTONIC_COARSE };
	static const char *names[] = { "monotonic", "boottime", "raw", "coarse" };
	char id[80];
	unsigned i;
	int n;

	/* the COARSE clock is the time of the last tick: wait for one */
	for (n = 0; n < 1000 && now(CLOCK_MONOTONIC_COARSE) == 0; n++)
		nanosleep(&(struct timespec){ 0, MS }, NULL);
	for (i = 0; i < 4; i++) {
		int64_t prev = now(mono[i]), t;
		int back = 0;

		for (n = 0; n < 5000; n++) {
			t = now(mono[i]);
			back |= t < prev;
			prev = t;
		}
		snprintf(id, sizeof(id), "user.clock.%s_never_back", names[i]);
		utap_ok(!back && prev > 0, id);
	}
}

/* Close reads differ by far less than a tick, and the values are not
 * whole milliseconds (the finest Linux tick): a counter, not the tick. */
static void test_resolution(void)
{
	int64_t t[200], min_step = NS;
	int n, off_tick = 0;

	for (n = 0; n < 200; n++)
		t[n] = now(CLOCK_MONOTONIC);
	for (n = 1; n < 200; n++)
		if (t[n] > t[n - 1] && t[n] - t[n - 1] < min_step)
			min_step = t[n] - t[n - 1];
	for (n = 0; n < 200; n++)
		off_tick += t[n] % MS != 0;
	utap_ok(min_step < 100000, "user.clock.close_reads_differ_by_less_than_100us");
	if (min_step >= 100000)
		printf("# smallest step %lld ns\n", (long long)min_step);
	utap_ok(off_tick >= 180, "user.clock.values_not_tick_multiples");
	if (off_tick < 180)
		printf("# %d of 200 values off a millisecond\n", off_tick);
}

/*
 * The CPU's own counter is readable from user space, as on Linux (x86_64:
 * rdtsc with CR4.TSD clear; aarch64: CNTVCT_EL0 with CNTKCTL_EL1.EL0VCTEN;
 * riscv64: the time CSR with scounteren.TM),
 * and moves on; aarch64's runs at CNTFRQ_EL0, the rate the monotonic
 * clock is made from.
 */
#if defined(__x86_64__)
static uint64_t counter(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}
#elif defined(__aarch64__)
static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}
#elif defined(__riscv) && __riscv_xlen == 64
static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("rdtime %0" : "=r"(v) : : "memory");
	return v;
}
#endif

static void test_counter(void)
{
#if defined(__x86_64__) || defined(__aarch64__) || \
    (defined(__riscv) && __riscv_xlen == 64)
	uint64_t c0 = counter(), c1;
	int64_t t0 = now(CLOCK_MONOTONIC), t1;

	nanosleep(&(struct timespec){ 0, 50 * MS }, NULL);
	c1 = counter();
	t1 = now(CLOCK_MONOTONIC);
	utap_ok(c1 > c0, "user.clock.cpu_counter_readable_and_moving");
#if defined(__aarch64__)
	{
		uint64_t hz;
		int64_t ns;

		__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
		ns = (int64_t)((c1 - c0) * 1000000000.0 / (double)hz);
		utap_ok(hz > 0 && ns > (t1 - t0) * 95 / 100 &&
			ns < (t1 - t0) * 105 / 100,
			"user.clock.cntvct_rate_is_monotonic_rate");
		if (!(ns > (t1 - t0) * 95 / 100 && ns < (t1 - t0) * 105 / 100))
			printf("# counter %lld ns, monotonic %lld ns\n",
			       (long long)ns, (long long)(t1 - t0));
	}
#else
	(void)t0;
	(void)t1;
#endif
#else
	utap_skip("user.clock.cpu_counter_readable_and_moving",
		  "x86_64, aarch64 and riscv64 only");
#endif
}

static void test_realtime(void)
{
	struct timeval tv;
	struct timezone tz;
	int64_t rt = now(CLOCK_REALTIME);

	utap_ok(rt / NS > 1600000000, "user.clock.realtime_plausible");
	utap_ok(now(CLOCK_TAI) / NS >= rt / NS, "user.clock.tai_not_behind_realtime");
	utap_eq(gettimeofday(&tv, NULL), 0, "user.clock.gettimeofday");
	utap_ok(tv.tv_sec - rt / NS <= 1 && tv.tv_sec >= rt / NS &&
		tv.tv_usec >= 0 && tv.tv_usec < 1000000,
		"user.clock.gettimeofday_matches_realtime");
	utap_eq(syscall(SYS_gettimeofday, &tv, &tz), 0, "user.clock.gettimeofday_tz");
	utap_errno(syscall(SYS_gettimeofday, BAD, NULL), EFAULT,
		   "user.clock.gettimeofday_bad_tv_efault");
	utap_errno(syscall(SYS_gettimeofday, NULL, BAD), EFAULT,
		   "user.clock.gettimeofday_bad_tz_efault");
}

/* ---- clock_getres ------------------------------------------------------------------ */

static int is_tick(long ns)
{
	/* HZ 100, 250, 300 or 1000 */
	return ns == 10 * MS || ns == 4 * MS || ns == 3333333 || ns == MS;
}

static void test_getres(void)
{
	static const clockid_t hres[] = { CLOCK_REALTIME, CLOCK_MONOTONIC,
					  CLOCK_PROCESS_CPUTIME_ID,
					  CLOCK_THREAD_CPUTIME_ID,
					  CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
					  CLOCK_TAI };
	long coarse = raw_res(CLOCK_MONOTONIC_COARSE);
	unsigned i;
	int ok = 1;

	for (i = 0; i < sizeof(hres) / sizeof(hres[0]); i++) {
		long r = raw_res(hres[i]);

		if (r != 1)
			printf("# clock %d: resolution %ld\n", hres[i], r);
		ok &= r == 1;
	}
	utap_ok(ok, "user.clock.getres_1ns");
	utap_ok(is_tick(coarse), "user.clock.getres_coarse_is_a_tick");
	utap_eq(raw_res(CLOCK_REALTIME_COARSE), coarse,
		"user.clock.getres_realtime_coarse");
	utap_eq(raw_res(CPUCLOCK(0, 0, CPUCLOCK_PROF)), coarse,
		"user.clock.getres_prof_is_a_tick");
	utap_eq(raw_res(CPUCLOCK(0, 1, CPUCLOCK_VIRT)), coarse,
		"user.clock.getres_thread_virt_is_a_tick");
	utap_eq(raw_res(CPUCLOCK(0, 0, CPUCLOCK_SCHED)), 1,
		"user.clock.getres_sched_1ns");
	utap_eq(syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL), 0,
		"user.clock.getres_null");
	utap_eq(raw_res(10), -EINVAL, "user.clock.getres_sgi_cycle_einval");
	utap_eq(raw_res(12), -EINVAL, "user.clock.getres_12_einval");
	utap_eq(raw_res(16), -EINVAL, "user.clock.getres_16_einval");
	utap_eq(raw_res(CPUCLOCK(0, 0, 3)), -EINVAL,
		"user.clock.getres_clock_fd_einval");
	utap_eq(raw_res(CPUCLOCK(0, 1, 3)), -EINVAL,
		"user.clock.getres_cpu_which3_einval");
	utap_errno(syscall(SYS_clock_getres, CLOCK_MONOTONIC, BAD), EFAULT,
		   "user.clock.getres_bad_ptr_efault");
	utap_errno(syscall(SYS_clock_getres, 100, BAD), EINVAL,
		   "user.clock.getres_einval_before_efault");
}

static void test_gettime_errors(void)
{
	struct timespec ts;

	utap_errno(syscall(SYS_clock_gettime, 10, &ts), EINVAL,
		   "user.clock.gettime_sgi_cycle_einval");
	utap_errno(syscall(SYS_clock_gettime, 16, &ts), EINVAL,
		   "user.clock.gettime_16_einval");
	utap_errno(syscall(SYS_clock_gettime, CPUCLOCK(0, 0, 3), &ts), EINVAL,
		   "user.clock.gettime_clock_fd_einval");
	utap_errno(syscall(SYS_clock_gettime, CLOCK_REALTIME, BAD), EFAULT,
		   "user.clock.gettime_bad_ptr_efault");
	utap_errno(syscall(SYS_clock_gettime, 100, BAD), EINVAL,
		   "user.clock.gettime_einval_before_efault");
}

/* ---- CPU time ------------------------------------------------------------------------ */

static void *burner(void *arg)
{
	*(int *)arg = burn(CLOCK_THREAD_CPUTIME_ID, BURN_NS);
	return NULL;
}

static void test_cputime(void)
{
	int64_t t0, t1, p0, p1, w0, w1;
	struct timespec ts;
	pthread_t th;
	clockid_t cid;
	int burned = 0, st, r, fds[2];
	char c = 0;
	pid_t pid;

	/* the process window encloses the thread window */
	w0 = now(CPUCLOCK(0, 0, CPUCLOCK_PROF));
	p0 = now(CLOCK_PROCESS_CPUTIME_ID);
	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	utap_ok(burn(CLOCK_THREAD_CPUTIME_ID, BURN_NS), "user.clock.thread_cputime_advances");
	t1 = now(CLOCK_THREAD_CPUTIME_ID);
	p1 = now(CLOCK_PROCESS_CPUTIME_ID);
	w1 = now(CPUCLOCK(0, 0, CPUCLOCK_PROF));
	utap_ok(p1 - p0 >= t1 - t0, "user.clock.process_cputime_covers_thread");
	/* the tick-sampled clock sees the work once a tick lands in it: keep
	 * busy until it does (a loaded host can stall the guest across the
	 * whole 30 ms window, leaving no tick inside it) */
	for (r = 0; r < 50 && w1 == w0; r++) {
		burn(CLOCK_THREAD_CPUTIME_ID, 10 * MS);
		w1 = now(CPUCLOCK(0, 0, CPUCLOCK_PROF));
	}
	utap_ok(w1 > w0, "user.clock.prof_clock_advances");

	/* asleep, a thread uses (almost) no CPU */
	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	w0 = now(CLOCK_MONOTONIC);
	nanosleep(&(struct timespec){ 0, 50 * MS }, NULL);
	w1 = now(CLOCK_MONOTONIC);
	t1 = now(CLOCK_THREAD_CPUTIME_ID);
	utap_ok(w1 - w0 >= 50 * MS && t1 - t0 < 5 * MS,
		"user.clock.cputime_still_while_sleeping");
	if (t1 - t0 >= 5 * MS)
		printf("# %lld ns of CPU over a 50 ms sleep\n", (long long)(t1 - t0));

	/* a dead thread's time stays with the process */
	p0 = now(CLOCK_PROCESS_CPUTIME_ID);
	if (pthread_create(&th, NULL, burner, &burned) == 0)
		pthread_join(th, NULL);
	p1 = now(CLOCK_PROCESS_CPUTIME_ID);
	utap_ok(burned && p1 - p0 >= BURN_NS,
		"user.clock.process_cputime_keeps_dead_threads");

	/* the dynamic ids name the same clocks */
	utap_eq(clock_getcpuclockid(getpid(), &cid), 0, "user.clock.getcpuclockid");
	p0 = now(CLOCK_PROCESS_CPUTIME_ID);
	t0 = now(cid);
	p1 = now(CLOCK_PROCESS_CPUTIME_ID);
	utap_ok(p0 <= t0 && t0 <= p1, "user.clock.pid_clock_is_process_clock");
	utap_eq(pthread_getcpuclockid(pthread_self(), &cid), 0,
		"user.clock.pthread_getcpuclockid");
	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	p0 = now(cid);
	t1 = now(CLOCK_THREAD_CPUTIME_ID);
	utap_ok(t0 <= p0 && p0 <= t1, "user.clock.tid_clock_is_thread_clock");
	utap_ok(now(CPUCLOCK(0, 1, CPUCLOCK_VIRT)) <= now(CPUCLOCK(0, 1, CPUCLOCK_PROF)),
		"user.clock.user_time_within_cpu_time");

	/*
	 * A child's process clock starts afresh.  While it lives its pid
	 * names a process clock, but no thread clock (not our thread
	 * group); once reaped the pid names nothing.
	 */
	p0 = now(CLOCK_PROCESS_CPUTIME_ID);
	if (pipe(fds)) {
		utap_ok(0, "user.clock.pipe");
		return;
	}
	pid = ufork();
	if (pid == 0) {
		close(fds[1]);
		r = now(CLOCK_PROCESS_CPUTIME_ID) < p0 ? 0 : 1;
		read(fds[0], &c, 1);
		_exit(r);
	}
	close(fds[0]);
	utap_eq(raw_res(CPUCLOCK(pid, 0, CPUCLOCK_SCHED)), 1,
		"user.clock.child_pid_clock_exists");
	utap_errno(syscall(SYS_clock_gettime, CPUCLOCK(pid, 1, CPUCLOCK_SCHED),
			   &ts), EINVAL, "user.clock.other_group_thread_clock_einval");
	close(fds[1]);
	st = wait_status(pid);
	utap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		"user.clock.child_cputime_starts_afresh");
	utap_errno(syscall(SYS_clock_gettime, CPUCLOCK(pid, 0, CPUCLOCK_SCHED),
			   &ts), EINVAL, "user.clock.reaped_pid_clock_einval");
}

/* ---- Sleeping -------------------------------------------------------------------------- */

static void test_sleep_lengths(void)
{
	static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC,
					    CLOCK_BOOTTIME };
	struct timespec ms = { 0, MS }, abs;
	int64_t t0, t1;
	int ok = 1, i;
	unsigned c;

	for (i = 0; i < 3; i++) {
		t0 = now(CLOCK_MONOTONIC);
		ok &= nanosleep(&ms, NULL) == 0;
		t1 = now(CLOCK_MONOTONIC);
		ok &= t1 - t0 >= MS;
	}
	utap_ok(ok, "user.clock.nanosleep_1ms_at_least_1ms");
	for (c = 0; c < 3; c++) {
		char id[80];

		t0 = now(clocks[c]);
		ok = syscall(SYS_clock_nanosleep, clocks[c], 0, &ms, NULL) == 0;
		t1 = now(clocks[c]);
		snprintf(id, sizeof(id), "user.clock.clock_nanosleep_%d_rel", clocks[c]);
		utap_ok(ok && t1 - t0 >= MS, id);

		t0 = now(clocks[c]) + 2 * MS;
		abs.tv_sec = t0 / NS;
		abs.tv_nsec = t0 % NS;
		ok = syscall(SYS_clock_nanosleep, clocks[c], TIMER_ABSTIME, &abs,
			     NULL) == 0;
		t1 = now(clocks[c]);
		snprintf(id, sizeof(id), "user.clock.clock_nanosleep_%d_abs", clocks[c]);
		utap_ok(ok && t1 >= t0, id);
	}
	/* a deadline already past returns at once, rem ignored */
	utap_eq(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME,
			&(struct timespec){ 0, 0 }, BAD), 0,
		"user.clock.abs_past_returns");
	/* a CPU clock sleep: the process clock of this process, 0 ns */
	utap_eq(syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0,
			&(struct timespec){ 0, 0 }, NULL), 0,
		"user.clock.process_cputime_sleep_0");
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A handler's signal ends the sleep with EINTR and the time left. */
static void test_sleep_interrupted(void)
{
	struct sigaction sa;
	struct timespec rem = { -1, -1 };
	pid_t parent = getpid(), pid;
	long r;
	int e;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	pid = ufork();
	if (pid == 0) {
		nanosleep(&(struct timespec){ 0, 20 * MS }, NULL);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	r = syscall(SYS_nanosleep, &(struct timespec){ 2, 0 }, &rem);
	e = errno;
	wait_status(pid);
	utap_ok(r == -1 && e == EINTR, "user.clock.nanosleep_eintr");
	utap_ok(rem.tv_sec >= 1 && rem.tv_sec < 2 && rem.tv_nsec >= 0 &&
		rem.tv_nsec < NS, "user.clock.nanosleep_rem");
	signal(SIGUSR1, SIG_DFL);
}

static void test_sleep_errors(void)
{
	struct timespec z = { 0, 0 };

	utap_errno(syscall(SYS_nanosleep, &(struct timespec){ 0, NS }, NULL),
		   EINVAL, "user.clock.nanosleep_nsec_1e9_einval");
	utap_errno(syscall(SYS_nanosleep, &(struct timespec){ 0, -1 }, NULL),
		   EINVAL, "user.clock.nanosleep_nsec_neg_einval");
	utap_errno(syscall(SYS_nanosleep, &(struct timespec){ -1, 0 }, NULL),
		   EINVAL, "user.clock.nanosleep_sec_neg_einval");
	utap_errno(syscall(SYS_nanosleep, BAD, NULL), EFAULT,
		   "user.clock.nanosleep_bad_ptr_efault");
	utap_errno(syscall(SYS_clock_nanosleep, 100, 0, &z, NULL), EINVAL,
		   "user.clock.clock_nanosleep_bad_clock_einval");
	utap_errno(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, BAD, NULL),
		   EFAULT, "user.clock.clock_nanosleep_bad_ptr_efault");
	utap_errno(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0,
			   &(struct timespec){ 0, NS }, NULL), EINVAL,
		   "user.clock.clock_nanosleep_bad_nsec_einval");
	/* clocks that cannot sleep say so before the request is read */
	utap_errno(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, BAD,
			   NULL), EOPNOTSUPP, "user.clock.thread_cputime_sleep_eopnotsupp");
	utap_errno(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &z, NULL),
		   EOPNOTSUPP, "user.clock.raw_sleep_eopnotsupp");
	utap_errno(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_COARSE, 0, &z,
			   NULL), EOPNOTSUPP, "user.clock.coarse_sleep_eopnotsupp");
	utap_errno(syscall(SYS_clock_nanosleep, CPUCLOCK(0, 0, 3), 0, &z, NULL),
		   EOPNOTSUPP, "user.clock.clock_fd_sleep_eopnotsupp");
	/* a thread's own CPU clock: the request first, then EINVAL */
	utap_errno(syscall(SYS_clock_nanosleep, CPUCLOCK(0, 1, CPUCLOCK_SCHED), 0,
			   BAD, NULL), EFAULT, "user.clock.own_thread_sleep_efault_first");
	utap_errno(syscall(SYS_clock_nanosleep, CPUCLOCK(0, 1, CPUCLOCK_SCHED), 0,
			   &z, NULL), EINVAL, "user.clock.own_thread_sleep_einval");
	utap_errno(syscall(SYS_clock_nanosleep, CPUCLOCK(0, 1, 3), 0, &z, NULL),
		   EINVAL, "user.clock.cpu_which3_sleep_einval");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_monotonic();
	test_resolution();
	test_counter();
	test_realtime();
	test_getres();
	test_gettime_errors();
	test_cputime();
	test_sleep_lengths();
	test_sleep_interrupted();
	test_sleep_errors();
	return utap_done();
}
