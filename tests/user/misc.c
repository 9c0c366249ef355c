/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/misc.c - the smaller calls around process creation: madvise
 * DONTFORK / WIPEONFORK as a forked child sees them, resource limits
 * (getrlimit, setrlimit, prlimit64, RLIMIT_NOFILE at work), user and
 * group ids, uname, clocks and sleeps, sched_yield, set_robust_list,
 * set_tid_address and gettid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif

/* ---- madvise and fork ------------------------------------------------------------ */

static void test_madvise(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st;

	if (p == MAP_FAILED) {
		utap_ok(0, "user.misc.madvise_mmap");
		return;
	}
	memset(p, 'a', 3 * 4096);
	utap_eq(madvise(p, 4096, MADV_DONTFORK), 0, "user.misc.madvise_dontfork");
	utap_eq(madvise(p + 4096, 4096, MADV_WIPEONFORK), 0,
		"user.misc.madvise_wipeonfork");
	utap_errno(madvise(p + 1, 4096, MADV_DONTFORK), EINVAL,
		   "user.misc.madvise_unaligned_einval");

	/* the child: page 0 is not there, page 1 is zero, page 2 is copied */
	pid = ufork();
	if (pid == 0) {
		if (p[4096] != 0 || p[4096 + 4095] != 0)
			_exit(1);
		if (p[2 * 4096] != 'a')
			_exit(2);
		signal(SIGSEGV, SIG_DFL);
		*(volatile char *)p = 'x';	/* DONTFORK: gone */
		_exit(3);
	}
	st = wait_status(pid);
	utap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
		"user.misc.dontfork_absent_in_child");
	pid = ufork();
	if (pid == 0)
		_exit(p[4096] == 0 && p[2 * 4096] == 'a' ? 0 : 1);
	utap_eq(wait_status(pid), 0, "user.misc.wipeonfork_zero_in_child");
	utap_ok(p[0] == 'a' && p[4096] == 'a' && p[2 * 4096] == 'a',
		"user.misc.madvise_parent_keeps_data");
	munmap(p, 3 * 4096);
}

/* ---- limits ------------------------------------------------------------------------ */

static void test_rlimits(void)
{
	struct rlimit rl, old;
	pid_t pid;

	utap_eq(getrlimit(RLIMIT_NOFILE, &old), 0, "user.misc.getrlimit");
	utap_ok(old.rlim_cur <= old.rlim_max && old.rlim_cur >= 64,
		"user.misc.getrlimit_nofile_sane");
	utap_errno(getrlimit(99, &rl), EINVAL, "user.misc.getrlimit_bad_resource");
	rl.rlim_cur = 10;
	rl.rlim_max = 5;
	utap_errno(setrlimit(RLIMIT_NOFILE, &rl), EINVAL, "user.misc.setrlimit_cur_above_max");

	/* prlimit64: the new value and the old one in one call */
	rl = old;
	rl.rlim_cur = 32;
	{
		struct rlimit got;

		utap_eq(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &rl, &got), 0,
			"user.misc.prlimit64");
		utap_ok(got.rlim_cur == old.rlim_cur, "user.misc.prlimit64_old_value");
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	utap_eq((long)rl.rlim_cur, 32, "user.misc.prlimit64_took_effect");

	/* RLIMIT_NOFILE bounds the fd numbers (in a child: fds are cheap there) */
	pid = ufork();
	if (pid == 0) {
		int fd, n = 0;

		while ((fd = dup(0)) >= 0)
			n++;
		if (errno != EMFILE)
			_exit(1);
		if (fcntl(0, F_DUPFD, 32) != -1 || errno != EINVAL)
			_exit(2);
		if (dup2(0, 32) != -1 || errno != EBADF)
			_exit(3);
		_exit(n > 0 && n < 32 ? 0 : 4);
	}
	utap_eq(wait_status(pid), 0, "user.misc.nofile_limit_enforced");
	utap_eq(setrlimit(RLIMIT_NOFILE, &old), 0, "user.misc.setrlimit_restore");

	/* the child inherits limits */
	setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
	pid = ufork();
	if (pid == 0) {
		struct rlimit c;

		getrlimit(RLIMIT_CORE, &c);
		_exit(c.rlim_cur == 0 && c.rlim_max == 0 ? 0 : 1);
	}
	utap_eq(wait_status(pid), 0, "user.misc.rlimit_inherited");
}

