// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/jobctl/test_jobctl.c - job control on the host port: group stop
 * and continue across threads, which thread tells the parent, wait's stop
 * and continue reports (once each, WNOWAIT, the one report slot),
 * SA_NOCLDSTOP, what SIGCONT and stop signals discard, process groups and
 * sessions (setpgid, setsid, getpgid, getsid, across pid namespaces),
 * kill to a pid, 0, -pgid and -1 with the permission rules, and orphaned
 * process groups.  Every expectation is Linux 6.12's (the probes of
 * process-facts sections 1-2, and tests/user/jobctl.c on Linux itself).
 *
 * Everything runs inside init (pid 1), which sends and waits; children are
 * host tasks whose entry loops on kf_host_yield, the port's "return to
 * user space", where they stop and continue.  Only one task runs at a
 * time, FIFO, so "settle" lets every runnable task take its step.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <kf/kf.h>
#include <kf/mm.h>
#include "kf_host.h"
#include "tap.h"
#include "../exit/exit_test.h"

#define ST_STOPPED(sig) (((sig) << 8) | 0x7f)
#define ST_CONTINUED 0xffff
#define FAKE_HANDLER ((uintptr_t)0x1000)	/* never run: the host has none */
#define SIGBIT(s) (1ull << ((s) - 1))
#define UID_OTHER 12345u

static struct kf_task *init_task;
static kf_uptr_t ubuf;			/* one page of init's memory */

/* hand-shakes between the test and its children (one task runs at a time) */
static volatile int flag, flag2, ready, go;
static volatile long g_tid, g_tid2, g_pid, g_pid2, g_ret, g_ret2;

/* ---- helpers ------------------------------------------------------------------ */

static void settle(void)
{
	for (int i = 0; i < 8; i++)
		kf_host_yield();
}

static int yield_until(volatile int *v)
{
	for (int i = 0; i < 1000 && !*v; i++)
		kf_host_yield();
	return *v;
}

/* find - the task with @pid (borrowed: it holds itself while alive or a
 * zombie), or NULL once reaped */
static struct kf_task *find(long pid)
{
	struct kf_task *t = kf_task_find((int)pid);

	if (t)
		kf_task_put(t);
	return t;
}

/* state - the kf_task_info state of @pid, '-' when it is gone */
static char state(long pid)
{
	struct kf_task_info ti;
	struct kf_task *t = find(pid);

	return t && !kf_task_info(t, &ti) ? ti.state : '-';
}

static int ustatus(void)
{
	int s = -1;

	kf_host_read(ubuf, &s, sizeof(s));
	return s;
}

static void set_ustatus(int v)
{
	kf_host_write(ubuf, &v, sizeof(v));
}

/* wait_nohang - wait4(@pid, @opts | WNOHANG): the pid (status in *@st),
 * 0, or an error */
static long wait_nohang(long pid, int opts, int *st)
{
	long r;

	set_ustatus(-1);
	r = kf_wait4((int)pid, ubuf, opts | KF_WNOHANG, 0);
	*st = ustatus();
	return r;
}

static unsigned chld_count(void)
{
	return kf_host_sigcount(init_task, KF_SIGCHLD);
}

static void set_action(int sig, uintptr_t handler, uint64_t flags)
{
	struct kf_sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.handler = handler;
	sa.flags = flags;
	kf_sigaction(sig, &sa, NULL);
}

/* reap - SIGKILL @pid's group and reap it: every test leaves nothing */
static void reap(long pid)
{
	kf_kill((int)pid, KF_SIGKILL);
	kf_wait4((int)pid, 0, KF___WALL, 0);
}

/* ---- children ------------------------------------------------------------------- */

/* loop - a task that runs until flag: yields, the port's way to user space */
static int loop(void *arg)
{
	while (!flag)
		kf_host_yield();
	return (int)(intptr_t)arg;
}

/* three_threads - a process of three looping threads (tids in g_tid,
 * g_tid2) */
static int three_threads(void *arg)
{
	g_tid = spawn_clone(THREAD_FLAGS, 0, loop, NULL, 0);
	g_tid2 = spawn_clone(THREAD_FLAGS, 0, loop, NULL, 0);
	ready = 1;
	return loop(arg);
}

/* vfork_then - a thread that sits in vfork (a killable sleep, which a
 * stop does not end) until flag2; then it loops, or (arg 1) exits */
static int vfork_child(void *arg)
{
	(void)arg;
	while (!flag2)
		kf_host_yield();
	return 0;
}

static int vfork_then(void *arg)
{
	kf_host_set_child_entry(vfork_child, NULL);
	g_ret = kf_vfork();
	if (arg)
		return 0;
	return loop(NULL);
}

/* slow_thread_proc - leader and one looping thread, and a third thread
 * held in vfork (g_tid2) */
static int slow_thread_proc(void *arg)
{
	g_tid = spawn_clone(THREAD_FLAGS, 0, loop, NULL, 0);
	g_tid2 = spawn_clone(THREAD_FLAGS, 0, vfork_then, arg, 0);
	ready = 1;
	return loop(NULL);
}

/* ---- group stop and continue ---------------------------------------------------- */

static void test_group_stop(void)
{
	struct kf_siginfo si;
	unsigned c0;
	long pid;
	int st;

	flag = ready = 0;
	pid = spawn(three_threads, ARG(5));
	yield_until(&ready);
	settle();
	c0 = chld_count();
	eq(kf_kill((int)pid, KF_SIGSTOP), 0, "jobctl.stop.kill");
	settle();
	tap_ok(state(pid) == 'T' && state(g_tid) == 'T' && state(g_tid2) == 'T',
	       "jobctl.stop.every_thread_stopped", "%c%c%c", state(pid),
	       state(g_tid), state(g_tid2));
	eq(chld_count() - c0, 1, "jobctl.stop.one_sigchld");
	kf_host_siginfo(init_task, KF_SIGCHLD, &si);
	eq(si.code, KF_CLD_STOPPED, "jobctl.stop.sigchld_code");
	eq(si.status, KF_SIGSTOP, "jobctl.stop.sigchld_status");
	eq(si.pid, pid, "jobctl.stop.sigchld_pid_is_tgid");
	/* the leader took the signal and stopped first; the last to join tells */
	eq(kf_host_siginfo(init_task, KF_SIGCHLD, NULL), g_tid2,
	   "jobctl.stop.last_thread_reports");
	eq(wait_nohang(pid, 0, &st), 0, "jobctl.stop.not_without_wuntraced");
	eq(wait_nohang(pid, KF_WUNTRACED, &st), pid, "jobctl.stop.wuntraced");
	eq(st, ST_STOPPED(KF_SIGSTOP), "jobctl.stop.status_137f");
	eq(wait_nohang(pid, KF_WUNTRACED, &st), 0, "jobctl.stop.reported_once");

	c0 = chld_count();
	eq(kf_kill((int)pid, KF_SIGCONT), 0, "jobctl.cont.kill");
	settle();
	tap_ok(state(pid) == 'R' && state(g_tid) == 'R' && state(g_tid2) == 'R',
	       "jobctl.cont.every_thread_runs", "%c%c%c", state(pid),
	       state(g_tid), state(g_tid2));
	eq(chld_count() - c0, 1, "jobctl.cont.one_sigchld");
	kf_host_siginfo(init_task, KF_SIGCHLD, &si);
	eq(si.code, KF_CLD_CONTINUED, "jobctl.cont.sigchld_code");
	eq(si.status, KF_SIGCONT, "jobctl.cont.sigchld_status");
	eq(wait_nohang(pid, KF_WUNTRACED, &st), 0, "jobctl.cont.not_a_stop");
	eq(wait_nohang(pid, KF_WCONTINUED, &st), pid, "jobctl.cont.wcontinued");
	eq(st, ST_CONTINUED, "jobctl.cont.status_ffff");
	eq(wait_nohang(pid, KF_WCONTINUED, &st), 0, "jobctl.cont.reported_once");

	/* init's children in init's group are an orphaned group (a child of
	 * the initial init links nothing): SIGTSTP, SIGTTIN and SIGTTOU are
	 * discarded there -- test_orphaned has them stop a job */
	for (int sig = KF_SIGTSTP; sig <= KF_SIGTTOU; sig++) {
		kf_kill((int)pid, sig);
		settle();
		tap_ok(state(pid) == 'R' && !wait_nohang(pid, KF_WUNTRACED, &st) &&
		       !(kf_host_pending(find(pid)) & SIGBIT(sig)),
		       "jobctl.stop.orphaned_tstp_ttin_ttou_discarded",
		       "sig %d: %c", sig, state(pid));
	}

	/* tgkill to one non-leader thread stops the whole group */
	eq(kf_tgkill((int)pid, (int)g_tid, KF_SIGSTOP), 0, "jobctl.stop.tgkill");
	settle();
	tap_ok(state(pid) == 'T' && state(g_tid) == 'T' && state(g_tid2) == 'T',
	       "jobctl.stop.tgkill_stops_group", "%c%c%c", state(pid),
	       state(g_tid), state(g_tid2));
	kf_host_siginfo(init_task, KF_SIGCHLD, &si);
	eq(si.pid, pid, "jobctl.stop.tgkill_sigchld_pid_is_tgid");
	eq(kf_tgkill((int)pid, (int)g_tid2, KF_SIGCONT), 0, "jobctl.cont.tgkill");
	settle();
	eq(state(g_tid), 'R', "jobctl.cont.tgkill_continues_group");
	flag = 1;
	set_ustatus(-1);
	eq(kf_wait4((int)pid, ubuf, 0, 0), pid, "jobctl.stop.reaped");
	eq(ustatus(), STATUS(5), "jobctl.stop.exit_status");
	check_leaks("jobctl.leak.group_stop");
}

