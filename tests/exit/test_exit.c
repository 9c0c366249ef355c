// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/exit/test_exit.c - exit, wait4/waitid, reparenting, vfork release,
 * CHILD_CLEARTID, thread groups and pid-namespace teardown, on the host
 * port (tasks are host threads, one runs at a time, FIFO).
 *
 * Everything runs inside init (pid 1).  Children are host tasks started at
 * an entry function; globals below pass results between them (only one
 * task runs at a time, and the baton hand-over orders memory).  A few
 * checks look at core/task.h directly (exit_state, parent links, pgid):
 * the public API has no way to ask.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <kf/kf.h>
#include <kf/mm.h>
#include "kf_host.h"
#include "tap.h"
#include "exit_test.h"
#include "../../core/task.h"

static struct kf_task *init_task;
static kf_uptr_t ubuf;			/* one page of init's memory */

/* hand-shakes between the test (init) and its children */
static volatile int flag, flag2, ready, seq;
static volatile long g_child, g_tid, g_tid2;

/* ---- helpers ---------------------------------------------------------------- */

/* wait_flag - a child that lingers until the test sets flag */
static int wait_flag(void *arg)
{
	while (!flag)
		kf_host_yield();
	return (int)(intptr_t)arg;
}

/* find - the task with @pid, as a borrowed pointer (it is alive or a
 * zombie, so it holds itself), or NULL once it was reaped */
static struct kf_task *find(long pid)
{
	struct kf_task *t = kf_task_find((int)pid);

	if (t)
		kf_task_put(t);
	return t;
}

static int exit_state_of(long pid)
{
	struct kf_task *t = find(pid);

	return t ? t->exit_state : -1;
}

static void kill_pid(long pid)
{
	struct kf_task *t = kf_task_find((int)pid);

	if (t) {
		kf_os_signal(t, KF_SIGKILL, NULL, true);
		kf_task_put(t);
	}
}

static void settle(void)
{
	for (int i = 0; i < 6; i++)
		kf_host_yield();
}

/* yield_until - let the others run until *@v is set (bounded) */
static int yield_until(volatile int *v)
{
	for (int i = 0; i < 1000 && !*v; i++)
		kf_host_yield();
	return *v;
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

static uint32_t peek32(kf_uptr_t va)
{
	uint32_t v = 0xffffffffu;

	kf_host_read(va, &v, sizeof(v));
	return v;
}

static void poke32(kf_uptr_t va, uint32_t v)
{
	kf_host_write(va, &v, sizeof(v));
}

static void drain_signals(void)
{
	while (kf_host_sigdequeue())
		;
}

static void set_sigchld(uintptr_t handler, uint64_t flags)
{
	struct kf_sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.handler = handler;
	sa.flags = flags;
	kf_sigaction(KF_SIGCHLD, &sa, NULL);
}

/* ---- argument checks -------------------------------------------------------- */

static void test_errors(void)
{
	struct kf_waitinfo wi;

	eq(kf_wait4(-1, 0, 0x100, 0), -KF_EINVAL, "exit.wait4.einval_unknown_bit");
	eq(kf_wait4(-1, 0, KF_WNOWAIT, 0), -KF_EINVAL, "exit.wait4.einval_wnowait");
	eq(kf_wait4(-1, 0, KF_WEXITED, 0), -KF_EINVAL, "exit.wait4.einval_wexited");
	eq(kf_wait4(INT_MIN, 0, 0, 0), -KF_ESRCH, "exit.wait4.esrch_int_min");
	eq(kf_wait4(INT_MIN, 0, 0x100, 0), -KF_EINVAL,
	       "exit.wait4.einval_before_esrch");
	eq(kf_wait4(-1, 0, 0, 0), -KF_ECHILD, "exit.wait4.echild_no_children");
	eq(kf_wait4(-1, 0, KF_WNOHANG, 0), -KF_ECHILD, "exit.wait4.echild_wnohang");
	eq(kf_wait4(12345, 0, 0, 0), -KF_ECHILD, "exit.wait4.echild_unknown_pid");
	eq(kf_wait4(0, 0, KF___WALL, 0), -KF_ECHILD, "exit.wait4.echild_pgrp");
	eq(kf_wait4(-1, 0, KF_WNOHANG | KF_WUNTRACED | KF_WCONTINUED |
			KF___WNOTHREAD | (int)KF___WCLONE | KF___WALL, 0),
	       -KF_ECHILD, "exit.wait4.all_valid_options");

	eq(kf_waitid(KF_P_ALL, 0, &wi, 0), -KF_EINVAL, "exit.waitid.einval_no_event");
	eq(kf_waitid(KF_P_ALL, 0, &wi, KF_WNOHANG), -KF_EINVAL,
	       "exit.waitid.einval_wnohang_only");
	eq(kf_waitid(KF_P_ALL, 0, &wi, KF_WEXITED | 0x100), -KF_EINVAL,
	       "exit.waitid.einval_unknown_bit");
	eq(kf_waitid(KF_P_PID, 0, &wi, KF_WEXITED), -KF_EINVAL,
	       "exit.waitid.einval_pid_zero");
	eq(kf_waitid(KF_P_PID, -3, &wi, KF_WEXITED), -KF_EINVAL,
	       "exit.waitid.einval_pid_negative");
	eq(kf_waitid(KF_P_PGID, -1, &wi, KF_WEXITED), -KF_EINVAL,
	       "exit.waitid.einval_pgid_negative");
	eq(kf_waitid(KF_P_PIDFD, -1, &wi, KF_WEXITED), -KF_EINVAL,
	       "exit.waitid.einval_pidfd_negative");
	eq(kf_waitid(KF_P_PIDFD, 1000, &wi, KF_WEXITED), -KF_EBADF,
	       "exit.waitid.ebadf_pidfd");
	eq(kf_waitid(4, 0, &wi, KF_WEXITED), -KF_EINVAL, "exit.waitid.einval_which");
	eq(kf_waitid(KF_P_ALL, 0, &wi, KF_WEXITED), -KF_ECHILD,
	       "exit.waitid.echild");
	eq(kf_waitid(KF_P_ALL, 0, &wi, KF_WSTOPPED | KF_WNOHANG), -KF_ECHILD,
	       "exit.waitid.echild_wstopped");
	eq(kf_waitid(KF_P_PID, 999, &wi, KF_WEXITED | KF_WNOHANG), -KF_ECHILD,
	       "exit.waitid.echild_unknown_pid");
}

/* ---- exit statuses, zombies, WNOHANG, WNOWAIT ----------------------------------- */

static void test_status(void)
{
	static const int codes[] = { 3, 127, 255, 0, 256 + 7 };
	struct kf_waitinfo wi;
	long pid;

	for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char id[64];

		pid = spawn(ret_arg, ARG(codes[i]));
		set_ustatus(-1);
		snprintf(id, sizeof(id), "exit.status.code_%d", codes[i] & 0xff);
		tap_ok(kf_wait4((int)pid, ubuf, 0, 0) == pid &&
		       ustatus() == STATUS(codes[i]), id, "status %#x", ustatus());
	}

	/* a killed child: the signal number, no exit code */
	pid = spawn(NULL, NULL);
	settle();
	kill_pid(pid);
	set_ustatus(-1);
	eq(kf_wait4((int)pid, ubuf, 0, 0), pid, "exit.status.killed_reaped");
	eq(ustatus(), KF_SIGKILL, "exit.status.killed_signal");

	pid = spawn(NULL, NULL);
	kill_pid(pid);
	memset(&wi, 0x55, sizeof(wi));
	eq(kf_waitid(KF_P_PID, (int)pid, &wi, KF_WEXITED), 0,
	       "exit.waitid.killed_returns_0");
	tap_ok(wi.signo == KF_SIGCHLD && wi.code == KF_CLD_KILLED &&
	       wi.status == KF_SIGKILL && wi.pid == pid && wi.uid == 0,
	       "exit.waitid.killed_info", "signo %d code %d status %d pid %d",
	       wi.signo, wi.code, wi.status, wi.pid);

	pid = spawn(ret_arg, ARG(42));
	memset(&wi, 0x55, sizeof(wi));
	eq(kf_waitid(KF_P_ALL, 0, &wi, KF_WEXITED), 0, "exit.waitid.exited_returns_0");
	tap_ok(wi.signo == KF_SIGCHLD && wi.code == KF_CLD_EXITED &&
	       wi.status == 42 && wi.pid == pid && wi.uid == 0,
	       "exit.waitid.exited_info", "code %d status %d", wi.code, wi.status);
	check_leaks("exit.leak.status");
}

