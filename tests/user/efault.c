/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/efault.c - bad user pointers given to the process and file
 * system calls: each fails with EFAULT (never a kernel crash), and what
 * Linux does anyway still happens (wait4 reaps the child; a failed pipe
 * leaves no fds behind).  Raw syscalls, so libc cannot intervene.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

#define BAD ((void *)8)				/* nothing is mapped there */
#define KERNEL ((void *)0xffff800000001000ul)	/* not user space */

static void test_process_calls(void)
{
	pid_t pid;
	long r;

	/* wait4 reaps even when the status cannot be stored */
	pid = ufork();
	if (pid == 0)
		_exit(3);
	utap_errno(syscall(SYS_wait4, pid, BAD, 0, NULL), EFAULT,
		   "user.efault.wait4_status");
	utap_errno(waitpid(pid, NULL, WNOHANG), ECHILD, "user.efault.wait4_still_reaped");

	pid = ufork();
	if (pid == 0)
		_exit(3);
	utap_errno(syscall(SYS_wait4, pid, NULL, 0, KERNEL), EFAULT,
		   "user.efault.wait4_rusage");
	pid = ufork();
	if (pid == 0)
		_exit(3);
	utap_errno(syscall(SYS_waitid, P_PID, pid, BAD, WEXITED, NULL), EFAULT,
		   "user.efault.waitid_info");

	utap_errno(syscall(435, BAD, 64), EFAULT, "user.efault.clone3_args");
	utap_errno(syscall(SYS_uname, BAD), EFAULT, "user.efault.uname");
	utap_errno(syscall(SYS_getrlimit, 0, BAD), EFAULT, "user.efault.getrlimit");
	utap_errno(syscall(SYS_setrlimit, 0, KERNEL), EFAULT, "user.efault.setrlimit");
	utap_errno(syscall(SYS_prlimit64, 0, 7, NULL, BAD), EFAULT,
		   "user.efault.prlimit64_old");
	utap_errno(syscall(SYS_rt_sigaction, SIGUSR1, BAD, NULL, 8), EFAULT,
		   "user.efault.sigaction_act");
	utap_errno(syscall(SYS_rt_sigaction, SIGUSR1, NULL, KERNEL, 8), EFAULT,
		   "user.efault.sigaction_oldact");
	utap_errno(syscall(SYS_rt_sigprocmask, SIG_BLOCK, BAD, NULL, 8), EFAULT,
		   "user.efault.sigprocmask_set");
	utap_errno(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD), EFAULT,
		   "user.efault.clock_gettime");
	utap_errno(syscall(SYS_nanosleep, BAD, NULL), EFAULT, "user.efault.nanosleep");
	utap_errno(syscall(SYS_execve, KERNEL, NULL, NULL), EFAULT,
		   "user.efault.execve_path");
	utap_errno(syscall(SYS_futex, BAD, 0 /* WAIT */, 0, NULL, NULL, 0),
		   EFAULT, "user.efault.futex_wait");
	/* a bad CHILD_SETTID / PARENT_SETTID is ignored: the child exists */
	fflush(stdout);
	r = syscall(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, BAD, BAD, 0);
	if (r == 0)
		_exit(5);
	utap_ok(r > 0, "user.efault.clone_bad_parent_tid_ignored");
	if (r > 0) {
		int st = -1;

		waitpid((pid_t)r, &st, 0);
		utap_eq(st, 5 << 8, "user.efault.clone_bad_parent_tid_child_runs");
	}
}

static void test_file_calls(void)
{
	int p[2], fd, next;
	char c;

	utap_errno(syscall(SYS_write, 1, BAD, 4), EFAULT, "user.efault.write");
	utap_errno(syscall(SYS_writev, 1, BAD, 1), EFAULT, "user.efault.writev_iov");
	if (pipe(p)) {
		utap_ok(0, "user.efault.pipe");
		return;
	}
	write(p[1], "abc", 3);
	utap_errno(syscall(SYS_read, p[0], BAD, 3), EFAULT, "user.efault.read");
	close(p[0]);
	close(p[1]);

	/* a pipe whose fds cannot be stored leaves nothing open */
	next = dup(0);
	close(next);
	utap_errno(syscall(SYS_pipe2, BAD, 0), EFAULT, "user.efault.pipe2");
	fd = dup(0);
	utap_eq(fd, next, "user.efault.pipe2_no_fd_leaked");
	close(fd);

	utap_errno(syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY), EFAULT,
		   "user.efault.open_path");
	utap_errno(syscall(SYS_newfstatat, AT_FDCWD, "/", BAD, 0), EFAULT,
		   "user.efault.stat_buf");
	utap_errno(syscall(SYS_fstat, 0, KERNEL), EFAULT, "user.efault.fstat_buf");
	utap_errno(syscall(SYS_chdir, BAD), EFAULT, "user.efault.chdir");
#ifdef SYS_poll
	utap_errno(syscall(SYS_poll, BAD, 1, 0), EFAULT, "user.efault.poll");
#else	/* aarch64, riscv64: ppoll only */
	utap_errno(syscall(SYS_ppoll, BAD, 1, &(struct timespec){ 0, 0 }, NULL, 8),
		   EFAULT, "user.efault.poll");
#endif
	(void)c;
}

int main(void)
{
	test_process_calls();
	test_file_calls();
	return utap_done();
}
