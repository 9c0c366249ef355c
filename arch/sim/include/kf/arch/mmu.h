/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/mmu.h (sim) - address-space contexts of the software MMU.
 *
 * The contract is in <kf/hal/tlb.h>.  The sim "CPU" has one software TLB
 * whose entries are tagged with an ASID; a translation stays cached until one
 * of the flushes below drops it, so a missing or too-narrow flush shows up in
 * a host test as a stale read or write.  ASIDs 1..limit-1 are handed out per
 * address space; ASID 0 is the shared fallback when all are in use (it is
 * flushed whenever a different root is activated with it).
 */
#ifndef KF_ARCH_SIM_MMU_H
#define KF_ARCH_SIM_MMU_H

#include <stdint.h>
#include <kf/kf_os.h>

struct kf_arch_mm {
	kf_paddr_t root;	/* root page table (a frame) */
	unsigned asid;		/* 0 = shared fallback ASID */
};

void kf_arch_mm_init(struct kf_arch_mm *amm, kf_paddr_t root);
void kf_arch_mm_fini(struct kf_arch_mm *amm);
/* @amm may be NULL: no user address space (every user access faults). */
void kf_arch_mm_activate(struct kf_arch_mm *amm);
void kf_arch_tlb_flush_page(struct kf_arch_mm *amm, uintptr_t va);
void kf_arch_tlb_flush_range(struct kf_arch_mm *amm, uintptr_t start,
			     uintptr_t end);
void kf_arch_tlb_flush_mm(struct kf_arch_mm *amm);

#endif /* KF_ARCH_SIM_MMU_H */
