// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/exit/test_exit_fault.c - fail the n-th allocation anywhere in a
 * whole cycle of creating and ending tasks, for n = 1, 2, ... until the
 * cycle runs without reaching the failure.
 *
 * Each cycle is swept on its own (cheaper than one big cycle, and the
 * results say which one broke): fork+wait, a CLEARTID thread, vfork (exit,
 * and exec), an orphan reparented to init, exit_group with a parked
 * thread, and a pid namespace whose init exits with members.  Whatever
 * the failure hits (a fork in init or in a child, a COW fault in a
 * CLEARTID store or a status store, an exec's new mm), afterwards no child
 * may be left, nothing may be left runnable, and objects, pages and host
 * tasks must be back at the baseline.
 */
#include <stdint.h>
#include <string.h>
#include <kf/kf.h>
#include <kf/mm.h>
#include "kf_host.h"
#include "tap.h"
#include "exit_test.h"

#define MAX_N 20000

static kf_uptr_t ubuf;
static volatile long g_child;

static bool alive(long pid)
{
	struct kf_task *t = kf_task_find((int)pid);

	if (t)
		kf_task_put(t);
	return t != NULL;
}

static void kill_pid(long pid)
{
	struct kf_task *t = kf_task_find((int)pid);

	if (t) {
		kf_os_signal(t, KF_SIGKILL, NULL, true);
		kf_task_put(t);
	}
}

/* reap - @pid must be reaped with @status; a creation error passes through */
static int reap(long pid, int status)
{
	int st = -1;
	long r;

	if (pid < 0)
		return (int)pid;
	r = kf_wait4((int)pid, ubuf, KF___WALL, 0);
	if (r != pid)
		return r < 0 ? (int)r : -1000;
	kf_host_read(ubuf, &st, sizeof(st));
	return st == status ? 0 : -1001;
}

/* ---- the steps ---------------------------------------------------------------- */

static int step_fork(void)
{
	return reap(spawn(ret_arg, ARG(1)), STATUS(1));
}

static int step_thread(void)
{
	long t = spawn_clone(THREAD_FLAGS | KF_CLONE_CHILD_CLEARTID, 0, ret_arg,
			     NULL, ubuf + 64);

	if (t < 0)
		return (int)t;
	for (int i = 0; i < 100 && alive(t); i++)
		kf_host_yield();
	return alive(t) ? -1002 : 0;
}

static int vfork_exec(void *arg)
{
	struct kf_mm *mm = kf_mm_create();

	(void)arg;
	if (!mm)
		return 100;
	kf_exec_mm(mm);
	return 3;
}

static int step_vfork(void)
{
	int r, r2;

	kf_host_set_child_entry(ret_arg, ARG(2));
	r = reap(kf_vfork(), STATUS(2));
	kf_host_set_child_entry(vfork_exec, NULL);
	r2 = reap(kf_vfork(), STATUS(3));
	/* 100: the exec's mm could not be allocated, which is allowed */
	return r ? r : r2 == -1001 ? 0 : r2;
}

static int orphan_parked(void *arg)
{
	(void)arg;
	g_child = spawn(NULL, NULL);
	return 0;
}

static int step_orphan(void)
{
	int r;

	g_child = 0;
	r = reap(spawn(orphan_parked, NULL), 0);
	if (g_child > 0) {
		kill_pid(g_child);
		if (reap(g_child, KF_SIGKILL) && !r)
			r = -1003;
	}
	return r;
}

static int group_exit_main(void *arg)
{
	(void)arg;
	spawn_clone(THREAD_FLAGS, 0, NULL, NULL, 0);
	kf_host_yield();
	kf_host_exit_group(STATUS(4));
}

static int step_group_exit(void)
{
	return reap(spawn(group_exit_main, NULL), STATUS(4));
}

static int ns_main(void *arg)
{
	long b;

	(void)arg;
	spawn(NULL, NULL);
	b = spawn(orphan_parked, NULL);
	if (b > 0)
		kf_wait4((int)b, 0, 0, 0);
	return 5;
}

static int step_pid_ns(void)
{
	long n = spawn_clone(KF_CLONE_NEWPID, KF_SIGCHLD, ns_main, NULL, 0);

	if (!CONFIG_KF_PID_NS)
		return n == -KF_ENOSYS ? 0 : -1004;
	return reap(n, STATUS(5));
}

/* ---- the sweep ---------------------------------------------------------------------- */

static long base_objs, base_pages;
static int base_tasks;

static bool expected_error(int r)
{
	/* -1001: a status differed (the child's own fork or exec failed);
	 * EFAULT: storing the status took a COW fault that failed */
	return r == 0 || r == -KF_ENOMEM || r == -KF_EAGAIN || r == -KF_EFAULT ||
	       r == -1001;
}

static void mark_baseline(void)
{
	flush();
	base_objs = kf_host_live_objects();
	base_pages = kf_host_live_pages();
	base_tasks = kf_host_tasks();
}

/* left_behind - a child or a runnable task survived the step; reap what
 * can be reaped so the next iteration starts clean */
static bool left_behind(void)
{
	bool bad = kf_wait4(-1, 0, KF___WALL | KF_WNOHANG, 0) != -KF_ECHILD ||
		   kf_host_runnable() != 0;

	while (kf_wait4(-1, 0, KF___WALL | KF_WNOHANG, 0) > 0)
		;
	return bad;
}

/* leaked - objects, pages or host tasks differ from the baseline (which
 * then moves, so one leak is reported once) */
static bool leaked(long n)
{
	long objs, pages;
	int tasks;

	flush();
	objs = kf_host_live_objects() - base_objs;
	pages = kf_host_live_pages() - base_pages;
	tasks = kf_host_tasks() - base_tasks;
	if (!objs && !pages && !tasks)
		return false;
	tap_diag("n=%ld (%s): objects %+ld pages %+ld tasks %+d", n,
		 kf_host_failed_site(), objs, pages, tasks);
	mark_baseline();
	return true;
}

/*
 * sweep - run @step with the n-th allocation failing, n = 1, 2, ... until
 * it runs through; after every run nothing may be left and nothing leaked.
 */
static void sweep(const char *name, int (*step)(void))
{
	int leaks = 0, stuck = 0, odd = 0, r;
	char id[96];
	long n;

	snprintf(id, sizeof(id), "exit.fault.%s.clean_run", name);
	eq(step(), 0, id);
	mark_baseline();
	for (n = 1; n < MAX_N; n++) {
		bool fired;

		kf_host_fail_nth(n);
		r = step();
		fired = kf_host_fail_fired();	/* before disarming resets it */
		kf_host_fail_nth(0);
		if (!fired)
			break;
		if (!expected_error(r)) {
			odd++;
			tap_diag("n=%ld (%s): %s gave %d", n,
				 kf_host_failed_site(), name, r);
		}
		if (left_behind()) {
			stuck++;
			tap_diag("n=%ld (%s): a task was left", n,
				 kf_host_failed_site());
		}
		leaks += leaked(n);
	}
	snprintf(id, sizeof(id), "exit.fault.%s.swept", name);
	tap_ok(n > 5 && n < MAX_N, id, "%ld allocation points", n - 1);
	snprintf(id, sizeof(id), "exit.fault.%s.last_run_clean", name);
	eq(r, 0, id);
	snprintf(id, sizeof(id), "exit.fault.%s.errors_as_expected", name);
	eq(odd, 0, id);
	snprintf(id, sizeof(id), "exit.fault.%s.no_stuck_task", name);
	eq(stuck, 0, id);
	snprintf(id, sizeof(id), "exit.fault.%s.no_leak", name);
	eq(leaks, 0, id);
}

static int init_main(void *arg)
{
	int zero = 0;
	long a;

	(void)arg;
	a = kf_mm_map(kf_task_mm(kf_os_current()), 0, 4096,
		      KF_PROT_READ | KF_PROT_WRITE, KF_MAP_PRIVATE | KF_MAP_ANONYMOUS);
	if (!tap_ok(a > 0, "exit.fault.setup", "%ld", a))
		return 1;
	ubuf = (kf_uptr_t)a;
	kf_host_write(ubuf, &zero, sizeof(zero));
	sweep("fork", step_fork);
	sweep("thread_cleartid", step_thread);
	sweep("vfork", step_vfork);
	sweep("orphan", step_orphan);
	sweep("group_exit", step_group_exit);
	if (CONFIG_KF_PID_NS)
		sweep("pid_ns", step_pid_ns);
	else
		eq(step_pid_ns(), 0, "exit.fault.pid_ns.configured_out");
	return 0;
}

int main(void)
{
	int st = kf_host_run_as_init(init_main, NULL);

	eq(st, 0, "exit.fault.init_status");
	eq(kf_host_leaked_objects(), 0, "exit.fault.end_no_leaked_objects");
	eq(kf_host_leaked_pages(), 0, "exit.fault.end_no_leaked_pages");
	return tap_done();
}
