/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/itimer.c - setitimer, getitimer and alarm as Linux has them:
 * the errnos and their order, what reads back (microseconds truncated, a
 * CPU timer's extra tick, a disarmed real timer's interval), alarm's
 * rounding, SIGALRM's delivery to the process (any thread that does not
 * block it) with SI_KERNEL, a periodic timer that waits for its blocked
 * signal to be taken before it goes on, the CPU timers counting CPU time
 * and not sleep, fork's child starting without timers and execve keeping
 * them.  Raw system calls, as the C library would hide the kernel's
 * answers (musl's alarm rounds by itself).  Every wait is bounded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

#define NS 1000000000ll
#define MS 1000000ll
#define US 1000ll
#define BAD ((void *)8)			/* never mapped */
#define TICK_MAX_NS (10 * MS)		/* a tick at HZ 100, the slowest */

static long set_raw(long which, const void *nv, void *ov)
{
	return syscall(SYS_setitimer, which, nv, ov);
}

static long get_raw(long which, void *v)
{
	return syscall(SYS_getitimer, which, v);
}

static struct itimerval itv(long vsec, long vusec, long isec, long iusec)
{
	struct itimerval v = {
		.it_value = { vsec, vusec }, .it_interval = { isec, iusec },
	};

	return v;
}

static int64_t tv_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * NS + (int64_t)tv->tv_usec * US;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS + ts.tv_nsec;
}

/* value_ns - what timer @which has left (ns), or -1. */
static int64_t value_ns(int which)
{
	struct itimerval v;

	if (get_raw(which, &v))
		return -1;
	return tv_ns(&v.it_value);
}

static int64_t interval_ns(int which)
{
	struct itimerval v;

	if (get_raw(which, &v))
		return -1;
	return tv_ns(&v.it_interval);
}

static void disarm_all(void)
{
	struct itimerval off = itv(0, 0, 0, 0);
	int w;

	for (w = ITIMER_REAL; w <= ITIMER_PROF; w++)
		set_raw(w, &off, NULL);
}

/* ---- What the handlers saw ---------------------------------------------- */

static volatile int hits[65], last_code = -1, last_pid = -1, last_signo;
static volatile pid_t last_tid;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits[sig]++;
	last_signo = si->si_signo;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_tid = (pid_t)syscall(SYS_gettid);
}

static void catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(sig, &sa, NULL);
}

static void reset_hits(void)
{
	memset((void *)hits, 0, sizeof(hits));
	last_code = last_pid = -1;
	last_tid = 0;
}

/* wait_hits - sleep in small steps until @sig has been handled @n times
 * or @limit_ns passed; whether it was. */
static int wait_hits(int sig, int n, int64_t limit_ns)
{
	int64_t end = mono_ns() + limit_ns;
	struct timespec step = { 0, 2 * MS };

	while (hits[sig] < n && mono_ns() < end)
		nanosleep(&step, NULL);
	return hits[sig] >= n;
}

static volatile unsigned long burn_sink;

/* burn_until - spin in user mode until @sig has been handled or @limit_ns
 * of real time passed; whether it was. */
static int burn_until(int sig, int64_t limit_ns)
{
	int64_t end = mono_ns() + limit_ns;
	unsigned long i;

	while (!hits[sig] && mono_ns() < end)
		for (i = 0; i < 100000; i++)
			burn_sink += i;
	return hits[sig] > 0;
}

/* ---- The checks ------------------------------------------------------------ */

static void test_errnos(void)
{
	struct itimerval ok = itv(0, 0, 0, 0), v;

	utap_errno(get_raw(3, &v), EINVAL, "getitimer: which 3 is EINVAL");
	utap_errno(get_raw(-1, &v), EINVAL, "getitimer: which -1 is EINVAL");
	utap_errno(get_raw(3, BAD), EINVAL, "getitimer: which is checked before the copy");
	utap_errno(get_raw(ITIMER_REAL, BAD), EFAULT, "getitimer: a bad pointer is EFAULT");
	utap_errno(set_raw(3, BAD, NULL), EFAULT, "setitimer: the new value is read before which is checked");
	utap_errno(set_raw(3, &ok, NULL), EINVAL, "setitimer: which 3 is EINVAL");
	v = itv(0, 1000000, 0, 0);
	utap_errno(set_raw(ITIMER_REAL, &v, NULL), EINVAL, "setitimer: tv_usec 1000000 is EINVAL");
	v = itv(-1, 0, 0, 0);
	utap_errno(set_raw(ITIMER_REAL, &v, NULL), EINVAL, "setitimer: a negative tv_sec is EINVAL");
	v = itv(0, -1, 0, 0);
	utap_errno(set_raw(ITIMER_REAL, &v, NULL), EINVAL, "setitimer: a negative tv_usec is EINVAL");
	v = itv(1, 0, 0, 1000000);
	utap_errno(set_raw(ITIMER_REAL, &v, NULL), EINVAL, "setitimer: a bad interval is EINVAL");
	utap_eq(value_ns(ITIMER_REAL), 0, "setitimer: a rejected value arms nothing");
	v = itv(0, 0, 0, 1000000);
	utap_errno(set_raw(ITIMER_VIRTUAL, &v, NULL), EINVAL, "setitimer: a bad interval is EINVAL for ITIMER_VIRTUAL too");
	utap_errno(set_raw(ITIMER_PROF, BAD, NULL), EFAULT, "setitimer: a bad new value is EFAULT");
}

