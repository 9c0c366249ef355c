/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/mmu.h (aarch64) - address-space contexts, TLB and I-cache
 * maintenance.  The contract is in <kf/hal/tlb.h>.
 *
 * User space is TTBR0_EL1's half (48-bit VA, 4 KiB granule, 4 levels);
 * the kernel lives in TTBR1_EL1's half, so a user root holds no kernel
 * entry (kf_arch_pgd_init does nothing) and the kernel root is never
 * named.  TTBR0 carries the address space's ASID (TCR_EL1.A1 = 0), from
 * the generic allocator (<kf/hal/asid.h>) sized by
 * ID_AA64MMFR0_EL1.ASIDBits and TCR_EL1.AS; with fewer ASIDs than
 * CONFIG_KF_NR_CPUS + 2 every address space runs untagged (ASID 0) and a
 * root switch flushes the TLB.  With no user address space, TTBR0 holds
 * an empty table and ASID 0, which the allocator never hands out.
 *
 * The flushes are the inner-shareable broadcast TLBI forms, so they reach
 * every CPU the address space may have run on; a CPU stays in the set
 * once it ran it (tagged entries may remain cached after a switch).
 *
 * What the host must do: call kf_a64_mmu_init once, after enabling the
 * MMU (TTBR1 and TCR_EL1 set: T0SZ = 16, TG0 = 4 KiB, AS as it chooses)
 * and before the first kf_mm_create; let EL0 use no ASID-tagged kernel
 * mapping (kernel pages are global, nG = 0).
 */
#ifndef KF_ARCH_AARCH64_MMU_H
#define KF_ARCH_AARCH64_MMU_H

#include <stdint.h>
#include <kf/kf_os.h>
#include <kf/hal/cpumask.h>
#include <kf/hal/pgwalk.h>

struct kf_arch_mm {
	kf_paddr_t root;		/* L0 table, TTBR0_EL1's base */
	uint64_t ctx;			/* (A) generation | ASID; 0 = none yet */
	struct kf_cpumask cpus;		/* CPUs that ran it, so may cache it */
};

/* kf_a64_mmu_init - size the ASID space from the CPU and TCR_EL1, read
 * the cache geometry (CTR_EL0) and make the empty TTBR0 table.  Once, at
 * boot, with the MMU on. */
void kf_a64_mmu_init(void);

/* kf_a64_asid_bits - 16, 8, or 0 when address spaces run untagged. */
unsigned kf_a64_asid_bits(void);

/*
 * One atomic store; no barrier: a walker that misses a new entry takes a
 * spurious fault, which kf_mm_fault answers with kf_arch_tlb_flush_page
 * (its dsb makes the store visible to the walk), as <kf/hal/tlb.h> says.
 */
static inline void kf_arch_pte_set(struct kf_arch_mm *amm, kf_pte_t *slot,
				   uintptr_t va, kf_pte_t e)
{
	(void)amm;
	(void)va;
	kf_pt_write(slot, e);
}

#endif /* KF_ARCH_AARCH64_MMU_H */
