/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/irq.h (aarch64) - interrupt masking and barriers.  The contract
 * is in <kf/hal/irq.h>.  The saved state is DAIF; save masks IRQs (the I
 * bit) only, restore puts all four bits back as they were.
 */
#ifndef KF_ARCH_AARCH64_IRQ_H
#define KF_ARCH_AARCH64_IRQ_H

#include <stdbool.h>

#define KF_A64_DAIF_I (1ul << 7)

static inline unsigned long kf_arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2"
			 : "=r"(flags) : : "memory");
	return flags;
}

static inline void kf_arch_irq_restore(unsigned long flags)
{
	__asm__ volatile("msr daif, %0" : : "r"(flags) : "memory");
}

static inline bool kf_arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif" : "=r"(flags) : : "memory");
	return (flags & KF_A64_DAIF_I) != 0;
}

/*
 * Barriers for the inner-shareable domain, where every CPU and the
 * table walkers are.  Device (MMIO) ordering is the board's business.
 */
static inline void kf_arch_mb(void)
{
	__asm__ volatile("dmb ish" : : : "memory");
}

static inline void kf_arch_rmb(void)
{
	__asm__ volatile("dmb ishld" : : : "memory");
}

static inline void kf_arch_wmb(void)
{
	__asm__ volatile("dmb ishst" : : : "memory");
}

static inline void kf_arch_cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

#endif /* KF_ARCH_AARCH64_IRQ_H */