static void test_readback(void)
{
	struct itimerval v = itv(1, 500000, 0, 250000), old;
	int64_t val;

	utap_eq(set_raw(ITIMER_REAL, &v, NULL), 0, "setitimer: ITIMER_REAL 1.5 s every 0.25 s");
	val = value_ns(ITIMER_REAL);
	utap_ok(val > 1400 * MS && val <= 1500 * MS, "getitimer: the value counts down from 1.5 s");
	utap_eq(interval_ns(ITIMER_REAL), 250 * MS, "getitimer: the interval reads back as set");
	utap_eq(value_ns(ITIMER_REAL) % US, 0, "getitimer: whole microseconds");
	v = itv(2, 0, 0, 0);
	memset(&old, 0xff, sizeof(old));
	utap_eq(set_raw(ITIMER_REAL, &v, &old), 0, "setitimer: with the old value");
	utap_ok(tv_ns(&old.it_value) > 1400 * MS && tv_ns(&old.it_value) <= 1500 * MS &&
		tv_ns(&old.it_interval) == 250 * MS, "setitimer: the old value is the timer replaced");
	v = itv(1, 0, 2, 0);
	utap_errno(set_raw(ITIMER_REAL, &v, BAD), EFAULT, "setitimer: a bad old pointer is EFAULT");
	val = value_ns(ITIMER_REAL);
	utap_ok(val > 900 * MS && val <= 1000 * MS && interval_ns(ITIMER_REAL) == 2 * NS,
		"setitimer: ... after the new timer was set");
	utap_eq(set_raw(ITIMER_REAL, NULL, NULL), 0, "setitimer: a NULL new value is accepted");
	utap_ok(value_ns(ITIMER_REAL) == 0 && interval_ns(ITIMER_REAL) == 0,
		"setitimer: ... and disarms");
	v = itv(0, 0, 0, 5);
	set_raw(ITIMER_REAL, &v, NULL);
	utap_eq(interval_ns(ITIMER_REAL), 0, "setitimer: a disarmed ITIMER_REAL keeps no interval");
	set_raw(ITIMER_VIRTUAL, &v, NULL);
	utap_ok(value_ns(ITIMER_VIRTUAL) == 0 && interval_ns(ITIMER_VIRTUAL) == 5 * US,
		"setitimer: a disarmed ITIMER_VIRTUAL keeps its interval");
	v = itv(1, 0, 0, 0);
	set_raw(ITIMER_VIRTUAL, &v, NULL);
	val = value_ns(ITIMER_VIRTUAL);
	utap_ok(val > NS && val <= NS + TICK_MAX_NS, "getitimer: a CPU timer gets one tick more");
	if (!(val > NS && val <= NS + TICK_MAX_NS))
		printf("# ITIMER_VIRTUAL 1 s reads %lld ns\n", (long long)val);
	set_raw(ITIMER_PROF, &v, NULL);
	val = value_ns(ITIMER_PROF);
	utap_ok(val > NS && val <= NS + TICK_MAX_NS, "getitimer: ... ITIMER_PROF too");
	v = itv(INT64_MAX, 0, 0, 0);
	utap_eq(set_raw(ITIMER_REAL, &v, NULL), 0, "setitimer: a huge value is accepted");
	val = value_ns(ITIMER_REAL);
	utap_ok(val / NS > 9200000000ll && val / NS <= INT64_MAX / NS,
		"getitimer: ... and saturates at the 64-bit nanosecond clock's end");
	if (!(val / NS > 9200000000ll && val / NS <= INT64_MAX / NS))
		printf("# huge value reads %lld s\n", (long long)(val / NS));
	disarm_all();
}