/* who reports: the thread that completes the stop, even by exiting */
static void test_who_reports(void)
{
	unsigned c0;
	long pid;
	int st;

	for (int exits = 0; exits <= 1; exits++) {
		flag = flag2 = ready = 0;
		pid = spawn(slow_thread_proc, ARG(exits));
		yield_until(&ready);
		settle();
		c0 = chld_count();
		kf_kill((int)pid, KF_SIGSTOP);
		settle();
		tap_ok(state(pid) == 'T' && state(g_tid) == 'T' &&
		       state(g_tid2) == 'R', "jobctl.who.held_thread_not_stopped",
		       "%c%c%c", state(pid), state(g_tid), state(g_tid2));
		eq(chld_count(), c0, "jobctl.who.no_report_before_last");
		eq(wait_nohang(pid, KF_WUNTRACED, &st), 0,
		   "jobctl.who.no_wait_report_before_last");
		flag2 = 1;			/* the vfork child ends */
		settle();
		eq(chld_count() - c0, 1, "jobctl.who.reported");
		eq(kf_host_siginfo(init_task, KF_SIGCHLD, NULL), g_tid2,
		   exits ? "jobctl.who.exiting_thread_reports"
			 : "jobctl.who.last_to_stop_reports");
		eq(wait_nohang(pid, KF_WUNTRACED, &st), pid, "jobctl.who.wait");
		eq(st, ST_STOPPED(KF_SIGSTOP), "jobctl.who.status");
		eq(state(g_tid2), exits ? '-' : 'T', "jobctl.who.thread_state");
		reap(pid);
		kf_wait4((int)g_ret, 0, 0, 0);	/* the vfork child, now init's */
	}
	check_leaks("jobctl.leak.who");
}

/* ---- wait: once, WNOWAIT, the one report slot -------------------------------------- */

static void test_wait_reports(void)
{
	struct kf_waitinfo wi;
	long pid, other;
	int st;

	flag = 0;
	pid = spawn(loop, NULL);
	settle();
	kf_kill((int)pid, KF_SIGSTOP);
	settle();
	for (int i = 0; i < 2; i++) {
		memset(&wi, 0, sizeof(wi));
		eq(kf_waitid(KF_P_PID, (int)pid, &wi, KF_WSTOPPED | KF_WNOWAIT), 0,
		   "jobctl.wnowait.stopped");
		tap_ok(wi.code == KF_CLD_STOPPED && wi.status == KF_SIGSTOP &&
		       wi.pid == pid && wi.signo == KF_SIGCHLD,
		       "jobctl.wnowait.stopped_info", "code %d status %d pid %d",
		       wi.code, wi.status, wi.pid);
	}
	eq(wait_nohang(pid, KF_WUNTRACED, &st), pid, "jobctl.wnowait.then_consumed");
	eq(st, ST_STOPPED(KF_SIGSTOP), "jobctl.wnowait.consumed_status");
	memset(&wi, 0x55, sizeof(wi));
	eq(kf_waitid(KF_P_PID, (int)pid, &wi, KF_WSTOPPED | KF_WNOHANG), 0,
	   "jobctl.wnowait.gone_after");
	eq(wi.pid, 0, "jobctl.wnowait.gone_pid_zero");
	eq(kf_waitid(KF_P_PID, (int)pid, &wi, KF_WEXITED | KF_WNOHANG), 0,
	   "jobctl.waitid.wexited_ignores_stop");

	kf_kill((int)pid, KF_SIGCONT);
	settle();
	for (int i = 0; i < 2; i++) {
		memset(&wi, 0, sizeof(wi));
		eq(kf_waitid(KF_P_ALL, 0, &wi, KF_WCONTINUED | KF_WNOWAIT), 0,
		   "jobctl.wnowait.continued");
		tap_ok(wi.code == KF_CLD_CONTINUED && wi.status == KF_SIGCONT &&
		       wi.pid == pid, "jobctl.wnowait.continued_info",
		       "code %d status %d pid %d", wi.code, wi.status, wi.pid);
	}
	memset(&wi, 0, sizeof(wi));
	eq(kf_waitid(KF_P_PID, (int)pid, &wi, KF_WCONTINUED), 0,
	   "jobctl.waitid.continued_consumed");
	eq(wi.code, KF_CLD_CONTINUED, "jobctl.waitid.continued_code");
	eq(wait_nohang(pid, KF_WCONTINUED, &st), 0, "jobctl.waitid.continued_once");

	/* one slot: a continue replaces an unread stop report ... */
	kf_kill((int)pid, KF_SIGSTOP);
	settle();
	kf_kill((int)pid, KF_SIGCONT);
	settle();
	eq(wait_nohang(pid, KF_WUNTRACED | KF_WCONTINUED, &st), pid,
	   "jobctl.slot.cont_after_stop");
	eq(st, ST_CONTINUED, "jobctl.slot.only_continued");
	eq(wait_nohang(pid, KF_WUNTRACED | KF_WCONTINUED, &st), 0,
	   "jobctl.slot.stop_report_lost");
	/* ... and a stop an unread continue report */
	kf_kill((int)pid, KF_SIGSTOP);
	settle();
	wait_nohang(pid, KF_WUNTRACED, &st);
	kf_kill((int)pid, KF_SIGCONT);
	settle();
	kf_kill((int)pid, KF_SIGSTOP);
	settle();
	eq(wait_nohang(pid, KF_WUNTRACED | KF_WCONTINUED, &st), pid,
	   "jobctl.slot.stop_after_cont");
	eq(st, ST_STOPPED(KF_SIGSTOP), "jobctl.slot.only_stopped");
	eq(wait_nohang(pid, KF_WUNTRACED | KF_WCONTINUED, &st), 0,
	   "jobctl.slot.cont_report_lost");

	/* a stopped child killed: SIGKILL needs no SIGCONT; the exit wins */
	kf_kill((int)pid, KF_SIGKILL);
	set_ustatus(-1);
	eq(kf_wait4((int)pid, ubuf, KF_WUNTRACED | KF_WCONTINUED, 0), pid,
	   "jobctl.kill_stopped.reaped");
	eq(ustatus(), KF_SIGKILL, "jobctl.kill_stopped.status");

	/* WSTOPPED on an only child that is a zombie: ECHILD, even blocking */
	pid = spawn(ret_arg, ARG(1));
	settle();
	eq(kf_waitid(KF_P_ALL, 0, &wi, KF_WSTOPPED | KF_WNOHANG), -KF_ECHILD,
	   "jobctl.zombie.wstopped_echild");
	eq(kf_waitid(KF_P_PID, (int)pid, &wi, KF_WSTOPPED | KF_WCONTINUED), -KF_ECHILD,
	   "jobctl.zombie.wstopped_blocking_echild");
	eq(kf_wait4((int)pid, 0, KF_WUNTRACED | KF_WNOHANG, 0), pid,
	   "jobctl.zombie.wait4_reaps");	/* wait4 always has WEXITED */
	/* with a live child beside it, nothing yet */
	flag = 0;
	other = spawn(loop, NULL);
	pid = spawn(ret_arg, ARG(1));
	settle();
	memset(&wi, 0x55, sizeof(wi));
	eq(kf_waitid(KF_P_ALL, 0, &wi, KF_WSTOPPED | KF_WNOHANG), 0,
	   "jobctl.zombie.live_child_waitable");
	eq(wi.pid, 0, "jobctl.zombie.live_child_pid_zero");
	flag = 1;
	kf_wait4((int)other, 0, 0, 0);
	kf_wait4((int)pid, 0, 0, 0);
	check_leaks("jobctl.leak.wait");
}