static void test_zombie_wnohang_wnowait(void)
{
	struct kf_waitinfo wi;
	long pid;

	/* a zombie stays until reaped, findable by its pid */
	pid = spawn(ret_arg, ARG(5));
	settle();
	eq(exit_state_of(pid), KF_EXIT_ZOMBIE, "exit.zombie.stays");

	/* WNOWAIT reports it twice, then a real wait reaps it */
	memset(&wi, 0, sizeof(wi));
	eq(kf_waitid(KF_P_PID, (int)pid, &wi, KF_WEXITED | KF_WNOWAIT), 0,
	       "exit.wnowait.first");
	tap_ok(wi.pid == pid && wi.code == KF_CLD_EXITED && wi.status == 5,
	       "exit.wnowait.first_info", "pid %d code %d status %d",
	       wi.pid, wi.code, wi.status);
	memset(&wi, 0, sizeof(wi));
	eq(kf_waitid(KF_P_ALL, 0, &wi, KF_WEXITED | KF_WNOWAIT | KF_WNOHANG), 0,
	       "exit.wnowait.second");
	eq(wi.pid, pid, "exit.wnowait.second_pid");
	eq(exit_state_of(pid), KF_EXIT_ZOMBIE, "exit.wnowait.still_zombie");
	set_ustatus(-1);
	eq(kf_wait4(-1, ubuf, 0, 0), pid, "exit.wnowait.then_reap");
	eq(ustatus(), STATUS(5), "exit.wnowait.then_reap_status");
	tap_ok(find(pid) == NULL, "exit.zombie.gone_after_reap", NULL);
	eq(kf_wait4(-1, 0, 0, 0), -KF_ECHILD, "exit.zombie.echild_after_reap");

	/* WNOHANG: 0 while the child lives, status untouched, info zeroed */
	pid = spawn(NULL, NULL);
	set_ustatus(0x1234);
	eq(kf_wait4((int)pid, ubuf, KF_WNOHANG, 0), 0, "exit.wnohang.returns_0");
	eq(ustatus(), 0x1234, "exit.wnohang.status_untouched");
	memset(&wi, 0x55, sizeof(wi));
	eq(kf_waitid(KF_P_PID, (int)pid, &wi, KF_WEXITED | KF_WNOHANG), 0,
	       "exit.wnohang.waitid_returns_0");
	tap_ok(wi.signo == 0 && wi.code == 0 && wi.pid == 0 && wi.uid == 0 &&
	       wi.status == 0, "exit.wnohang.waitid_info_zeroed", NULL);
	/* waitid without WEXITED does not see the zombie: ECHILD once it died */
	kill_pid(pid);
	settle();
	eq(kf_waitid(KF_P_PID, (int)pid, &wi, KF_WSTOPPED | KF_WNOHANG), -KF_ECHILD,
	       "exit.waitid.zombie_needs_wexited");
	eq(kf_wait4((int)pid, 0, 0, 0), pid, "exit.wnohang.reap_after_kill");
	check_leaks("exit.leak.zombie");
}

