// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/exit/test_rusage.c - the core's accounting and exec's thread-group
 * step, on the host port: getrusage, times and the wait calls' rusage
 * (threads folded into their group, children counted once waited for and
 * with their reaped descendants, never when auto-reaped or only looked at
 * with WNOWAIT; run time split in the sampled proportion and never
 * backwards; peak RSS and minor faults from mm), and kf_exec_de_thread
 * (other threads gone, the caller takes the leader's pid and place, the
 * exit signal becomes SIGCHLD, nothing is reported for the vanished).
 *
 * The host port has no clock: a task's CPU time is what it declares with
 * kf_host_use_cpu, so every figure here is exact.
 */
#include <stdint.h>
#include <string.h>
#include <kf/kf.h>
#include <kf/mm.h>
#include "kf_host.h"
#include "tap.h"
#include "exit_test.h"

#define MS 1000000ull
#define PG 4096ul

static kf_uptr_t ubuf;			/* scratch user memory of init */
static volatile long g_pid, g_tid;

/* ---- helpers ------------------------------------------------------------------ */

/* usage - current's getrusage(@who) through user memory. */
static struct kf_rusage usage(int who)
{
	struct kf_rusage r;

	memset(&r, 0xa5, sizeof(r));
	if (kf_getrusage(who, ubuf) == 0)
		kf_host_read(ubuf, &r, sizeof(r));
	return r;
}

static uint64_t ns(int64_t sec, int64_t usec)
{
	return (uint64_t)sec * 1000000000ull + (uint64_t)usec * 1000ull;
}

static uint64_t utime(const struct kf_rusage *r)
{
	return ns(r->utime_sec, r->utime_usec);
}

static uint64_t stime(const struct kf_rusage *r)
{
	return ns(r->stime_sec, r->stime_usec);
}

static void settle(void)
{
	for (int i = 0; i < 6; i++)
		kf_host_yield();
}

/* burner - a child that uses its argument's milliseconds, half of them in
 * the kernel, then exits 0 */
static int burner(void *arg)
{
	uint64_t ms = (uint64_t)(uintptr_t)arg;

	kf_host_use_cpu(ms * MS / 2, ms * MS / 2);
	return 0;
}

/* ---- getrusage -------------------------------------------------------------------- */

static void test_errors(void)
{
	eq(kf_getrusage(2, ubuf), -KF_EINVAL, "rusage.who_einval");
	eq(kf_getrusage(KF_RUSAGE_BOTH, ubuf), -KF_EINVAL, "rusage.both_not_for_users");
	eq(kf_getrusage(KF_RUSAGE_SELF, 8), -KF_EFAULT, "rusage.efault");
	eq(kf_getrusage(9, 8), -KF_EINVAL, "rusage.einval_before_efault");
	eq(kf_times(8, 100), -KF_EFAULT, "rusage.times_efault");
	eq(kf_times(0, 100), 0, "rusage.times_null");
}

/* init's own time, split exactly as sampled */
static void test_self(void)
{
	struct kf_rusage a = usage(KF_RUSAGE_SELF), b;

	kf_host_use_cpu(30 * MS, 10 * MS);
	b = usage(KF_RUSAGE_SELF);
	eq(utime(&b) - utime(&a), 30 * MS, "rusage.self_utime");
	eq(stime(&b) - stime(&a), 10 * MS, "rusage.self_stime");
	b = usage(KF_RUSAGE_THREAD);
	tap_ok(utime(&b) >= 30 * MS, "rusage.thread_is_caller", NULL);
}

/* a thread's time stays in SELF after it ended, and is not THREAD's */
static int thread_burner(void *arg)
{
	(void)arg;
	kf_host_use_cpu(20 * MS, 0);
	return 0;
}

static void test_threads(void)
{
	struct kf_rusage s0 = usage(KF_RUSAGE_SELF), t0 = usage(KF_RUSAGE_THREAD);
	struct kf_rusage s1, t1;
	long tid;

	tid = spawn_clone(THREAD_FLAGS, 0, thread_burner, NULL, 0);
	tap_ok(tid > 0, "rusage.thread_spawn", "%ld", tid);
	settle();
	tap_ok(kf_task_find((int)tid) == NULL, "rusage.thread_reaped", NULL);
	s1 = usage(KF_RUSAGE_SELF);
	t1 = usage(KF_RUSAGE_THREAD);
	eq(utime(&s1) + stime(&s1) - utime(&s0) - stime(&s0), 20 * MS,
	   "rusage.self_keeps_dead_thread");
	eq(utime(&t1) + stime(&t1), utime(&t0) + stime(&t0), "rusage.thread_own_only");
}

