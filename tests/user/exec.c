/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/exec.c - vfork, execve and posix_spawn.  The program runs
 * itself as the child (argv[0]), with a mode word in argv[1]:
 *   exit N           exit with status N
 *   fds R C          exit 0 if fd R is open and fd C is closed (the
 *                    close-on-exec fd), else 1
 *   args A B         exit 0 if argc == 4 and the args are A, B
 *   env              exit 0 if the environment is exactly KF=1
 *   sig              exit 0 if SIGTERM is ignored and SIGUSR1 default
 *   len N S          exit 0 if strlen(S) == N
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

extern char **environ;
static char *self;

static int child_mode(int argc, char **argv)
{
	if (!strcmp(argv[1], "exit") && argc == 3)
		return atoi(argv[2]);
	if (!strcmp(argv[1], "fds") && argc == 4)
		return fcntl(atoi(argv[2]), F_GETFD) >= 0 &&
		       fcntl(atoi(argv[3]), F_GETFD) == -1 && errno == EBADF ?
		       0 : 1;
	if (!strcmp(argv[1], "args"))
		return argc == 4 && !strcmp(argv[2], "A") &&
		       !strcmp(argv[3], "B with spaces") ? 0 : 1;
	if (!strcmp(argv[1], "sig")) {
		struct sigaction term, usr1;

		sigaction(SIGTERM, NULL, &term);
		sigaction(SIGUSR1, NULL, &usr1);
		return term.sa_handler == SIG_IGN && usr1.sa_handler == SIG_DFL ?
		       0 : 1;
	}
	if (!strcmp(argv[1], "len") && argc == 4)
		return strlen(argv[3]) == (size_t)atoi(argv[2]) ? 0 : 1;
	if (!strcmp(argv[1], "env"))
		return environ[0] && !strcmp(environ[0], "KF=1") && !environ[1] ?
		       0 : 1;
	return 100;
}

static int wait_for(pid_t pid)
{
	int st = -1;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/* ---- vfork ------------------------------------------------------------------------ */

static volatile int shared_word;

static void test_vfork(void)
{
	pid_t pid;
	int st, i;

	/* the parent sleeps until the child exits; memory is shared */
	shared_word = 0;
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		shared_word = 1;
		for (i = 0; i < 20; i++)
			sched_yield();	/* a running parent would see 1 */
		shared_word = 2;
		_exit(7);
	}
	utap_eq(shared_word, 2, "user.exec.vfork_parent_suspended_until_exit");
	st = wait_for(pid);
	utap_eq(st, 7 << 8, "user.exec.vfork_child_status");

	/* released by exec: the parent runs while the child is a new program */
	shared_word = 0;
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		char *argv[] = { self, "exit", "11", NULL };

		shared_word = 3;
		execve(self, argv, environ);
		_exit(127);
	}
	utap_eq(shared_word, 3, "user.exec.vfork_memory_shared");
	utap_eq(wait_for(pid), 11 << 8, "user.exec.vfork_exec_status");

	/* a failed exec leaves the child in the shared memory to report */
	shared_word = 0;
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		char *argv[] = { "nope", NULL };

		execve("/nonexistent/kfork-test", argv, environ);
		shared_word = errno;
		_exit(127);
	}
	utap_eq(shared_word, ENOENT, "user.exec.vfork_exec_enoent_seen_by_parent");
	utap_eq(wait_for(pid), 127 << 8, "user.exec.vfork_exec_failed_status");
}

/* ---- execve ------------------------------------------------------------------------- */

static void on_usr1(int sig)
{
	(void)sig;
}

static void test_execve(void)
{
	char *args[] = { self, "args", "A", "B with spaces", NULL };
	char *env[] = { "KF=1", NULL };
	char *envargs[] = { self, "env", NULL };
	int keep, gone, pid;
	char r[16], c[16];

	pid = ufork();
	if (pid == 0) {
		execve(self, args, environ);
		_exit(127);
	}
	utap_eq(wait_for(pid), 0, "user.exec.execve_argv");

	pid = ufork();
	if (pid == 0) {
		execve(self, envargs, env);
		_exit(127);
	}
	utap_eq(wait_for(pid), 0, "user.exec.execve_envp");

	/* close-on-exec: one fd survives, one does not */
	keep = open(self, O_RDONLY);
	gone = open(self, O_RDONLY | O_CLOEXEC);
	snprintf(r, sizeof(r), "%d", keep);
	snprintf(c, sizeof(c), "%d", gone);
	pid = ufork();
	if (pid == 0) {
		char *argv[] = { self, "fds", r, c, NULL };

		execve(self, argv, environ);
		_exit(127);
	}
	utap_eq(wait_for(pid), 0, "user.exec.execve_close_on_exec");
	close(keep);
	close(gone);

	/* exec resets caught signals to SIG_DFL, ignored ones stay */
	pid = ufork();
	if (pid == 0) {
		char *argv[] = { self, "sig", NULL };

		signal(SIGTERM, SIG_IGN);
		signal(SIGUSR1, on_usr1);
		execve(self, argv, environ);
		_exit(127);
	}
	utap_eq(wait_for(pid), 0, "user.exec.execve_resets_handlers");

	/* one long argument (longer than any path) */
	{
		static char longarg[20001];
		char *argv[] = { self, "len", "20000", longarg, NULL };

		memset(longarg, 'q', 20000);
		pid = ufork();
		if (pid == 0) {
			execve(self, argv, environ);
			_exit(127);
		}
		utap_eq(wait_for(pid), 0, "user.exec.execve_long_argument");
	}

	utap_errno(execve("/nonexistent/kfork-test", args, environ), ENOENT,
		   "user.exec.execve_enoent");
	utap_errno(syscall(SYS_execve, (void *)8, args, environ), EFAULT,
		   "user.exec.execve_bad_path_efault");
	utap_errno(syscall(SYS_execve, self, (void *)8, environ), EFAULT,
		   "user.exec.execve_bad_argv_efault");
	utap_errno(execve("/", args, environ), EACCES,
		   "user.exec.execve_directory_eacces");
}

/* ---- posix_spawn ----------------------------------------------------------------------- */

static void test_spawn(void)
{
	char *argv[] = { self, "exit", "23", NULL };
	char *bad[] = { "nope", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid = 0;
	int r, p[2], st;

	fflush(stdout);
	r = posix_spawn(&pid, self, NULL, NULL, argv, environ);
	utap_eq(r, 0, "user.exec.posix_spawn_ok");
	utap_eq(pid > 0 ? wait_for(pid) : -1, 23 << 8,
		"user.exec.posix_spawn_child_status");

	r = posix_spawn(&pid, "/nonexistent/kfork-test", NULL, NULL, bad, environ);
	utap_eq(r, ENOENT, "user.exec.posix_spawn_enoent");
	utap_errno(waitpid(-1, &st, WNOHANG), ECHILD,
		   "user.exec.posix_spawn_failure_reaped");

	/* file actions: the child's stdout is a pipe we read from */
	if (pipe(p)) {
		utap_ok(0, "user.exec.posix_spawn_pipe");
		return;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[0], 9);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	{
		char *fds[] = { self, "fds", "9", "100", NULL };

		r = posix_spawn(&pid, self, &fa, NULL, fds, environ);
	}
	posix_spawn_file_actions_destroy(&fa);
	utap_eq(r, 0, "user.exec.posix_spawn_file_actions");
	utap_eq(pid > 0 ? wait_for(pid) : -1, 0,
		"user.exec.posix_spawn_dup2_seen_by_child");
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 1)
		return child_mode(argc, argv);
	test_vfork();
	test_execve();
	test_spawn();
	return utap_done();
}