/* ---- ids ---------------------------------------------------------------------------- */

static void test_ids(void)
{
	pid_t pid;
	int st;

	utap_eq(getuid(), geteuid(), "user.misc.uid_euid");
	utap_eq(getgid(), getegid(), "user.misc.gid_egid");
	if (geteuid() != 0) {
		utap_skip("user.misc.setgid_setuid_child", "not root");
		return;
	}
	pid = ufork();
	if (pid == 0) {
		if (setgid(4321) && errno == EINVAL)
			_exit(9);	/* no such gid here (a container) */
		if (getgid() != 4321 || getegid() != 4321)
			_exit(1);
		if (setuid(54324) || getuid() != 54324 || geteuid() != 54324)
			_exit(2);
		if (setgid(0) != -1 || errno != EPERM)
			_exit(3);
		_exit(0);
	}
	st = wait_status(pid);
	if (st == 9 << 8)
		utap_skip("user.misc.setgid_setuid_child", "no such ids here");
	else
		utap_eq(st, 0, "user.misc.setgid_setuid_child");
	utap_eq(getuid(), 0, "user.misc.parent_still_root");
	utap_errno(setuid(-1), EINVAL, "user.misc.setuid_minus1_einval");
}

/* ---- uname, time, scheduling --------------------------------------------------------- */

static void test_misc(void)
{
	struct timespec a, b, bad = { 0, 2000000000 };
	struct utsname u;
	pid_t tid;

	utap_eq(uname(&u), 0, "user.misc.uname");
	utap_ok(!strcmp(u.sysname, "Linux") && u.nodename[0] && u.release[0] &&
		!strcmp(u.machine,
#if defined(__x86_64__)
			"x86_64"
#elif defined(__aarch64__)
			"aarch64"
#elif defined(__riscv) && __riscv_xlen == 64
			"riscv64"
#else
			u.machine
#endif
		), "user.misc.uname_fields");

	utap_eq(clock_gettime(CLOCK_MONOTONIC, &a), 0, "user.misc.clock_gettime");
	utap_eq(nanosleep(&(struct timespec){ 0, 1000000 }, NULL), 0, "user.misc.nanosleep");
	clock_gettime(CLOCK_MONOTONIC, &b);
	utap_ok(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec),
		"user.misc.monotonic_not_backwards");
	utap_ok(b.tv_nsec >= 0 && b.tv_nsec < 1000000000, "user.misc.clock_nsec_range");
	utap_errno(nanosleep(&bad, NULL), EINVAL, "user.misc.nanosleep_bad_nsec_einval");
	utap_errno(syscall(SYS_clock_gettime, 99, &a), EINVAL,
		   "user.misc.clock_gettime_bad_clock_einval");
	utap_eq(clock_gettime(CLOCK_REALTIME, &a), 0, "user.misc.clock_realtime");
	utap_ok(a.tv_sec > 1600000000, "user.misc.clock_realtime_plausible");

	utap_eq(sched_yield(), 0, "user.misc.sched_yield");
	utap_eq(syscall(SYS_set_robust_list, (void *)0x1000, 24), 0,
		"user.misc.set_robust_list");
	utap_errno(syscall(SYS_set_robust_list, NULL, 23), EINVAL,
		   "user.misc.set_robust_list_bad_len_einval");
	tid = (pid_t)syscall(SYS_gettid);
	utap_eq(tid, getpid(), "user.misc.gettid_main_thread");
	/* set_tid_address returns the tid (musl's startup relies on it); the
	 * address stays musl's own */
	utap_eq(syscall(SYS_set_tid_address, (void *)0), tid, "user.misc.set_tid_address");
}

int main(void)
{
	test_madvise();
	test_rlimits();
	test_ids();
	test_misc();
	return utap_done();
}