/* children: only once reaped, with all they reaped themselves */
static int grandparent_child(void *arg)
{
	long g = spawn(burner, arg);

	kf_wait4((int)g, 0, 0, 0);
	kf_host_use_cpu(2 * MS, 0);
	return 0;
}

static void test_children(void)
{
	struct kf_rusage c0 = usage(KF_RUSAGE_CHILDREN), c1, ru;
	struct kf_waitinfo wi;
	long pid;

	pid = spawn(burner, ARG(40));
	settle();
	c1 = usage(KF_RUSAGE_CHILDREN);
	eq(utime(&c1) + stime(&c1), utime(&c0) + stime(&c0), "rusage.zombie_not_counted");
	/* WNOWAIT reports, adds nothing */
	memset(&ru, 0, sizeof(ru));
	eq(kf_waitid_rusage(KF_P_PID, (int)pid, &wi, KF_WEXITED | KF_WNOWAIT, &ru), 0,
	   "rusage.wnowait");
	eq(utime(&ru) + stime(&ru), 40 * MS, "rusage.wnowait_reports");
	c1 = usage(KF_RUSAGE_CHILDREN);
	eq(utime(&c1) + stime(&c1), utime(&c0) + stime(&c0), "rusage.wnowait_not_counted");
	/* wait4 reaps, reports and counts */
	eq(kf_wait4((int)pid, 0, 0, ubuf + 1024), pid, "rusage.wait4");
	kf_host_read(ubuf + 1024, &ru, sizeof(ru));
	eq(utime(&ru), 20 * MS, "rusage.wait4_utime");
	eq(stime(&ru), 20 * MS, "rusage.wait4_stime");
	c1 = usage(KF_RUSAGE_CHILDREN);
	eq(utime(&c1) + stime(&c1) - utime(&c0) - stime(&c0), 40 * MS,
	   "rusage.children_after_wait");

	/* a grandchild the child reaped is the child's and then ours */
	pid = spawn(grandparent_child, ARG(30));
	eq(kf_wait4((int)pid, 0, 0, ubuf + 1024), pid, "rusage.grandchild_wait");
	kf_host_read(ubuf + 1024, &ru, sizeof(ru));
	eq(utime(&ru) + stime(&ru), 32 * MS, "rusage.wait4_includes_grandchild");
	c0 = c1;
	c1 = usage(KF_RUSAGE_CHILDREN);
	eq(utime(&c1) + stime(&c1) - utime(&c0) - stime(&c0), 32 * MS,
	   "rusage.children_include_grandchild");
	/* times: the same in ticks */
	eq(kf_times(ubuf + 1024, 100), 0, "rusage.times");
	{
		int64_t tms[4];

		kf_host_read(ubuf + 1024, tms, sizeof(tms));
		eq(tms[2], (int64_t)(utime(&c1) / (10 * MS)), "rusage.times_cutime_ticks");
		eq(tms[3], (int64_t)(stime(&c1) / (10 * MS)), "rusage.times_cstime_ticks");
	}
	check_leaks("rusage.leak.children");
}

static void set_sigchld(uintptr_t handler)
{
	struct kf_sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.handler = handler;
	kf_sigaction(KF_SIGCHLD, &sa, NULL);
}

/* auto-reaped children are never counted */
static void test_autoreap(void)
{
	struct kf_rusage c0 = usage(KF_RUSAGE_CHILDREN), c1;
	long pid;

	set_sigchld(KF_SIG_IGN);
	pid = spawn(burner, ARG(10));
	settle();
	eq(kf_wait4((int)pid, 0, KF_WNOHANG, 0), -KF_ECHILD, "rusage.autoreap_gone");
	set_sigchld(KF_SIG_DFL);
	c1 = usage(KF_RUSAGE_CHILDREN);
	eq(utime(&c1) + stime(&c1), utime(&c0) + stime(&c0), "rusage.autoreap_not_counted");
}

