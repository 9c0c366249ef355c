/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/creds.c - the set*id family and getres[ug]id with Linux's
 * permission rules: what root may set, what an unprivileged process may
 * move between its real, effective and saved ids, how the saved and fs ids
 * follow, setfs[ug]id's odd return value, the order of getresuid's stores,
 * and RLIMIT_NPROC's failure deferred from setuid to execve.  Each case
 * runs in a child that starts as root (the program runs as root on Linux
 * and as /init on kfork), so ids never leak from one case to the next.
 * Raw syscalls: libc's wrappers broadcast set*id to every thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utap.h"

static const char *self;

/* Each case's checks in a child: it reports through its exit status the
 * number of the first check that failed (0: all passed). */
#define CHECK(n, cond) do { if (!(cond)) _exit(n); } while (0)

static long sys3(long nr, long a, long b, long c)
{
	return syscall(nr, a, b, c);
}

static void ids(uid_t *r, uid_t *e, uid_t *s)
{
	syscall(SYS_getresuid, r, e, s);
}

static void gids(gid_t *r, gid_t *e, gid_t *s)
{
	syscall(SYS_getresgid, r, e, s);
}

static int uid_is(uid_t r, uid_t e, uid_t s)
{
	uid_t a, b, c;

	ids(&a, &b, &c);
	return a == r && b == e && c == s;
}

static int gid_is(gid_t r, gid_t e, gid_t s)
{
	gid_t a, b, c;

	gids(&a, &b, &c);
	return a == r && b == e && c == s;
}

static long fsuid(void)
{
	return syscall(SYS_setfsuid, -1);
}

static long fsgid(void)
{
	return syscall(SYS_setfsgid, -1);
}

/* run - @fn in a child; the TAP line says which check failed. */
static void run(const char *id, void (*fn)(void))
{
	pid_t pid = ufork();
	int st;

	if (pid == 0) {
		fn();
		_exit(0);
	}
	st = wait_status(pid);
	utap_ok(st == 0, id);
	if (st)
		printf("# %s: check %d failed (status %#x)\n", id,
		       WIFEXITED(st) ? WEXITSTATUS(st) : -1, st);
}

/* ---- getresuid ------------------------------------------------------------------ */

static void test_getres(void)
{
	uid_t r = 7, e = 7, s = 7;

	utap_eq(syscall(SYS_getresuid, &r, &e, &s), 0, "user.creds.getresuid");
	utap_ok(r == getuid() && e == geteuid() && s == geteuid(),
		"user.creds.getresuid_values");
	/* stored in order: the real uid is written before the bad pointer */
	r = 7;
	utap_errno(syscall(SYS_getresuid, &r, (void *)8, &s), EFAULT,
		   "user.creds.getresuid_efault");
	utap_eq(r, getuid(), "user.creds.getresuid_real_stored_first");
	utap_errno(syscall(SYS_getresgid, (void *)8, &e, &s), EFAULT,
		   "user.creds.getresgid_efault");
}

/* ---- root ----------------------------------------------------------------------- */

/* root sets any ids; the fs id follows the effective one */
static void case_root_setresuid(void)
{
	CHECK(1, sys3(SYS_setresuid, 1000, 2000, 3000) == 0);
	CHECK(2, uid_is(1000, 2000, 3000));
	CHECK(3, fsuid() == 2000);
	CHECK(4, geteuid() == 2000 && getuid() == 1000);
	/* every id is one of the three: allowed without privilege */
	CHECK(5, sys3(SYS_setresuid, 3000, 1000, 2000) == 0);
	CHECK(6, uid_is(3000, 1000, 2000));
	/* a fourth one is not */
	errno = 0;
	CHECK(7, sys3(SYS_setresuid, 4000, -1, -1) == -1 && errno == EPERM);
	CHECK(8, uid_is(3000, 1000, 2000));
	/* -1 leaves each alone; all -1 succeeds */
	CHECK(9, sys3(SYS_setresuid, -1, -1, -1) == 0);
	CHECK(10, sys3(SYS_setresuid, -1, 3000, -1) == 0);
	CHECK(11, uid_is(3000, 3000, 2000) && fsuid() == 3000);
	/* root is gone: back to 0 is refused */
	errno = 0;
	CHECK(12, sys3(SYS_setresuid, 0, 0, 0) == -1 && errno == EPERM);
}

