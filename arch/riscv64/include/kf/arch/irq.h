/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/irq.h (riscv64) - interrupt masking and barriers.  The contract
 * is in <kf/hal/irq.h>.  The saved state is sstatus.SIE; restore
 * re-enables interrupts only if it was set.
 */
#ifndef KF_ARCH_RISCV64_IRQ_H
#define KF_ARCH_RISCV64_IRQ_H

#include <stdbool.h>

#define KF_RV_SSTATUS_SIE 0x2ul

static inline unsigned long kf_arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("csrrci %0, sstatus, 2" : "=r"(flags) : : "memory");
	return flags & KF_RV_SSTATUS_SIE;
}

static inline void kf_arch_irq_restore(unsigned long flags)
{
	if (flags & KF_RV_SSTATUS_SIE)
		__asm__ volatile("csrsi sstatus, 2" : : : "memory");
	else
		__asm__ volatile("csrci sstatus, 2" : : : "memory");
}

static inline bool kf_arch_irqs_disabled(void)
{
	unsigned long s;

	__asm__ volatile("csrr %0, sstatus" : "=r"(s) : : "memory");
	return !(s & KF_RV_SSTATUS_SIE);
}

/* RVWMO: fences order memory for other harts; "iorw" also covers the
 * page-table walker's implicit reads and device accesses. */
static inline void kf_arch_mb(void)  { __asm__ volatile("fence iorw, iorw" : : : "memory"); }
static inline void kf_arch_rmb(void) { __asm__ volatile("fence ir, ir" : : : "memory"); }
static inline void kf_arch_wmb(void) { __asm__ volatile("fence ow, ow" : : : "memory"); }

/* Zihintpause's pause; a plain fence hint on harts without it. */
static inline void kf_arch_cpu_relax(void)
{
	__asm__ volatile(".4byte 0x0100000f" : : : "memory");
}

#endif /* KF_ARCH_RISCV64_IRQ_H */