/* the split never goes back: time without samples is all user time, and
 * later system samples cannot take it away */
static int split_child(void *arg)
{
	struct kf_rusage r;

	(void)arg;
	kf_host_use_cpu_exact(100 * MS);
	r = usage(KF_RUSAGE_SELF);
	if (utime(&r) != 100 * MS || stime(&r) != 0)
		return 1;
	kf_host_use_cpu(0, 10 * MS);
	r = usage(KF_RUSAGE_SELF);
	if (utime(&r) != 100 * MS || stime(&r) != 10 * MS)
		return 2;
	kf_host_use_cpu(90 * MS, 0);
	r = usage(KF_RUSAGE_SELF);
	/* 200 ms, sampled 90 user : 10 system -- but user time had 100 */
	if (utime(&r) + stime(&r) != 200 * MS || utime(&r) < 100 * MS ||
	    stime(&r) < 10 * MS)
		return 3;
	return 0;
}

static void test_split(void)
{
	long pid = spawn(split_child, NULL);

	eq(kf_wait4((int)pid, ubuf, 0, 0), pid, "rusage.split_wait");
	{
		int st = -1;

		kf_host_read(ubuf, &st, sizeof(st));
		eq(st, 0, "rusage.split_monotonic");
	}
}

/* ---- memory ------------------------------------------------------------------------ */

static int toucher(void *arg)
{
	size_t pages = (size_t)(uintptr_t)arg;
	long a = kf_mm_map(kf_task_mm(kf_os_current()), 0, pages * PG,
			   KF_PROT_READ | KF_PROT_WRITE, KF_MAP_PRIVATE);
	size_t i;

	if (a < 0)
		return 1;
	for (i = 0; i < pages; i++)
		kf_host_write((kf_uptr_t)a + i * PG, "x", 1);
	return 0;
}

static void test_memory(void)
{
	struct kf_rusage a = usage(KF_RUSAGE_SELF), b, ru;
	struct kf_mm *mm = kf_task_mm(kf_os_current());
	long va = kf_mm_map(mm, 0, 64 * PG, KF_PROT_READ | KF_PROT_WRITE,
			    KF_MAP_PRIVATE);
	long pid;
	int i;

	for (i = 0; i < 64; i++)
		kf_host_write((kf_uptr_t)va + (kf_uptr_t)i * PG, "x", 1);
	b = usage(KF_RUSAGE_SELF);
	eq(b.minflt - a.minflt, 64, "rusage.minflt_per_page");
	tap_ok(b.maxrss - a.maxrss >= 64 * 4, "rusage.maxrss_grows",
	       "%lld -> %lld", (long long)a.maxrss, (long long)b.maxrss);
	kf_mm_unmap(mm, (uintptr_t)va, 64 * PG);
	a = usage(KF_RUSAGE_SELF);
	eq(a.maxrss, b.maxrss, "rusage.maxrss_is_a_peak");
	eq(usage(KF_RUSAGE_THREAD).maxrss, a.maxrss, "rusage.thread_maxrss");

	/* a child's peak is kept when its mm goes, for wait and CHILDREN */
	pid = spawn(toucher, ARG(128));
	eq(kf_wait4((int)pid, 0, 0, ubuf + 1024), pid, "rusage.toucher_wait");
	kf_host_read(ubuf + 1024, &ru, sizeof(ru));
	tap_ok(ru.maxrss >= 128 * 4, "rusage.wait4_maxrss", "%lld", (long long)ru.maxrss);
	eq(ru.minflt >= 128, 1, "rusage.wait4_minflt");
	tap_ok(usage(KF_RUSAGE_CHILDREN).maxrss >= ru.maxrss, "rusage.children_maxrss",
	       NULL);
	check_leaks("rusage.leak.memory");
}

/* ---- de_thread ------------------------------------------------------------------------- */

static int parked_thread(void *arg)
{
	(void)arg;
	kf_host_use_cpu(5 * MS, 0);
	for (;;) {
		kf_host_yield();
		kf_host_check_signals();
	}
	return 0;
}

