/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/execmt.c - execve from a multi-threaded process (Linux's
 * de_thread): every other thread ends first, the new program runs as the
 * process's only thread under the process's pid even when a thread that
 * was not the leader called execve (whose own tid is then gone), with the
 * same parent, and the parent hears of none of the vanished threads --
 * only of the new program's end.  Also: the leader may have exited
 * already; and exec makes a clone child with another exit signal report
 * with SIGCHLD.  The program re-executes itself (argv[0]) with a mode.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utap.h"

static const char *self;

static int gettid_(void)
{
	return (int)syscall(SYS_gettid);
}

/* threads_now - the Threads: line of /proc/self/status, or -1. */
static int threads_now(void)
{
	char buf[4096], *p;
	int fd = open("/proc/self/status", 0);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "Threads:");
	return p ? atoi(p + 8) : -1;
}

/* ---- after the exec ---------------------------------------------------------------- */

/* argv: self "after" <pid> <old tid> <ppid>: exit 42 when all holds. */
static int after_exec(char **argv)
{
	pid_t pid = atoi(argv[2]), old_tid = atoi(argv[3]), ppid = atoi(argv[4]);

	if (getpid() != pid)
		return 1;
	if (gettid_() != pid)
		return 2;
	if (getppid() != ppid)
		return 3;
	if (old_tid != pid && (kill(old_tid, 0) != -1 || errno != ESRCH))
		return 4;
	if (threads_now() != 1)
		return 5;
	return 42;
}

/* ---- before it ------------------------------------------------------------------------- */

static void do_exec(void)
{
	char a[16], b[16], c[16];
	char *argv[] = { (char *)self, "after", a, b, c, NULL };

	snprintf(a, sizeof(a), "%d", getpid());
	snprintf(b, sizeof(b), "%d", gettid_());
	snprintf(c, sizeof(c), "%d", getppid());
	execve(self, argv, NULL);
	_exit(99);
}

static void *spinner(void *arg)
{
	(void)arg;
	for (;;)
		sched_yield();
	return NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *execer(void *arg)
{
	(void)arg;
	usleep(10000);
	do_exec();
	return NULL;
}

/* child bodies: a process of four threads where @who execs */
static void child_thread_execs(void)
{
	pthread_t th;

	pthread_create(&th, NULL, spinner, NULL);
	pthread_create(&th, NULL, sleeper, NULL);
	pthread_create(&th, NULL, execer, NULL);
	for (;;)
		pause();
}

static void child_leader_execs(void)
{
	pthread_t th;

	pthread_create(&th, NULL, spinner, NULL);
	pthread_create(&th, NULL, sleeper, NULL);
	usleep(10000);
	do_exec();
}

static void child_zombie_leader(void)
{
	pthread_t th;

	pthread_create(&th, NULL, sleeper, NULL);
	pthread_create(&th, NULL, execer, NULL);
	syscall(SYS_exit, 0);		/* the leader alone ends */
}

/* run_case - @body in a child; its only report must be the new
 * program's exit(42), however long we look. */
static void run_case(const char *id, void (*body)(void))
{
	pid_t pid = ufork();
	int st = -1, early = 0, i;
	pid_t r;

	if (pid == 0) {
		body();
		_exit(98);
	}
	/* nothing to report while the threads vanish */
	for (i = 0; i < 200; i++) {
		r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			break;
		if (r != 0)
			early = 1;
		usleep(2000);
	}
	if (r != pid)
		r = waitpid(pid, &st, 0);
	utap_ok(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42 && !early, id);
	if (!(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42))
		printf("# %s: wait %d status %#x\n", id, (int)r, st);
	utap_errno(waitpid(-1, NULL, WNOHANG), ECHILD, "user.execmt.one_report_only");
}

/* ---- the exit signal --------------------------------------------------------------------- */

static char clone_stack[64 * 1024] __attribute__((aligned(16)));
static volatile sig_atomic_t got_chld, got_usr1;

static void on_sig(int sig)
{
	if (sig == SIGCHLD)
		got_chld = 1;
	else
		got_usr1 = 1;
}

static int clone_child(void *arg)
{
	char *argv[] = { (char *)self, "exit7", NULL };

	(void)arg;
	execve(self, argv, NULL);
	return 99;
}

/* A clone child created to report with SIGUSR1 reports with SIGCHLD once
 * it has exec'd, and an ordinary wait (no __WCLONE) finds it. */
static void test_exit_signal(void)
{
	int st = -1, i;
	pid_t pid, r = -1;

	signal(SIGCHLD, on_sig);
	signal(SIGUSR1, on_sig);
	fflush(stdout);
	pid = clone(clone_child, clone_stack + sizeof(clone_stack), SIGUSR1, NULL);
	utap_ok(pid > 0, "user.execmt.clone");
	/* until it has exec'd, it is a clone child, which this wait ignores
	 * (ECHILD) */
	for (i = 0; i < 1000; i++) {
		r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			break;
		usleep(2000);
	}
	utap_eq(r, pid, "user.execmt.exec_resets_exit_signal_wait");
	utap_eq(st, 7 << 8, "user.execmt.clone_exec_status");
	utap_ok(got_chld && !got_usr1, "user.execmt.exec_resets_exit_signal_sigchld");
	signal(SIGCHLD, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 4 && !strcmp(argv[1], "after"))
		return after_exec(argv);
	if (argc > 1 && !strcmp(argv[1], "exit7"))
		return 7;
	run_case("user.execmt.thread_execs", child_thread_execs);
	run_case("user.execmt.leader_execs", child_leader_execs);
	run_case("user.execmt.thread_execs_after_leader_exit", child_zombie_leader);
	test_exit_signal();
	return utap_done();
}