/* setuid as root changes all three; unprivileged only the effective */
static void case_setuid(void)
{
	errno = 0;
	CHECK(1, syscall(SYS_setuid, -1) == -1 && errno == EINVAL);
	CHECK(2, sys3(SYS_setresuid, 0, 0, 1500) == 0);
	CHECK(3, syscall(SYS_setuid, 1200) == 0);
	CHECK(4, uid_is(1200, 1200, 1200) && fsuid() == 1200);
	errno = 0;
	CHECK(5, syscall(SYS_setuid, 0) == -1 && errno == EPERM);
	CHECK(6, syscall(SYS_setuid, 1200) == 0);
}

static void case_setuid_saved(void)
{
	CHECK(1, sys3(SYS_setresuid, 1000, 2000, 3000) == 0);
	/* unprivileged: to the saved uid, only the effective moves */
	CHECK(2, syscall(SYS_setuid, 3000) == 0);
	CHECK(3, uid_is(1000, 3000, 3000) && fsuid() == 3000);
	CHECK(4, syscall(SYS_setuid, 1000) == 0);
	CHECK(5, uid_is(1000, 1000, 3000));
	errno = 0;
	CHECK(6, syscall(SYS_setuid, 2000) == -1 && errno == EPERM);
}

/* setreuid: the real uid takes the real or effective one, the effective
 * any of the three; the saved one follows when the real is set or the
 * effective is not the old real one */
static void case_setreuid(void)
{
	CHECK(1, syscall(SYS_setreuid, 100, 200) == 0);
	CHECK(2, uid_is(100, 200, 200));
	CHECK(3, syscall(SYS_setreuid, -1, 100) == 0);
	CHECK(4, uid_is(100, 100, 200));
	CHECK(5, syscall(SYS_setreuid, -1, 200) == 0);
	CHECK(6, uid_is(100, 200, 200));
	CHECK(7, syscall(SYS_setreuid, 200, -1) == 0);
	CHECK(8, uid_is(200, 200, 200));
	CHECK(9, syscall(SYS_setreuid, -1, -1) == 0);
	errno = 0;
	CHECK(10, syscall(SYS_setreuid, 100, -1) == -1 && errno == EPERM);
	errno = 0;
	CHECK(11, syscall(SYS_setreuid, -1, 100) == -1 && errno == EPERM);
	CHECK(12, uid_is(200, 200, 200));
}

/* the real uid may not become the saved one alone */
static void case_setreuid_saved(void)
{
	CHECK(1, sys3(SYS_setresuid, 100, 200, 300) == 0);
	errno = 0;
	CHECK(2, syscall(SYS_setreuid, 300, -1) == -1 && errno == EPERM);
	CHECK(3, syscall(SYS_setreuid, 200, -1) == 0);
	CHECK(4, uid_is(200, 200, 200));
}

/* setfsuid returns the old fs uid, changed or not */
static void case_setfsuid(void)
{
	CHECK(1, fsuid() == 0);
	CHECK(2, syscall(SYS_setfsuid, 4242) == 0);
	CHECK(3, fsuid() == 4242);
	CHECK(4, uid_is(0, 0, 0));
	CHECK(5, sys3(SYS_setresuid, 10, 20, 30) == 0);
	CHECK(6, fsuid() == 20);
	CHECK(7, syscall(SYS_setfsuid, 30) == 20);
	CHECK(8, fsuid() == 30);
	/* not one of the ids: nothing changes, the old value comes back */
	CHECK(9, syscall(SYS_setfsuid, 99) == 30);
	CHECK(10, fsuid() == 30);
}

