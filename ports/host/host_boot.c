// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/host/host_boot.c - booting the core inside a test program, running
 * init, tearing down.
 */
#include <string.h>
#include <kf/mm.h>
#include "host.h"

/* ---- boot, init and teardown ------------------------------------------- */

static struct kf_task *boot;

struct init_args {
	int (*fn)(void *);
	void *arg;
};

/* init_entry - init's first steps: an address space of its own (as exec
 * would give it), then the test body. */
static int init_entry(void *p)
{
	struct init_args *a = p;
	struct kf_mm *mm = kf_mm_create();

	if (!mm) {
		kf_os_log(KF_LOG_ERR, "host: init: no memory for an mm");
		return 127;
	}
	kf_exec_mm(mm);
	host_switch_mm(kf_os_current());
	return a->fn(a->arg);
}

/* host_boot - kf_boot once per program; the calling thread becomes the
 * boot task.  The objects kf_boot makes live until exit: mark them as the
 * baseline of the leak counters. */
static void host_boot(void)
{
	if (boot)
		return;
	host_log_init();
	boot = kf_boot();
	if (!boot)
		kf_os_panic("host: kf_boot failed");
	host_sched_boot(boot);
	kf_host_mark_baseline();
}

/* wait_status - a waitid result as the status word wait4 would store. */
static int wait_status(const struct kf_waitinfo *wi)
{
	if (wi->code == KF_CLD_EXITED)
		return (wi->status & 0xff) << 8;
	return (wi->status & 0x7f) | (wi->code == KF_CLD_DUMPED ? 0x80 : 0);
}

int kf_host_run_as_init(int (*fn)(void *), void *arg)
{
	struct init_args a = { fn, arg };
	struct kf_waitinfo wi;
	long pid, r;

	host_boot();
	if (kf_os_current() != boot)
		kf_os_panic("kf_host_run_as_init: call it from the boot thread");
	kf_host_set_child_entry(init_entry, &a);
	pid = kf_fork();
	if (pid < 0) {
		kf_host_set_child_entry(NULL, NULL);
		return (int)pid;
	}
	memset(&wi, 0, sizeof(wi));
	r = kf_waitid(KF_P_PID, (int)pid, &wi, KF_WEXITED);
	kf_host_shutdown();
	if (r < 0)
		return (int)r;
	return wait_status(&wi);
}

void kf_host_shutdown(void)
{
	struct kf_waitinfo wi;

	if (!boot || kf_os_current() != boot)
		return;
	host_sched_kill_all();
	while (kf_waitid(KF_P_ALL, 0, &wi, KF_WEXITED | KF___WALL) == 0)
		;
	host_sched_reap();
	if (kf_host_tasks() > 1)
		kf_os_log(KF_LOG_WARN, "host: %d task(s) left after shutdown",
			  kf_host_tasks() - 1);
}
