/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/hal/pgwalk.h - the generic radix page-table walk (hal/pgwalk.c).
 *
 * One walker for every arch: it sees tables only through <kf/hal/pte.h>
 * (KF_PT_LEVELS levels of KF_PT_ENTRIES 64-bit entries, level 0 = leaves)
 * and reaches table frames through kf_os_phys_to_virt.  Only 4 KiB leaves
 * exist in user space; a block/huge leaf at a table level is a bug.
 *
 * Ownership and reference-count rules (what mm/ relies on):
 *  1. The empty slot is 0 on every arch.  A non-empty leaf holds exactly one
 *     reference (kf_os_page_get) on its frame, whether or not the hardware
 *     may use it (PROT_NONE leaves keep their frame with the valid bit off).
 *  2. A table frame's kf_os_page_count is the number of table entries, in
 *     all address spaces together, that point at it; a root's count is the
 *     one reference its struct kf_mm holds.  Today every table has count 1.
 *  3. Sharing (for an on-demand fork, later): a leaf table may be pointed at
 *     by two address spaces' level-1 entries (count 2).  Its leaves then
 *     hold ONE reference per frame for all sharers, and the table is
 *     read-only for everybody: before changing any entry of a table whose
 *     count is > 1, the changer copies it (taking a reference on every frame
 *     it maps), points its own level-1 entry at the copy and drops one
 *     reference on the shared table, flushing its TLB for the span.  The
 *     free functions below already follow this rule: a table with count > 1
 *     only loses this tree's reference and is never descended into.  The
 *     "count > 1 then drop, else free" decision must then be made under a
 *     lock that all sharers take (or an atomic dec-and-test from kf_os).
 *  4. New tables are zeroed (kf_os_page_alloc) before they are linked, and
 *     linked with a compare-and-swap, so a concurrent hardware/software walker
 *     never sees a half-built table and two racing allocators agree.
 *
 * Concurrency: lookups may run without locks, like a hardware walker.  All
 * writers of one tree are serialised by their caller (mm's locks); entries
 * are read and written with single atomic 64-bit accesses.  Freeing tables
 * needs a TLB flush between unlinking and freeing: kf_pt_prune_range hands
 * the unlinked tables back for the caller to free after its flush.
 */
#ifndef KF_HAL_PGWALK_H
#define KF_HAL_PGWALK_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <kf/kf_os.h>
#include <kf/hal/pte.h>

/* Entry access: single atomic loads and stores (walkers run concurrently). */
static inline kf_pte_t kf_pt_read(const kf_pte_t *slot)
{
	return __atomic_load_n(slot, __ATOMIC_ACQUIRE);
}

static inline void kf_pt_write(kf_pte_t *slot, kf_pte_t e)
{
	__atomic_store_n(slot, e, __ATOMIC_RELEASE);
}

/* kf_pt_table - the kernel view of the table in frame @table. */
static inline kf_pte_t *kf_pt_table(kf_paddr_t table)
{
	return (kf_pte_t *)kf_os_phys_to_virt(table);
}

/*
 * kf_pt_alloc_fn - supplies a zeroed table frame with count 1, or 0 when
 * out of memory.  Called with no walker locks held; may sleep if the caller
 * of kf_pt_walk may.
 */
typedef kf_paddr_t (*kf_pt_alloc_fn)(void *arg);

/* kf_pt_alloc_page - a kf_pt_alloc_fn: kf_os_page_alloc(@arg as site). */
kf_paddr_t kf_pt_alloc_page(void *site);

/*
 * kf_pt_lookup - read-only translation of user address @va in the tree at
 * @root: 0 and the leaf in *@out when the hardware may use it
 * (kf_arch_pte_present), -KF_EFAULT when any level is missing, the leaf is
 * empty or PROT_NONE, or @va >= KF_USER_VA_END.  Takes no locks (the sim
 * MMU calls it as its hardware walker).  The caller checks the permission
 * bits with kf_arch_pte_prot.
 */
int kf_pt_lookup(kf_paddr_t root, uintptr_t va, kf_pte_t *out);

/*
 * kf_pt_walk - the level-0 slot for @va (< KF_USER_VA_END).  A missing
 * table is made with @alloc(@arg) and linked; @alloc NULL means "do not
 * allocate".  Returns NULL when a table is missing and cannot be made
 * (@alloc NULL or out of memory).  The caller serialises writers and must
 * not hold a spinlock if @alloc sleeps.
 */
kf_pte_t *kf_pt_walk(kf_paddr_t root, uintptr_t va, kf_pt_alloc_fn alloc,
		     void *arg);

/*
 * kf_pt_for_each - call @fn(slot, va, @arg) for every non-empty leaf slot
 * mapping an address in [@start, @end), in increasing order; missing tables
 * are skipped whole, so the cost is O(tables touched + leaves).  @fn may
 * rewrite the slot but must not add or free tables.  Stops at, and returns,
 * the first non-zero value @fn returns; else 0.
 */
typedef int (*kf_pt_leaf_fn)(kf_pte_t *slot, uintptr_t va, void *arg);
int kf_pt_for_each(kf_paddr_t root, uintptr_t start, uintptr_t end,
		   kf_pt_leaf_fn fn, void *arg);

/*
 * kf_pt_prune_range - unlink the tables that [@start, @end) touches and
 * whose whole span lies inside [@floor, @ceiling) (free_pgtables' floor
 * and ceiling: the unmapped range grown to the neighbouring VMAs), adding
 * them to @out: their chain (each still holding its reference) and the
 * span they covered.  Flush that span with KF_TLB_TABLES, then
 * kf_pt_free_chain().  Only entries inside [@start, @end) are read, so
 * unmapping a small range costs a few entries per level however wide the
 * gap around it is.  The caller guarantees that no leaf is left in
 * [@floor, @ceiling) and that no table lies wholly in [@floor, @ceiling)
 * without touching [@start, @end) (mm frees the tables of every range it
 * unmaps, so there are none).
 */
struct kf_pt_freed {
	kf_paddr_t chain;	/* 0 = none */
	uintptr_t lo, hi;	/* span of the unlinked tables (lo == hi: none) */
};
void kf_pt_prune_range(kf_paddr_t root, uintptr_t start, uintptr_t end,
		       uintptr_t floor, uintptr_t ceiling,
		       struct kf_pt_freed *out);
void kf_pt_free_chain(kf_paddr_t chain);

/*
 * kf_pt_detach_user - make every user slot of @root unreachable for a
 * walker while keeping what it points at, so a whole tree can be flushed
 * and only then freed (an exiting address space whose root may still be
 * loaded); kf_pt_free_detached then frees it.  The root's slots hold
 * non-present values meanwhile: only kf_pt_free_detached may follow.
 */
void kf_pt_detach_user(kf_paddr_t root);
void kf_pt_free_detached(kf_paddr_t root);

/*
 * kf_pt_free_tree - drop everything below @root's user slots (those below
 * KF_USER_VA_END): one reference per non-empty leaf's frame, and the
 * tables themselves (rule 3 for shared ones).  Those entries become 0; the
 * kernel slots a host put in the root and @root itself are kept.  The
 * caller has made sure no TLB or walk cache can still reach the tree
 * (never loaded, or no CPU runs it and it was flushed).
 */
void kf_pt_free_tree(kf_paddr_t root);

/* kf_pt_count_leaves - non-empty leaves in [@start, @end) (for checks). */
unsigned long kf_pt_count_leaves(kf_paddr_t root, uintptr_t start,
				 uintptr_t end);

#endif /* KF_HAL_PGWALK_H */