/* leader_exits_early - the leader exits (3) while a thread loops */
static int leader_exits_early(void *arg)
{
	(void)arg;
	g_tid = spawn_clone(THREAD_FLAGS, 0, loop, NULL, 0);
	ready = 1;
	return 3;
}

/* a zombie leader whose thread lives can still stop and report */
static void test_zombie_leader_stop(void)
{
	struct kf_siginfo si;
	long pid;
	int st;

	flag = ready = 0;
	pid = spawn(leader_exits_early, NULL);
	yield_until(&ready);
	settle();
	eq(state(pid), 'Z', "jobctl.zleader.leader_zombie");
	eq(kf_kill((int)pid, KF_SIGSTOP), 0, "jobctl.zleader.kill");
	settle();
	eq(state(g_tid), 'T', "jobctl.zleader.thread_stopped");
	kf_host_siginfo(init_task, KF_SIGCHLD, &si);
	tap_ok(si.code == KF_CLD_STOPPED && si.pid == pid,
	       "jobctl.zleader.sigchld", "code %d pid %d", si.code, si.pid);
	eq(wait_nohang(pid, KF_WUNTRACED, &st), pid, "jobctl.zleader.wait");
	eq(st, ST_STOPPED(KF_SIGSTOP), "jobctl.zleader.status");
	reap(pid);
	check_leaks("jobctl.leak.zleader");
}

/* ---- SA_NOCLDSTOP, SIG_IGN, and the no-ops ---------------------------------------- */

static void test_nocldstop(void)
{
	struct kf_siginfo si;
	unsigned c0;
	long pid;
	int st;

	flag = 0;
	pid = spawn(loop, NULL);
	settle();
	set_action(KF_SIGCHLD, FAKE_HANDLER, KF_SA_NOCLDSTOP);
	c0 = chld_count();
	kf_kill((int)pid, KF_SIGSTOP);
	settle();
	eq(chld_count(), c0, "jobctl.nocldstop.no_sigchld_on_stop");
	eq(wait_nohang(pid, KF_WUNTRACED, &st), pid, "jobctl.nocldstop.still_reported");
	eq(st, ST_STOPPED(KF_SIGSTOP), "jobctl.nocldstop.stop_status");
	kf_kill((int)pid, KF_SIGCONT);
	settle();
	eq(chld_count(), c0, "jobctl.nocldstop.no_sigchld_on_cont");
	eq(wait_nohang(pid, KF_WCONTINUED, &st), pid, "jobctl.nocldstop.cont_reported");
	kf_kill((int)pid, KF_SIGKILL);
	kf_wait4((int)pid, 0, 0, 0);
	eq(chld_count() - c0, 1, "jobctl.nocldstop.exit_still_signals");
	kf_host_siginfo(init_task, KF_SIGCHLD, &si);
	eq(si.code, KF_CLD_KILLED, "jobctl.nocldstop.exit_cld_killed");

	/* SIGCHLD ignored: stops are still reported, exits reap themselves */
	pid = spawn(loop, NULL);
	settle();
	set_action(KF_SIGCHLD, KF_SIG_IGN, 0);
	c0 = chld_count();
	kf_kill((int)pid, KF_SIGSTOP);
	settle();
	eq(chld_count(), c0, "jobctl.sigign.no_sigchld");
	eq(wait_nohang(pid, KF_WUNTRACED, &st), pid, "jobctl.sigign.stop_reported");
	kf_kill((int)pid, KF_SIGKILL);
	settle();
	eq(kf_wait4((int)pid, 0, KF_WNOHANG, 0), -KF_ECHILD, "jobctl.sigign.autoreaped");
	set_action(KF_SIGCHLD, KF_SIG_DFL, 0);
	kf_host_sigdequeue();
	check_leaks("jobctl.leak.nocldstop");
}

/* catcher - a child with handlers for SIGTSTP and SIGCONT (never run: the
 * test reads what stays pending) */
static int catcher(void *arg)
{
	set_action(KF_SIGTSTP, FAKE_HANDLER, 0);
	set_action(KF_SIGCONT, (uintptr_t)arg, 0);
	ready = 1;
	return loop(NULL);
}

