/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/poweroff.c - an /init written for Linux that ends the run
 * with reboot(2).  RUNS ON THE MINI-KERNEL ONLY: natively it would stop
 * the machine it runs on, so it is never built for the user-native suite
 * and it refuses to act unless uname says kfork.
 *
 * usage: poweroff [power_off|halt|restart|restart2]   (default power_off)
 * First the checks that need the initial pid namespace as root (commands
 * that succeed without stopping, unknown commands, the other magic2
 * values, RESTART2's argument), printed as TAP lines; then the line
 * tests/user/meson.build looks for, then the call that stops the machine.
 * Exit status 1 if anything failed or the machine did not stop.
 */
#include <errno.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "utap.h"

#define MAGIC1		0xfee1dead
#define MAGIC2		672274793
#define MAGIC2A		85072278
#define MAGIC2B		369367448
#define MAGIC2C		537993216
#define CMD_RESTART2	0xa1b2c3d4u
#define BOGUS_CMD	0x5a5a1234u

static long sys_reboot(unsigned m2, unsigned cmd, const void *arg)
{
	return syscall(SYS_reboot, MAGIC1, m2, cmd, arg);
}

static int on_kfork(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.version, "kfork") != NULL;
}

static void test_quiet_commands(void)
{
	utap_eq(sys_reboot(MAGIC2, RB_DISABLE_CAD, NULL), 0, "user.poweroff.cad_off");
	utap_eq(sys_reboot(MAGIC2, RB_ENABLE_CAD, NULL), 0, "user.poweroff.cad_on");
	utap_eq(sys_reboot(MAGIC2A, RB_DISABLE_CAD, NULL), 0, "user.poweroff.magic2a");
	utap_eq(sys_reboot(MAGIC2B, RB_DISABLE_CAD, NULL), 0, "user.poweroff.magic2b");
	utap_eq(sys_reboot(MAGIC2C, RB_DISABLE_CAD, NULL), 0, "user.poweroff.magic2c");
	utap_errno(sys_reboot(MAGIC2, BOGUS_CMD, NULL), EINVAL,
		   "user.poweroff.unknown_cmd_einval");
	utap_errno(sys_reboot(MAGIC2, RB_SW_SUSPEND, NULL), EINVAL,
		   "user.poweroff.sw_suspend_einval");
	utap_errno(sys_reboot(MAGIC2, RB_KEXEC, NULL), EINVAL,
		   "user.poweroff.kexec_einval");
	utap_errno(sys_reboot(MAGIC2, CMD_RESTART2, (void *)8), EFAULT,
		   "user.poweroff.restart2_bad_arg_efault");
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "power_off";
	unsigned cmd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!on_kfork()) {
		printf("not ok 1 - user.poweroff: not the kfork mini-kernel, refusing\n");
		return 1;
	}
	if (!strcmp(what, "halt"))
		cmd = RB_HALT_SYSTEM;
	else if (!strcmp(what, "restart"))
		cmd = RB_AUTOBOOT;
	else if (!strcmp(what, "restart2"))
		cmd = CMD_RESTART2;
	else
		cmd = RB_POWER_OFF;
	test_quiet_commands();
	printf("poweroff: %d checks, %d failed; stopping with %s\n", utap_count,
	       utap_failed, what);
	if (utap_failed)
		return 1;
	sys_reboot(MAGIC2, cmd, "kfork-test");
	printf("not ok %d - user.poweroff.%s: reboot returned, errno %d\n",
	       ++utap_count, what, errno);
	return 1;
}