/* ---- SIGCHLD, clone children, autoreap ----------------------------------------- */

static void test_sigchld_and_clone_children(void)
{
	unsigned chld0 = kf_host_sigcount(init_task, KF_SIGCHLD);
	unsigned usr0;
	long pid, pid2;

	pid = spawn(ret_arg, ARG(0));
	kf_wait4((int)pid, 0, 0, 0);
	eq(kf_host_sigcount(init_task, KF_SIGCHLD), chld0 + 1,
	       "exit.sigchld.sent_on_exit");

	/* exit_signal 0: a "clone" child, invisible without __WCLONE/__WALL */
	flag = 0;
	pid = spawn_clone(0, 0, wait_flag, ARG(2), 0);
	tap_ok(pid > 0, "exit.wclone.created", "%ld", pid);
	eq(kf_wait4(-1, 0, KF_WNOHANG, 0), -KF_ECHILD, "exit.wclone.plain_echild");
	eq(kf_wait4((int)pid, 0, 0, 0), -KF_ECHILD, "exit.wclone.plain_echild_pid");
	eq(kf_wait4(-1, 0, KF_WNOHANG | (int)KF___WCLONE, 0), 0,
	       "exit.wclone.wclone_sees_it");
	chld0 = kf_host_sigcount(init_task, KF_SIGCHLD);
	flag = 1;
	set_ustatus(-1);
	eq(kf_wait4(-1, ubuf, (int)KF___WCLONE, 0), pid, "exit.wclone.reaped");
	eq(ustatus(), STATUS(2), "exit.wclone.status");
	eq(kf_host_sigcount(init_task, KF_SIGCHLD), chld0,
	       "exit.wclone.no_signal_for_exit_signal_0");

	/* __WCLONE picks only clone children, plain only the others */
	pid = spawn_clone(0, 0, ret_arg, ARG(1), 0);
	pid2 = spawn(ret_arg, ARG(1));
	settle();
	eq(kf_wait4(-1, 0, (int)KF___WCLONE, 0), pid, "exit.wclone.only_clone");
	eq(kf_wait4(-1, 0, (int)KF___WCLONE | KF_WNOHANG, 0), -KF_ECHILD,
	       "exit.wclone.no_more_clone");
	eq(kf_wait4(-1, 0, 0, 0), pid2, "exit.wclone.plain_gets_sigchld_child");

	/* __WALL sees both kinds; exit_signal SIGUSR1 is sent as is */
	usr0 = kf_host_sigcount(init_task, KF_SIGUSR1);
	pid = spawn_clone(0, KF_SIGUSR1, ret_arg, ARG(3), 0);
	eq(kf_wait4((int)pid, 0, KF___WALL, 0), pid, "exit.wall.reaps_clone_child");
	eq(kf_host_sigcount(init_task, KF_SIGUSR1), usr0 + 1,
	       "exit.wall.exit_signal_sent");
	drain_signals();
	check_leaks("exit.leak.clone_children");
}

static void test_autoreap(void)
{
	unsigned chld0;
	long pid;

	/* SIGCHLD ignored: children reap themselves, wait sees ECHILD */
	set_sigchld(KF_SIG_IGN, 0);
	chld0 = kf_host_sigcount(init_task, KF_SIGCHLD);
	pid = spawn(ret_arg, ARG(1));
	settle();
	tap_ok(find(pid) == NULL, "exit.autoreap.sig_ign_gone", NULL);
	eq(kf_wait4(-1, 0, 0, 0), -KF_ECHILD, "exit.autoreap.sig_ign_echild");
	eq(kf_host_sigcount(init_task, KF_SIGCHLD), chld0,
	       "exit.autoreap.sig_ign_no_signal");
	/* a blocking wait on a live child returns ECHILD once it is gone */
	pid = spawn(ret_arg, ARG(1));
	eq(kf_wait4(-1, 0, 0, 0), -KF_ECHILD, "exit.autoreap.blocking_wait_echild");
	/* a child with another exit signal is not autoreaped (Linux: SIGCHLD only) */
	pid = spawn_clone(0, KF_SIGUSR2, ret_arg, ARG(6), 0);
	settle();
	eq(exit_state_of(pid), KF_EXIT_ZOMBIE, "exit.autoreap.only_sigchld");
	set_ustatus(-1);
	eq(kf_wait4((int)pid, ubuf, (int)KF___WCLONE, 0), pid,
	       "exit.autoreap.other_signal_reaped");
	eq(ustatus(), STATUS(6), "exit.autoreap.other_signal_status");
	drain_signals();

	/* SA_NOCLDWAIT with the default handler: reaped, but signalled */
	set_sigchld(KF_SIG_DFL, KF_SA_NOCLDWAIT);
	chld0 = kf_host_sigcount(init_task, KF_SIGCHLD);
	pid = spawn(ret_arg, ARG(1));
	settle();
	tap_ok(find(pid) == NULL, "exit.autoreap.nocldwait_gone", NULL);
	eq(kf_wait4(-1, 0, KF_WNOHANG, 0), -KF_ECHILD,
	       "exit.autoreap.nocldwait_echild");
	eq(kf_host_sigcount(init_task, KF_SIGCHLD), chld0 + 1,
	       "exit.autoreap.nocldwait_signalled");
	set_sigchld(KF_SIG_DFL, 0);
	drain_signals();
	check_leaks("exit.leak.autoreap");
}

/* ---- faults, rusage, process groups, signals ------------------------------------- */

