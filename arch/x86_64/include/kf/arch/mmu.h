/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/mmu.h (x86_64) - address-space contexts and TLB maintenance.
 * The contract is in <kf/hal/tlb.h>.
 *
 * No PCID (QEMU's TCG has none): loading CR3 drops every non-global
 * translation, so an address space not loaded on a CPU has nothing cached
 * there, and deactivate takes the CPU out of its set.  Each user root
 * shares the kernel half (PML4 entries 256..511) with the kernel's own
 * root (kf_arch_set_kernel_root), whose PDPTs are never freed, so the
 * copies stay valid.  The flushes act on this CPU; a remote CPU in the
 * set would need a shootdown IPI, which the reference kernel, running on
 * one CPU, does not have yet (kf_arch_tlb_flush_* panic if the set names
 * another CPU, rather than leave it stale).
 */
#ifndef KF_ARCH_X86_64_MMU_H
#define KF_ARCH_X86_64_MMU_H

#include <stdint.h>
#include <kf/kf_os.h>
#include <kf/hal/cpumask.h>
#include <kf/hal/pgwalk.h>

struct kf_arch_mm {
	kf_paddr_t root;		/* PML4 frame */
	struct kf_cpumask cpus;		/* CPUs that have it in CR3 */
};

/* The caches are coherent with instruction fetch on x86. */
static inline void kf_arch_icache_sync(struct kf_arch_mm *amm, uintptr_t va,
				       kf_paddr_t pa)
{
	(void)amm;
	(void)va;
	(void)pa;
}

static inline void kf_arch_pte_set(struct kf_arch_mm *amm, kf_pte_t *slot,
				   uintptr_t va, kf_pte_t e)
{
	(void)amm;
	(void)va;
	kf_pt_write(slot, e);
}

#endif /* KF_ARCH_X86_64_MMU_H */
