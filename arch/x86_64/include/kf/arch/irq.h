/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/irq.h (x86_64) - interrupt masking and barriers.  The contract is
 * in <kf/hal/irq.h>.  The saved state is RFLAGS; restore re-enables
 * interrupts only if IF was set in it.
 */
#ifndef KF_ARCH_X86_64_IRQ_H
#define KF_ARCH_X86_64_IRQ_H

#include <stdbool.h>

static inline unsigned long kf_arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void kf_arch_irq_restore(unsigned long flags)
{
	if (flags & 0x200ul)
		__asm__ volatile("sti" : : : "memory");
	else
		__asm__ volatile("cli" : : : "memory");
}

static inline bool kf_arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags) : : "memory");
	return !(flags & 0x200ul);
}

/* x86 is TSO for normal memory; the fences also order device accesses. */
static inline void kf_arch_mb(void)  { __asm__ volatile("mfence" : : : "memory"); }
static inline void kf_arch_rmb(void) { __asm__ volatile("lfence" : : : "memory"); }
static inline void kf_arch_wmb(void) { __asm__ volatile("sfence" : : : "memory"); }

static inline void kf_arch_cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

#endif /* KF_ARCH_X86_64_IRQ_H */
