/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/rusage.c - what processes use, as getrusage(2), times(2),
 * wait4(2) and waitid(2) report it: CPU time against the CPU clocks,
 * RUSAGE_THREAD against RUSAGE_SELF, children counted only once waited
 * for (their reaped descendants with them, auto-reaped ones never), peak
 * RSS, minor faults per page touched, voluntary context switches, and
 * the errnos.  Figures that depend on the machine are compared as
 * differences, never as absolute numbers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

#define MS 1000000ll

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* burn - spin on the CPU for @ns of this thread's CPU time. */
static void burn(int64_t ns)
{
	int64_t end = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ns;

	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) < end)
		;
}

static int64_t tv_ns(struct timeval tv)
{
	return tv.tv_sec * 1000000000ll + tv.tv_usec * 1000ll;
}

/* cpu_ns - user + system time of a report. */
static int64_t cpu_ns(const struct rusage *ru)
{
	return tv_ns(ru->ru_utime) + tv_ns(ru->ru_stime);
}

static int64_t usage_ns(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return cpu_ns(&ru);
}

/* ---- errnos ----------------------------------------------------------------------- */

static void test_errors(void)
{
	struct rusage ru;
	static const int bad[] = { 2, -2, 5, -3 };
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		utap_errno(getrusage(bad[i], &ru), EINVAL, "user.rusage.who_einval");
	utap_errno(syscall(SYS_getrusage, RUSAGE_SELF, (void *)8), EFAULT,
		   "user.rusage.self_efault");
	utap_errno(syscall(SYS_getrusage, 7, (void *)8), EINVAL,
		   "user.rusage.einval_before_efault");
	utap_eq(getrusage(RUSAGE_THREAD, &ru), 0, "user.rusage.thread_ok");
	utap_eq(getrusage(RUSAGE_CHILDREN, &ru), 0, "user.rusage.children_ok");
	utap_ok(ru.ru_ixrss == 0 && ru.ru_idrss == 0 && ru.ru_isrss == 0 &&
		ru.ru_nswap == 0 && ru.ru_msgsnd == 0 && ru.ru_msgrcv == 0 &&
		ru.ru_nsignals == 0, "user.rusage.unused_fields_zero");
}

/* ---- CPU time ------------------------------------------------------------------------ */

/* SELF is the process CPU clock: a read between two reads of the clock
 * lies between them (less what rounding to microseconds loses, in each of
 * utime and stime).  Bracketing, not a fixed window: under QEMU on a busy
 * host, time the vCPU spends descheduled is charged to whoever runs. */
#define US_ROUNDING 2000

static void test_self_time(void)
{
	int64_t before = usage_ns(RUSAGE_SELF), after, c1, c2;

	burn(60 * MS);
	c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	after = usage_ns(RUSAGE_SELF);
	c2 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	utap_ok(after - before >= 55 * MS, "user.rusage.self_counts_burn");
	if (after - before < 55 * MS)
		printf("# burned 60 ms, SELF grew %lld ns\n",
		       (long long)(after - before));
	utap_ok(after >= c1 - US_ROUNDING && after <= c2,
		"user.rusage.self_is_process_clock");
	if (!(after >= c1 - US_ROUNDING && after <= c2))
		printf("# CPU clock %lld ns, SELF %lld ns, CPU clock %lld ns\n",
		       (long long)c1, (long long)after, (long long)c2);
}

static void *burner(void *arg)
{
	burn((int64_t)(intptr_t)arg);
	return NULL;
}

/* THREAD is the caller alone (it moves with the thread's own CPU clock,
 * bracketed as above); a thread's time stays in SELF after it ended. */
static void test_thread_time(void)
{
	int64_t c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	int64_t t0 = usage_ns(RUSAGE_THREAD), s0 = usage_ns(RUSAGE_SELF);
	int64_t dt, ds, dc;
	pthread_t th;

	if (pthread_create(&th, NULL, burner, (void *)(intptr_t)(80 * MS))) {
		utap_ok(0, "user.rusage.thread_create");
		return;
	}
	pthread_join(th, NULL);
	burn(30 * MS);
	dt = usage_ns(RUSAGE_THREAD) - t0;
	dc = clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	ds = usage_ns(RUSAGE_SELF) - s0;
	utap_ok(dt >= 25 * MS && dt <= dc + US_ROUNDING,
		"user.rusage.thread_is_caller");
	utap_ok(ds >= dt + 75 * MS, "user.rusage.self_keeps_dead_thread");
	if (!(dt >= 25 * MS && dt <= dc + US_ROUNDING) || ds < dt + 75 * MS)
		printf("# THREAD grew %lld ns (its clock %lld ns), SELF %lld ns\n",
		       (long long)dt, (long long)dc, (long long)ds);
}

/* ---- children ----------------------------------------------------------------------- */

/* A child counts in RUSAGE_CHILDREN only once waited for; wait4's rusage
 * is what it used. */