static void test_efault_rusage(void)
{
	unsigned char ru[160];
	int zero = 1;
	long pid;

	pid = spawn(ret_arg, ARG(1));
	eq(kf_wait4((int)pid, 0x10, 0, 0), -KF_EFAULT, "exit.efault.status");
	tap_ok(find(pid) == NULL, "exit.efault.child_still_reaped", NULL);
	eq(kf_wait4(-1, 0, KF_WNOHANG, 0), -KF_ECHILD, "exit.efault.echild_after");

	memset(ru, 0xff, sizeof(ru));
	kf_host_write(ubuf + 256, ru, sizeof(ru));
	pid = spawn(ret_arg, ARG(1));
	eq(kf_wait4((int)pid, 0, 0, ubuf + 256), pid, "exit.rusage.returns_pid");
	kf_host_read(ubuf + 256, ru, sizeof(ru));
	{
		/* 144 bytes stored; what kfork does not count stays 0
		 * (tests/exit/test_rusage.c checks the figures) */
		struct kf_rusage r;

		memcpy(&r, ru, sizeof(r));
		zero = r.ixrss == 0 && r.idrss == 0 && r.isrss == 0 &&
		       r.majflt == 0 && r.nswap == 0 && r.inblock == 0 &&
		       r.oublock == 0 && r.msgsnd == 0 && r.msgrcv == 0 &&
		       r.nsignals == 0 && r.utime_usec < 1000000;
	}
	tap_ok(zero && ru[144] == 0xff, "exit.rusage.144_bytes",
	       "byte 144 %#x", ru[144]);

	pid = spawn(ret_arg, ARG(2));
	set_ustatus(-1);
	eq(kf_wait4((int)pid, ubuf, 0, 0x20), -KF_EFAULT, "exit.efault.rusage");
	eq(ustatus(), STATUS(2), "exit.efault.rusage_status_stored");
	tap_ok(find(pid) == NULL, "exit.efault.rusage_child_reaped", NULL);
	check_leaks("exit.leak.efault");
}

static void test_pgrp(void)
{
	struct kf_waitinfo wi;
	long mine = kf_getpgid(0);
	long pid, pid2;

	flag = 0;
	pid = spawn(wait_flag, ARG(1));
	eq(kf_setpgid((int)pid, (int)pid), 0, "exit.pgrp.setpgid_child");
	eq(kf_wait4(0, 0, KF_WNOHANG, 0), -KF_ECHILD, "exit.pgrp.own_group_echild");
	eq(kf_wait4(-(int)pid, 0, KF_WNOHANG, 0), 0, "exit.pgrp.that_group_waitable");
	eq(kf_wait4(-4242, 0, KF_WNOHANG, 0), -KF_ECHILD,
	   "exit.pgrp.no_such_group_echild");
	eq(kf_waitid(KF_P_PGID, 0, &wi, KF_WEXITED | KF_WNOHANG), -KF_ECHILD,
	       "exit.pgrp.waitid_own_group_echild");
	eq(kf_waitid(KF_P_PGID, (int)pid, &wi, KF_WEXITED | KF_WNOHANG), 0,
	       "exit.pgrp.waitid_that_group_waitable");
	pid2 = spawn(ret_arg, ARG(3));
	eq(kf_wait4(0, 0, 0, 0), pid2, "exit.pgrp.own_group_reaped");
	tap_ok(mine != pid, "exit.pgrp.distinct", "%ld", mine);
	flag = 1;
	eq(kf_wait4(-(int)pid, 0, 0, 0), pid, "exit.pgrp.that_group_reaped");
	check_leaks("exit.leak.pgrp");
}

static int signal_init_then_wait(void *arg)
{
	(void)arg;
	kf_os_signal(init_task, KF_SIGUSR1, NULL, true);
	while (!flag)
		kf_host_yield();
	return 0;
}

static void test_interrupted(void)
{
	struct kf_waitinfo wi;
	long pid;

	drain_signals();
	flag = 0;
	pid = spawn(signal_init_then_wait, NULL);
	eq(kf_wait4(-1, 0, 0, 0), -KF_ERESTARTSYS, "exit.signal.wait4_restartsys");
	eq(kf_waitid(KF_P_ALL, 0, &wi, KF_WEXITED), -KF_ERESTARTSYS,
	       "exit.signal.waitid_restartsys");
	drain_signals();
	flag = 1;
	eq(kf_wait4(-1, 0, 0, 0), pid, "exit.signal.wait_after_drain");
	check_leaks("exit.leak.signal");
}

/* ---- thread groups ------------------------------------------------------------------ */

static int thread_forks_child(void *arg)
{
	(void)arg;
	g_child = spawn(wait_flag, ARG(5));
	ready = 1;
	while (!flag2)
		kf_host_yield();
	return 0;
}

static int proc_with_thread(void *arg)
{
	g_tid = spawn_clone(THREAD_FLAGS, 0, wait_flag, NULL, 0);
	ready = 1;
	return (int)(intptr_t)arg;
}

static int group_exit_main(void *arg)
{
	(void)arg;
	g_tid = spawn_clone(THREAD_FLAGS, 0, NULL, NULL, 0);
	g_tid2 = spawn_clone(THREAD_FLAGS, 0, NULL, NULL, 0);
	kf_host_yield();		/* the threads park */
	kf_host_exit_group(STATUS(3));
}

static int thread_exit_group(void *arg)
{
	(void)arg;
	kf_host_exit_group(STATUS(4));
}

static int leader_lingers(void *arg)
{
	(void)arg;
	g_tid = spawn_clone(THREAD_FLAGS, 0, thread_exit_group, NULL, 0);
	for (int i = 0; i < 100000; i++)
		kf_host_yield();	/* dies at a checkpoint once killed */
	return 1;
}

