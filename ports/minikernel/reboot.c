// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/reboot.c - reboot(2).
 *
 * Linux's order of checks: the capability (CAP_SYS_BOOT: root here) first,
 * then the magic numbers, then the command.  In the initial pid namespace
 * POWER_OFF, HALT, RESTART and RESTART2 stop the machine as a clean end of
 * /init does (the log says which; under QEMU, ci/run-elf reports 0), so an
 * init written for Linux ends the run; CAD_ON and CAD_OFF are accepted
 * (no keyboard sends Ctrl-Alt-Del here); any other command is EINVAL (no
 * kexec, no hibernation: Linux built without them answers so too).
 *
 * Inside a child pid namespace the namespace ends instead (Linux's
 * reboot_pid_ns): its init is killed, and its parent sees it die of SIGHUP
 * (restart) or SIGINT (power off, halt); the caller exits with status 0.
 * Any other command is EINVAL there.  The namespace is told apart by its
 * pid 1: in the initial namespace that is the machine's /init.
 */
#include <kf/kf.h>
#include <mk/board.h>
#include <mk/file.h>
#include <mk/proc.h>

#define MAGIC1		0xfee1deadu
#define MAGIC2		672274793u
#define MAGIC2A		85072278u
#define MAGIC2B		369367448u
#define MAGIC2C		537993216u

#define CMD_RESTART	0x01234567u
#define CMD_HALT	0xcdef0123u
#define CMD_CAD_ON	0x89abcdefu
#define CMD_CAD_OFF	0x00000000u
#define CMD_POWER_OFF	0x4321fedcu
#define CMD_RESTART2	0xa1b2c3d4u

#define CAP_SYS_BOOT	22
#define RESTART2_ARG_MAX 256	/* Linux's buffer, NUL included */

/* Linux's arguments are 32-bit: the upper register halves do not count. */
static bool magic_ok(uint32_t magic1, uint32_t magic2)
{
	return magic1 == MAGIC1 &&
	       (magic2 == MAGIC2 || magic2 == MAGIC2A || magic2 == MAGIC2B ||
		magic2 == MAGIC2C);
}

/*
 * reboot_pid_ns - @init is pid 1 of the caller's child pid namespace
 * (a reference): mark the signal its parent will see, kill it, and end the
 * caller.  Returns only an error (the command means nothing here).
 */
static long reboot_pid_ns(struct kf_task *init, uint32_t cmd)
{
	struct mk_thread *t = mk_task_thread(init);
	int sig;

	switch (cmd) {
	case CMD_RESTART:
	case CMD_RESTART2:
		sig = KF_SIGHUP;
		break;
	case CMD_POWER_OFF:
	case CMD_HALT:
		sig = KF_SIGINT;
		break;
	default:
		kf_task_put(init);
		return -KF_EINVAL;
	}
	if (t && t->proc)
		t->proc->reboot_sig = sig;
	mk_send_signal(init, KF_SIGKILL, NULL, true);
	kf_task_put(init);
	mk_task_exit(0, false);
}

/* child_ns_init - pid 1 of the caller's pid namespace (a reference) when
 * that is not the initial namespace, else NULL. */
static struct kf_task *child_ns_init(void)
{
	struct kf_task *init = kf_task_find(1);
	struct mk_thread *t = mk_task_thread(init);

	if (!init || (t && t->proc && t->proc->is_init)) {
		if (init)
			kf_task_put(init);
		return NULL;
	}
	return init;
}

/* power_off - the machine stops; the log line is what ci/run-elf reads. */
static void power_off(const char *what, const char *arg)
{
	mk_printk("kfork: reboot: %s by pid %d%s%s\n", what, kf_getpid(),
		  arg ? ", argument " : "", arg ? arg : "");
	board_halt(MK_HALT_POWER_OFF, 0);
}

/* reboot(magic1, magic2, cmd, arg) */
long mk_sys_reboot(const long *a)
{
	uint32_t cmd = (uint32_t)a[2];
	char arg[RESTART2_ARG_MAX];
	struct kf_task *init;
	long r;

	if (!kf_os_capable(mk_current_task(), CAP_SYS_BOOT))
		return -KF_EPERM;
	if (!magic_ok((uint32_t)a[0], (uint32_t)a[1]))
		return -KF_EINVAL;
	init = child_ns_init();
	if (init)
		return reboot_pid_ns(init, cmd);
	switch (cmd) {
	case CMD_CAD_ON:
	case CMD_CAD_OFF:
		return 0;
	case CMD_POWER_OFF:
		power_off("power off", NULL);
		break;
	case CMD_HALT:
		power_off("halt", NULL);
		break;
	case CMD_RESTART:
		power_off("restart", NULL);
		break;
	case CMD_RESTART2:
		/* a string longer than the buffer is cut, as Linux's */
		r = mk_copy_string((uintptr_t)a[3], arg, sizeof(arg) - 1);
		if (r == -KF_EFAULT)
			return r;
		arg[r < 0 ? sizeof(arg) - 1 : (size_t)r] = 0;
		power_off("restart", arg);
		break;
	}
	return -KF_EINVAL;
}