static void test_children(void)
{
	int64_t c0 = usage_ns(RUSAGE_CHILDREN), c1, c2;
	struct rusage ru;
	pid_t pid;
	int st;

	pid = ufork();
	if (pid == 0) {
		burn(60 * MS);
		_exit(0);
	}
	/* a zombie adds nothing */
	waitid(P_PID, pid, NULL, WEXITED | WNOWAIT);
	c1 = usage_ns(RUSAGE_CHILDREN);
	utap_eq(c1 - c0, 0, "user.rusage.zombie_not_counted");
	utap_eq(wait4(pid, &st, 0, &ru), pid, "user.rusage.wait4_reaps");
	c2 = usage_ns(RUSAGE_CHILDREN);
	utap_ok(cpu_ns(&ru) >= 55 * MS, "user.rusage.wait4_reports_child");
	/* the same figures, each rounded down to a microsecond */
	utap_ok(c2 - c1 >= 55 * MS && llabs(c2 - c1 - cpu_ns(&ru)) <= 2000,
		"user.rusage.children_after_wait");
	if (llabs(c2 - c1 - cpu_ns(&ru)) > 2000)
		printf("# CHILDREN grew %lld ns, wait4 said %lld ns\n",
		       (long long)(c2 - c1), (long long)cpu_ns(&ru));
}

/* The child reaps a grandchild that burns: wait4's rusage of the child
 * includes it (SELF + CHILDREN), and so does the parent's CHILDREN. */
