/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/ns.c - namespaces and limits: a host name set after
 * unshare(CLONE_NEWUTS) stays in the child's namespace; the first child
 * in a new pid namespace is its pid 1 (and its parent is outside);
 * RLIMIT_NPROC stops fork with EAGAIN once root has become an ordinary
 * user; a fork bomb under that limit ends at exactly the limit.  Needs
 * root on Linux (the checks are skipped otherwise).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utap.h"

#define TEST_UID 54321		/* a user nobody else runs as */
#define BOMB_LIMIT 16

/* ---- uts ------------------------------------------------------------------------ */

static void test_uts(void)
{
	struct utsname before, after;
	char name[80];
	int p[2], st;
	pid_t pid;

	uname(&before);
	if (pipe(p)) {
		utap_ok(0, "user.ns.uts.pipe");
		return;
	}
	pid = ufork();
	if (pid == 0) {
		struct utsname u;

		if (unshare(CLONE_NEWUTS))
			_exit(1);
		if (sethostname("kfork-uts-test", 14))
			_exit(2);
		if (uname(&u) || write(p[1], u.nodename, sizeof(u.nodename)) !=
		    (ssize_t)sizeof(u.nodename))
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	memset(name, 0, sizeof(name));
	if (read(p[0], name, 65) != 65)
		name[0] = 0;
	close(p[0]);
	st = wait_status(pid);
	utap_eq(st, 0, "user.ns.uts.child_unshare_sethostname");
	utap_ok(!strcmp(name, "kfork-uts-test"), "user.ns.uts.child_sees_new_name");
	uname(&after);
	utap_ok(!strcmp(before.nodename, after.nodename),
		"user.ns.uts.parent_name_unchanged");

	/* an over-long name, in a namespace of our own so nothing changes */
	pid = ufork();
	if (pid == 0) {
		char longname[70];

		memset(longname, 'x', sizeof(longname));
		if (unshare(CLONE_NEWUTS))
			_exit(1);
		_exit(sethostname(longname, 65) == -1 && errno == EINVAL &&
		      syscall(SYS_sethostname, (void *)8, 4) == -1 &&
		      errno == EFAULT ? 0 : 2);
	}
	utap_eq(wait_status(pid), 0, "user.ns.uts.sethostname_einval_efault");
}

/* ---- pid namespaces ----------------------------------------------------------------- */

static void test_pidns(void)
{
	int p[2], st;
	pid_t pid, inner[3] = { 0, 0, 0 };

	if (pipe(p)) {
		utap_ok(0, "user.ns.pid.pipe");
		return;
	}
	pid = ufork();
	if (pid == 0) {
		pid_t init;

		if (unshare(CLONE_NEWPID))
			_exit(1);
		/* the unsharer stays where it was; its next child is init */
		init = fork();
		if (init == 0) {
			pid_t v[3] = { getpid(), getppid(), 0 };
			pid_t g = fork();

			if (g == 0)
				_exit(getpid() == 2 && getppid() == 1 ? 0 : 1);
			v[2] = g;
			if (wait_status(g) != 0)
				v[2] = -g;
			if (write(p[1], v, sizeof(v)) != sizeof(v))
				_exit(2);
			_exit(0);
		}
		_exit(init > 0 && wait_status(init) == 0 ? 0 : 3);
	}
	close(p[1]);
	if (read(p[0], inner, sizeof(inner)) != sizeof(inner))
		inner[0] = -1;
	close(p[0]);
	st = wait_status(pid);
	utap_eq(st, 0, "user.ns.pid.unshare_then_fork");
	utap_eq(inner[0], 1, "user.ns.pid.first_child_is_pid1");
	utap_eq(inner[1], 0, "user.ns.pid.init_parent_outside_is_0");
	utap_eq(inner[2], 2, "user.ns.pid.grandchild_is_pid2");

	/* clone(CLONE_NEWPID) directly; the parent sees a global pid */
	fflush(stdout);
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(syscall(SYS_getpid) == 1 ? 0 : 1);
	utap_ok(pid > 1, "user.ns.pid.clone_newpid_parent_view");
	utap_eq(pid > 0 ? wait_status(pid) : -1, 0,
		"user.ns.pid.clone_newpid_child_is_1");

	/* a namespace's init ignores default-action signals from inside,
	 * even SIGKILL; from the parent namespace SIGKILL works */
	fflush(stdout);
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		pid_t g = fork();

		if (g == 0)
			_exit(kill(1, SIGTERM) == 0 && kill(1, SIGKILL) == 0 &&
			      kill(1, SIGUSR1) == 0 ? 0 : 1);
		if (wait_status(g) != 0)
			_exit(2);
		sched_yield();
		_exit(3);	/* still alive */
	}
	utap_eq(wait_status(pid), 3 << 8, "user.ns.pid.init_ignores_signals_from_inside");
	fflush(stdout);
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGTERM);	/* ignored: no handler, and it is an init */
	kill(pid, SIGKILL);	/* from the parent namespace: fatal */
	utap_eq(wait_status(pid), SIGKILL, "user.ns.pid.init_killed_from_parent_ns");

	/* killing a namespace's init kills everything in it */
	if (pipe(p)) {
		utap_ok(0, "user.ns.pid.pipe2");
		return;
	}
	fflush(stdout);
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		pid_t g = fork();

		if (g == 0) {
			close(p[0]);
			for (;;)
				pause();	/* holds the write end */
		}
		close(p[1]);
		_exit(7);	/* init exits: g is killed */
	}
	close(p[1]);
	{
		char c;
		/* EOF once every holder of the write end is gone */
		utap_eq(read(p[0], &c, 1), 0, "user.ns.pid.init_exit_kills_members");
	}
	close(p[0]);
	utap_eq(wait_status(pid), 7 << 8, "user.ns.pid.init_status");
}

