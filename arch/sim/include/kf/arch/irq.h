/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/irq.h (sim) - "interrupts" of the software CPU.
 *
 * The sim has no interrupts; each host thread (one per task) keeps an
 * "IRQs disabled" flag so that spinlock nesting and atomic-context checks
 * behave as on hardware: the host's kf_os_wait panics if it is called with
 * the flag set.  Barriers are C11 fences.
 */
#ifndef KF_ARCH_SIM_IRQ_H
#define KF_ARCH_SIM_IRQ_H

#include <stdbool.h>

extern __thread unsigned long kf_sim_irqs_off;

static inline unsigned long kf_arch_irq_save(void)
{
	unsigned long old = kf_sim_irqs_off;

	kf_sim_irqs_off = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return old;
}

static inline void kf_arch_irq_restore(unsigned long flags)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	kf_sim_irqs_off = flags;
}

static inline bool kf_arch_irqs_disabled(void)
{
	return kf_sim_irqs_off != 0;
}

static inline void kf_arch_mb(void)  { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
static inline void kf_arch_rmb(void) { __atomic_thread_fence(__ATOMIC_ACQUIRE); }
static inline void kf_arch_wmb(void) { __atomic_thread_fence(__ATOMIC_RELEASE); }

static inline void kf_arch_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

#endif /* KF_ARCH_SIM_IRQ_H */