static void test_grandchild(void)
{
	int64_t c0 = usage_ns(RUSAGE_CHILDREN);
	struct rusage ru;
	pid_t pid;

	pid = ufork();
	if (pid == 0) {
		pid_t g = fork();

		if (g == 0) {
			burn(60 * MS);
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(usage_ns(RUSAGE_SELF) < 30 * MS ? 0 : 1);
	}
	utap_eq(wait4(pid, NULL, 0, &ru), pid, "user.rusage.grandchild_wait");
	utap_ok(cpu_ns(&ru) >= 55 * MS, "user.rusage.wait4_includes_reaped_grandchild");
	utap_ok(usage_ns(RUSAGE_CHILDREN) - c0 >= 55 * MS,
		"user.rusage.children_include_grandchild");
}

/* Children reaped automatically (SIGCHLD ignored) are never counted. */
static void test_autoreap(void)
{
	int64_t c0 = usage_ns(RUSAGE_CHILDREN);
	pid_t pid;

	signal(SIGCHLD, SIG_IGN);
	pid = ufork();
	if (pid == 0) {
		burn(40 * MS);
		_exit(0);
	}
	utap_errno(waitpid(pid, NULL, 0), ECHILD, "user.rusage.autoreap_echild");
	signal(SIGCHLD, SIG_DFL);
	utap_eq(usage_ns(RUSAGE_CHILDREN) - c0, 0, "user.rusage.autoreap_not_counted");
}

/* ---- memory --------------------------------------------------------------------------- */

static long maxrss(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return ru.ru_maxrss;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/*
 * memory_checks - touching fresh anonymous pages: one minor fault each,
 * and the peak RSS (KiB) grows by their size (Linux's RSS counters are
 * per-CPU batches, read approximately: 3/4 of it at least).  Returns the
 * number of the first failed check, 0 if none.
 */
static int memory_checks(void)
{
	const size_t npages = 512, len = npages * 4096;
	long rss0 = maxrss(RUSAGE_SELF), f0, f1;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (p == MAP_FAILED)
		return 1;
	madvise(p, len, 15 /* MADV_NOHUGEPAGE: one fault per page */);
	f0 = minflt();
	for (i = 0; i < npages; i++)
		p[i * 4096] = 1;
	f1 = minflt();
	if (f1 - f0 < (long)npages || f1 - f0 > (long)npages + 4)
		return 2;
	if (maxrss(RUSAGE_SELF) - rss0 < (long)(len / 1024) * 3 / 4)
		return 3;
	if (maxrss(RUSAGE_THREAD) != maxrss(RUSAGE_SELF))
		return 4;
	munmap(p, len);
	if (maxrss(RUSAGE_SELF) - rss0 < (long)(len / 1024) * 3 / 4)
		return 5;
	return 0;
}

/* In a child: a process keeps the peak of the program it exec'd from (a
 * test runner's may be far larger than ours), a forked one starts anew. */
static void test_memory(void)
{
	pid_t pid = ufork();
	int st;

	if (pid == 0)
		_exit(memory_checks());
	st = wait_status(pid);
	utap_eq(st, 0, "user.rusage.minflt_and_maxrss");
	if (st)
		printf("# check %d failed: 2 faults per page, 3 peak grows, "
		       "4 THREAD's peak, 5 still a peak after munmap\n",
		       WEXITSTATUS(st));
}

/* A child's peak is in its wait4 rusage and, once reaped, in CHILDREN
 * (the largest child's, not a sum). */
static void test_child_maxrss(void)
{
	const size_t len = 4u << 20;
	struct rusage ru;
	pid_t pid;

	pid = ufork();
	if (pid == 0) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		memset(p, 1, len);
		_exit(0);
	}
	utap_eq(wait4(pid, NULL, 0, &ru), pid, "user.rusage.maxrss_child_wait");
	utap_ok(ru.ru_maxrss >= (long)(len / 1024) * 3 / 4,
		"user.rusage.wait4_maxrss");
	utap_ok(maxrss(RUSAGE_CHILDREN) >= ru.ru_maxrss,
		"user.rusage.children_maxrss");
}

/* Each sleep is a voluntary context switch -- unless its end had already
 * come when the sleeper got to block (a vCPU descheduled by a busy host
 * for longer than the sleep), so one of five may be missing. */
static void test_switches(void)
{
	struct rusage a, b;
	int i;

	getrusage(RUSAGE_SELF, &a);
	for (i = 0; i < 5; i++)
		usleep(20000);
	getrusage(RUSAGE_SELF, &b);
	utap_ok(b.ru_nvcsw - a.ru_nvcsw >= 4, "user.rusage.nvcsw_counts_sleeps");
}

/* ---- times ----------------------------------------------------------------------------- */

static void test_times(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	struct tms t0, t1;
	clock_t c0, c1;
	struct rusage ru;
	pid_t pid;

	utap_eq(hz, 100, "user.rusage.clk_tck_100");
	c0 = times(&t0);
	utap_ok(c0 != (clock_t)-1, "user.rusage.times_returns_ticks");
	utap_ok(syscall(SYS_times, NULL) > 0, "user.rusage.times_null_ok");
	utap_errno(syscall(SYS_times, (void *)8), EFAULT, "user.rusage.times_efault");
	burn(50 * MS);
	getrusage(RUSAGE_SELF, &ru);
	c1 = times(&t1);
	utap_ok(c1 >= c0, "user.rusage.times_clock_advances");
	utap_ok(t1.tms_utime + t1.tms_stime >= t0.tms_utime + t0.tms_stime + 4,
		"user.rusage.times_counts_burn");
	utap_ok(labs((long)(t1.tms_utime + t1.tms_stime) -
		     (long)(cpu_ns(&ru) / 10000000)) <= 2,
		"user.rusage.times_matches_getrusage");
	pid = ufork();
	if (pid == 0) {
		burn(50 * MS);
		_exit(0);
	}
	times(&t0);
	waitpid(pid, NULL, 0);
	times(&t1);
	utap_ok(t1.tms_cutime + t1.tms_cstime >= t0.tms_cutime + t0.tms_cstime + 4,
		"user.rusage.times_children_after_wait");
}

/* ---- waitid ------------------------------------------------------------------------------ */

static void test_waitid(void)
{
	unsigned char ru[sizeof(struct rusage)];
	siginfo_t si;
	pid_t pid;
	long r;

	/* nothing to report: the rusage is not touched, the siginfo zeroed */
	pid = ufork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	memset(ru, 0xa5, sizeof(ru));
	memset(&si, 0xa5, sizeof(si));
	r = syscall(SYS_waitid, P_PID, pid, &si, WEXITED | WNOHANG, ru);
	utap_eq(r, 0, "user.rusage.waitid_nohang");
	utap_ok(ru[0] == 0xa5 && ru[sizeof(ru) - 1] == 0xa5,
		"user.rusage.waitid_nohang_leaves_rusage");
	utap_ok(si.si_pid == 0 && si.si_signo == 0, "user.rusage.waitid_nohang_zeroes_info");
	kill(pid, SIGKILL);
	/* a report: the rusage is stored; WNOWAIT adds nothing to CHILDREN */
	memset(ru, 0xa5, sizeof(ru));
	r = syscall(SYS_waitid, P_PID, pid, &si, WEXITED | WNOWAIT, ru);
	utap_ok(r == 0 && ((struct rusage *)ru)->ru_ixrss == 0,
		"user.rusage.waitid_stores_rusage");
	/* a bad rusage fails the call before the siginfo is written, but the
	 * child is reaped */
	memset(&si, 0xa5, sizeof(si));
	r = syscall(SYS_waitid, P_PID, pid, &si, WEXITED, (void *)8);
	utap_errno(r, EFAULT, "user.rusage.waitid_bad_rusage");
	utap_eq(si.si_signo, (int)0xa5a5a5a5, "user.rusage.waitid_info_after_rusage");
	utap_errno(waitpid(pid, NULL, WNOHANG), ECHILD,
		   "user.rusage.waitid_bad_rusage_reaped");
}

int main(void)
{
	test_errors();
	test_self_time();
	test_thread_time();
	test_children();
	test_grandchild();
	test_autoreap();
	test_memory();
	test_child_maxrss();
	test_switches();
	test_times();
	test_waitid();
	return utap_done();
}