/* the gid calls: the same rules with CAP_SETGID */
static void case_gids(void)
{
	CHECK(1, sys3(SYS_setresgid, 10, 20, 30) == 0);
	CHECK(2, gid_is(10, 20, 30) && fsgid() == 20);
	CHECK(3, syscall(SYS_setregid, 20, -1) == 0);
	CHECK(4, gid_is(20, 20, 20));
	CHECK(5, syscall(SYS_setgid, 40) == 0);
	CHECK(6, gid_is(40, 40, 40) && fsgid() == 40);
	CHECK(7, syscall(SYS_setfsgid, 50) == 40);
	CHECK(8, fsgid() == 50);
	/* without root: only among its own gids */
	CHECK(9, sys3(SYS_setresgid, 1, 2, 3) == 0);
	CHECK(10, sys3(SYS_setresuid, 500, 500, 500) == 0);
	CHECK(11, sys3(SYS_setresgid, 3, 1, 2) == 0);
	CHECK(12, gid_is(3, 1, 2));
	errno = 0;
	CHECK(13, sys3(SYS_setresgid, 9, -1, -1) == -1 && errno == EPERM);
	errno = 0;
	CHECK(14, syscall(SYS_setregid, -1, 9) == -1 && errno == EPERM);
	errno = 0;
	CHECK(15, syscall(SYS_setgid, 9) == -1 && errno == EPERM);
	CHECK(16, syscall(SYS_setgid, 2) == 0);
	CHECK(17, gid_is(3, 2, 2));
	CHECK(18, syscall(SYS_setfsgid, 9) == 2 && fsgid() == 2);
}

/* ---- RLIMIT_NPROC ----------------------------------------------------------------- */

/*
 * hold_users - @n processes of uid 12345 that sleep until @fd's write end
 * closes.  Returns the number started.
 */
static int hold_users(int n, int rfd, int wfd, pid_t *pids)
{
	int i;

	for (i = 0; i < n; i++) {
		pids[i] = ufork();
		if (pids[i] == 0) {
			char c;

			close(wfd);
			if (sys3(SYS_setresuid, 12345, 12345, 12345))
				_exit(1);
			(void)read(rfd, &c, 1);
			_exit(0);
		}
		if (pids[i] < 0)
			return i;
	}
	return n;
}

/*
 * nproc_case - with @held processes of uid 12345 alive, a root child
 * lowers RLIMIT_NPROC to 3 and becomes uid 12345: setresuid succeeds
 * either way, but when the user already ran more than the limit, the
 * next execve fails with EAGAIN.  The exec'd program exits 33.
 */
static int nproc_case(int held)
{
	int fds[2], st, n;
	pid_t pids[8], pid;

	if (pipe(fds))
		return -1;
	usleep(1000);
	n = hold_users(held, fds[0], fds[1], pids);
	usleep(50000);		/* let them all become uid 12345 */
	pid = ufork();
	if (pid == 0) {
		struct rlimit rl = { 3, 3 };
		char *argv[] = { (char *)self, "exec-ok", NULL };

		close(fds[1]);
		if (setrlimit(RLIMIT_NPROC, &rl))
			_exit(1);
		if (sys3(SYS_setresuid, 12345, 12345, 12345))
			_exit(2);
		execve(self, argv, NULL);
		_exit(errno == EAGAIN ? 44 : 3);
	}
	st = wait_status(pid);
	close(fds[1]);
	while (n-- > 0)
		waitpid(pids[n], NULL, 0);
	close(fds[0]);
	return st;
}

static void test_nproc(void)
{
	utap_eq(nproc_case(3), 33 << 8, "user.creds.nproc_at_limit_exec_ok");
	utap_eq(nproc_case(4), 44 << 8, "user.creds.nproc_over_limit_exec_eagain");
}

/* over the limit, fork fails too (not root any more) */
static void case_nproc_fork(void)
{
	struct rlimit rl = { 1, 1 };
	pid_t pid;

	CHECK(1, setrlimit(RLIMIT_NPROC, &rl) == 0);
	CHECK(2, sys3(SYS_setresuid, 23456, 23456, 23456) == 0);
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(3, pid == -1 && errno == EAGAIN);
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 1 && !strcmp(argv[1], "exec-ok"))
		return 33;
	test_getres();
	run("user.creds.root_setresuid", case_root_setresuid);
	run("user.creds.setuid", case_setuid);
	run("user.creds.setuid_saved", case_setuid_saved);
	run("user.creds.setreuid", case_setreuid);
	run("user.creds.setreuid_saved", case_setreuid_saved);
	run("user.creds.setfsuid", case_setfsuid);
	run("user.creds.gids", case_gids);
	test_nproc();
	run("user.creds.nproc_fork_eagain", case_nproc_fork);
	return utap_done();
}