static void test_threads(void)
{
	struct kf_waitinfo wi;
	unsigned chld0;
	long t, p;

	/* __WNOTHREAD: a sibling thread's child is not mine alone */
	flag = flag2 = ready = 0;
	t = spawn_clone(THREAD_FLAGS, 0, thread_forks_child, NULL, 0);
	tap_ok(t > 0 && yield_until(&ready), "exit.thread.created", "%ld", t);
	eq(kf_wait4((int)g_child, 0, KF___WNOTHREAD | KF_WNOHANG, 0), -KF_ECHILD,
	       "exit.wnothread.sibling_child_echild");
	eq(kf_wait4((int)g_child, 0, KF_WNOHANG, 0), 0,
	       "exit.wnothread.group_sees_sibling_child");
	flag = 1;
	set_ustatus(-1);
	eq(kf_wait4((int)g_child, ubuf, 0, 0), g_child,
	       "exit.wnothread.group_reaps_sibling_child");
	eq(ustatus(), STATUS(5), "exit.wnothread.status");
	flag2 = 1;
	settle();
	tap_ok(find(t) == NULL, "exit.thread.autoreaped", NULL);

	/* a leader that exits first waits as a silent zombie for its threads */
	flag = ready = 0;
	chld0 = kf_host_sigcount(init_task, KF_SIGCHLD);
	p = spawn(proc_with_thread, ARG(7));
	yield_until(&ready);
	settle();
	eq(exit_state_of(p), KF_EXIT_ZOMBIE, "exit.group.leader_zombie");
	tap_ok(find(g_tid) && find(g_tid)->exit_state == 0,
	       "exit.group.thread_alive", NULL);
	eq(kf_wait4((int)p, 0, KF_WNOHANG, 0), 0, "exit.group.delayed_not_reapable");
	memset(&wi, 0x55, sizeof(wi));
	eq(kf_waitid(KF_P_PID, (int)p, &wi, KF_WEXITED | KF_WNOHANG), 0,
	       "exit.group.delayed_waitid_nothing");
	eq(wi.pid, 0, "exit.group.delayed_waitid_zeroed");
	eq(kf_host_sigcount(init_task, KF_SIGCHLD), chld0,
	       "exit.group.no_signal_while_threads_live");
	flag = 1;
	set_ustatus(-1);
	eq(kf_wait4((int)p, ubuf, 0, 0), p, "exit.group.leader_reaped_after_thread");
	eq(ustatus(), STATUS(7), "exit.group.leader_status");
	eq(kf_host_sigcount(init_task, KF_SIGCHLD), chld0 + 1,
	       "exit.group.signal_when_group_empty");
	tap_ok(find(g_tid) == NULL, "exit.group.thread_released", NULL);

	/* exit_group kills the other threads; the group reports its code */
	g_tid = g_tid2 = 0;
	p = spawn(group_exit_main, NULL);
	set_ustatus(-1);
	eq(kf_wait4((int)p, ubuf, 0, 0), p, "exit.group_exit.reaped");
	eq(ustatus(), STATUS(3), "exit.group_exit.status");
	tap_ok(g_tid > 0 && g_tid2 > 0 && !find(g_tid) && !find(g_tid2),
	       "exit.group_exit.threads_gone", "%ld %ld", g_tid, g_tid2);

	/* from a non-leader thread: the killed leader exits with the group code */
	p = spawn(leader_lingers, NULL);
	set_ustatus(-1);
	eq(kf_wait4((int)p, ubuf, 0, 0), p, "exit.group_exit.from_thread_reaped");
	eq(ustatus(), STATUS(4), "exit.group_exit.from_thread_status");
	check_leaks("exit.leak.threads");
}

/* ---- CHILD_CLEARTID -------------------------------------------------------------------- */

static int set_tid_address_then_exit(void *arg)
{
	kf_set_tid_address((kf_uptr_t)arg);
	return 0;
}

static void test_cleartid(void)
{
	kf_uptr_t a = ubuf + 64, b = ubuf + 72, c = ubuf + 80, d = ubuf + 88;
	unsigned long wa, wb, wc, wd;
	long t, pid;

	poke32(a, 0xdead);
	wa = kf_host_futex_wakes(a);
	t = spawn_clone(THREAD_FLAGS | KF_CLONE_CHILD_CLEARTID, 0, ret_arg, NULL, a);
	tap_ok(t > 0, "exit.cleartid.thread_created", "%ld", t);
	settle();
	tap_ok(find(t) == NULL, "exit.cleartid.thread_gone", NULL);
	eq(peek32(a), 0, "exit.cleartid.thread_zero_stored");
	eq(kf_host_futex_wakes(a), wa + 1, "exit.cleartid.thread_futex_woken");

	/* a fork child is the only user of its copy: Linux leaves it alone */
	poke32(b, 0xbeef);
	wb = kf_host_futex_wakes(b);
	pid = spawn_clone(KF_CLONE_CHILD_CLEARTID, KF_SIGCHLD, ret_arg, NULL, b);
	eq(kf_wait4((int)pid, 0, 0, 0), pid, "exit.cleartid.fork_reaped");
	eq(kf_host_futex_wakes(b), wb, "exit.cleartid.fork_sole_user_no_wake");
	eq(peek32(b), 0xbeef, "exit.cleartid.fork_parent_untouched");

	/* CLONE_VM without CLONE_THREAD: the mm is shared, so it is cleared */
	poke32(c, 0xcafe);
	wc = kf_host_futex_wakes(c);
	pid = spawn_clone(KF_CLONE_VM | KF_CLONE_CHILD_CLEARTID, KF_SIGCHLD,
			  ret_arg, NULL, c);
	eq(kf_wait4((int)pid, 0, 0, 0), pid, "exit.cleartid.vm_reaped");
	eq(peek32(c), 0, "exit.cleartid.vm_zero_stored");
	eq(kf_host_futex_wakes(c), wc + 1, "exit.cleartid.vm_futex_woken");

	/* set_tid_address sets the same pointer */
	poke32(d, 0x1111);
	wd = kf_host_futex_wakes(d);
	t = spawn_clone(THREAD_FLAGS, 0, set_tid_address_then_exit, (void *)d, 0);
	settle();
	eq(peek32(d), 0, "exit.cleartid.set_tid_address_zero");
	eq(kf_host_futex_wakes(d), wd + 1, "exit.cleartid.set_tid_address_woken");
	check_leaks("exit.leak.cleartid");
}