/* ---- RLIMIT_NPROC ------------------------------------------------------------------------ */

static int nproc_child(void)
{
	struct rlimit rl = { 1, 1 };
	pid_t g;
	int st;

	if (setuid(TEST_UID))
		return 10;
	if (setrlimit(RLIMIT_NPROC, &rl))
		return 11;
	/* this process counts: a second one is over the limit */
	g = fork();
	if (g == 0)
		_exit(0);
	if (g != -1 || errno != EAGAIN)
		return 12;
	/* root's limit cannot be raised back by a plain user */
	rl.rlim_cur = rl.rlim_max = 100;
	if (setrlimit(RLIMIT_NPROC, &rl) != -1 || errno != EPERM)
		return 13;
	rl.rlim_max = 1;
	rl.rlim_cur = 2;
	if (setrlimit(RLIMIT_NPROC, &rl) != -1 || errno != EINVAL)
		return 14;
	if (setuid(0) != -1 || errno != EPERM)
		return 15;
	(void)st;
	return 0;
}

static void test_nproc(void)
{
	pid_t pid = ufork();

	if (pid == 0)
		_exit(nproc_child());
	utap_eq(wait_status(pid), 0, "user.ns.nproc.setuid_then_fork_eagain");

	/* the limit counts the user's processes, not the caller's children */
	pid = ufork();
	if (pid == 0) {
		struct rlimit rl = { 2, 2 };
		pid_t a, b;

		if (setuid(TEST_UID) || setrlimit(RLIMIT_NPROC, &rl))
			_exit(1);
		a = fork();
		if (a == 0) {
			pause();
			_exit(0);
		}
		b = fork();
		if (b != -1 || errno != EAGAIN)
			_exit(2);
		kill(a, SIGKILL);
		waitpid(a, NULL, 0);
		/* reaped: the count went down, fork works again */
		b = fork();
		if (b == 0)
			_exit(0);
		_exit(b > 0 && wait_status(b) == 0 ? 0 : 3);
	}
	utap_eq(wait_status(pid), 0, "user.ns.nproc.reap_gives_room_back");
}

/* ---- a bounded fork bomb ------------------------------------------------------------------ */

/*
 * bomb - every process forks until EAGAIN, reports each child it made on
 * @count ('x') and then its EAGAIN ('e'), waits for @release to reach EOF
 * and reaps its children.  Under RLIMIT_NPROC = BOMB_LIMIT the whole tree
 * holds exactly that many; release comes only after every process has
 * stopped forking, so exits cannot make room for late forks.
 */
static void bomb(int count, int release)
{
	char c;
	pid_t pid;

	for (;;) {
		pid = fork();
		if (pid == 0)
			continue;	/* the child bombs too */
		if (pid < 0)
			break;
		if (write(count, "x", 1) != 1)
			_exit(2);
	}
	if (errno != EAGAIN || write(count, "e", 1) != 1)
		_exit(3);
	while (read(release, &c, 1) > 0)
		;
	while (wait(NULL) > 0)
		;
	_exit(0);
}

static void test_bomb(void)
{
	int cnt[2], rel[2], made = 0, stopped = 0;
	struct rlimit rl = { BOMB_LIMIT, BOMB_LIMIT };
	char c;
	pid_t pid;

	if (pipe(cnt) || pipe(rel)) {
		utap_ok(0, "user.ns.bomb.pipes");
		return;
	}
	pid = ufork();
	if (pid == 0) {
		close(cnt[0]);
		close(rel[1]);
		if (setuid(TEST_UID) || setrlimit(RLIMIT_NPROC, &rl))
			_exit(1);
		bomb(cnt[1], rel[0]);
	}
	close(cnt[1]);
	close(rel[0]);
	/* the tree is complete when all BOMB_LIMIT processes stopped (a tree
	 * that stops short must not hang the test: 5 s per report) */
	while (stopped < BOMB_LIMIT) {
		struct pollfd pfd = { cnt[0], POLLIN, 0 };

		if (poll(&pfd, 1, 5000) != 1 || read(cnt[0], &c, 1) != 1)
			break;
		if (c == 'x')
			made++;
		else
			stopped++;
	}
	utap_eq(made, BOMB_LIMIT - 1, "user.ns.bomb.stops_at_nproc_limit");
	utap_eq(stopped, BOMB_LIMIT, "user.ns.bomb.every_process_saw_eagain");
	close(rel[1]);
	utap_eq(wait_status(pid), 0, "user.ns.bomb.all_saw_eagain_and_reaped");
	/* nobody is left to report more */
	utap_eq(read(cnt[0], &c, 1), 0, "user.ns.bomb.no_more_forks");
	close(cnt[0]);
}

/* probe - can this (Linux) system do what the tests need: namespaces
 * (@what 0; a container may forbid them) or an unprivileged uid (1)? */
static bool probe(int what)
{
	pid_t pid = ufork();

	if (pid == 0) {
		if (what == 0)
			_exit(unshare(CLONE_NEWUTS | CLONE_NEWPID) ? 1 : 0);
		_exit(setuid(TEST_UID) ? 1 : 0);
	}
	return wait_status(pid) == 0;
}

int main(void)
{
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}
	if (probe(0)) {
		test_uts();
		test_pidns();
	} else {
		utap_skip("user.ns.uts", "namespaces not permitted here");
		utap_skip("user.ns.pid", "namespaces not permitted here");
	}
	if (probe(1)) {
		test_nproc();
		test_bomb();
	} else {
		utap_skip("user.ns.nproc", "setuid not permitted here");
		utap_skip("user.ns.bomb", "setuid not permitted here");
	}
	return utap_done();
}