static void test_alarm(void)
{
#ifdef SYS_alarm
	struct itimerval v;

	utap_eq(syscall(SYS_alarm, 0), 0, "alarm(0) with no timer: 0");
	v = itv(9, 700000, 0, 0);
	set_raw(ITIMER_REAL, &v, NULL);
	utap_eq(syscall(SYS_alarm, 0), 10, "alarm: 9.7 s left rounds to 10");
	v = itv(9, 300000, 0, 0);
	set_raw(ITIMER_REAL, &v, NULL);
	utap_eq(syscall(SYS_alarm, 0), 9, "alarm: 9.3 s left rounds to 9");
	v = itv(0, 200000, 1, 0);
	set_raw(ITIMER_REAL, &v, NULL);
	utap_eq(syscall(SYS_alarm, 0), 1, "alarm: 0.2 s left is 1, never 0 while armed");
	utap_ok(value_ns(ITIMER_REAL) == 0 && interval_ns(ITIMER_REAL) == 0,
		"alarm(0) clears the value and the interval");
	utap_eq(syscall(SYS_alarm, 5), 0, "alarm(5)");
	utap_ok(value_ns(ITIMER_REAL) > 4 * NS && value_ns(ITIMER_REAL) <= 5 * NS,
		"alarm(5) is ITIMER_REAL's 5 s");
	utap_eq(syscall(SYS_alarm, 0xffffffffl), 5, "alarm(UINT_MAX) returns the 5 s left");
	utap_ok(value_ns(ITIMER_REAL) / NS == 4294967294ll,
		"alarm: the seconds are an unsigned int, not clamped");
	utap_eq(syscall(SYS_alarm, 0), 4294967295l, "alarm(0) returns them");
#else
	utap_skip("alarm", "no alarm system call on this arch");
#endif
	disarm_all();
}

static void test_delivery(void)
{
	struct itimerval v = itv(0, 50000, 0, 0);
	int64_t t0;

	catch(SIGALRM);
	reset_hits();
	t0 = mono_ns();
	set_raw(ITIMER_REAL, &v, NULL);
	utap_ok(wait_hits(SIGALRM, 1, 2 * NS), "ITIMER_REAL: SIGALRM arrives");
	utap_ok(mono_ns() - t0 >= 50 * MS, "ITIMER_REAL: ... not before the value");
	utap_ok(last_signo == SIGALRM && last_code == SI_KERNEL && last_pid == 0,
		"ITIMER_REAL: si_code SI_KERNEL, si_pid 0");
	utap_ok(value_ns(ITIMER_REAL) == 0 && interval_ns(ITIMER_REAL) == 0,
		"ITIMER_REAL: a one-shot timer reads 0 after it fired");

	reset_hits();
	v = itv(0, 20000, 0, 20000);
	set_raw(ITIMER_REAL, &v, NULL);
	utap_ok(wait_hits(SIGALRM, 3, 2 * NS), "ITIMER_REAL: a periodic timer fires again and again");
	disarm_all();
}

/* A periodic timer whose SIGALRM is blocked: stopped until it is taken. */
static void test_blocked_periodic(void)
{
	struct itimerval v = itv(0, 10000, 0, 10000);
	struct timespec nap = { 0, 60 * MS };
	sigset_t set, pend;
	int64_t val;

	catch(SIGALRM);
	reset_hits();
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	set_raw(ITIMER_REAL, &v, NULL);
	nanosleep(&nap, NULL);
	sigpending(&pend);
	utap_ok(sigismember(&pend, SIGALRM), "periodic ITIMER_REAL, SIGALRM blocked: the signal is pending");
	utap_ok(value_ns(ITIMER_REAL) == 0 && interval_ns(ITIMER_REAL) == 10 * MS,
		"periodic ITIMER_REAL, SIGALRM blocked: the timer waits (value 0)");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	utap_eq(hits[SIGALRM], 1, "periodic ITIMER_REAL: one SIGALRM for the whole wait");
	val = value_ns(ITIMER_REAL);
	utap_ok(val > 0 && val <= 10 * MS, "periodic ITIMER_REAL: taking the signal starts it again");
	disarm_all();
}

static volatile pid_t helper_tid;
static volatile int helper_stop;

static void *helper(void *arg)
{
	struct timespec step = { 0, 2 * MS };

	(void)arg;
	helper_tid = (pid_t)syscall(SYS_gettid);
	while (!helper_stop)
		nanosleep(&step, NULL);
	return NULL;
}

