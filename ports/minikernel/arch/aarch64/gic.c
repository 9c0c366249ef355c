// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/aarch64/gic.c - the interrupt controller (GICv2,
 * virt's default) and the Arm generic timer: the periodic tick and
 * board_clock_ns.
 *
 * The tick is the EL1 virtual timer (CNTV, PPI 11 = INTID 27 unless the
 * DTB says otherwise), the only interrupt the kernel enables.  It is
 * armed with an absolute compare value one period ahead of the last, so
 * ticks do not drift by the interrupt latency.  The clock is the virtual
 * counter CNTVCT_EL0, whose frequency CNTFRQ_EL0 gives (the firmware's
 * job to set; QEMU: 62.5 MHz): the architecture fixes the counter as a
 * monotonic, constant-rate count, so nothing needs measuring.
 */
#include <mk/board.h>
#include <mk/mk.h>
#include "a64.h"

#define GICD_CTLR	0x000
#define GICD_ISENABLER	0x100
#define GICD_IPRIORITYR	0x400
#define GICD_ITARGETSR	0x800
#define GICC_CTLR	0x000
#define GICC_PMR	0x004
#define GICC_BPR	0x008
#define GICC_IAR	0x00c
#define GICC_EOIR	0x010
#define GIC_PRIO_TIMER	0xa0
#define GIC_PMR_ALL	0xf0	/* every priority above the lowest */

#define CNTV_CTL_ENABLE	1u
#define NSEC_PER_SEC	1000000000ull

static volatile uint8_t *gicd, *gicc;
static uint64_t cnt_boot, cnt_mult;	/* ns = (cnt - boot) * mult >> 32 */
static uint64_t tick_period, tick_next;

static void gicd_write32(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(gicd + off) = v;
}

static void gicc_write32(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(gicc + off) = v;
}

static uint32_t gicc_read32(unsigned off)
{
	return *(volatile uint32_t *)(gicc + off);
}

void a64_gic_init(void)
{
	unsigned id = a64_dev.vtimer_intid;

	if (a64_dev.gic_v3)
		mk_panic("a64: the board drives GICv2 only (QEMU's virt "
			 "default, gic-version=2)");
	if (!a64_dev.gicd || !a64_dev.gicc)
		mk_panic("a64: no GICv2 in the device tree");
	gicd = (volatile uint8_t *)(A64_KBASE + a64_dev.gicd);
	gicc = (volatile uint8_t *)(A64_KBASE + a64_dev.gicc);
	gicd_write32(GICD_CTLR, 0);
	*(gicd + GICD_IPRIORITYR + id) = GIC_PRIO_TIMER;
	gicd_write32(GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
	gicd_write32(GICD_CTLR, 1);
	gicc_write32(GICC_PMR, GIC_PMR_ALL);
	gicc_write32(GICC_BPR, 0);
	gicc_write32(GICC_CTLR, 1);
}

void a64_gic_enable_spi(unsigned id)
{
	*(gicd + GICD_IPRIORITYR + id) = GIC_PRIO_TIMER;
	*(gicd + GICD_ITARGETSR + id) = 1;	/* CPU interface 0 */
	gicd_write32(GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
}

unsigned a64_gic_ack(void)
{
	return gicc_read32(GICC_IAR) & 0x3ff;
}

void a64_gic_eoi(unsigned intid)
{
	gicc_write32(GICC_EOIR, intid);
}

/* The counter, read in order: isb keeps the read from being done early. */
static uint64_t cnt_read(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

void a64_clock_init(void)
{
	uint64_t hz = A64_READ_SYSREG(cntfrq_el0) & 0xffffffffu;

	if (hz < 1000000)
		mk_panic("a64: the counter runs at %lu Hz? (CNTFRQ_EL0)",
			 (unsigned long)hz);
	cnt_mult = (NSEC_PER_SEC << 32) / hz;
	cnt_boot = cnt_read();
	mk_printk("a64: counter %lu kHz (CNTFRQ_EL0)\n", (unsigned long)(hz / 1000));
}

uint64_t board_clock_ns(void)
{
	uint64_t d = cnt_read() - cnt_boot;

	return (uint64_t)(((unsigned __int128)d * cnt_mult) >> 32);
}

void board_timer_start(unsigned hz)
{
	tick_period = (A64_READ_SYSREG(cntfrq_el0) & 0xffffffffu) / hz;
	tick_next = cnt_read() + tick_period;
	A64_WRITE_SYSREG(cntv_cval_el0, tick_next);
	A64_WRITE_SYSREG(cntv_ctl_el0, CNTV_CTL_ENABLE);
	a64_isb();
}

/* The next compare value one period on; a tick missed entirely (the host
 * descheduled the vCPU) is not made up for. */
void a64_timer_rearm(void)
{
	uint64_t now = cnt_read();

	tick_next += tick_period;
	if (tick_next <= now)
		tick_next = now + tick_period;
	A64_WRITE_SYSREG(cntv_cval_el0, tick_next);
	a64_isb();
}