static void test_noops_and_discards(void)
{
	struct kf_task *t;
	unsigned c0;
	long pid;
	int st;

	/* SIGCONT to a running process: no SIGCHLD, no report */
	flag = 0;
	pid = spawn(loop, NULL);
	settle();
	c0 = chld_count();
	kf_kill((int)pid, KF_SIGCONT);
	settle();
	eq(chld_count(), c0, "jobctl.noop.cont_running_no_sigchld");
	eq(wait_nohang(pid, KF_WCONTINUED, &st), 0, "jobctl.noop.cont_running_no_report");

	/* a stop signal to a stopped process: nothing new, it waits in the
	 * queue and the next SIGCONT discards it */
	kf_kill((int)pid, KF_SIGSTOP);
	settle();
	wait_nohang(pid, KF_WUNTRACED, &st);
	c0 = chld_count();
	kf_kill((int)pid, KF_SIGTSTP);
	settle();
	t = find(pid);
	eq(chld_count(), c0, "jobctl.noop.stop_stopped_no_sigchld");
	eq(wait_nohang(pid, KF_WUNTRACED, &st), 0, "jobctl.noop.stop_stopped_no_report");
	tap_ok(kf_host_pending(t) & SIGBIT(KF_SIGTSTP),
	       "jobctl.noop.stop_stopped_stays_pending", NULL);
	kf_kill((int)pid, KF_SIGCONT);
	settle();
	eq(state(pid), 'R', "jobctl.noop.cont_runs_despite_pending_stop");
	tap_ok(!(kf_host_pending(t) & SIGBIT(KF_SIGTSTP)),
	       "jobctl.noop.cont_discards_pending_stop", NULL);
	reap(pid);

	/* discards happen when sent: a SIGCONT drops pending (caught) stop
	 * signals, a stop signal a pending SIGCONT */
	flag = ready = 0;
	pid = spawn(catcher, (void *)FAKE_HANDLER);
	yield_until(&ready);
	t = find(pid);
	kf_kill((int)pid, KF_SIGTSTP);
	settle();
	eq(state(pid), 'R', "jobctl.discard.caught_tstp_no_stop");
	tap_ok(kf_host_pending(t) & SIGBIT(KF_SIGTSTP), "jobctl.discard.tstp_pending", NULL);
	kf_kill((int)pid, KF_SIGCONT);
	tap_ok(!(kf_host_pending(t) & SIGBIT(KF_SIGTSTP)) &&
	       (kf_host_pending(t) & SIGBIT(KF_SIGCONT)),
	       "jobctl.discard.cont_drops_tstp", "%#llx",
	       (unsigned long long)kf_host_pending(t));
	kf_kill((int)pid, KF_SIGTSTP);
	tap_ok(!(kf_host_pending(t) & SIGBIT(KF_SIGCONT)),
	       "jobctl.discard.tstp_drops_cont", NULL);
	kf_kill((int)pid, KF_SIGCONT);
	kf_kill((int)pid, KF_SIGSTOP);
	settle();
	eq(state(pid), 'T', "jobctl.discard.stop_with_cont_pending");
	tap_ok(!(kf_host_pending(t) & SIGBIT(KF_SIGCONT)),
	       "jobctl.discard.stop_drops_cont", NULL);
	reap(pid);

	/* SIGCONT ignored still continues, and still tells the parent */
	flag = ready = 0;
	pid = spawn(catcher, (void *)KF_SIG_IGN);
	yield_until(&ready);
	kf_kill((int)pid, KF_SIGSTOP);
	settle();
	wait_nohang(pid, KF_WUNTRACED, &st);
	c0 = chld_count();
	kf_kill((int)pid, KF_SIGCONT);
	settle();
	eq(state(pid), 'R', "jobctl.cont_ignored.continues");
	eq(chld_count() - c0, 1, "jobctl.cont_ignored.sigchld");
	eq(wait_nohang(pid, KF_WCONTINUED, &st), pid, "jobctl.cont_ignored.reported");
	reap(pid);
	check_leaks("jobctl.leak.discards");
}

/* ignorer - SIGSTOP cannot be ignored, the others can */
static int ignorer(void *arg)
{
	(void)arg;
	set_action(KF_SIGTSTP, KF_SIG_IGN, 0);
	ready = 1;
	return loop(NULL);
}

static void test_ignored_and_init(void)
{
	struct kf_task *t;
	long pid;

	flag = ready = 0;
	pid = spawn(ignorer, NULL);
	yield_until(&ready);
	t = find(pid);
	kf_kill((int)pid, KF_SIGTSTP);
	settle();
	tap_ok(state(pid) == 'R' && !(kf_host_pending(t) & SIGBIT(KF_SIGTSTP)),
	       "jobctl.ignored.tstp_dropped", "%c", state(pid));
	kf_kill((int)pid, KF_SIGSTOP);
	settle();
	eq(state(pid), 'T', "jobctl.ignored.sigstop_still_stops");
	reap(pid);

	/* the kernel's own stop and continue (kf_signal_send), and a user
	 * signal to a task in hand (kf_kill_task, pidfd_send_signal's) */
	flag = 0;
	pid = spawn(loop, NULL);
	settle();
	t = find(pid);
	kf_task_get(t);
	kf_signal_send(t, KF_SIGSTOP, NULL, true);
	settle();
	eq(state(pid), 'T', "jobctl.send.kernel_stop");
	eq(kf_kill_task(t, KF_SIGCONT, NULL, KF_KILL_PROCESS), 0, "jobctl.kill_task.cont");
	settle();
	eq(state(pid), 'R', "jobctl.kill_task.continued");
	eq(kf_kill_task(t, 99, NULL, KF_KILL_PROCESS), -KF_EINVAL, "jobctl.kill_task.einval");
	reap(pid);
	eq(kf_kill_task(t, 0, NULL, KF_KILL_THREAD), -KF_ESRCH, "jobctl.kill_task.reaped_esrch");
	kf_task_put(t);
	kf_signal_send(init_task, KF_SIGSTOP, NULL, true);
	tap_ok(!(kf_host_pending(init_task) & SIGBIT(KF_SIGSTOP)),
	       "jobctl.send.global_init_never_stops", NULL);

	/* the initial namespace's init never takes SIGSTOP, even its own */
	eq(kf_kill(1, KF_SIGSTOP), 0, "jobctl.init.sigstop_accepted");
	tap_ok(!(kf_host_pending(init_task) & SIGBIT(KF_SIGSTOP)),
	       "jobctl.init.sigstop_dropped", NULL);
	kf_host_check_signals();
	eq(state(1), 'R', "jobctl.init.not_stopped");
	check_leaks("jobctl.leak.ignored");
}

/* ---- process groups and sessions ------------------------------------------------------ */

static int do_setsid(void *arg)
{
	g_ret = kf_setsid();
	g_ret2 = kf_getsid(0);
	ready = 1;
	return loop(arg);
}

static int execs(void *arg)
{
	struct kf_mm *mm = kf_mm_create();

	if (mm)
		kf_exec_mm(mm);
	ready = 1;
	return loop(arg);
}

/* child_checks - run by a child: its parent and grandchild are not its
 * to move */
static int child_checks(void *arg)
{
	long gc;

	(void)arg;
	g_ret = kf_setpgid((int)kf_getppid(), 0);
	gc = spawn(loop, NULL);
	g_pid2 = gc;
	ready = 1;
	return loop(NULL);
}

/* back_and_forth - in a group of our own, move a child into its own
 * group and back into ours */
static int back_and_forth(void *arg)
{
	(void)arg;
	kf_setpgid(0, 0);
	g_pid2 = spawn(loop, NULL);
	g_ret = kf_setpgid((int)g_pid2, (int)g_pid2);
	g_ret2 = kf_setpgid((int)g_pid2, (int)kf_getpid());
	if (kf_getpgid((int)g_pid2) != kf_getpid())
		g_ret2 = -1000;
	ready = 1;
	return loop(NULL);
}

/* session_leader_checks - setsid, then what a session leader may not do */
static int session_leader_checks(void *arg)
{
	(void)arg;
	kf_setsid();
	g_ret = kf_setpgid(0, 0);
	g_ret2 = kf_setsid();
	ready = 1;
	return loop(NULL);
}

/* group_leader_setsid - setpgid(0,0), then setsid: a group with our id
 * exists (our own), EPERM */
static int group_leader_setsid(void *arg)
{
	(void)arg;
	g_ret = kf_setpgid(0, 0);
	g_ret2 = kf_setsid();
	ready = 1;
	return loop(NULL);
}