/* ---- vfork ------------------------------------------------------------------------------ */

static volatile int child_seq, child_seq2, exec_seq;
static volatile long vf_child;
static volatile int vf_returned;

static int vfork_child(void *arg)
{
	(void)arg;
	child_seq = ++seq;
	poke32(ubuf + 128, 0x5a5a);	/* the parent's memory: shared */
	kf_host_yield();		/* the parent must stay asleep */
	child_seq2 = ++seq;
	return 4;
}

static int vfork_exec_child(void *arg)
{
	struct kf_mm *mm = kf_mm_create();

	(void)arg;
	if (!mm)
		return 100;
	kf_exec_mm(mm);
	exec_seq = ++seq;
	kf_host_yield();		/* the parent runs now */
	child_seq2 = ++seq;
	return 6;
}

static int vfork_parent_killed(void *arg)
{
	(void)arg;
	kf_host_set_child_entry(NULL, NULL);
	vf_child = kf_vfork();		/* the child parks: we sleep until killed */
	vf_returned = 1;
	kf_host_check_signals();
	return 99;
}

static void test_vfork(void)
{
	int parent_seq;
	long pid, p;

	seq = child_seq = child_seq2 = exec_seq = 0;
	poke32(ubuf + 128, 0);
	kf_host_set_child_entry(vfork_child, NULL);
	pid = kf_vfork();
	parent_seq = ++seq;
	tap_ok(pid > 0, "exit.vfork.created", "%ld", pid);
	tap_ok(child_seq == 1 && child_seq2 == 2 && parent_seq == 3,
	       "exit.vfork.parent_waits_for_exit", "child %d/%d parent %d",
	       child_seq, child_seq2, parent_seq);
	eq(exit_state_of(pid), KF_EXIT_ZOMBIE, "exit.vfork.child_exited_first");
	eq(peek32(ubuf + 128), 0x5a5a, "exit.vfork.memory_shared");
	set_ustatus(-1);
	eq(kf_wait4((int)pid, ubuf, 0, 0), pid, "exit.vfork.reaped");
	eq(ustatus(), STATUS(4), "exit.vfork.status");

	/* exec releases the parent before the child exits */
	seq = child_seq2 = exec_seq = 0;
	kf_host_set_child_entry(vfork_exec_child, NULL);
	pid = kf_vfork();
	parent_seq = ++seq;
	tap_ok(exec_seq == 1 && parent_seq == 2 && child_seq2 == 0,
	       "exit.vfork.exec_releases_parent", "exec %d parent %d child %d",
	       exec_seq, parent_seq, child_seq2);
	eq(exit_state_of(pid), 0, "exit.vfork.child_alive_after_exec");
	set_ustatus(-1);
	eq(kf_wait4((int)pid, ubuf, 0, 0), pid, "exit.vfork.exec_child_reaped");
	eq(ustatus(), STATUS(6), "exit.vfork.exec_child_status");
	eq(child_seq2, 3, "exit.vfork.exec_child_ran_on");

	/* a killed vfork parent stops waiting; its child may outlive it */
	vf_child = 0;
	vf_returned = 0;
	p = spawn(vfork_parent_killed, NULL);
	settle();
	eq(vf_returned, 0, "exit.vfork.parent_asleep");
	kill_pid(p);
	set_ustatus(-1);
	eq(kf_wait4((int)p, ubuf, 0, 0), p, "exit.vfork.killed_parent_reaped");
	eq(ustatus(), KF_SIGKILL, "exit.vfork.killed_parent_status");
	tap_ok(vf_returned && vf_child > 0 && find(vf_child) &&
	       find(vf_child)->real_parent == init_task,
	       "exit.vfork.orphan_reparented", "%ld", vf_child);
	kill_pid(vf_child);
	set_ustatus(-1);
	eq(kf_wait4((int)vf_child, ubuf, 0, 0), vf_child,
	       "exit.vfork.orphan_reaped");
	eq(ustatus(), KF_SIGKILL, "exit.vfork.orphan_status");
	check_leaks("exit.leak.vfork");
}

/* ---- reparenting and parent-death signals --------------------------------------------- */

static int pdeath_child(void *arg)
{
	kf_set_pdeath_signal((int)(intptr_t)arg);
	ready = 1;
	while (!flag)
		kf_host_yield();
	return 0;
}

static int forks_pdeath_child(void *arg)
{
	g_child = spawn(pdeath_child, arg);
	while (!ready)
		kf_host_yield();
	return 0;
}

static int clones_orphan(void *arg)
{
	(void)arg;
	g_child = spawn_clone(0, 0, wait_flag, ARG(8), 0);
	return 0;
}

static int leaves_zombie(void *arg)
{
	(void)arg;
	g_child = spawn(ret_arg, ARG(9));
	for (int i = 0; i < 100 && exit_state_of(g_child) != KF_EXIT_ZOMBIE; i++)
		kf_host_yield();
	return 0;
}

static int leaves_zombie_dfl(void *arg)
{
	set_sigchld(KF_SIG_DFL, 0);	/* inherited SIG_IGN: back to default */
	leaves_zombie(arg);
	ready = 1;
	return 0;
}

static int forks_parked(void *arg)
{
	(void)arg;
	g_child = spawn(NULL, NULL);
	return 0;
}

