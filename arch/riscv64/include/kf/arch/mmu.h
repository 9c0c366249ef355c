/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/mmu.h (riscv64) - address-space contexts and TLB maintenance.
 * The contract is in <kf/hal/tlb.h>.
 *
 * satp holds MODE (Sv39 = 8, Sv48 = 9, from KF_PT_LEVELS), the ASID and
 * the root's PPN.  ASIDs come from hal/asid.c when satp keeps enough of
 * the ASID bits written to it (kf_rv_mmu_init probes); otherwise every
 * address space runs with ASID 0 and each root switch flushes the whole
 * TLB (untagged, as x86_64 without PCID).  The kernel's mappings are
 * global (G) and live in the kernel root's upper entries, which every
 * user root copies (kf_arch_pgd_init); the tables below them are never
 * freed.
 *
 * Flushes: sfence.vma by address and ASID for a page; the whole ASID
 * (sfence.vma zero, asid) for an address space, for a large range, and
 * whenever tables were unlinked (KF_TLB_TABLES), since sfence.vma with an
 * address is only required to order the leaf entry of that address.
 * fence.i for the I-cache.  These act on this hart; another hart in an
 * address space's set would need an SBI remote fence, which the reference
 * kernel, running on one hart, does not have yet: the flushes panic if the
 * set names another CPU rather than leave it stale.
 */
#ifndef KF_ARCH_RISCV64_MMU_H
#define KF_ARCH_RISCV64_MMU_H

#include <stdint.h>
#include <kf/kf_os.h>
#include <kf/hal/cpumask.h>
#include <kf/hal/pgwalk.h>

#define KF_RV_SATP_MODE_SV39 8ul
#define KF_RV_SATP_MODE_SV48 9ul
#define KF_RV_SATP_MODE (KF_PT_LEVELS == 4 ? KF_RV_SATP_MODE_SV48 : \
					     KF_RV_SATP_MODE_SV39)
#define KF_RV_SATP_ASID_SHIFT 44
#define KF_RV_SATP_ASID_MASK 0xfffful

static inline uint64_t kf_rv_satp(kf_paddr_t root, unsigned asid)
{
	return KF_RV_SATP_MODE << 60 |
	       (uint64_t)(asid & KF_RV_SATP_ASID_MASK) << KF_RV_SATP_ASID_SHIFT |
	       root >> 12;
}

struct kf_arch_mm {
	kf_paddr_t root;
	struct kf_cpumask cpus;		/* CPUs that may cache its entries */
	uint64_t ctx;			/* hal/asid.c context word */
};

/*
 * kf_rv_mmu_init - probe the ASID bits satp keeps and set up the ASID
 * space; call once at boot with the kernel root loaded in satp (mode
 * KF_RV_SATP_MODE), before the first address space is activated.
 * @use_asids false runs untagged whatever the hart has (a host's way to
 * test that path).  Returns the number of ASIDs in use (0: untagged).
 */
unsigned kf_rv_mmu_init(bool use_asids);

/* One release store; the flush that follows (rule 2/3) or the spurious
 * fault a widening takes (rule 4) makes the walker see it. */
static inline void kf_arch_pte_set(struct kf_arch_mm *amm, kf_pte_t *slot,
				   uintptr_t va, kf_pte_t e)
{
	(void)amm;
	(void)va;
	kf_pt_write(slot, e);
}

#endif /* KF_ARCH_RISCV64_MMU_H */