static void test_setpgid(void)
{
	long a, b, c, mine = kf_getpgid(0);

	eq(kf_getpgid(0), 0, "jobctl.pgrp.init_in_group_0");
	eq(kf_getsid(0), 0, "jobctl.pgrp.init_in_session_0");
	eq(kf_setpgid(0, -1), -KF_EINVAL, "jobctl.setpgid.einval_negative");
	eq(kf_setpgid(-1, 0), -KF_EINVAL, "jobctl.setpgid.einval_negative_pid");
	eq(kf_setpgid(99999, 5), -KF_ESRCH, "jobctl.setpgid.esrch_unknown");
	eq(kf_getpgid(99999), -KF_ESRCH, "jobctl.getpgid.esrch");
	eq(kf_getsid(99999), -KF_ESRCH, "jobctl.getsid.esrch");
	eq(kf_getpgid(-1), -KF_ESRCH, "jobctl.getpgid.esrch_negative");

	/* a child: into a group of its own and back */
	flag = 0;
	a = spawn(loop, NULL);
	eq(kf_getpgid((int)a), mine, "jobctl.setpgid.child_inherits");
	eq(kf_setpgid((int)a, (int)a), 0, "jobctl.setpgid.child_own_group");
	eq(kf_getpgid((int)a), a, "jobctl.setpgid.child_group_is_pid");
	eq(kf_setpgid((int)a, 0), 0, "jobctl.setpgid.zero_means_pid");
	eq(kf_setpgid((int)a, 1), -KF_EPERM, "jobctl.setpgid.eperm_pid_not_a_group");
	eq(kf_setpgid((int)a, 77777), -KF_EPERM, "jobctl.setpgid.eperm_no_such_group");
	/* a second child joins a's group; a's number stays taken once a is
	 * reaped, as long as b is in it */
	b = spawn(loop, NULL);
	eq(kf_setpgid((int)b, (int)a), 0, "jobctl.setpgid.join_group");
	eq(kf_getpgid((int)b), a, "jobctl.setpgid.joined");
	kf_kill((int)a, KF_SIGKILL);
	kf_wait4((int)a, 0, 0, 0);
	tap_ok(!find(a), "jobctl.pgrp.leader_reaped", NULL);
	eq(kf_getpgid((int)b), a, "jobctl.pgrp.group_outlives_leader");
	c = spawn(loop, NULL);
	eq(kf_setpgid((int)c, (int)a), 0, "jobctl.pgrp.join_leaderless_group");
	eq(kf_kill(-(int)a, 0), 0, "jobctl.pgrp.leaderless_group_killable");
	reap(b);
	reap(c);
	eq(kf_kill(-(int)a, 0), -KF_ESRCH, "jobctl.pgrp.empty_group_esrch");

	/* into a group of its own and back to its parent's */
	flag = ready = 0;
	a = spawn(back_and_forth, NULL);
	yield_until(&ready);
	eq(g_ret, 0, "jobctl.setpgid.child_away");
	eq(g_ret2, 0, "jobctl.setpgid.child_back");
	kf_kill((int)g_pid2, KF_SIGKILL);
	reap(a);
	kf_wait4((int)g_pid2, 0, 0, 0);	/* the grandchild, now init's */

	/* a non-leader thread: EINVAL */
	flag = ready = 0;
	a = spawn(three_threads, NULL);
	yield_until(&ready);
	eq(kf_setpgid((int)g_tid, 0), -KF_EINVAL, "jobctl.setpgid.einval_thread");
	eq(kf_getpgid((int)g_tid), mine, "jobctl.getpgid.of_thread");
	reap(a);

	/* after exec: EACCES */
	flag = ready = 0;
	a = spawn(execs, NULL);
	yield_until(&ready);
	eq(kf_setpgid((int)a, (int)a), -KF_EACCES, "jobctl.setpgid.eacces_after_exec");
	reap(a);

	/* neither self nor child: ESRCH (the parent, a grandchild) */
	flag = ready = 0;
	a = spawn(child_checks, NULL);
	yield_until(&ready);
	eq(g_ret, -KF_ESRCH, "jobctl.setpgid.esrch_parent");
	eq(kf_setpgid((int)g_pid2, 0), -KF_ESRCH, "jobctl.setpgid.esrch_grandchild");
	flag = 1;
	kf_wait4((int)a, 0, 0, 0);	/* the grandchild goes to init */
	kf_wait4((int)g_pid2, 0, 0, 0);

	/* a child in a session of its own: EPERM, and not a group to join */
	flag = ready = 0;
	a = spawn(do_setsid, NULL);
	yield_until(&ready);
	eq(g_ret, a, "jobctl.setsid.returns_sid");
	eq(g_ret2, a, "jobctl.setsid.getsid");
	eq(kf_getsid((int)a), a, "jobctl.getsid.other_session_visible");
	eq(kf_getpgid((int)a), a, "jobctl.setsid.new_group");
	eq(kf_setpgid((int)a, (int)a), -KF_EPERM, "jobctl.setpgid.eperm_other_session");
	b = spawn(loop, NULL);
	eq(kf_setpgid((int)b, (int)a), -KF_EPERM,
	   "jobctl.setpgid.eperm_group_in_other_session");
	reap(a);
	reap(b);

	flag = ready = 0;
	a = spawn(session_leader_checks, NULL);
	yield_until(&ready);
	eq(g_ret, -KF_EPERM, "jobctl.setpgid.eperm_session_leader");
	eq(g_ret2, -KF_EPERM, "jobctl.setsid.eperm_session_leader");
	reap(a);

	flag = ready = 0;
	a = spawn(group_leader_setsid, NULL);
	yield_until(&ready);
	eq(g_ret, 0, "jobctl.setsid.group_leader_setpgid");
	eq(g_ret2, -KF_EPERM, "jobctl.setsid.eperm_group_leader");
	reap(a);

	/* a member of someone else's group: setsid makes sid = pgid = pid */
	flag = ready = 0;
	a = spawn(do_setsid, NULL);
	yield_until(&ready);
	eq(g_ret, a, "jobctl.setsid.member_ok");
	tap_ok(kf_getpgid((int)a) == a && kf_getsid((int)a) == a,
	       "jobctl.setsid.sid_pgid_pid", NULL);
	{
		struct kf_task_info ti;

		kf_task_info(find(a), &ti);
		tap_ok(ti.pgid == a && ti.sid == a, "jobctl.setsid.task_info",
		       "%d %d", ti.pgid, ti.sid);
	}
	reap(a);
	check_leaks("jobctl.leak.setpgid");
}

/* ns_child - pid 1 of a new pid namespace: its group and session are
 * outside, so it sees 0; setsid makes them its own */
static int ns_child(void *arg)
{
	(void)arg;
	g_ret = kf_getpgid(0) * 1000 + kf_getsid(0);
	g_ret2 = kf_setsid();
	g_pid2 = kf_getpgid(0) * 1000 + kf_getsid(0);
	ready = 1;
	return loop(NULL);
}

static void test_pgrp_pidns(void)
{
	long a;

	if (!CONFIG_KF_PID_NS)
		return;
	flag = ready = 0;
	kf_setpgid(0, 0);	/* init gets a group visible from nowhere below */
	a = spawn_clone(KF_CLONE_NEWPID, KF_SIGCHLD, ns_child, NULL, 0);
	yield_until(&ready);
	eq(g_ret, 0, "jobctl.pidns.outer_group_invisible");
	eq(g_ret2, 1, "jobctl.pidns.setsid_is_1");
	eq(g_pid2, 1001, "jobctl.pidns.own_group_and_session");
	eq(kf_getpgid((int)a), a, "jobctl.pidns.parent_sees_outer_number");
	reap(a);
	check_leaks("jobctl.leak.pgrp_pidns");
}

/* ---- kill ---------------------------------------------------------------------------------- */

/* group_of_two - a group leader A (this) with a member B, then A kills 0 */
static int group_of_two(void *arg)
{
	(void)arg;
	kf_setpgid(0, 0);
	g_pid2 = spawn(loop, NULL);
	g_ret = kf_kill(0, KF_SIGUSR1);
	ready = 1;
	return loop(NULL);
}

/* as_user - this process becomes uid 12345, then kills g_pid (arg 1: the
 * group -g_pid; 2: SIGCONT; 3: kill(-1)) */
static int as_user(void *arg)
{
	int how = (int)(intptr_t)arg;

	kf_setuid(UID_OTHER);
	if (how == 0)
		g_ret = kf_kill((int)g_pid, KF_SIGUSR1);
	else if (how == 1)
		g_ret = kf_kill(-(int)g_pid, KF_SIGUSR1);
	else if (how == 2)
		g_ret = kf_kill((int)g_pid, KF_SIGCONT);
	else
		g_ret = kf_kill(-1, KF_SIGUSR1);
	g_ret2 = kf_kill((int)g_pid, 0);
	ready = 1;
	return loop(NULL);
}