/* subreaper_main - a child subreaper inherits its grandchild, not init */
static int subreaper_main(void *arg)
{
	struct kf_task *me = kf_os_current(), *c;
	long q;

	(void)arg;
	me->signal->is_child_subreaper = true;	/* prctl(PR_SET_CHILD_SUBREAPER) */
	q = spawn(forks_parked, NULL);
	if (kf_wait4((int)q, 0, 0, 0) != q)
		return 1;
	c = find(g_child);
	if (!c || c->real_parent != me || c->exit_signal != KF_SIGCHLD)
		return 2;
	kill_pid(g_child);
	if (kf_wait4((int)g_child, 0, 0, 0) != g_child)
		return 3;
	return 0;
}

static void test_reparent(void)
{
	unsigned chld0;
	struct kf_task *c;
	long p, t, zc;

	/* an orphan goes to init, with SIGCHLD as its exit signal */
	flag = 0;
	p = spawn(clones_orphan, NULL);
	eq(kf_wait4((int)p, 0, 0, 0), p, "exit.reparent.parent_reaped");
	c = find(g_child);
	tap_ok(c && c->real_parent == init_task && c->parent == init_task,
	       "exit.reparent.orphan_to_init", NULL);
	eq(c ? c->exit_signal : -99, KF_SIGCHLD, "exit.reparent.exit_signal_sigchld");
	flag = 1;
	set_ustatus(-1);
	eq(kf_wait4((int)g_child, ubuf, 0, 0), g_child,
	       "exit.reparent.orphan_reaped_plain_wait");
	eq(ustatus(), STATUS(8), "exit.reparent.orphan_status");

	/* a zombie orphan is announced to init again */
	chld0 = kf_host_sigcount(init_task, KF_SIGCHLD);
	p = spawn(leaves_zombie, NULL);
	eq(kf_wait4((int)p, 0, 0, 0), p, "exit.reparent.zombie_parent_reaped");
	eq(kf_host_sigcount(init_task, KF_SIGCHLD), chld0 + 2,
	       "exit.reparent.zombie_announced");
	set_ustatus(-1);
	eq(kf_wait4((int)g_child, ubuf, 0, 0), g_child,
	       "exit.reparent.zombie_reaped_by_init");
	eq(ustatus(), STATUS(9), "exit.reparent.zombie_status");

	/* ... and released at once when init ignores SIGCHLD */
	set_sigchld(KF_SIG_IGN, 0);
	ready = 0;
	p = spawn(leaves_zombie_dfl, NULL);
	yield_until(&ready);
	settle();
	zc = g_child;
	tap_ok(!find(p) && !find(zc), "exit.reparent.zombie_autoreaped_by_ignoring_reaper",
	       "%p %p", (void *)find(p), (void *)find(zc));
	eq(kf_wait4(-1, 0, KF_WNOHANG, 0), -KF_ECHILD,
	       "exit.reparent.ignoring_reaper_echild");
	set_sigchld(KF_SIG_DFL, 0);

	/* parent death signal when the parent process dies */
	flag = ready = 0;
	p = spawn(forks_pdeath_child, ARG(KF_SIGUSR1));
	eq(kf_wait4((int)p, 0, 0, 0), p, "exit.pdeath.parent_reaped");
	c = find(g_child);
	eq(c ? kf_host_sigcount(c, KF_SIGUSR1) : 99, 1, "exit.pdeath.sent");
	tap_ok(c && c->real_parent == init_task, "exit.pdeath.child_reparented", NULL);
	flag = 1;
	eq(kf_wait4((int)g_child, 0, 0, 0), g_child, "exit.pdeath.child_reaped");

	/* a thread's child: stays in the group, but still gets pdeath */
	flag = ready = 0;
	t = spawn_clone(THREAD_FLAGS, 0, forks_pdeath_child, ARG(KF_SIGUSR2), 0);
	for (int i = 0; i < 100 && find(t); i++)
		kf_host_yield();
	c = find(g_child);
	tap_ok(!find(t) && c && c->real_parent == init_task,
	       "exit.reparent.to_live_thread", NULL);
	eq(c ? kf_host_sigcount(c, KF_SIGUSR2) : 99, 1,
	       "exit.pdeath.sent_on_thread_death");
	eq(c ? c->exit_signal : -99, KF_SIGCHLD, "exit.reparent.thread_keeps_signal");
	eq(kf_wait4((int)g_child, 0, KF___WNOTHREAD | KF_WNOHANG, 0), 0,
	       "exit.reparent.now_own_child");
	flag = 1;
	eq(kf_wait4((int)g_child, 0, KF___WNOTHREAD, 0), g_child,
	       "exit.reparent.thread_orphan_reaped");
	/* a child subreaper ancestor comes before init */
	p = spawn(subreaper_main, NULL);
	set_ustatus(-1);
	eq(kf_wait4((int)p, ubuf, 0, 0), p, "exit.subreaper.reaped");
	eq(ustatus(), 0, "exit.subreaper.orphan_to_subreaper");
	check_leaks("exit.leak.reparent");
}

/* ---- pid namespaces ------------------------------------------------------------------- */

static volatile int ns_fails;

/* ns_init_main - pid 1 of a new namespace: two members, one orphaned to
 * it; then it returns, and the namespace must die with it */
static int ns_init_main(void *arg)
{
	long a, b;
	int fails = 0;

	(void)arg;
	if (kf_getpid() != 1)
		fails |= 1;
	a = spawn(NULL, NULL);
	b = spawn(forks_parked, NULL);
	if (a != 2 || b != 3)
		fails |= 2;
	if (kf_wait4((int)b, 0, 0, 0) != b)
		fails |= 4;
	/* the orphan (pid 4 here) is now ours: alive, so WNOHANG gives 0 */
	if (g_child != 4 || kf_wait4((int)g_child, 0, KF_WNOHANG, 0) != 0)
		fails |= 8;
	ns_fails = fails;
	return fails;
}

