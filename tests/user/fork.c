/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/fork.c - fork, exit and wait as a program sees them: exit
 * statuses through wait4 and waitid, WNOHANG, ECHILD, copy-on-write
 * isolation of a large buffer, children killed by signals, and orphans
 * handed to init (on Linux, to this process as a child subreaper).
 * Children leave with _exit, so stdio buffers are never flushed twice.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

#define BIG (4u << 20)		/* the COW buffer */

/* an address nothing maps, hidden from the compiler's bounds checks */
static volatile int *volatile bad_ptr = (volatile int *)16;

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* ---- exit statuses ------------------------------------------------------------ */

static int wait_status_of(int code)
{
	int st = -1;
	pid_t pid = ufork();

	if (pid == 0)
		_exit(code);
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/*
 * gated_child - fork a child that blocks until *@release is closed, then
 * exits with @code (@code + 1 if the gate broke).  The parent keeps the
 * write end in *@release; closing it lets the child go.
 */
static pid_t gated_child(int code, int *release)
{
	int gate[2];
	pid_t pid;

	if (pipe(gate))
		gate[0] = gate[1] = -1;
	pid = ufork();
	if (pid == 0) {
		char c;

		close(gate[1]);
		_exit(read(gate[0], &c, 1) == 0 ? code : code + 1);
	}
	close(gate[0]);
	*release = gate[1];
	return pid;
}

static void test_statuses(void)
{
	int st, release;
	pid_t pid;
	siginfo_t si;

	utap_eq(wait_status_of(0), 0, "user.fork.exit0_status");
	st = wait_status_of(42);
	utap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 42, "user.fork.exit42_status");
	utap_eq(wait_status_of(255), 0xff00, "user.fork.exit255_status");
	utap_eq(wait_status_of(256 + 3), 0x300, "user.fork.exit_code_low_byte");

	/* the child's view of itself */
	pid = ufork();
	if (pid == 0)
		_exit(getppid() == (pid_t)syscall(SYS_getppid) &&
		      getpid() == (pid_t)syscall(SYS_gettid) ? 5 : 6);
	waitpid(pid, &st, 0);
	utap_eq(st, 5 << 8, "user.fork.child_pid_equals_tid");

	/* WNOHANG: nothing yet (the child waits for our word), then the
	 * status */
	pid = gated_child(9, &release);
	utap_eq(waitpid(pid, &st, WNOHANG), 0, "user.fork.wnohang_running_child");
	close(release);
	utap_eq(waitpid(pid, &st, 0), pid, "user.fork.wait_specific_pid");
	utap_eq(st, 9 << 8, "user.fork.wait_specific_status");

	/* waitid: siginfo of an exit; WNOWAIT leaves the zombie */
	pid = ufork();
	if (pid == 0)
		_exit(17);
	memset(&si, 0xff, sizeof(si));
	utap_eq(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0,
		"user.fork.waitid_wnowait");
	utap_ok(si.si_pid == pid && si.si_code == CLD_EXITED &&
		si.si_status == 17 && si.si_signo == SIGCHLD,
		"user.fork.waitid_siginfo_exited");
	utap_eq(waitpid(pid, &st, 0), pid, "user.fork.zombie_still_there_after_wnowait");
	utap_eq(st, 17 << 8, "user.fork.wait4_after_waitid_status");

	/* waitid WNOHANG with a live child: 0 and a zeroed si_pid */
	pid = gated_child(0, &release);
	si.si_pid = 1234;
	utap_eq(waitid(P_PID, pid, &si, WEXITED | WNOHANG), 0,
		"user.fork.waitid_wnohang_returns_0");
	utap_eq(si.si_pid, 0, "user.fork.waitid_wnohang_zeroes_pid");
	close(release);
	waitpid(pid, NULL, 0);

	/* no children left */
	utap_errno(waitpid(-1, &st, 0), ECHILD, "user.fork.wait_no_child_echild");
	utap_errno(waitpid(-1, &st, 0x40000000 /* __WALL */ | 0x10000),
		   EINVAL, "user.fork.wait4_bad_option_einval");
	utap_errno(waitid(P_ALL, 0, &si, 0), EINVAL,
		   "user.fork.waitid_no_event_einval");
	utap_errno(waitid(P_PID, 0, &si, WEXITED), EINVAL,
		   "user.fork.waitid_pid0_einval");
}

/* several children, reaped in any order: every pid exactly once */
static void test_many(void)
{
	enum { N = 8 };
	pid_t pids[N];
	int i, seen = 0, sum = 0, st;
	pid_t w;

	for (i = 0; i < N; i++) {
		pids[i] = ufork();
		if (pids[i] == 0)
			_exit(i + 1);
	}
	while ((w = wait(&st)) > 0) {
		for (i = 0; i < N; i++)
			if (pids[i] == w)
				seen |= 1 << i;
		sum += WEXITSTATUS(st);
	}
	utap_eq(seen, (1 << N) - 1, "user.fork.many_children_each_reaped");
	utap_eq(sum, N * (N + 1) / 2, "user.fork.many_children_statuses");
}

/* ---- copy-on-write -------------------------------------------------------------- */

static int check_pattern(const uint8_t *b, uint8_t seed)
{
	size_t i;

	for (i = 0; i < BIG; i += 512)
		if (b[i] != (uint8_t)(seed + i / 512))
			return 0;
	return 1;
}