static int user_loop(void *arg)
{
	kf_setuid(UID_OTHER);
	ready = 1;
	return loop(arg);
}

/* catch_usr - a handler for SIGUSR1 and SIGUSR2 (inherited by the
 * tasks a test spawns), so that sending them only queues them: at SIG_DFL
 * they would kill their target at once (test_fatal_at_send). */
static void catch_usr(bool on)
{
	set_action(KF_SIGUSR1, on ? FAKE_HANDLER : KF_SIG_DFL, 0);
	set_action(KF_SIGUSR2, on ? FAKE_HANDLER : KF_SIG_DFL, 0);
}

static void test_kill(void)
{
	struct kf_siginfo si;
	long a, b, u, s;

	catch_usr(true);
	eq(kf_kill(99999, 0), -KF_ESRCH, "jobctl.kill.esrch");
	eq(kf_kill(99999, 99), -KF_ESRCH, "jobctl.kill.esrch_before_einval");
	eq(kf_kill(1, 99), -KF_EINVAL, "jobctl.kill.einval");
	eq(kf_kill(1, -1), -KF_EINVAL, "jobctl.kill.einval_negative");
	eq(kf_kill(-99999, 0), -KF_ESRCH, "jobctl.kill.esrch_group");
	eq(kf_kill(INT_MIN, 0), -KF_ESRCH, "jobctl.kill.esrch_int_min");
	eq(kf_tkill(0, 0), -KF_EINVAL, "jobctl.tkill.einval_tid");
	eq(kf_tkill(99999, 99), -KF_ESRCH, "jobctl.tkill.esrch_before_einval");
	eq(kf_tgkill(0, 1, 0), -KF_EINVAL, "jobctl.tgkill.einval_tgid");
	eq(kf_tgkill(1, 99999, 99), -KF_ESRCH, "jobctl.tgkill.esrch");
	eq(kf_tgkill(1, 1, 99), -KF_EINVAL, "jobctl.tgkill.einval_sig");
	eq(kf_tgkill(2, 1, 0), -KF_ESRCH, "jobctl.tgkill.esrch_wrong_tgid");

	/* kill(tid) of a thread signals its process (SI_USER) */
	flag = ready = 0;
	a = spawn(three_threads, NULL);
	yield_until(&ready);
	eq(kf_kill((int)g_tid, KF_SIGUSR1), 0, "jobctl.kill.thread_id");
	tap_ok(kf_host_group_pending(find(g_tid)) & SIGBIT(KF_SIGUSR1),
	       "jobctl.kill.thread_id_signals_process", NULL);
	kf_host_siginfo(find(g_tid), KF_SIGUSR1, &si);
	tap_ok(si.code == KF_SI_USER && si.pid == 1 && si.uid == 0,
	       "jobctl.kill.si_user", "code %d pid %d uid %d", si.code, si.pid,
	       si.uid);
	eq(kf_tkill((int)g_tid, KF_SIGUSR2), 0, "jobctl.tkill.thread");
	kf_host_siginfo(find(g_tid), KF_SIGUSR2, &si);
	eq(si.code, KF_SI_TKILL, "jobctl.tkill.si_tkill");
	tap_ok((kf_host_pending(find(g_tid)) & SIGBIT(KF_SIGUSR2)) &&
	       !(kf_host_group_pending(find(g_tid)) & SIGBIT(KF_SIGUSR2)),
	       "jobctl.tkill.to_the_thread_only", NULL);
	reap(a);

	/* kill(0) reaches every member of the caller's group, the caller too */
	flag = ready = 0;
	a = spawn(group_of_two, NULL);
	yield_until(&ready);
	eq(g_ret, 0, "jobctl.kill0.ok");
	tap_ok(kf_host_sigcount(find(a), KF_SIGUSR1) == 1 &&
	       kf_host_sigcount(find(g_pid2), KF_SIGUSR1) == 1,
	       "jobctl.kill0.caller_and_member", NULL);
	eq(kf_host_sigcount(init_task, KF_SIGUSR1), 0, "jobctl.kill0.not_outside");
	eq(kf_kill(-(int)a, KF_SIGUSR2), 0, "jobctl.killpg.from_outside");
	tap_ok(kf_host_sigcount(find(a), KF_SIGUSR2) == 1 &&
	       kf_host_sigcount(find(g_pid2), KF_SIGUSR2) == 1,
	       "jobctl.killpg.every_member", NULL);
	b = g_pid2;
	reap(a);
	reap(b);

	/* permission: uid 12345 against root */
	flag = ready = 0;
	g_pid = a = spawn(loop, NULL);
	u = spawn(as_user, ARG(0));
	yield_until(&ready);
	eq(g_ret, -KF_EPERM, "jobctl.perm.eperm");
	eq(g_ret2, -KF_EPERM, "jobctl.perm.eperm_sig0");
	reap(u);
	/* a group of {root, uid 12345}: 0, and only the one it may signal */
	kf_setpgid((int)a, (int)a);
	ready = 0;
	b = spawn(user_loop, NULL);
	yield_until(&ready);
	kf_setpgid((int)b, (int)a);
	ready = 0;
	u = spawn(as_user, ARG(1));
	yield_until(&ready);
	eq(g_ret, 0, "jobctl.perm.mixed_group_ok");
	tap_ok(kf_host_sigcount(find(b), KF_SIGUSR1) == 1 &&
	       kf_host_sigcount(find(a), KF_SIGUSR1) == 0,
	       "jobctl.perm.mixed_group_only_permitted", NULL);
	reap(b);
	reap(u);
	/* an all-root group: EPERM */
	ready = 0;
	u = spawn(as_user, ARG(1));
	yield_until(&ready);
	eq(g_ret, -KF_EPERM, "jobctl.perm.root_group_eperm");
	reap(u);
	/* SIGCONT: allowed within the session, not across */
	ready = 0;
	u = spawn(as_user, ARG(2));
	yield_until(&ready);
	eq(g_ret, 0, "jobctl.perm.sigcont_same_session");
	reap(u);
	reap(a);
	ready = 0;
	g_pid = s = spawn(do_setsid, NULL);
	yield_until(&ready);
	ready = 0;
	u = spawn(as_user, ARG(2));
	yield_until(&ready);
	eq(g_ret, -KF_EPERM, "jobctl.perm.sigcont_other_session");
	reap(u);
	reap(s);
	/* kill(-1) as uid 12345 with only root targets: 0, nothing sent */
	ready = 0;
	g_pid = a = spawn(loop, NULL);
	u = spawn(as_user, ARG(3));
	yield_until(&ready);
	eq(g_ret, 0, "jobctl.perm.kill_all_eperm_is_0");
	eq(kf_host_sigcount(find(a), KF_SIGUSR1), 0, "jobctl.perm.kill_all_nothing_sent");
	eq(kf_host_sigcount(init_task, KF_SIGUSR1), 0, "jobctl.perm.kill_all_not_init");
	reap(u);

	/* kill(-1) from init: everyone else, not init itself */
	b = spawn(loop, NULL);
	eq(kf_kill(-1, KF_SIGUSR2), 0, "jobctl.killall.ok");
	tap_ok(kf_host_sigcount(find(a), KF_SIGUSR2) == 1 &&
	       kf_host_sigcount(find(b), KF_SIGUSR2) == 1,
	       "jobctl.killall.others", NULL);
	eq(kf_host_sigcount(init_task, KF_SIGUSR2), 0, "jobctl.killall.not_self");
	eq(kf_kill(-1, 99), -KF_EINVAL, "jobctl.killall.einval");
	reap(a);
	reap(b);
	eq(kf_kill(-1, 0), -KF_ESRCH, "jobctl.killall.esrch_alone");
	kf_host_sigdequeue();
	catch_usr(false);
	check_leaks("jobctl.leak.kill");
}

