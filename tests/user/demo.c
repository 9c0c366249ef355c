/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * demo - what `ci/demo` boots as /init on the reference kernel: an ordinary
 * static program that forks, spawns, starts threads and unshares, printing
 * what it sees.  The same binary prints the same story on Linux (pids
 * aside).  Exits 0 when every step behaved as Linux's would.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("  !! unexpected: %s\n", what);
		failures++;
	}
}

static void step_fork(void)
{
	size_t len = 8 << 20;
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st = 0;
	pid_t pid;

	check(buf != MAP_FAILED, "mmap 8 MiB");
	if (buf == MAP_FAILED)
		return;
	memset(buf, 'P', len);
	printf("1. fork: parent %d filled 8 MiB with 'P'\n", getpid());
	pid = fork();
	if (pid == 0) {
		memset(buf, 'C', len);	/* copy-on-write: every page is copied */
		printf("   child %d (parent %d) overwrote its copy with 'C'\n",
		       getpid(), getppid());
		_exit(7);
	}
	waitpid(pid, &st, 0);
	printf("   parent: child %d exited with %d; parent's buffer still '%c...%c'\n",
	       pid, WEXITSTATUS(st), buf[0], buf[len - 1]);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "exit status 7");
	check(buf[0] == 'P' && buf[len - 1] == 'P', "COW isolation");
	munmap(buf, len);
}

static void step_spawn(void)
{
	char *argv[] = { "/bin/hello", "from", "posix_spawn", NULL };
	pid_t pid;
	int st = 0, r;

	r = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
	printf("2. posix_spawn (vfork + execve) of /bin/hello: %s\n",
	       r ? strerror(r) : "started");
	if (r) {
		check(0, "posix_spawn");
		return;
	}
	waitpid(pid, &st, 0);
	printf("   /bin/hello (pid %d) exited with %d\n", pid, WEXITSTATUS(st));
	check(WIFEXITED(st) && WEXITSTATUS(st) == 42, "hello exits 42");
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long mine;

static void *worker(void *arg)
{
	for (int i = 0; i < 10000; i++) {
		mine++;
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return (void *)(mine + (long)arg * 0);
}

static void step_threads(void)
{
	pthread_t th[4];
	void *ret;
	long sum = 0;
	int i;

	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, worker, (void *)(long)i);
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], &ret);
		sum += (long)ret;
	}
	printf("3. threads: 4 pthreads added 10000 each: counter %ld, per-thread __thread sum %ld\n",
	       counter, sum);
	check(counter == 40000 && sum == 40000, "threads");
}

static void step_namespaces(void)
{
	struct utsname u;
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		if (unshare(CLONE_NEWUTS | CLONE_NEWPID)) {
			printf("   unshare: %s\n", strerror(errno));
			_exit(1);
		}
		sethostname("inside", 6);
		pid_t g = fork();
		if (g == 0) {
			uname(&u);
			printf("   grandchild: getpid() = %d in the new pid namespace, hostname \"%s\"\n",
			       getpid(), u.nodename);
			_exit(getpid() == 1 ? 0 : 1);
		}
		waitpid(g, &st, 0);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
	}
	printf("4. unshare(CLONE_NEWUTS|CLONE_NEWPID) in child %d, then fork:\n", pid);
	waitpid(pid, &st, 0);
	uname(&u);
	printf("   back in /init: hostname \"%s\"\n", u.nodename);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "grandchild is pid 1");
	check(strcmp(u.nodename, "inside") != 0, "hostname isolated");
}

static void step_kill(void)
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	printf("5. kill(%d, SIGKILL): WIFSIGNALED %d, WTERMSIG %d\n", pid,
	       WIFSIGNALED(st), WTERMSIG(st));
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "killed by SIGKILL");
}

int main(void)
{
	struct utsname u;

	/* unbuffered: children print and _exit, and output must keep its order */
	setvbuf(stdout, NULL, _IONBF, 0);
	uname(&u);
	printf("demo: %s %s on %s, running as pid %d\n", u.sysname, u.release,
	       u.machine, getpid());
	step_fork();
	step_spawn();
	step_threads();
	step_namespaces();
	step_kill();
	printf("demo: %s\n", failures ? "FAILED" : "every step behaved as on Linux");
	return failures ? 1 : 0;
}
