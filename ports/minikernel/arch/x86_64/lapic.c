// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/x86_64/lapic.c - the local APIC timer, the only interrupt
 * source.  The legacy PICs are masked.  The timer is not calibrated: QEMU
 * clocks the APIC timer at 1 GHz, so divide-by-16 and 62500000/hz counts
 * give @hz ticks per second of QEMU's virtual clock (real time under TCG).
 */
#include <mk/board.h>
#include <mk/mk.h>
#include "x86.h"

#define LAPIC_PA	0xfee00000ul
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_DIV	0x3e0
#define LAPIC_BUS_HZ	1000000000ul
#define LVT_PERIODIC	(1u << 17)

static volatile uint32_t *lapic;

static void lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

void x86_lapic_eoi(void)
{
	if (lapic)
		lapic_write(LAPIC_EOI, 0);
}

void x86_lapic_init(void)
{
	outb(0x21, 0xff);	/* mask both 8259s */
	outb(0xa1, 0xff);
	lapic = (volatile uint32_t *)x86_map_mmio(LAPIC_PA);
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1ul << 11));
	lapic_write(LAPIC_SVR, 0x100 | X86_VEC_SPURIOUS);
}

void board_timer_start(unsigned hz)
{
	if (!lapic)
		x86_lapic_init();
	lapic_write(LAPIC_TIMER_DIV, 0x3);	/* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | X86_VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)(LAPIC_BUS_HZ / 16 / hz));
}
