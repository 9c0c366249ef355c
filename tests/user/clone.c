/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/clone.c - clone, clone3 and unshare: Linux's errno for
 * invalid flag combinations, what CLONE_FILES / CLONE_FS / CLONE_SIGHAND
 * share (and what a copy keeps apart), CLONE_PARENT, a child without an
 * exit signal (__WCLONE), clone3's struct rules, and pidfds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "uclone.h"
#include "utap.h"

#define STACK_SIZE (64 * 1024)

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif
#define CLONE_CLEAR_SIGHAND_ 0x100000000ull
#define P_PIDFD_ 3

struct clone_args_ {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

static char stack_mem[4][STACK_SIZE] __attribute__((aligned(16)));

static long clone3_(struct clone_args_ *a, size_t size)
{
	return syscall(435, a, size);
}

static int exit_zero(void *p)
{
	(void)p;
	return 0;
}

/* try_clone - a clone that must fail: returns -errno; a child made by
 * mistake is waited for and reported as its tid. */
static long try_clone(unsigned long flags, void *ptid, int *pidfd)
{
	long r;

	fflush(stdout);
	r = uclone(flags, stack_mem[0] + STACK_SIZE, pidfd ? (void *)pidfd : ptid,
		   NULL, 0, exit_zero, NULL);
	if (r > 0)
		waitpid((pid_t)r, NULL, __WALL);
	return r;
}

static bool is_root(void)
{
	return geteuid() == 0;
}

/* ---- invalid flag combinations -------------------------------------------------- */

static void test_invalid(void)
{
	struct clone_args_ a;
	int pidfd = -1;
	char big[4096 + 64];

	utap_eq(try_clone(CLONE_THREAD | SIGCHLD, NULL, NULL), -EINVAL,
		"user.clone.invalid.thread_needs_sighand");
	utap_eq(try_clone(CLONE_SIGHAND | SIGCHLD, NULL, NULL), -EINVAL,
		"user.clone.invalid.sighand_needs_vm");
	utap_eq(try_clone(CLONE_NEWNS | CLONE_FS | SIGCHLD, NULL, NULL), -EINVAL,
		"user.clone.invalid.newns_with_fs");
	utap_eq(try_clone(CLONE_NEWUSER | CLONE_FS | SIGCHLD, NULL, NULL), -EINVAL,
		"user.clone.invalid.newuser_with_fs");
	utap_eq(try_clone(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWPID,
			  NULL, NULL), -EINVAL,
		"user.clone.invalid.thread_with_newpid");
	utap_eq(try_clone(CLONE_PIDFD | CLONE_DETACHED | SIGCHLD, NULL, &pidfd),
		-EINVAL, "user.clone.invalid.pidfd_with_detached");
	utap_eq(try_clone(CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, NULL,
			  &pidfd), -EINVAL,
		"user.clone.invalid.pidfd_and_parent_settid_same_slot");
	if (is_root())
		utap_eq(try_clone(CLONE_NEWIPC | CLONE_SYSVSEM | SIGCHLD, NULL, NULL),
			-EINVAL, "user.clone.invalid.newipc_with_sysvsem");
	else
		utap_skip("user.clone.invalid.newipc_with_sysvsem", "not root");
	/* init may not make siblings: on the mini-kernel we are init */
	if (getpid() == 1)
		utap_eq(try_clone(CLONE_PARENT | SIGCHLD, NULL, NULL), -EINVAL,
			"user.clone.invalid.parent_from_init");
	else
		utap_skip("user.clone.invalid.parent_from_init", "not pid 1");

	/* clone3's struct rules */
	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	utap_errno(clone3_(&a, 63), EINVAL, "user.clone.clone3.size_below_ver0");
	a.flags = SIGCHLD;	/* CSIGNAL bits go in exit_signal */
	utap_errno(clone3_(&a, 64), EINVAL, "user.clone.clone3.csignal_in_flags");
	a.flags = 0;
	a.exit_signal = 65;
	utap_errno(clone3_(&a, 64), EINVAL, "user.clone.clone3.bad_exit_signal");
	a.exit_signal = SIGCHLD;
	a.set_tid_size = 33;
	a.set_tid = (uintptr_t)big;
	utap_errno(clone3_(&a, 80), EINVAL, "user.clone.clone3.set_tid_too_long");
	a.set_tid_size = 1;
	a.set_tid = 0;
	utap_errno(clone3_(&a, 80), EINVAL, "user.clone.clone3.set_tid_size_without_array");
	a.set_tid_size = 0;
	a.stack = 0;
	a.stack_size = 4096;
	utap_errno(clone3_(&a, 64), EINVAL, "user.clone.clone3.stack_size_without_stack");
	a.stack_size = 0;
	memset(big, 0, sizeof(big));
	memcpy(big, &a, sizeof(a));
	big[100] = 1;
	utap_errno(clone3_((void *)big, 128), E2BIG,
		   "user.clone.clone3.nonzero_tail_e2big");
	utap_errno(clone3_((void *)big, sizeof(big)), E2BIG,
		   "user.clone.clone3.larger_than_page_e2big");
	utap_errno(clone3_((void *)8, 64), EFAULT, "user.clone.clone3.bad_pointer_efault");
	a.flags = CLONE_THREAD;		/* without SIGHAND: the clone rules */
	utap_errno(clone3_(&a, 64), EINVAL, "user.clone.clone3.thread_needs_sighand");

	/* unshare */
	utap_errno(unshare(0x1), EINVAL, "user.clone.unshare.csignal_bit_einval");
	utap_errno(unshare(CLONE_PIDFD), EINVAL, "user.clone.unshare.unknown_flag_einval");
	utap_eq(unshare(CLONE_FILES | CLONE_FS), 0, "user.clone.unshare.files_fs_ok");
	utap_eq(unshare(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM), 0,
		"user.clone.unshare.single_thread_noop");
	if (!is_root()) {
		utap_skip("user.clone.unshare.newuts_eperm_for_user", "not root");
	} else {
		pid_t pid = ufork();
		int st;

		if (pid == 0) {
			if (setuid(54322))
				_exit(3);	/* no such uid here */
			_exit(unshare(CLONE_NEWUTS) == -1 && errno == EPERM ? 0 : 1);
		}
		st = wait_status(pid);
		if (st == 3 << 8)
			utap_skip("user.clone.unshare.newuts_eperm_for_user",
				  "no setuid here");
		else
			utap_eq(st, 0, "user.clone.unshare.newuts_eperm_for_user");
	}
}

/* ---- what is shared ---------------------------------------------------------------- */

static int victim_fd;

static int close_victim(void *p)
{
	(void)p;
	return close(victim_fd) == 0 ? 0 : 1;
}

static int set_umask(void *p)
{
	(void)p;
	umask(077);
	return chdir("/") == 0 ? 0 : 1;
}

static volatile int handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static int set_handler(void *p)
{
	struct sigaction sa;

	(void)p;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	return sigaction(SIGUSR1, &sa, NULL) ? 1 : 0;
}

/* run_clone - @fn in a child with @flags; its exit status. */
static int run_clone(unsigned long flags, int (*fn)(void *))
{
	long pid;

	fflush(stdout);
	pid = uclone(flags | SIGCHLD, stack_mem[1] + STACK_SIZE, NULL, NULL, 0,
		     fn, NULL);
	if (pid <= 0)
		return -1;
	return wait_status((pid_t)pid);
}

static void test_sharing(void)
{
	char cwd[256], cwd2[256];
	struct sigaction sa;
	mode_t old;

	/* CLONE_FILES: the child's close is the parent's */
	victim_fd = open("/", O_RDONLY);
	utap_eq(run_clone(0, close_victim), 0, "user.clone.files.copy_child_closes");
	utap_ok(fcntl(victim_fd, F_GETFD) >= 0, "user.clone.files.copy_keeps_parent_fd");
	utap_eq(run_clone(CLONE_FILES, close_victim), 0,
		"user.clone.files.shared_child_closes");
	utap_errno(fcntl(victim_fd, F_GETFD), EBADF,
		   "user.clone.files.shared_close_seen_by_parent");

	/* CLONE_FS: umask and cwd */
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = 0;
	old = umask(022);
	utap_eq(run_clone(0, set_umask), 0, "user.clone.fs.copy_child_runs");
	utap_eq(umask(022), 022, "user.clone.fs.copy_umask_private");
	utap_ok(getcwd(cwd2, sizeof(cwd2)) && !strcmp(cwd, cwd2),
		"user.clone.fs.copy_cwd_private");
	utap_eq(run_clone(CLONE_FS, set_umask), 0, "user.clone.fs.shared_child_runs");
	utap_eq(umask(022), 077, "user.clone.fs.shared_umask_seen");
	utap_ok(getcwd(cwd2, sizeof(cwd2)) && !strcmp(cwd2, "/"),
		"user.clone.fs.shared_cwd_seen");
	umask(old);
	if (cwd[0] && chdir(cwd))
		utap_ok(0, "user.clone.fs.restore_cwd");

	/* CLONE_SIGHAND (needs CLONE_VM): the child's sigaction is ours */
	signal(SIGUSR1, SIG_DFL);
	utap_eq(run_clone(CLONE_VM, set_handler), 0, "user.clone.sighand.copy_child_runs");
	sigaction(SIGUSR1, NULL, &sa);
	utap_ok(sa.sa_handler == SIG_DFL, "user.clone.sighand.copy_private");
	utap_eq(run_clone(CLONE_VM | CLONE_SIGHAND, set_handler), 0,
		"user.clone.sighand.shared_child_runs");
	sigaction(SIGUSR1, NULL, &sa);
	utap_ok(sa.sa_handler == on_usr1, "user.clone.sighand.shared_seen");
	raise(SIGUSR1);
	utap_eq(handled, 1, "user.clone.sighand.shared_handler_runs");
	signal(SIGUSR1, SIG_DFL);
}

/* ---- CLONE_PARENT and exit signals ----------------------------------------------------- */

static void test_parent(void)
{
	int p[2], st;
	pid_t mid, gc = 0;

	if (pipe(p)) {
		utap_ok(0, "user.clone.parent.pipe");
		return;
	}
	mid = ufork();
	if (mid == 0) {
		/* a sibling, not a child: our parent reaps it */
		long g = uclone(CLONE_PARENT | SIGCHLD, stack_mem[2] + STACK_SIZE,
				NULL, NULL, 0, exit_zero, NULL);

		if (g > 0 && write(p[1], &g, sizeof(pid_t)) != sizeof(pid_t))
			_exit(2);
		_exit(g > 0 ? (waitpid((pid_t)g, NULL, WNOHANG) == -1 &&
			       errno == ECHILD ? 0 : 3) : 1);
	}
	close(p[1]);
	utap_eq(wait_status(mid), 0, "user.clone.parent.not_callers_child");
	if (read(p[0], &gc, sizeof(gc)) != sizeof(gc))
		gc = -1;
	close(p[0]);
	st = gc > 0 ? wait_status(gc) : -1;
	utap_eq(st, 0, "user.clone.parent.reaped_by_grandparent");
}

static void test_exit_signal(void)
{
	int st = -1;
	long pid;

	/* no exit signal: only __WCLONE (or __WALL) waits see it */
	fflush(stdout);
	pid = uclone(0, stack_mem[1] + STACK_SIZE, NULL, NULL, 0, exit_zero, NULL);
	utap_ok(pid > 0, "user.clone.exit_signal0.created");
	utap_errno(waitpid((pid_t)pid, &st, 0), ECHILD,
		   "user.clone.exit_signal0.plain_wait_echild");
	utap_eq(waitpid((pid_t)pid, &st, __WCLONE), pid,
		"user.clone.exit_signal0.wclone_reaps");
	utap_eq(st, 0, "user.clone.exit_signal0.status");

	/* SIGCHLD children are invisible to __WCLONE */
	pid = ufork();
	if (pid == 0)
		_exit(0);
	utap_errno(waitpid((pid_t)pid, &st, __WCLONE), ECHILD,
		   "user.clone.sigchld_child_not_wclone");
	utap_eq(waitpid((pid_t)pid, &st, __WALL), pid, "user.clone.wall_reaps_any");
}

/* ---- clone3 and pidfds -------------------------------------------------------------------- */

static void test_clone3_pidfd(void)
{
	struct clone_args_ a;
	siginfo_t si;
	int pidfd = -1, st;
	long pid;

	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	fflush(stdout);
	pid = clone3_(&a, 64);
	if (pid == 0)
		_exit(31);
	utap_ok(pid > 0, "user.clone.clone3.fork_like");
	utap_eq(pid > 0 ? wait_status((pid_t)pid) : -1, 31 << 8,
		"user.clone.clone3.status");

	/* CLONE_PIDFD: kill and wait through the fd */
	a.flags = CLONE_PIDFD;
	a.pidfd = (uintptr_t)&pidfd;
	fflush(stdout);
	pid = clone3_(&a, 88);
	if (pid == 0) {
		for (;;)
			pause();
	}
	utap_ok(pid > 0 && pidfd >= 0, "user.clone.clone3.pidfd_returned");
	utap_eq(fcntl(pidfd, F_GETFD), FD_CLOEXEC, "user.clone.pidfd.cloexec");
	utap_eq(syscall(424, pidfd, SIGKILL, NULL, 0), 0,
		"user.clone.pidfd.send_signal");
	memset(&si, 0, sizeof(si));
	utap_eq(waitid(P_PIDFD_, pidfd, &si, WEXITED), 0, "user.clone.pidfd.waitid");
	utap_ok(si.si_pid == pid && si.si_code == CLD_KILLED &&
		si.si_status == SIGKILL, "user.clone.pidfd.waitid_killed");
	utap_errno(syscall(424, pidfd, SIGKILL, NULL, 0), ESRCH,
		   "user.clone.pidfd.send_after_reap_esrch");
	close(pidfd);

	/* pidfd_open */
	pid = ufork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	pidfd = (int)syscall(434, pid, 0);
	utap_ok(pidfd >= 0, "user.clone.pidfd_open");
	utap_errno(syscall(424, pidfd, SIGKILL, NULL, 1 << 4), EINVAL,
		   "user.clone.pidfd.bad_flags_einval");
	utap_errno(syscall(424, 1, SIGKILL, NULL, 0), EBADF,
		   "user.clone.pidfd.not_a_pidfd_ebadf");
	utap_eq(syscall(424, pidfd, SIGTERM, NULL, 0), 0,
		"user.clone.pidfd.sigterm");
	st = wait_status((pid_t)pid);
	utap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
		"user.clone.pidfd.sigterm_killed");
	close(pidfd);