/* ---- a signal that kills, sent: the group exit starts at once ---------------- */

/* killed - has @tid SIGKILL pending? */
static bool killed(long tid)
{
	return kf_host_pending(find(tid)) & SIGBIT(KF_SIGKILL);
}

/*
 * A signal whose default action kills, sent to one thread of a group at
 * SIG_DFL, starts the group exit before the send returns (Linux's
 * complete_signal): the group's code is the signal, every thread has
 * SIGKILL pending, and wait reports the signal.  With a handler, a core
 * dumping default or an ignoring one it is only queued; a stopped group
 * keeps it pending.
 */
static void test_fatal_at_send(void)
{
	long a;
	int st;

	flag = ready = 0;
	a = spawn(three_threads, NULL);
	yield_until(&ready);
	eq(kf_tkill((int)g_tid, KF_SIGTERM), 0, "jobctl.fatal.tkill_ok");
	tap_ok(killed(a) && killed(g_tid) && killed(g_tid2),
	       "jobctl.fatal.every_thread_sigkill_at_send", NULL);
	eq(kf_wait4((int)a, ubuf, KF___WALL, 0), a, "jobctl.fatal.reaped");
	eq(ustatus(), KF_SIGTERM, "jobctl.fatal.status_is_the_signal");

	/* a handler, SIGCHLD (ignore) and SIGQUIT (core): only queued */
	flag = ready = 0;
	catch_usr(true);
	a = spawn(three_threads, NULL);
	yield_until(&ready);
	kf_kill((int)a, KF_SIGUSR1);
	kf_kill((int)a, KF_SIGCHLD);
	kf_kill((int)a, KF_SIGQUIT);
	tap_ok(!killed(a) && !killed(g_tid) && !killed(g_tid2),
	       "jobctl.fatal.handler_ignore_core_queued", NULL);
	/* a thread with a signal to act on pending takes that one first:
	 * a fatal one for it alone waits its turn (wants_signal) */
	kf_tkill((int)g_tid, KF_SIGUSR2);
	kf_tkill((int)g_tid, KF_SIGTERM);
	tap_ok(!killed(g_tid) && !killed(g_tid2),
	       "jobctl.fatal.busy_thread_waits", NULL);
	reap(a);
	catch_usr(false);

	/* a stopped group: SIGTERM stays pending, SIGKILL ends it */
	flag = ready = 0;
	a = spawn(three_threads, NULL);
	yield_until(&ready);
	kf_kill((int)a, KF_SIGSTOP);
	st = kf_wait4((int)a, ubuf, KF_WUNTRACED, 0) == a ? ustatus() : -1;
	eq(st, 0x137f, "jobctl.fatal.stopped");
	kf_kill((int)a, KF_SIGTERM);
	tap_ok(!killed(a) && state(a) == 'T',
	       "jobctl.fatal.stopped_keeps_it_pending", NULL);
	reap(a);
	check_leaks("jobctl.leak.fatal");
}

/* ns_kill_all - pid 1 of a new namespace with two children: kill(-1)
 * reaches both and not itself; then a child's kill(-1) the other one */
static int ns_kill_child(void *arg)
{
	(void)arg;
	while (!go)
		kf_host_yield();
	g_ret2 = kf_kill(-1, KF_SIGUSR2);
	ready = 1;
	return loop(NULL);
}

static int ns_kill_all(void *arg)
{
	long c1, c2;

	(void)arg;
	while (kf_host_sigdequeue())
		;			/* the parent's SIGHUP: forks need none */
	g_ret = kf_kill(-1, KF_SIGUSR1);	/* alone: ESRCH */
	c1 = spawn(loop, NULL);
	c2 = spawn(ns_kill_child, NULL);
	g_pid = kf_kill(-1, KF_SIGUSR1);
	g_pid2 = kf_host_sigcount(find(c1), KF_SIGUSR1) * 100 +
		 kf_host_sigcount(find(c2), KF_SIGUSR1) * 10 +
		 kf_host_sigcount(kf_os_current(), KF_SIGUSR1);
	go = 1;
	yield_until(&ready);
	g_tid = kf_host_sigcount(find(c1), KF_SIGUSR2) * 100 +
		kf_host_sigcount(find(c2), KF_SIGUSR2) * 10 +
		kf_host_sigcount(kf_os_current(), KF_SIGUSR2);
	flag = 1;
	kf_wait4(-1, 0, 0, 0);
	kf_wait4(-1, 0, 0, 0);
	return 0;
}

static void test_kill_pidns(void)
{
	struct kf_siginfo si;
	long n;

	if (!CONFIG_KF_PID_NS)
		return;
	flag = ready = go = 0;
	catch_usr(true);
	n = spawn_clone(KF_CLONE_NEWPID, KF_SIGCHLD, ns_kill_all, NULL, 0);
	kf_kill((int)n, KF_SIGHUP);	/* from the parent namespace */
	kf_host_siginfo(find(n), KF_SIGHUP, &si);
	eq(si.pid, 0, "jobctl.pidns.si_pid_zero_from_ancestor");
	eq(kf_wait4((int)n, 0, 0, 0), n, "jobctl.pidns.kill_all_done");
	eq(g_ret, -KF_ESRCH, "jobctl.pidns.kill_all_init_alone_esrch");
	eq(g_pid, 0, "jobctl.pidns.kill_all_ok");
	eq(g_pid2, 110, "jobctl.pidns.kill_all_children_not_init");
	eq(g_ret2, 0, "jobctl.pidns.kill_all_from_child_ok");
	eq(g_tid, 100, "jobctl.pidns.kill_all_from_child_others_not_init");
	catch_usr(false);
	check_leaks("jobctl.leak.kill_pidns");
}

/* ---- orphaned process groups ----------------------------------------------------------- */

/*
 * linker - A: setsid (unless arg has bit 1: stay in the caller's session,
 * with a group of its own), then fork C into a group of C's own (the
 * group's link is A, another group of the same session).  A exits at
 * flag2, making C's group orphaned -- unless C goes to a subreaper of the
 * same session.  C's pid in g_pid.
 */
static int linker(void *arg)
{
	int how = (int)(intptr_t)arg;

	if (how & 2)
		kf_setpgid(0, 0);
	else
		kf_setsid();
	g_pid = spawn(loop, NULL);
	kf_setpgid((int)g_pid, (int)g_pid);
	ready = 1;
	while (!flag2)
		kf_host_yield();
	return 0;
}

/* subreaper - S: a session of its own, a subreaper, parent of A */
static int subreaper(void *arg)
{
	kf_setsid();
	kf_set_child_subreaper(true);
	g_pid2 = spawn(linker, arg);
	while (!flag)
		kf_host_yield();
	kf_wait4(-1, 0, 0, 0);
	kf_wait4(-1, 0, 0, 0);
	return 0;
}