/*
 * The subreaper search stops at the pid-namespace boundary: a subreaper
 * (S) whose child is a new namespace's init (N); N's child (M) forks an
 * orphan-to-be (O) and exits.  O must go to N, the namespace's reaper, not
 * across the boundary to S, although S is the nearest subreaper ancestor.
 */
static struct kf_task *sr_outer;	/* S */
static volatile long sr_orphan;		/* O, as N and M number it */

static int sr_orphan_maker(void *arg)	/* M */
{
	(void)arg;
	sr_orphan = spawn(NULL, NULL);
	return 0;
}

static int sr_ns_init(void *arg)		/* N */
{
	struct kf_task *me = kf_os_current(), *o;
	int fails = 0;
	long m;

	(void)arg;
	m = spawn(sr_orphan_maker, NULL);
	if (kf_wait4((int)m, 0, 0, 0) != m)
		fails |= 1;
	o = find(sr_orphan);
	if (!o)
		return fails | 2;
	if (o->real_parent != me)
		fails |= 4;
	if (o->real_parent == sr_outer)
		fails |= 8;
	/* ours: a wait finds it alive */
	if (kf_wait4((int)sr_orphan, 0, KF_WNOHANG, 0) != 0)
		fails |= 16;
	kill_pid(sr_orphan);
	if (!(fails & 4) && kf_wait4((int)sr_orphan, 0, 0, 0) != sr_orphan)
		fails |= 32;
	return fails;
}

static int sr_outside_ns(void *arg)		/* S */
{
	int st = 100 << 8;
	long n, r;

	(void)arg;
	sr_outer = kf_os_current();
	sr_outer->signal->is_child_subreaper = true;	/* prctl(PR_SET_CHILD_SUBREAPER) */
	n = spawn_clone(KF_CLONE_NEWPID, KF_SIGCHLD, sr_ns_init, NULL, 0);
	/* reap whatever comes (an orphan that crossed the boundary too, or
	 * N would wait for it forever), keep N's status */
	set_ustatus(-1);
	while (n > 0 && (r = kf_wait4(-1, ubuf, 0, 0)) > 0)
		if (r == n)
			st = ustatus();
	return (st >> 8) & 0xff;
}

static int ns_init_parks(void *arg)
{
	(void)arg;
	spawn(NULL, NULL);
	spawn(forks_parked, NULL);
	ready = 1;
	for (int i = 0; i < 100000; i++)
		kf_host_yield();	/* dies at a checkpoint once killed */
	return 1;
}

static void test_pid_ns(void)
{
	int tasks0;
	long n;

	flush();
	tasks0 = kf_host_tasks();
	ns_fails = -1;
	n = spawn_clone(KF_CLONE_NEWPID, KF_SIGCHLD, ns_init_main, NULL, 0);
	if (!CONFIG_KF_PID_NS) {
		eq(n, -KF_ENOSYS, "exit.pidns.configured_out");
		return;
	}
	tap_ok(n > 0, "exit.pidns.created", "%ld", n);
	set_ustatus(-1);
	eq(kf_wait4((int)n, ubuf, 0, 0), n, "exit.pidns.init_reaped");
	eq(ns_fails, 0, "exit.pidns.orphan_to_ns_init");
	eq(ustatus(), 0, "exit.pidns.init_status");
	flush();
	eq(kf_host_tasks(), tasks0, "exit.pidns.members_gone");

	/* a killed namespace init still takes its members along */
	ready = 0;
	n = spawn_clone(KF_CLONE_NEWPID, KF_SIGCHLD, ns_init_parks, NULL, 0);
	yield_until(&ready);
	settle();
	eq(kf_host_tasks(), tasks0 + 4, "exit.pidns.killed_init_members");
	kill_pid(n);
	set_ustatus(-1);
	eq(kf_wait4((int)n, ubuf, 0, 0), n, "exit.pidns.killed_init_reaped");
	eq(ustatus(), KF_SIGKILL, "exit.pidns.killed_init_status");
	flush();
	eq(kf_host_tasks(), tasks0, "exit.pidns.killed_members_gone");

	n = spawn(sr_outside_ns, NULL);
	set_ustatus(-1);
	eq(kf_wait4((int)n, ubuf, 0, 0), n, "exit.pidns.subreaper_outside_reaped");
	eq(ustatus(), 0, "exit.pidns.subreaper_search_stops_at_ns");
	flush();
	eq(kf_host_tasks(), tasks0, "exit.pidns.subreaper_members_gone");
	check_leaks("exit.leak.pidns");
}

/* ---- init -------------------------------------------------------------------------------- */

static int init_main(void *arg)
{
	long a;

	(void)arg;
	init_task = kf_os_current();
	a = kf_mm_map(kf_task_mm(init_task), 0, 4096, KF_PROT_READ | KF_PROT_WRITE,
		      KF_MAP_PRIVATE | KF_MAP_ANONYMOUS);
	if (!tap_ok(a > 0, "exit.setup.map", "%ld", a))
		return 1;
	ubuf = (kf_uptr_t)a;
	set_ustatus(0);			/* fault the page in */
	test_errors();
	leak_base_set();

	test_status();
	test_zombie_wnohang_wnowait();
	test_sigchld_and_clone_children();
	test_autoreap();
	test_efault_rusage();
	test_pgrp();
	test_interrupted();
	test_threads();
	test_cleartid();
	test_vfork();
	test_reparent();
	test_pid_ns();
	return 0;
}

int main(void)
{
	int st = kf_host_run_as_init(init_main, NULL);

	eq(st, 0, "exit.init.status");
	eq(kf_host_leaked_objects(), 0, "exit.end.no_leaked_objects");
	eq(kf_host_leaked_pages(), 0, "exit.end.no_leaked_pages");
	return tap_done();
}