static void fill_pattern(uint8_t *b, uint8_t seed)
{
	size_t i;

	for (i = 0; i < BIG; i += 512)
		b[i] = (uint8_t)(seed + i / 512);
}

static void test_cow(void)
{
	uint8_t *b = malloc(BIG);
	int st = -1;
	pid_t pid;

	if (!b) {
		utap_ok(0, "user.fork.cow_malloc");
		return;
	}
	fill_pattern(b, 1);
	pid = ufork();
	if (pid == 0) {
		int ok = check_pattern(b, 1);

		fill_pattern(b, 7);
		ok = ok && check_pattern(b, 7);
		_exit(ok ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	utap_eq(st, 0, "user.fork.cow_child_sees_then_writes_copy");
	utap_ok(check_pattern(b, 1), "user.fork.cow_parent_buffer_intact");

	/* the parent writes while the child only reads */
	pid = ufork();
	if (pid == 0) {
		nap_ms(30);
		_exit(check_pattern(b, 1) ? 0 : 1);
	}
	fill_pattern(b, 9);
	waitpid(pid, &st, 0);
	utap_eq(st, 0, "user.fork.cow_parent_write_invisible_to_child");
	utap_ok(check_pattern(b, 9), "user.fork.cow_parent_write_kept");
	free(b);
}

/* ---- death by signal --------------------------------------------------------------- */

static int killed_status(int how)
{
	int st = -1;
	pid_t pid = ufork();

	if (pid == 0) {
		switch (how) {
		case 0:		/* default action of SIGTERM */
			kill(getpid(), SIGTERM);
			break;
		case 1:		/* a fault */
			*bad_ptr = 1;
			break;
		case 2:
			abort();
		case 3:		/* killed by the parent while asleep */
			for (;;)
				pause();
		}
		_exit(99);
	}
	if (how == 3) {
		nap_ms(20);
		kill(pid, SIGKILL);
	}
	waitpid(pid, &st, 0);
	return st;
}

static void test_killed(void)
{
	int st;
	siginfo_t si;
	pid_t pid;

	st = killed_status(0);
	utap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
		"user.fork.killed_by_sigterm");
	st = killed_status(1);
	utap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
		"user.fork.killed_by_sigsegv");
	st = killed_status(2);
	utap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT,
		"user.fork.killed_by_abort");
	st = killed_status(3);
	utap_eq(st, SIGKILL, "user.fork.killed_by_sigkill_status");

	pid = ufork();
	if (pid == 0)
		for (;;)
			pause();
	kill(pid, SIGKILL);
	memset(&si, 0, sizeof(si));
	waitid(P_PID, pid, &si, WEXITED);
	utap_ok(si.si_code == CLD_KILLED && si.si_status == SIGKILL &&
		si.si_pid == pid, "user.fork.waitid_cld_killed");

	/* a child ignoring SIGTERM survives it */
	pid = ufork();
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN);
		kill(getpid(), SIGTERM);
		_exit(3);
	}
	waitpid(pid, &st, 0);
	utap_eq(st, 3 << 8, "user.fork.ignored_sigterm_survives");
}

/* ---- orphans ------------------------------------------------------------------------ */

/*
 * The middle child forks a grandchild and exits; the grandchild waits
 * until it is reparented and reports its new parent.  On the mini-kernel
 * this program is init, so the new parent is us; on Linux we are made a
 * child subreaper so that it is us too.
 */
static void test_orphan(void)
{
	int p[2], st = -1;
	pid_t mid, gc = 0, newppid = 0;

	if (getpid() != 1)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe(p)) {
		utap_ok(0, "user.fork.orphan_pipe");
		return;
	}
	mid = ufork();
	if (mid == 0) {
		pid_t orig = getpid();	/* the grandchild's first parent */
		pid_t g = fork();

		if (g == 0) {
			pid_t me = getpid(), pp;
			int i;

			/* until our parent has gone (bounded: 2 s) */
			for (i = 0; i < 1000 && getppid() == orig; i++)
				nap_ms(2);
			pp = getppid();
			if (write(p[1], &me, sizeof(me)) != sizeof(me) ||
			    write(p[1], &pp, sizeof(pp)) != sizeof(pp))
				_exit(1);
			_exit(4);
		}
		_exit(g > 0 ? 0 : 1);
	}
	close(p[1]);
	waitpid(mid, &st, 0);
	utap_eq(st, 0, "user.fork.orphan_middle_exit");
	if (read(p[0], &gc, sizeof(gc)) != sizeof(gc) ||
	    read(p[0], &newppid, sizeof(newppid)) != sizeof(newppid))
		gc = 0;
	close(p[0]);
	utap_eq(newppid, getpid(), "user.fork.orphan_reparented_to_reaper");
	st = -1;
	utap_eq(gc > 0 ? waitpid(gc, &st, 0) : -1, gc,
		"user.fork.orphan_reaped_by_new_parent");
	utap_eq(st, 4 << 8, "user.fork.orphan_status");
	if (getpid() != 1)
		prctl(PR_SET_CHILD_SUBREAPER, 0);
}

int main(void)
{
	test_statuses();
	test_many();
	test_cow();
	test_killed();
	test_orphan();
	return utap_done();
}