	/* PIDFD_NONBLOCK: waitid says EAGAIN where WNOHANG finds nothing */
	pid = ufork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	pidfd = (int)syscall(434, pid, O_NONBLOCK);
	utap_ok(pidfd >= 0 && (fcntl(pidfd, F_GETFL) & O_NONBLOCK),
		"user.clone.pidfd_open_nonblock");
	memset(&si, 0, sizeof(si));
	utap_errno(waitid(P_PIDFD_, pidfd, &si, WEXITED), EAGAIN,
		   "user.clone.pidfd.nonblock_waitid_eagain");
	utap_eq(waitid(P_PIDFD_, pidfd, &si, WEXITED | WNOHANG), 0,
		"user.clone.pidfd.nonblock_wnohang_0");
	kill((pid_t)pid, SIGKILL);
	utap_eq(fcntl(pidfd, F_SETFL, 0), 0, "user.clone.pidfd.clear_nonblock");
	memset(&si, 0, sizeof(si));
	utap_ok(waitid(P_PIDFD_, pidfd, &si, WEXITED) == 0 && si.si_pid == pid,
		"user.clone.pidfd.blocking_waitid_again");
	close(pidfd);
	utap_errno(syscall(434, 0, 0), EINVAL, "user.clone.pidfd_open_pid0_einval");
	utap_errno(syscall(434, getpid(), 1), EINVAL,
		   "user.clone.pidfd_open_bad_flags_einval");
	utap_errno(syscall(434, pid, 0), ESRCH, "user.clone.pidfd_open_gone_esrch");
}

int main(void)
{
	if (!UCLONE_HAVE) {
		printf("1..0 # SKIP no raw clone on this arch\n");
		return 0;
	}
	test_invalid();
	test_sharing();
	test_parent();
	test_exit_signal();
	test_clone3_pidfd();
	return utap_done();
}
