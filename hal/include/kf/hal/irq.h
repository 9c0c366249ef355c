/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/hal/irq.h - interrupt masking and memory barriers, the contract.
 *
 * <kf/arch/irq.h> defines, as static inline functions:
 *   unsigned long kf_arch_irq_save(void);     mask IRQs, return the old state
 *   void kf_arch_irq_restore(unsigned long);  restore what save returned
 *   bool kf_arch_irqs_disabled(void);
 *   void kf_arch_mb(void), kf_arch_rmb(void), kf_arch_wmb(void);
 *       full, read and write barriers ordering memory for other CPUs and
 *       for the page-table walker.
 *   void kf_arch_cpu_relax(void);             spin-wait hint
 * Hosts build their spinlocks on these; the core itself uses the OS lock
 * hooks and C11-style atomic builtins.
 */
#ifndef KF_HAL_IRQ_H
#define KF_HAL_IRQ_H

#include <stdbool.h>
#include <kf/arch/irq.h>

#endif /* KF_HAL_IRQ_H */
