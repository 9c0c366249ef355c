// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/main.c - bring-up (memory, threads, kfork's core, the
 * initramfs, then /init), the timer tick, the watchdog and the way back to
 * user space.
 *
 * Kernel command line (QEMU -append):
 *   watchdog=SECONDS   stop the machine with the watchdog status after this
 *                      much uptime (default 60; 0 = never)
 *   kfork.test=NAME    run a boot self-test instead of /init (selftest.c)
 *   kfork.leak=A,B     the programs kfork.test=leak runs
 *   loglevel=N         kf_os_log verbosity (0 err .. 3 debug; default 2)
 */
#include <kf/kf.h>
#include <mk/board.h>
#include <mk/tty.h>
#include <mk/proc.h>

#define MK_WATCHDOG_DEFAULT 60

char mk_cmdline[MK_CMDLINE_MAX];
volatile uint64_t mk_ticks;
static uint64_t watchdog_ticks;
extern bool mk_need_resched;
extern int mk_loglevel;

void mk_selftest(const char *name);

void mk_timer_tick(bool from_user)
{
	mk_cputime_tick(from_user);
	mk_ticks++;
	mk_time_tick();
	if (watchdog_ticks && mk_ticks >= watchdog_ticks) {
		mk_printk("\nkfork: watchdog: no end after %lu ticks\n",
			  (unsigned long)mk_ticks);
		board_halt(MK_HALT_WATCHDOG, 0);
	}
	mk_sched_tick(board_clock_ns());
	if (from_user)
		mk_need_resched = true;	/* a tick is one time slice */
}

/* On every way back to user space: preemption, then signals. */
void mk_return_to_user(struct kf_arch_regs *r)
{
	if (mk_need_resched)
		mk_schedule();
	mk_signal_deliver(r);
}

static unsigned long cmdline_ulong(const char *key, unsigned long dflt)
{
	char buf[24];

	if (!mk_cmdline_get(key, buf, sizeof(buf)))
		return dflt;
	return mk_strtoul(buf, NULL, 0);
}

void mk_main(struct mk_bootinfo *bi)
{
	char test[32];

	memcpy(mk_cmdline, bi->cmdline, sizeof(mk_cmdline));
	mk_printk("kfork: command line '%s'\n", mk_cmdline);
	mk_loglevel = (int)cmdline_ulong("loglevel", KF_LOG_INFO);
	watchdog_ticks = cmdline_ulong("watchdog", MK_WATCHDOG_DEFAULT) * MK_HZ;
	mk_pmm_init(bi);
	mk_heap_init();
	mk_sched_init();
	mk_boot_tasks();
	if (bi->initrd_size)
		mk_initrd_init(board_phys_to_virt(bi->initrd_base),
			       bi->initrd_size);
	mk_dev_init();
	mk_tty_init();
	board_timer_start(MK_HZ);
	if (mk_cmdline_get("kfork.test", test, sizeof(test)))
		mk_selftest(test);
	else
		mk_start_init();
	mk_idle_loop();
}
