/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/hal/tlb.h - address-space contexts and TLB maintenance, the contract.
 *
 * Every address space carries a struct kf_arch_mm (defined by the arch in
 * <kf/arch/mmu.h>: root table, ASID/PCID).  mm/ changes a present PTE only
 * through its central "change PTE" helper, which calls one of the flushes
 * below before the change can be relied on by another access.
 *
 *   void kf_arch_mm_init(struct kf_arch_mm *amm, kf_paddr_t root);
 *       bind a new root table; may assign an ASID.  Cannot fail.
 *   void kf_arch_mm_fini(struct kf_arch_mm *amm);
 *       the address space is dead: drop any translations tagged with it
 *       and release its ASID.
 *   void kf_arch_mm_activate(struct kf_arch_mm *amm);
 *       switch this CPU's user translations to @amm (CR3/TTBR0/satp).
 *   void kf_arch_tlb_flush_page(struct kf_arch_mm *amm, uintptr_t va);
 *       drop the translation of one user page of @amm, on every CPU.
 *   void kf_arch_tlb_flush_range(struct kf_arch_mm *amm, uintptr_t start,
 *                                uintptr_t end);
 *   void kf_arch_tlb_flush_mm(struct kf_arch_mm *amm);
 *       drop every user translation of @amm.
 * Context: atomic (may be called with the page-table lock held).
 */
#ifndef KF_HAL_TLB_H
#define KF_HAL_TLB_H

#include <kf/hal/pte.h>
#include <kf/arch/mmu.h>

#endif /* KF_HAL_TLB_H */