static void test_orphaned(void)
{
	struct kf_siginfo si;
	unsigned c0, cont0;
	long a, c, s;
	int st;

	/* stopped member, link exits: SIGHUP then SIGCONT; init hears */
	flag = flag2 = ready = 0;
	a = spawn(linker, ARG(0));
	yield_until(&ready);
	c = g_pid;
	/* a job with a link: each stop signal stops it (and its parent, the
	 * link, hears) */
	for (int sig = KF_SIGTSTP; sig <= KF_SIGTTOU; sig++) {
		unsigned h0 = kf_host_sigcount(find(a), KF_SIGCHLD);
		struct kf_siginfo si2;

		kf_kill((int)c, sig);
		settle();
		kf_host_siginfo(find(a), KF_SIGCHLD, &si2);
		tap_ok(state(c) == 'T' && kf_host_sigcount(find(a), KF_SIGCHLD) == h0 + 1 &&
		       si2.code == KF_CLD_STOPPED && si2.status == sig,
		       "jobctl.stop.tstp_ttin_ttou", "sig %d: %c code %d status %d",
		       sig, state(c), si2.code, si2.status);
		kf_kill((int)c, KF_SIGCONT);
		settle();
	}
	kf_kill((int)c, KF_SIGSTOP);
	settle();
	eq(state(c), 'T', "jobctl.orphan.member_stopped");
	eq(kf_host_sigcount(find(c), KF_SIGHUP), 0, "jobctl.orphan.no_hup_yet");
	c0 = chld_count();
	cont0 = kf_host_sigcount(find(c), KF_SIGCONT);
	flag2 = 1;
	eq(kf_wait4((int)a, 0, 0, 0), a, "jobctl.orphan.link_exits");
	settle();
	eq(kf_host_sigcount(find(c), KF_SIGHUP), 1, "jobctl.orphan.hup");
	eq(kf_host_sigcount(find(c), KF_SIGCONT) - cont0, 1, "jobctl.orphan.cont");
	kf_host_siginfo(find(c), KF_SIGHUP, &si);
	eq(si.code, KF_SI_KERNEL, "jobctl.orphan.hup_from_kernel");
	eq(state(c), 'R', "jobctl.orphan.continued");
	/* the link's exit, then the continue that the orphan itself reports */
	eq(chld_count() - c0, 2, "jobctl.orphan.new_parent_sigchld");
	kf_host_siginfo(init_task, KF_SIGCHLD, &si);
	eq(si.code, KF_CLD_CONTINUED, "jobctl.orphan.new_parent_cld_continued");
	eq(wait_nohang(c, KF_WCONTINUED, &st), c, "jobctl.orphan.new_parent_wcontinued");
	eq(st, ST_CONTINUED, "jobctl.orphan.wcontinued_status");

	/* in an orphaned group, SIGTSTP/TTIN/TTOU at their default are
	 * discarded; SIGSTOP still stops */
	kf_kill((int)c, KF_SIGTSTP);
	kf_kill((int)c, KF_SIGTTIN);
	kf_kill((int)c, KF_SIGTTOU);
	settle();
	tap_ok(state(c) == 'R' && !(kf_host_pending(find(c)) &
				     (SIGBIT(KF_SIGTSTP) | SIGBIT(KF_SIGTTIN) |
				      SIGBIT(KF_SIGTTOU))),
	       "jobctl.orphan.tstp_discarded", "%c", state(c));
	kf_kill((int)c, KF_SIGSTOP);
	settle();
	eq(state(c), 'T', "jobctl.orphan.sigstop_stops");
	reap(c);

	/* no stopped member: nothing is sent */
	flag = flag2 = ready = 0;
	a = spawn(linker, ARG(0));
	yield_until(&ready);
	c = g_pid;
	flag2 = 1;
	kf_wait4((int)a, 0, 0, 0);
	settle();
	tap_ok(kf_host_sigcount(find(c), KF_SIGHUP) == 0 &&
	       kf_host_sigcount(find(c), KF_SIGCONT) == 0,
	       "jobctl.orphan.none_stopped_nothing", NULL);
	reap(c);

	/* reparented to a subreaper of the same session, in another group:
	 * not orphaned, nothing sent, the member stays stopped */
	flag = flag2 = ready = 0;
	s = spawn(subreaper, ARG(2));
	yield_until(&ready);
	a = g_pid2;
	c = g_pid;
	kf_kill((int)c, KF_SIGSTOP);
	settle();
	flag2 = 1;
	settle();
	tap_ok(!find(a) || state(a) == 'Z', "jobctl.orphan.sub_link_gone", "%c",
	       state(a));
	tap_ok(kf_host_sigcount(find(c), KF_SIGHUP) == 0 && state(c) == 'T',
	       "jobctl.orphan.subreaper_same_session_not_orphaned", "%c",
	       state(c));
	kf_kill((int)c, KF_SIGKILL);
	flag = 1;
	eq(kf_wait4((int)s, 0, 0, 0), s, "jobctl.orphan.sub_reaped");

	/* orphaned by setpgid (the link joins the member's group): nothing */
	flag = flag2 = ready = 0;
	a = spawn(linker, ARG(2));
	yield_until(&ready);
	c = g_pid;
	kf_kill((int)c, KF_SIGSTOP);
	settle();
	kf_setpgid((int)a, (int)c);
	settle();
	tap_ok(kf_host_sigcount(find(c), KF_SIGHUP) == 0 && state(c) == 'T',
	       "jobctl.orphan.setpgid_sends_nothing", "%c", state(c));
	kf_kill((int)c, KF_SIGKILL);
	reap(a);
	kf_wait4((int)c, 0, 0, 0);	/* the grandchild, now init's */
	check_leaks("jobctl.leak.orphaned");
}

/* exit_link - P: in a group G of its own with a stopped child Q in G; P
 * is G's link to the session (its parent A is in another group) */
static int pgrp_child(void *arg)
{
	(void)arg;
	kf_setpgid(0, 0);
	g_tid = spawn(loop, NULL);	/* Q, in P's group */
	ready = 1;
	while (!flag2)
		kf_host_yield();
	return 0;
}

static int exit_link(void *arg)
{
	(void)arg;
	kf_setsid();
	g_pid = spawn(pgrp_child, NULL);
	while (!flag)
		kf_host_yield();
	kf_wait4(-1, 0, 0, 0);
	return 0;
}

/* the exiting process's own group: its exit orphans it */
static void test_orphaned_by_exit(void)
{
	long a, p, q;

	flag = flag2 = ready = 0;
	a = spawn(exit_link, NULL);
	yield_until(&ready);
	p = g_pid;
	q = g_tid;
	eq(kf_getpgid((int)q), p, "jobctl.orphan_exit.same_group");
	kf_kill((int)q, KF_SIGSTOP);
	settle();
	eq(state(q), 'T', "jobctl.orphan_exit.stopped");
	flag2 = 1;			/* P exits: G has no link left */
	settle();
	tap_ok(kf_host_sigcount(find(q), KF_SIGHUP) == 1 &&
	       kf_host_sigcount(find(q), KF_SIGCONT) == 1 && state(q) == 'R',
	       "jobctl.orphan_exit.hup_cont", "%c", state(q));
	reap(q);
	flag = 1;
	kf_wait4((int)a, 0, 0, 0);
	check_leaks("jobctl.leak.orphaned_by_exit");
}

/* ---- init -------------------------------------------------------------------------------- */

static int init_main(void *arg)
{
	long a;

	(void)arg;
	init_task = kf_os_current();
	a = kf_mm_map(kf_task_mm(init_task), 0, 4096, KF_PROT_READ | KF_PROT_WRITE,
		      KF_MAP_PRIVATE | KF_MAP_ANONYMOUS);
	if (!tap_ok(a > 0, "jobctl.setup.map", "%ld", a))
		return 1;
	ubuf = (kf_uptr_t)a;
	set_ustatus(0);			/* fault the page in */
	leak_base_set();

	test_group_stop();
	test_who_reports();
	test_wait_reports();
	test_zombie_leader_stop();
	test_nocldstop();
	test_noops_and_discards();
	test_ignored_and_init();
	test_setpgid();
	test_kill();
	test_fatal_at_send();
	test_orphaned();
	test_orphaned_by_exit();
	test_pgrp_pidns();	/* last: it moves init into a group of its own */
	test_kill_pidns();
	return 0;
}

int main(void)
{
	int st = kf_host_run_as_init(init_main, NULL);

	eq(st, 0, "jobctl.init.status");
	eq(kf_host_leaked_objects(), 0, "jobctl.end.no_leaked_objects");
	eq(kf_host_leaked_pages(), 0, "jobctl.end.no_leaked_pages");
	return tap_done();
}
