/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/mmu.h (sim) - address-space contexts of the software MMU.
 *
 * The contract is in <kf/hal/tlb.h>; what the software CPUs model and check
 * is in <kf/arch/sim.h>.  ASIDs come from the generic allocator
 * (<kf/hal/asid.h>) at activate time, as on aarch64 and riscv64.
 */
#ifndef KF_ARCH_SIM_MMU_H
#define KF_ARCH_SIM_MMU_H

#include <stdint.h>
#include <kf/kf_os.h>
#include <kf/hal/cpumask.h>
#include <kf/hal/pgwalk.h>

/* Break-before-make bookkeeping: leaves made invalid and not flushed yet. */
#define KF_SIM_BBM_PENDING 16

struct kf_sim_bbm_rec {
	uintptr_t vpn;		/* page number of the cleared entry */
	kf_paddr_t pa;		/* the frame it mapped */
};

struct kf_arch_mm {
	kf_paddr_t root;		/* root page table (a frame) */
	uint64_t ctx;			/* (A) generation | ASID; 0 = none yet */
	struct kf_cpumask cpus;		/* CPUs that may cache it */
	/* invalidated leaves awaiting a flush; beyond the array only their
	 * span [bbm_lo, bbm_hi) is kept (pages, end exclusive) */
	struct kf_sim_bbm_rec bbm[KF_SIM_BBM_PENDING];
	unsigned nr_bbm;
	uintptr_t bbm_lo, bbm_hi;
};

/* The sim checks each leaf store (break-before-make) before making it. */
void kf_sim_pte_check(struct kf_arch_mm *amm, kf_pte_t *slot, uintptr_t va,
		      kf_pte_t e);

static inline void kf_arch_pte_set(struct kf_arch_mm *amm, kf_pte_t *slot,
				   uintptr_t va, kf_pte_t e)
{
	kf_sim_pte_check(amm, slot, va, e);
	kf_pt_write(slot, e);
}

#endif /* KF_ARCH_SIM_MMU_H */
