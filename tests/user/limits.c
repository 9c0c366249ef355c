/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/limits.c - resource limits at work and on other processes:
 * RLIMIT_AS (every mapping, PROT_NONE too, brk, stack growth), RLIMIT_DATA
 * (private writable mappings, brk, mprotect to writable, the soft-limit-0
 * rule), RLIMIT_STACK (a stack grows until it passes it: SIGSEGV),
 * prlimit64 on another process (its permission check even for a read,
 * the order of its errors), and sched_getaffinity/sched_setaffinity.
 * Each limit is set in a child, relative to what the child already uses
 * (/proc/self/status), so the figures do not depend on the machine.
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
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utap.h"

#define MB (1ul << 20)
#define CHECK(n, cond) do { if (!(cond)) _exit(n); } while (0)

/* status_kb - a "Key:  N kB" line of /proc/self/status, or -1. */
static long status_kb(const char *key)
{
	char buf[4096], *p;
	ssize_t n;
	int fd = open("/proc/self/status", 0);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, key);
	return p ? strtol(p + strlen(key) + 1, NULL, 10) : -1;
}

static void *map(size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

static int map_fails(size_t len, int prot, int flags)
{
	void *p = map(len, prot, flags);

	if (p != MAP_FAILED) {
		munmap(p, len);
		return 0;
	}
	return errno == ENOMEM;
}

static int map_works(size_t len, int prot, int flags)
{
	void *p = map(len, prot, flags);

	if (p == MAP_FAILED)
		return 0;
	munmap(p, len);
	return 1;
}

static void set_limit(int res, rlim_t cur, rlim_t max)
{
	struct rlimit rl = { cur, max };

	if (setrlimit(res, &rl))
		_exit(100);
}

/* run - @fn in a child, which reports its first failed check. */
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

/* ---- RLIMIT_AS ---------------------------------------------------------------------- */

static void case_as(void)
{
	long vm = status_kb("VmSize:");
	uintptr_t brk0, brk1;
	void *p;

	CHECK(1, vm > 0);
	set_limit(RLIMIT_AS, (rlim_t)vm * 1024 + 16 * MB, RLIM_INFINITY);
	/* every kind of mapping counts, PROT_NONE and shared ones too */
	CHECK(2, map_fails(32 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE));
	CHECK(3, map_fails(32 * MB, PROT_NONE, MAP_PRIVATE));
	CHECK(4, map_fails(32 * MB, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE));
	CHECK(5, map_fails(32 * MB, PROT_READ | PROT_WRITE, MAP_SHARED));
	CHECK(6, map_works(8 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE));
	/* a PROT_NONE reservation uses up the room */
	p = map(8 * MB, PROT_NONE, MAP_PRIVATE);
	CHECK(7, p != MAP_FAILED);
	CHECK(8, map_fails(10 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE));
	munmap(p, 8 * MB);
	/* brk past it returns the old break */
	brk0 = (uintptr_t)syscall(SYS_brk, 0);
	brk1 = (uintptr_t)syscall(SYS_brk, brk0 + 32 * MB);
	CHECK(9, brk1 == brk0);
	brk1 = (uintptr_t)syscall(SYS_brk, brk0 + 64 * 1024);
	CHECK(10, brk1 == brk0 + 64 * 1024);
	/* a MAP_FIXED over its own pages needs no new room */
	p = map(8 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	CHECK(11, p != MAP_FAILED);
	CHECK(12, mmap(p, 8 * MB, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
		       -1, 0) == p);
	/* a limit below what is used: setrlimit takes it, then nothing maps */
	set_limit(RLIMIT_AS, 4096, RLIM_INFINITY);
	CHECK(13, map_fails(4096, PROT_READ, MAP_PRIVATE));
}

/* ---- RLIMIT_DATA ------------------------------------------------------------------ */

static void case_data(void)
{
	long vm = status_kb("VmData:");
	uintptr_t brk0;
	char *p;

	CHECK(1, vm >= 0);
	set_limit(RLIMIT_DATA, (rlim_t)vm * 1024 + 16 * MB, RLIM_INFINITY);
	/* private writable: data */
	CHECK(2, map_fails(32 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE));
	/* read-only, PROT_NONE or shared: not data */
	CHECK(3, map_works(32 * MB, PROT_READ, MAP_PRIVATE));
	CHECK(4, map_works(32 * MB, PROT_NONE, MAP_PRIVATE));
	CHECK(5, map_works(32 * MB, PROT_READ | PROT_WRITE, MAP_SHARED));
	/* becoming writable makes it data */
	p = map(32 * MB, PROT_NONE, MAP_PRIVATE);
	CHECK(6, p != MAP_FAILED);
	CHECK(7, mprotect(p, 32 * MB, PROT_READ | PROT_WRITE) == -1 &&
		 errno == ENOMEM);
	CHECK(8, mprotect(p, 32 * MB, PROT_READ) == 0);
	CHECK(9, mprotect(p, 4 * MB, PROT_READ | PROT_WRITE) == 0);
	munmap(p, 32 * MB);
	/* the heap is data */
	brk0 = (uintptr_t)syscall(SYS_brk, 0);
	CHECK(10, (uintptr_t)syscall(SYS_brk, brk0 + 32 * MB) == brk0);
	/* a soft limit of 0 means the hard one */
	set_limit(RLIMIT_DATA, 0, RLIM_INFINITY);
	CHECK(11, map_works(4 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE));
	set_limit(RLIMIT_DATA, 0, 0);
	CHECK(12, map_fails(4 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE));
	CHECK(13, map_works(4 * MB, PROT_READ, MAP_PRIVATE));
}

/* ---- RLIMIT_STACK and stack growth ------------------------------------------------ */

/* recurse - use @depth frames of 64 KiB of stack each, every page of
 * them touched.  The frame's address escapes and the call goes through a
 * volatile pointer, so that no compiler shrinks the frame or turns the
 * recursion into a loop. */
static int recurse(int depth);
static int (*volatile recurse_fn)(int) = recurse;
static char *volatile frame_sink;

static int recurse(int depth)
{
	char frame[64 * 1024];
	size_t i;

	for (i = 0; i < sizeof(frame); i += 4096)
		frame[i] = (char)depth;
	frame_sink = frame;
	if (depth <= 1)
		return frame[0];
	return recurse_fn(depth - 1) ^ frame[4096];
}

/* stack_child - a child that lowers @res to @limit and then uses about
 * @mb MiB of stack: its wait status. */
static int stack_child(int res, rlim_t limit, int mb)
{
	pid_t pid = ufork();

	if (pid == 0) {
		set_limit(res, limit, RLIM_INFINITY);
		recurse_fn(mb * 16);
		_exit(0);
	}
	return wait_status(pid);
}

static void test_stack(void)
{
	utap_eq(stack_child(RLIMIT_STACK, 16 * MB, 4), 0,
		"user.limits.stack_grows_within_limit");
	utap_eq(stack_child(RLIMIT_STACK, 1 * MB, 4), SIGSEGV,
		"user.limits.stack_past_limit_sigsegv");
}

/* stack growth counts against RLIMIT_AS too */
static void case_stack_as(void)
{
	long vm = status_kb("VmSize:");
	pid_t pid;
	int st;

	CHECK(1, vm > 0);
	pid = fork();
	if (pid == 0) {
		set_limit(RLIMIT_AS, (rlim_t)vm * 1024 + 1 * MB, RLIM_INFINITY);
		recurse_fn(4 * 16);
		_exit(0);
	}
	CHECK(2, waitpid(pid, &st, 0) == pid);
	CHECK(3, WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

/* ---- prlimit64 on other processes ---------------------------------------------------- */

static long prl(pid_t pid, int res, const struct rlimit *nw, struct rlimit *old)
{
	return syscall(SYS_prlimit64, pid, res, nw, old);
}

/* has_sys_resource - may this process raise a hard limit (CAP_SYS_RESOURCE)?
 * Root on kfork may; root on a machine whose bounding set lacks it (as the
 * CI machine's) may not, and prlimit's permission check follows that. */
static int has_sys_resource(void)
{
	pid_t pid = ufork();

	if (pid == 0) {
		struct rlimit rl;

		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_max--;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			_exit(1);
		rl.rlim_max++;
		_exit(setrlimit(RLIMIT_NOFILE, &rl) ? 2 : 0);
	}
	return wait_status(pid) == 0;
}

/* sleeper - a child of uid @uid (ruid, euid, suid), alive until killed. */
static pid_t sleeper(uid_t r, uid_t e, uid_t s)
{
	pid_t pid = ufork();

	if (pid == 0) {
		if (syscall(SYS_setresuid, r, e, s))
			_exit(1);
		for (;;)
			pause();
	}
	usleep(20000);
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_prlimit(void)
{
	struct rlimit rl, old;
	pid_t root_child = sleeper(0, 0, 0), user_child = sleeper(12345, 12345, 12345);
	pid_t mixed = sleeper(12345, 12345, 0), pid;
	int cap = has_sys_resource();

	/* root on a root process: read and write */
	utap_eq(prl(root_child, RLIMIT_NOFILE, NULL, &old), 0, "user.limits.prlimit_read_other");
	rl = old;
	rl.rlim_cur = 100;
	utap_eq(prl(root_child, RLIMIT_NOFILE, &rl, NULL), 0, "user.limits.prlimit_write_other");
	utap_ok(prl(root_child, RLIMIT_NOFILE, NULL, &old) == 0 && old.rlim_cur == 100,
		"user.limits.prlimit_other_changed");
	utap_ok(getrlimit(RLIMIT_NOFILE, &old) == 0 && old.rlim_cur != 100,
		"user.limits.prlimit_own_unchanged");
	/* another user's process: only with CAP_SYS_RESOURCE, even to read */
	if (cap)
		utap_eq(prl(user_child, RLIMIT_NOFILE, NULL, &old), 0,
			"user.limits.prlimit_cap_reads_other_user");
	else
		utap_errno(prl(user_child, RLIMIT_NOFILE, NULL, &old), EPERM,
			   "user.limits.prlimit_other_user_eperm");
	/* the errors in order: the new limit is read first, then the pid */
	utap_errno(prl(999999, RLIMIT_NOFILE, (void *)8, NULL), EFAULT,
		   "user.limits.prlimit_efault_before_esrch");
	utap_errno(prl(999999, RLIMIT_NOFILE, NULL, NULL), ESRCH, "user.limits.prlimit_esrch");
	utap_errno(prl(root_child, 99, NULL, &old), EINVAL, "user.limits.prlimit_einval");
	utap_errno(prl(999999, 99, NULL, &old), ESRCH, "user.limits.prlimit_esrch_before_einval");
	/* pid 0 is the caller; a bad old pointer keeps the new limit */
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = 200;
	utap_errno(prl(0, RLIMIT_NOFILE, &rl, (void *)8), EFAULT, "user.limits.prlimit_old_efault");
	utap_ok(getrlimit(RLIMIT_NOFILE, &old) == 0 && old.rlim_cur == 200,
		"user.limits.prlimit_set_despite_efault");
	/* an unprivileged caller: its own user's processes only, all three
	 * uids matching */
	pid = ufork();
	if (pid == 0) {
		struct rlimit o;

		if (syscall(SYS_setresuid, 12345, 12345, 12345))
			_exit(1);
		if (prl(user_child, RLIMIT_NOFILE, NULL, &o))
			_exit(2);
		if (prl(root_child, RLIMIT_NOFILE, NULL, &o) != -1 || errno != EPERM)
			_exit(3);
		if (prl(mixed, RLIMIT_NOFILE, NULL, &o) != -1 || errno != EPERM)
			_exit(4);
		_exit(0);
	}
	utap_eq(wait_status(pid), 0, "user.limits.prlimit_unprivileged");
	stop(root_child);
	stop(user_child);
	stop(mixed);
}

/* ---- affinity ---------------------------------------------------------------------------- */

static long getaff(pid_t pid, unsigned len, void *mask)
{
	return syscall(SYS_sched_getaffinity, pid, len, mask);
}

static long setaff(pid_t pid, unsigned len, const void *mask)
{
	return syscall(SYS_sched_setaffinity, pid, len, mask);
}

static volatile int aff_thread_done;

static void *aff_thread(void *arg)
{
	uint64_t one = *(uint64_t *)arg;

	aff_thread_done = setaff(0, 8, &one) == 0 ? 1 : -1;
	return NULL;
}

static void test_affinity(void)
{
	uint64_t mask[16], all, one, before;
	long r;
	pid_t pid;
	pthread_t th;

	utap_errno(getaff(0, 0, mask), EINVAL, "user.limits.getaff_len0");
	utap_errno(getaff(0, 4, mask), EINVAL, "user.limits.getaff_short");
	utap_errno(getaff(0, 12, mask), EINVAL, "user.limits.getaff_not_longs");
	memset(mask, 0xff, sizeof(mask));
	r = getaff(0, 8, mask);
	utap_eq(r, 8, "user.limits.getaff_one_word");
	all = mask[0];
	utap_ok(all != 0, "user.limits.getaff_some_cpu");
	r = getaff(0, sizeof(mask), mask);
	utap_ok(r >= 8 && r <= (long)sizeof(mask) && r % 8 == 0 && mask[0] == all,
		"user.limits.getaff_long_buffer");
	utap_errno(getaff(999999, 8, mask), ESRCH, "user.limits.getaff_esrch");
	utap_errno(getaff(0, 8, (void *)8), EFAULT, "user.limits.getaff_efault");
	utap_errno(getaff(999999, 8, (void *)8), ESRCH, "user.limits.getaff_esrch_first");

	/* one CPU of those there are */
	one = all & -all;
	utap_eq(setaff(0, 8, &one), 0, "user.limits.setaff_one");
	getaff(0, 8, mask);
	utap_eq((long)mask[0], (long)one, "user.limits.setaff_reads_back");
	/* none that exists: EINVAL; a short mask is zero-extended */
	memset(mask, 0, sizeof(mask));
	mask[15] = 1ull << 63;
	utap_errno(setaff(0, sizeof(mask), mask), EINVAL, "user.limits.setaff_no_cpu");
	utap_errno(setaff(0, 0, &one), EINVAL, "user.limits.setaff_len0");
	utap_eq(setaff(0, 3, &one), 0, "user.limits.setaff_short_len");
	utap_errno(setaff(0, 8, (void *)8), EFAULT, "user.limits.setaff_efault");
	utap_errno(setaff(999999, 8, (void *)8), EFAULT, "user.limits.setaff_efault_first");
	utap_errno(setaff(999999, 8, &one), ESRCH, "user.limits.setaff_esrch");
	utap_eq(setaff(0, 8, &all), 0, "user.limits.setaff_all");

	/* per thread: a thread's own change leaves the process's other
	 * threads as they were */
	getaff(0, 8, &before);
	aff_thread_done = 0;
	pthread_create(&th, NULL, aff_thread, &one);
	pthread_join(th, NULL);
	getaff(0, 8, mask);
	utap_ok(aff_thread_done == 1 && mask[0] == before, "user.limits.setaff_per_thread");

	/* a forked child inherits it; an unprivileged one may not change
	 * root's */
	setaff(0, 8, &one);
	pid = ufork();
	if (pid == 0) {
		uint64_t m = 0;

		getaff(0, 8, &m);
		if (m != one)
			_exit(1);
		if (syscall(SYS_setresuid, 12345, 12345, 12345))
			_exit(2);
		if (setaff(getppid(), 8, &one) != -1 || errno != EPERM)
			_exit(3);
		_exit(setaff(0, 8, &one) ? 4 : 0);
	}
	utap_eq(wait_status(pid), 0, "user.limits.setaff_inherit_and_eperm");
	setaff(0, 8, &all);
}

int main(void)
{
	run("user.limits.rlimit_as", case_as);
	run("user.limits.rlimit_data", case_data);
	test_stack();
	run("user.limits.stack_growth_counts_in_as", case_stack_as);
	test_prlimit();
	test_affinity();
	return utap_done();
}
