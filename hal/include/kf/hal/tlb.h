/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/hal/tlb.h - address-space contexts, leaf-entry stores, TLB and
 * instruction-cache maintenance: the contract.
 *
 * Every address space carries a struct kf_arch_mm, defined by the arch in
 * <kf/arch/mmu.h>.  It holds at least the root table, the CPUs that may
 * cache its translations (struct kf_cpumask cpus, <kf/hal/cpumask.h>) and,
 * on a tagged TLB, its ASID context (<kf/hal/asid.h>).
 *
 * The rules mm/ follows, and so every arch may rely on (Linux's
 * Documentation/core-api/cachetlb.rst says the same for Linux):
 *  1. Every store to a leaf entry of a tree the MMU walks goes through
 *     kf_arch_pte_set, from one helper in mm/pgtable.c.
 *  2. Break-before-make: a valid entry is never replaced by a valid entry
 *     with another frame.  mm stores the invalid entry, flushes the page
 *     on every CPU, and only then stores the new one (the Arm ARM
 *     requires it; on SMP it is the only order in which no CPU keeps
 *     using the old frame after the new one was written).
 *  3. Gathering: a change that removes or narrows translations (unmap,
 *     write-protect, PROT_NONE) is flushed before the operation returns,
 *     once per operation (fork flushes the parent once, munmap/mprotect/
 *     madvise once per range); frames and table pages are freed only after
 *     the flush that made them unreachable.  A change that only widens a
 *     present entry (more permissions, same frame) is not flushed: a CPU
 *     that still holds the narrow entry takes a spurious fault, which
 *     kf_mm_fault answers by flushing that page.
 *  4. I-cache: before a frame the kernel wrote (zeroed, copied, loaded)
 *     becomes reachable through an executable user mapping, or when a
 *     mapping of it becomes executable, mm calls kf_arch_icache_sync.
 *
 * Calling contexts.  No call below may need interrupts disabled: the
 * most a flush may ask is that the caller not migrate (preemption off),
 * so that a shootdown that waits for other CPUs (IPIs, SBI remote fences)
 * can be added without deadlock.  mm calls every flush with its own
 * sleeping mutex held and no spinlock held.
 *
 *   void kf_arch_set_kernel_root(kf_paddr_t root);
 *       the host names its kernel page table once at boot, before the
 *       first kf_mm_create (an arch whose kernel half lives elsewhere, as
 *       aarch64's TTBR1, ignores it).  Boot context.
 *   void kf_arch_pgd_init(kf_paddr_t root);
 *       put the kernel's mappings into the new, zeroed root @root: x86_64
 *       copies the kernel's upper root entries, riscv64 its kernel root
 *       entries (tables shared by every root and never freed), aarch64 does
 *       nothing (TTBR1).  May sleep.
 *   void kf_arch_mm_init(struct kf_arch_mm *amm, kf_paddr_t root);
 *       bind the root of a new address space; no CPU in its set, no ASID
 *       yet (one is allocated at the first activate).  Cannot fail.
 *   void kf_arch_mm_fini(struct kf_arch_mm *amm);
 *       the address space is dead and active on no CPU: translations
 *       tagged with it must never serve another address space (an ASID is
 *       reused only after the generation rollover flushed it).
 *   void kf_arch_mm_activate(struct kf_arch_mm *amm);
 *       this CPU now translates user addresses with @amm (NULL: no user
 *       space; the kernel half only), leaving the one it had.  Adds the
 *       CPU to @amm's set before loading the root; on a tagged TLB takes
 *       an ASID of the current generation (rolling over when none is left,
 *       and flushing this CPU's TLB when its rollover is pending).  The
 *       address space left behind loses the CPU from its set only on an
 *       untagged arch (the root switch dropped its entries; tagged ones
 *       may still be cached).  The arch remembers each CPU's address
 *       space.  Preemption off; IRQs may be off.
 *   void kf_arch_mm_deactivate(struct kf_arch_mm *amm);
 *       if @amm is this CPU's address space, leave it for none (as
 *       activate(NULL)): before the last reference to the address space
 *       this CPU runs is dropped, so its tables are never freed under a
 *       CPU walking them.  Preemption off; @amm may be NULL.
 *   static inline void kf_arch_pte_set(struct kf_arch_mm *amm,
 *                                      kf_pte_t *slot, uintptr_t va,
 *                                      kf_pte_t e);
 *       store leaf entry @e (mapping @va of @amm) with one atomic store
 *       (kf_pt_write).  No maintenance: mm flushes as rules 2 and 3 say.
 *       arch/sim checks break-before-make here.  Any context.
 *   void kf_arch_tlb_flush_page(struct kf_arch_mm *amm, uintptr_t va);
 *       drop @amm's leaf translation of the page at @va on every CPU in
 *       its set; when it returns no CPU can use the old entry.
 *   void kf_arch_tlb_flush_range(struct kf_arch_mm *amm, uintptr_t start,
 *                                uintptr_t end, unsigned flags);
 *       the same for every page in [start, end).  KF_TLB_TABLES: page
 *       tables under the range were unlinked, so cached non-leaf entries
 *       (paging-structure / walk caches) for it must go too.  The arch may
 *       flush @amm whole when that is cheaper (a large range).
 *   void kf_arch_tlb_flush_mm(struct kf_arch_mm *amm);
 *       drop every translation of @amm, leaf and non-leaf, on every CPU
 *       in its set.
 *   void kf_arch_icache_sync(struct kf_arch_mm *amm, uintptr_t va,
 *                            kf_paddr_t pa);
 *       the kernel wrote frame @pa through its own mapping, and user space
 *       will execute it at @va of @amm: make instruction fetches see the
 *       data on every CPU that may run @amm (x86_64: nothing, its caches
 *       are coherent; aarch64: dc cvau over the frame, dsb ish, ic ivau,
 *       dsb ish; riscv64: fence.i here and on the other harts of @amm's
 *       set, or before they next run it).  May be called with the mm's
 *       mutex held; IRQs on.
 */
#ifndef KF_HAL_TLB_H
#define KF_HAL_TLB_H

#include <kf/hal/pte.h>
#include <kf/hal/cpumask.h>

#define KF_TLB_TABLES 0x1u	/* kf_arch_tlb_flush_range: tables freed too */

#include <kf/arch/mmu.h>	/* struct kf_arch_mm, kf_arch_pte_set */

/* The calls above, declared once for every arch (an arch may define any
 * of them static inline in <kf/arch/mmu.h> instead; this declaration then
 * takes its internal linkage, as x86_64's kf_arch_icache_sync does). */
void kf_arch_set_kernel_root(kf_paddr_t root);
void kf_arch_pgd_init(kf_paddr_t root);
void kf_arch_mm_init(struct kf_arch_mm *amm, kf_paddr_t root);
void kf_arch_mm_fini(struct kf_arch_mm *amm);
void kf_arch_mm_activate(struct kf_arch_mm *amm);
void kf_arch_mm_deactivate(struct kf_arch_mm *amm);
void kf_arch_tlb_flush_page(struct kf_arch_mm *amm, uintptr_t va);
void kf_arch_tlb_flush_range(struct kf_arch_mm *amm, uintptr_t start,
			     uintptr_t end, unsigned flags);
void kf_arch_tlb_flush_mm(struct kf_arch_mm *amm);
void kf_arch_icache_sync(struct kf_arch_mm *amm, uintptr_t va, kf_paddr_t pa);

#endif /* KF_HAL_TLB_H */
