/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/hal/pte.h - page-table entry encoding, the contract.
 *
 * Each architecture supplies <kf/arch/pte.h> (found through the include
 * path the build picks) with pure functions over 64-bit entries; the generic
 * radix walk in hal/pgwalk.c and all of mm/ use only what is listed here.
 * Levels count from the leaf: level 0 holds 4 KiB pages, level
 * KF_PT_LEVELS-1 is the root.  User mappings use 4 KiB leaves only.
 *
 * The arch header defines:
 *   KF_PAGE_SHIFT, KF_PT_LEVELS, KF_PT_INDEX_BITS,
 *   KF_USER_VA_END  the end of the span the root's user slots cover (the
 *                   walk's bound; a root slot at or above it is kernel);
 *   KF_TASK_SIZE    the end of user space as Linux's TASK_SIZE gives it
 *                   (<= KF_USER_VA_END): mmap, brk and the user-range
 *                   check never go past it;
 *   KF_ARCH_PTE_NAME ("x86_64", ...)
 *   kf_pte_t (uint64_t)
 *   static inline functions:
 *     kf_pte_t kf_arch_pte_mk_table(kf_paddr_t table);   non-leaf entry
 *     kf_pte_t kf_arch_pte_mk_page(kf_paddr_t pa, unsigned prot); leaf, KF_PROT_*
 *     bool     kf_arch_pte_present(kf_pte_t e);
 *     bool     kf_arch_pte_is_table(kf_pte_t e, int level); level > 0 only
 *     kf_paddr_t kf_arch_pte_pa(kf_pte_t e);
 *     unsigned kf_arch_pte_prot(kf_pte_t e);              KF_PROT_* of a leaf
 *     kf_pte_t kf_arch_pte_wrprotect(kf_pte_t e);
 *     kf_pte_t kf_arch_pte_mkwrite(kf_pte_t e);
 * All of them are pure: no side effects, no TLB maintenance.
 * The entry 0 is the empty slot on every arch.  Write or execute imply read.
 * mk_page with none of READ/WRITE/EXEC (PROT_NONE) must give a non-zero
 * entry that the hardware ignores (present() false) but whose pa() and
 * KF_PROT_USER survive, so mm keeps the frame (hal/pgwalk.h rule 1).
 */
#ifndef KF_HAL_PTE_H
#define KF_HAL_PTE_H

#include <stdint.h>
#include <stdbool.h>
#include <kf/kf_os.h>

/* Generic protection bits; the arch maps them to its own bit layout. */
#define KF_PROT_READ  0x1u
#define KF_PROT_WRITE 0x2u
#define KF_PROT_EXEC  0x4u
#define KF_PROT_USER  0x8u

#include <kf/arch/pte.h>

#define KF_PAGE_SIZE    (1ul << KF_PAGE_SHIFT)
#define KF_PAGE_MASK    (~(KF_PAGE_SIZE - 1))
#define KF_PT_ENTRIES   (1u << KF_PT_INDEX_BITS)

/* kf_pt_index - the slot @va selects in a table at @level. */
static inline unsigned kf_pt_index(uintptr_t va, int level)
{
	return (unsigned)(va >> (KF_PAGE_SHIFT + level * KF_PT_INDEX_BITS)) &
	       (KF_PT_ENTRIES - 1);
}

/* kf_pt_span - bytes of address space one entry at @level covers. */
static inline uintptr_t kf_pt_span(int level)
{
	return (uintptr_t)1 << (KF_PAGE_SHIFT + level * KF_PT_INDEX_BITS);
}

#endif /* KF_HAL_PTE_H */
