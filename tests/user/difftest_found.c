/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/difftest_found.c - what ci/difftest found kfork doing
 * differently from Linux, once fixed: one check per divergence, named
 * after it (the seed that showed it is in the comment).  Raw system calls,
 * so libc cannot step in.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utap.h"
#include "uclone.h"

#define BAD ((void *)8)		/* nothing is mapped there */

/* waitid writes its siginfo whatever the result, zeros when no child was
 * ready or the call failed, so a bad infop gives EFAULT even then; and
 * the rusage only when a child was found (seeds 7 and 8). */
static void test_waitid_infop(void)
{
	int si[32], ru[36];
	pid_t pid;
	long r;

	utap_errno(syscall(SYS_waitid, P_ALL, 0, BAD, WEXITED | WNOHANG, NULL),
		   EFAULT, "found.waitid_echild_bad_infop");
	utap_errno(syscall(SYS_waitid, P_PID, getpid(), BAD, WNOHANG, NULL), EFAULT,
		   "found.waitid_einval_bad_infop");
	memset(si, 0xa5, sizeof(si));
	r = syscall(SYS_waitid, P_ALL, 0, si, WEXITED | WNOHANG, NULL);
	utap_errno(r, ECHILD, "found.waitid_echild");
	utap_ok(si[0] == 0 && si[2] == 0 && si[4] == 0 && si[6] == 0,
		"found.waitid_echild_zeroes_infop");
	utap_eq(si[8], (int)0xa5a5a5a5, "found.waitid_leaves_the_rest");

	pid = ufork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	memset(si, 0xa5, sizeof(si));
	memset(ru, 0xa5, sizeof(ru));
	r = syscall(SYS_waitid, P_PID, pid, si, WEXITED | WNOHANG, ru);
	utap_eq(r, 0, "found.waitid_nothing_ready");
	utap_ok(si[0] == 0 && si[4] == 0, "found.waitid_nothing_ready_zeroes_infop");
	utap_eq(ru[0], (int)0xa5a5a5a5, "found.waitid_nothing_ready_leaves_rusage");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* waitid checks its options before it looks at a P_PIDFD's fd (seed 15) */
static void test_waitid_pidfd_order(void)
{
	utap_errno(syscall(SYS_waitid, P_PIDFD, 1000, NULL, WEXITED | 0x100, NULL),
		   EINVAL, "found.waitid_pidfd_options_first");
	utap_errno(syscall(SYS_waitid, P_PIDFD, 1000, NULL, WEXITED, NULL), EBADF,
		   "found.waitid_pidfd_not_an_fd");
}

/* pidfd_send_signal: the fd before the signal number, a gone process
 * before the signal number (seed 4) */
static void test_pidfd_send_signal_order(void)
{
	pid_t pid;
	long fd;

	utap_errno(syscall(SYS_pidfd_send_signal, 1000, 65, NULL, 0), EBADF,
		   "found.pidfd_send_signal_fd_before_signal");
	utap_errno(syscall(SYS_pidfd_send_signal, 1000, 0, NULL, 3), EINVAL,
		   "found.pidfd_send_signal_one_scope");
	pid = ufork();
	if (pid == 0)
		_exit(0);
	fd = syscall(SYS_pidfd_open, pid, 0);
	waitpid(pid, NULL, 0);
	utap_errno(syscall(SYS_pidfd_send_signal, fd, 65, NULL, 0), ESRCH,
		   "found.pidfd_send_signal_gone_before_signal");
	close((int)fd);
}

/* ... and a process the caller's pid namespace cannot see is EINVAL, even
 * when it is the caller's own parent (seed 18) */
static void test_pidfd_send_signal_ns(void)
{
	long fd, pid;
	int st;

	if (geteuid() != 0) {
		utap_skip("found.pidfd_send_signal_other_ns", "needs root");
		return;
	}
	fd = syscall(SYS_pidfd_open, getpid(), 0);
	fflush(stdout);
	pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) == -1 &&
		      errno == EINVAL ? 0 : 1);
	st = pid > 0 ? wait_status((pid_t)pid) : -1;
	utap_eq(st, 0, "found.pidfd_send_signal_other_ns");
	close((int)fd);
}

/* rt_sigprocmask sets the new mask before it stores the old one: a bad
 * oldset fails with the mask changed anyway (seed 20) */
static void test_sigprocmask_order(void)
{
	uint64_t set = 1ull << (SIGUSR1 - 1), now = 0;

	utap_errno(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, BAD, 8), EFAULT,
		   "found.sigprocmask_bad_oldset");
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &now, 8);
	utap_ok(now & set, "found.sigprocmask_bad_oldset_mask_set");
	syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, 8);
}

#if UCLONE_HAVE
static char stack1[16384] __attribute__((aligned(16)));
static char stack2[16384] __attribute__((aligned(16)));
static volatile int go;

static int late_thread(void *arg)
{
	(void)arg;
	while (!go)
		syscall(SYS_sched_yield);
	return 0;
}

static int early_leader(void *arg)
{
	(void)arg;
	uclone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD,
	       stack2 + sizeof(stack2), NULL, NULL, 0, late_thread, NULL);
	return 0;	/* the leader's exit(2); its thread runs on */
}

static int readable(long fd)
{
	struct pollfd p = { .fd = (int)fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* a pidfd polls readable once the whole process has exited, not when
 * its leader alone has (seed 26) */
static void test_pidfd_poll_group(void)
{
	long pid, fd;
	int i;

	fflush(stdout);
	pid = uclone(CLONE_VM | SIGCHLD, stack1 + sizeof(stack1), NULL, NULL, 0,
		     early_leader, NULL);
	fd = pid > 0 ? syscall(SYS_pidfd_open, pid, 0) : -1;
	/* the leader is a zombie soon, its thread waits for go */
	for (i = 0; i < 50; i++)
		usleep(2000);
	utap_ok(fd >= 0 && !readable(fd), "found.pidfd_poll_threads_left");
	go = 1;
	utap_eq(wait_status((pid_t)pid), 0, "found.pidfd_poll_group_status");
	utap_ok(fd >= 0 && readable(fd), "found.pidfd_poll_group_gone");
	close((int)fd);
}
#else
static void test_pidfd_poll_group(void)
{
	utap_skip("found.pidfd_poll_threads_left", "no uclone here");
}
#endif

int main(void)
{
	test_waitid_infop();
	test_waitid_pidfd_order();
	test_pidfd_send_signal_order();
	test_pidfd_send_signal_ns();
	test_sigprocmask_order();
	test_pidfd_poll_group();
	return utap_done();
}