/* the leader execs: the other threads are gone, their time stays */
static int leader_execs(void *arg)
{
	struct kf_rusage r;
	int i;

	(void)arg;
	for (i = 0; i < 3; i++)
		if (spawn_clone(THREAD_FLAGS, 0, parked_thread, NULL, 0) < 0)
			return 1;
	settle();
	if (kf_exec_de_thread())
		return 2;
	r = usage(KF_RUSAGE_SELF);
	if (utime(&r) < 15 * MS)
		return 3;
	return 42;
}

/* a thread execs: it takes the leader's pid and place */
static int thread_execs(void *arg)
{
	long tid = kf_gettid();

	(void)arg;
	g_tid = tid;
	if (kf_exec_de_thread())
		return 2;
	if (kf_getpid() != g_pid || kf_gettid() != g_pid)
		return 3;
	if (kf_task_find((int)tid))
		return 4;
	return 42;
}

static int leader_with_execer(void *arg)
{
	(void)arg;
	g_pid = kf_getpid();
	if (spawn_clone(THREAD_FLAGS, 0, parked_thread, NULL, 0) < 0 ||
	    spawn_clone(THREAD_FLAGS, 0, thread_execs, NULL, 0) < 0)
		return 1;
	for (;;) {
		kf_host_yield();
		kf_host_check_signals();
	}
	return 0;
}

/* exec resets the exit signal: a clone child that reported with another
 * signal now reports with SIGCHLD */
static int execs_alone(void *arg)
{
	(void)arg;
	return kf_exec_de_thread() ? 1 : 42;
}

static void test_de_thread(void)
{
	struct kf_waitinfo wi;
	long pid;
	int tasks = kf_host_tasks();

	pid = spawn(leader_execs, NULL);
	eq(kf_wait4((int)pid, ubuf, 0, 0), pid, "de_thread.leader_wait");
	{
		int st = -1;

		kf_host_read(ubuf, &st, sizeof(st));
		eq(st, STATUS(42), "de_thread.leader_status");
	}
	flush();	/* self-released threads are freed at the next fork */
	eq(kf_host_tasks(), tasks, "de_thread.leader_threads_gone");

	g_pid = 0;
	pid = spawn(leader_with_execer, NULL);
	memset(&wi, 0, sizeof(wi));
	eq(kf_waitid(KF_P_PID, (int)pid, &wi, KF_WEXITED), 0, "de_thread.thread_wait");
	eq(wi.pid, pid, "de_thread.thread_pid_is_process");
	eq(wi.code, KF_CLD_EXITED, "de_thread.thread_exited");
	eq(wi.status, 42, "de_thread.thread_checks");
	eq(kf_waitid(KF_P_ALL, 0, &wi, KF_WEXITED | KF_WNOHANG | KF___WALL), -KF_ECHILD,
	   "de_thread.one_report");
	flush();
	eq(kf_host_tasks(), tasks, "de_thread.thread_others_gone");

	pid = spawn_clone(0, 10 /* SIGUSR1 */, execs_alone, NULL, 0);
	settle();
	eq(kf_wait4((int)pid, ubuf, 0, 0), pid, "de_thread.exit_signal_sigchld");
	check_leaks("de_thread.leak");
}

/* ---- init ------------------------------------------------------------------------------- */

static int init_main(void *arg)
{
	long a;

	(void)arg;
	a = kf_mm_map(kf_task_mm(kf_os_current()), 0, 2 * PG,
		      KF_PROT_READ | KF_PROT_WRITE, KF_MAP_PRIVATE);
	if (!tap_ok(a > 0, "rusage.setup.map", "%ld", a))
		return 1;
	ubuf = (kf_uptr_t)a;
	kf_host_write(ubuf, "", 1);
	kf_host_write(ubuf + PG, "", 1);
	leak_base_set();

	test_errors();
	test_self();
	test_threads();
	test_children();
	test_autoreap();
	test_split();
	test_memory();
	test_de_thread();
	return 0;
}

int main(void)
{
	int st = kf_host_run_as_init(init_main, NULL);

	eq(st, 0, "rusage.init.status");
	eq(kf_host_leaked_objects(), 0, "rusage.end.no_leaked_objects");
	eq(kf_host_leaked_pages(), 0, "rusage.end.no_leaked_pages");
	return tap_done();
}
