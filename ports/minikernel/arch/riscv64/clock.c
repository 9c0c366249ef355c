// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/riscv64/clock.c - board_clock_ns from the time CSR
 * and the periodic tick.
 *
 * The time CSR counts at the DTB's /cpus timebase-frequency (10 MHz on
 * QEMU's virt), a rate the platform fixes: nothing to calibrate.  The
 * tick is a one-shot compare re-armed at every interrupt: stimecmp when
 * the boot hart has Sstc (a CSR write, no trip through M-mode), else the
 * SBI TIME extension's set_timer.  Either raises the supervisor timer
 * interrupt (sie.STIE); the next deadline is counted from the previous
 * one, so the tick rate does not drift with interrupt latency.
 */
#include <mk/board.h>
#include <mk/mk.h>
#include "riscv.h"

#define NSEC_PER_SEC	1000000000ull
#define CSR_STIMECMP	0x14d

static uint64_t time_boot, time_mult;	/* ns = (time - boot) * mult >> 32 */
static uint64_t tick_period, tick_next;	/* in time CSR units */

void rv_clock_init(void)
{
	uint64_t hz = rv_mach.timebase_hz;

	if (hz < 1000 || hz > NSEC_PER_SEC)
		mk_panic("riscv64: timebase-frequency %lu Hz?", (unsigned long)hz);
	time_mult = (NSEC_PER_SEC << 32) / hz;
	time_boot = rv_rdtime();
	mk_printk("riscv64: time CSR at %lu Hz (DTB timebase-frequency)\n",
		  (unsigned long)hz);
}

uint64_t board_clock_ns(void)
{
	uint64_t d = rv_rdtime() - time_boot;

	return (uint64_t)(((unsigned __int128)d * time_mult) >> 32);
}

static void timer_set(uint64_t when)
{
	if (rv_mach.sstc)
		__asm__ volatile("csrw 0x14d, %0" : : "r"(when) : "memory");
	else
		sbi_call(SBI_EXT_TIME, 0, when, 0, 0);
}

void board_timer_start(unsigned hz)
{
	tick_period = rv_mach.timebase_hz / hz;
	tick_next = rv_rdtime() + tick_period;
	timer_set(tick_next);
	csr_set(sie, SIE_STIE);
}

/* rv_timer_irq - re-arm for the next tick (a late one skips ahead). */
void rv_timer_irq(void)
{
	uint64_t now = rv_rdtime();

	tick_next += tick_period;
	if ((int64_t)(tick_next - now) <= 0)
		tick_next = now + tick_period;
	timer_set(tick_next);
}
