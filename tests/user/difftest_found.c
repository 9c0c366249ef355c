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
#include <sys/prctl.h>
#include <stdlib.h>
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

/* a signal whose default action kills, sent by a thread to its own
 * group, ends the group before the sender returns (seeds 8, 89) */
static volatile int *returned;

static int term_own_group(void *arg)
{
	(void)arg;
	syscall(SYS_tgkill, syscall(SYS_getpid), syscall(SYS_getpid), SIGTERM);
	*returned = 1;
	for (;;)
		syscall(SYS_sched_yield);
	return 0;
}

static void test_fatal_sender_dies(void)
{
	pid_t pid;
	int st;

	returned = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (returned == MAP_FAILED)
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		uclone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
		       CLONE_THREAD | CLONE_SYSVSEM, stack2 + sizeof(stack2),
		       NULL, NULL, 0, term_own_group, NULL);
		for (;;)
			pause();
	}
	st = wait_status(pid);
	utap_eq(st, SIGTERM, "found.fatal_signal_group_status");
	utap_eq(*returned, 0, "found.fatal_signal_sender_never_returns");
	munmap((void *)returned, 4096);
}
#else
static void test_pidfd_poll_group(void)
{
	utap_skip("found.pidfd_poll_threads_left", "no uclone here");
}

static void test_fatal_sender_dies(void)
{
	utap_skip("found.fatal_signal_sender_never_returns", "no uclone here");
}
#endif

/* a new user namespace maps no id until its uid_map is written: every
 * id reads as 65534 there, setuid refuses every id (EINVAL), a wait names
 * a child's uid 65534, and no namespace can be made below it (EPERM)
 * (seed 2 and 32 others; seed 70 with -j; seeds 85, 94) */
static int in_unmapped_ns(void)
{
	int si[32];
	pid_t c;

	if (syscall(SYS_unshare, CLONE_NEWUSER))
		return 1;
	if (syscall(SYS_getuid) != 65534 || syscall(SYS_geteuid) != 65534 ||
	    syscall(SYS_getgid) != 65534)
		return 2;
	if (syscall(SYS_setuid, 0) != -1 || errno != EINVAL)
		return 3;
	if (syscall(SYS_setuid, 65534) != -1 || errno != EINVAL)
		return 4;
	c = fork();
	if (c == 0)
		_exit(0);
	memset(si, 0, sizeof(si));
	if (syscall(SYS_waitid, P_PID, c, si, WEXITED, NULL) || si[5] != 65534)
		return 5;
	if (syscall(SYS_unshare, CLONE_NEWUSER) != -1 || errno != EPERM)
		return 6;
	return 0;
}

static void test_userns_unmapped(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(in_unmapped_ns());
	utap_eq(wait_status(pid), 0, "found.userns_unmapped_ids");
}

/* SA_RESETHAND puts back only the handler: the flags stay (seed 97 -j) */
static void on_usr1(int sig)
{
	(void)sig;
}

static void test_resethand_keeps_flags(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESETHAND | SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	utap_ok(old.sa_handler == SIG_DFL && (old.sa_flags & SA_RESETHAND) &&
		(old.sa_flags & SA_RESTART), "found.resethand_keeps_flags");
}

/* a signal whose default action kills, sent to a vfork parent, kills it
 * at once: it dies in its wait, before the child leaves the mm (seeds 19,
 * 30, 43, 50) */
static void test_fatal_vfork_parent(void)
{
	int go_fd[2], sent[2], st = -1, i;
	pid_t p, vc = 0;
	char c = 0;
	long r = 0;

	if (pipe(go_fd) || pipe(sent))
		return;
	/* the vfork child outlives its parent: reap it here, not in init */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		if (vfork() == 0) {
			pid_t me = (pid_t)syscall(SYS_getpid);

			syscall(SYS_kill, syscall(SYS_getppid), SIGTERM);
			syscall(SYS_write, sent[1], &me, sizeof(me));
			syscall(SYS_read, go_fd[0], &c, 1);
			syscall(SYS_exit, 0);
		}
		_exit(0);	/* vfork returned: the parent was not killed */
	}
	if (read(sent[0], &vc, sizeof(vc)) != sizeof(vc))
		vc = 0;
	for (i = 0; i < 100; i++) {
		r = waitpid(p, &st, WNOHANG);
		if (r != 0)
			break;
		usleep(10000);
	}
	utap_ok(r == p && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
		"found.fatal_signal_kills_vfork_parent_in_its_wait");
	if (write(go_fd[1], &c, 1) != 1 || r != p)
		kill(p, SIGKILL);
	if (r != p)
		waitpid(p, NULL, 0);
	if (vc > 0)
		waitpid(vc, NULL, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	close(go_fd[0]);
	close(go_fd[1]);
	close(sent[0]);
	close(sent[1]);
}

int main(void)
{
	test_waitid_infop();
	test_waitid_pidfd_order();
	test_pidfd_send_signal_order();
	test_pidfd_send_signal_ns();
	test_sigprocmask_order();
	test_pidfd_poll_group();
	test_userns_unmapped();
	test_resethand_keeps_flags();
	test_fatal_vfork_parent();
	test_fatal_sender_dies();
	return utap_done();
}