/* SIGALRM is the process's: the thread that does not block it takes it. */
static void test_process_directed(void)
{
	struct itimerval v = itv(0, 30000, 0, 0);
	sigset_t set;
	pthread_t th;

	catch(SIGALRM);
	reset_hits();
	helper_stop = 0;
	helper_tid = 0;
	if (pthread_create(&th, NULL, helper, NULL)) {
		utap_ok(0, "ITIMER_REAL: a thread");
		return;
	}
	while (!helper_tid)
		sched_yield();
	/* only now: the thread must not inherit the mask */
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	set_raw(ITIMER_REAL, &v, NULL);
	utap_ok(wait_hits(SIGALRM, 1, 2 * NS) && last_tid == helper_tid,
		"ITIMER_REAL: the thread that does not block SIGALRM handles it");
	v = itv(3, 0, 0, 0);
	set_raw(ITIMER_REAL, &v, NULL);
	helper_stop = 1;
	pthread_join(th, NULL);
	utap_ok(value_ns(ITIMER_REAL) > 2 * NS, "ITIMER_REAL: one timer for all the threads");
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	disarm_all();
}

static void test_cpu_timers(void)
{
	struct itimerval v = itv(0, 30000, 0, 0);
	struct timespec nap = { 0, 100 * MS };

	catch(SIGVTALRM);
	catch(SIGPROF);
	reset_hits();
	set_raw(ITIMER_VIRTUAL, &v, NULL);
	nanosleep(&nap, NULL);
	utap_eq(hits[SIGVTALRM], 0, "ITIMER_VIRTUAL: sleeping uses no CPU time");
	utap_ok(burn_until(SIGVTALRM, 3 * NS), "ITIMER_VIRTUAL: SIGVTALRM after user CPU time");
	utap_ok(last_signo == SIGVTALRM && last_code == SI_KERNEL && last_pid == 0,
		"ITIMER_VIRTUAL: si_code SI_KERNEL, si_pid 0");
	utap_eq(value_ns(ITIMER_VIRTUAL), 0, "ITIMER_VIRTUAL: a one-shot timer reads 0 after it fired");
	reset_hits();
	set_raw(ITIMER_PROF, &v, NULL);
	nanosleep(&nap, NULL);
	utap_eq(hits[SIGPROF], 0, "ITIMER_PROF: sleeping uses no CPU time");
	utap_ok(burn_until(SIGPROF, 3 * NS), "ITIMER_PROF: SIGPROF after CPU time");
	reset_hits();
	v = itv(0, 20000, 0, 20000);
	set_raw(ITIMER_PROF, &v, NULL);
	burn_until(SIGPROF, 3 * NS);
	hits[SIGPROF] = 0;
	utap_ok(burn_until(SIGPROF, 3 * NS), "ITIMER_PROF: a periodic CPU timer fires again");
	utap_eq(interval_ns(ITIMER_PROF), 20 * MS, "ITIMER_PROF: ... keeping its interval");
	disarm_all();
}

static void test_fork(void)
{
	struct itimerval v = itv(5, 0, 1, 0), c = itv(7, 0, 0, 0);
	int st;
	pid_t pid;

	set_raw(ITIMER_REAL, &v, NULL);
	set_raw(ITIMER_VIRTUAL, &c, NULL);
	pid = ufork();
	if (pid == 0) {
		int bad = value_ns(ITIMER_REAL) != 0 || interval_ns(ITIMER_REAL) != 0 ||
			  value_ns(ITIMER_VIRTUAL) != 0;

		_exit(bad);
	}
	st = wait_status(pid);
	utap_eq(st, 0, "fork: the child starts without timers");
	utap_ok(value_ns(ITIMER_REAL) > 4 * NS && value_ns(ITIMER_VIRTUAL) > 6 * NS,
		"fork: the parent's timers go on");
	disarm_all();
}

/* The image execve starts: its timers must be the ones set before. */
static int after_exec(void)
{
	int64_t real = value_ns(ITIMER_REAL), virt = value_ns(ITIMER_VIRTUAL);

	return !(real > 3 * NS && real <= 5 * NS && interval_ns(ITIMER_REAL) == NS &&
		 virt > 6 * NS);
}

static void test_exec(const char *self)
{
	struct itimerval v = itv(5, 0, 1, 0), c = itv(7, 0, 0, 0);
	pid_t pid;

	pid = ufork();
	if (pid == 0) {
		char *argv[] = { (char *)self, "after-exec", NULL };

		set_raw(ITIMER_REAL, &v, NULL);
		set_raw(ITIMER_VIRTUAL, &c, NULL);
		execv(self, argv);
		_exit(2);
	}
	utap_eq(wait_status(pid), 0, "execve keeps ITIMER_REAL and ITIMER_VIRTUAL");
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "after-exec") == 0)
		return after_exec();
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_errnos();
	test_readback();
	test_alarm();
	test_delivery();
	test_blocked_periodic();
	test_process_directed();
	test_cpu_timers();
	test_fork();
	test_exec(argv[0]);
	return utap_done();
}
