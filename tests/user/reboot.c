/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/reboot.c - reboot(2) where it is safe on any machine: the
 * error paths (EPERM before the magic numbers are looked at, EINVAL for
 * bad magic), and a reboot inside a child pid namespace, which ends only
 * that namespace (its init dies of SIGINT for power off, SIGHUP for
 * restart; other commands are EINVAL there).
 *
 * SAFETY: this program runs natively too.  It passes valid magic numbers
 * only (a) as an unprivileged user, with a command no kernel knows, and
 * (b) from a process that has checked it is pid 1 or 2 of a pid namespace
 * its own parent created, which a forked child can never be in the
 * initial namespace.  tests/user/poweroff.c, which does stop the machine,
 * runs on the mini-kernel only.  Needs root on Linux (checks skipped
 * otherwise).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "utap.h"

#define MAGIC1		0xfee1dead
#define MAGIC2		672274793
#define BOGUS_CMD	0x5a5a1234u	/* no kernel's command */
#define TEST_UID	54322

static long sys_reboot(unsigned m1, unsigned m2, unsigned cmd)
{
	return syscall(SYS_reboot, m1, m2, cmd, NULL);
}

/* As root: the magic numbers are checked before the command is. */
static void test_bad_magic(void)
{
	utap_errno(sys_reboot(0, MAGIC2, RB_POWER_OFF), EINVAL,
		   "user.reboot.bad_magic1_einval");
	utap_errno(sys_reboot(MAGIC1, 0x12345678, RB_POWER_OFF), EINVAL,
		   "user.reboot.bad_magic2_einval");
	utap_errno(sys_reboot(MAGIC2, MAGIC1, RB_POWER_OFF), EINVAL,
		   "user.reboot.swapped_magic_einval");
}

/* As an ordinary user: EPERM, whatever the magic (capability first). */
static void test_eperm(void)
{
	int st;
	pid_t pid = ufork();

	if (pid == 0) {
		if (setuid(TEST_UID) || geteuid() == 0)
			_exit(10);
		if (sys_reboot(0, 0, RB_POWER_OFF) != -1 || errno != EPERM)
			_exit(1);
		if (sys_reboot(MAGIC1, MAGIC2, BOGUS_CMD) != -1 || errno != EPERM)
			_exit(2);
		_exit(0);
	}
	st = wait_status(pid);
	utap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		"user.reboot.unprivileged_eperm_before_magic");
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("# child status %#x\n", st);
}

/*
 * ns_member - pid 2 of the namespace: it calls reboot(@cmd) and exits 0
 * when the call ends it, 3 if it returns (with 4 + errno of EINVAL
 * expected for @want_einval).
 */
static void ns_member(unsigned cmd, int want_einval)
{
	long r;

	if (getpid() != 2 || getppid() != 1)
		_exit(20);	/* not where we must be: touch nothing */
	r = sys_reboot(MAGIC1, MAGIC2, cmd);
	if (want_einval)
		_exit(r == -1 && errno == EINVAL ? 0 : 3);
	_exit(3);
}

/*
 * ns_init - pid 1 of a fresh namespace: fork its pid 2, which reboots (or,
 * @self, reboot itself), then report how pid 2 ended; a reboot that ends
 * the namespace kills this process first.
 */
static void ns_init(unsigned cmd, int want_einval, int self)
{
	pid_t pid;
	int st;

	if (getpid() != 1)
		_exit(21);
	if (self) {
		sys_reboot(MAGIC1, MAGIC2, cmd);
		_exit(22);	/* the call must not return */
	}
	pid = fork();
	if (pid == 0)
		ns_member(cmd, want_einval);
	st = wait_status(pid);
	if (want_einval)
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 23);
	/* only reached if the namespace survived: give the kill a moment */
	sleep(2);
	_exit(24);
}

/* run_ns - a child that makes a pid namespace and its init; the init's
 * wait status, or -1 when namespaces are not available. */
static int run_ns(unsigned cmd, int want_einval, int self)
{
	pid_t pid = ufork();
	int st;

	if (pid == 0) {
		pid_t init;

		if (unshare(CLONE_NEWPID))
			_exit(100);
		init = fork();
		if (init == 0)
			ns_init(cmd, want_einval, self);
		st = wait_status(init);
		if (WIFSIGNALED(st))
			_exit(WTERMSIG(st));
		_exit(WIFEXITED(st) ? 50 + WEXITSTATUS(st) : 99);
	}
	st = wait_status(pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 100)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 200;
}

static void test_pid_ns(void)
{
	int r;

	r = run_ns(RB_POWER_OFF, 0, 0);
	if (r == -1) {
		utap_skip("user.reboot.pid_ns", "no pid namespaces");
		return;
	}
	utap_eq(r, SIGINT, "user.reboot.pid_ns_power_off_sigint");
	utap_eq(run_ns(RB_HALT_SYSTEM, 0, 0), SIGINT,
		"user.reboot.pid_ns_halt_sigint");
	utap_eq(run_ns(RB_AUTOBOOT, 0, 0), SIGHUP,
		"user.reboot.pid_ns_restart_sighup");
	utap_eq(run_ns(RB_POWER_OFF, 0, 1), SIGINT,
		"user.reboot.pid_ns_init_itself_sigint");
	/* 50 + the member's status 0: EINVAL, and the namespace lives */
	utap_eq(run_ns(RB_ENABLE_CAD, 1, 0), 50,
		"user.reboot.pid_ns_cad_on_einval");
	utap_eq(run_ns(BOGUS_CMD, 1, 0), 50,
		"user.reboot.pid_ns_unknown_cmd_einval");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		utap_skip("user.reboot", "needs root");
		return utap_done();
	}
	test_bad_magic();
	test_eperm();
	test_pid_ns();
	return utap_done();
}
