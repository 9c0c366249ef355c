/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm/pgtable.c - the page tables of one address space, on the generic walk
 * (hal/pgwalk.c).  kf_mm_set_pte is the only place a leaf entry changes:
 * it pairs every change of an entry the hardware may have cached with the
 * TLB flush, before anyone can rely on the change (or free the old frame).
 */
#include "mm_internal.h"

/*
 * kf_mm_set_pte - replace the leaf at @slot (mapping @va) with @new.  Called
 * with mm->pt_lock held.  If the old entry was usable by the hardware, its
 * translation is flushed from every CPU before returning, so the caller
 * may then drop the old frame's reference.  Keeps the RSS count.  Returns
 * the old entry.
 */
kf_pte_t kf_mm_set_pte(struct kf_mm *mm, kf_pte_t *slot, uintptr_t va,
		    kf_pte_t new)
{
	kf_pte_t old = kf_pt_read(slot);

	MM_ASSERT(kf_os_spin_held(&mm->pt_lock));
	if (old == new)
		return old;
	kf_pt_write(slot, new);
	if (kf_arch_pte_present(old))
		kf_arch_tlb_flush_page(&mm->arch, va);
	if (!old)
		__atomic_add_fetch(&mm->rss, 1, __ATOMIC_RELAXED);
	else if (!new)
		__atomic_sub_fetch(&mm->rss, 1, __ATOMIC_RELAXED);
	return old;
}

/* kf_mm_set_pte_locked - kf_mm_set_pte taking and dropping pt_lock. */
kf_pte_t kf_mm_set_pte_locked(struct kf_mm *mm, kf_pte_t *slot,
				  uintptr_t va, kf_pte_t new)
{
	unsigned long irq = kf_os_spin_lock(&mm->pt_lock);
	kf_pte_t old = kf_mm_set_pte(mm, slot, va, new);

	kf_os_spin_unlock(&mm->pt_lock, irq);
	return old;
}

/* kf_mm_pte_alloc - the leaf slot of @va, making tables with @site.  May sleep;
 * mm->lock held.  NULL when out of memory. */
kf_pte_t *kf_mm_pte_alloc(struct kf_mm *mm, uintptr_t va, const char *site)
{
	return kf_pt_walk(mm->root, va, kf_pt_alloc_page,
			  (void *)(uintptr_t)site);
}

/* kf_mm_pte_lookup - the leaf slot of @va if its tables exist, else NULL. */
kf_pte_t *kf_mm_pte_lookup(struct kf_mm *mm, uintptr_t va)
{
	return kf_pt_walk(mm->root, va, NULL, NULL);
}

/* kf_mm_pte_prot - the KF_PROT_* a PTE of @v gets (write/exec imply read). */
unsigned kf_mm_pte_prot(const struct kf_vma *v)
{
	unsigned p = v->prot & (KF_PROT_READ | KF_PROT_WRITE | KF_PROT_EXEC);

	if (p)
		p |= KF_PROT_READ;
	return p | KF_PROT_USER;
}

static int zap_one(kf_pte_t *slot, uintptr_t va, void *arg)
{
	kf_pte_t old = kf_mm_set_pte_locked(arg, slot, va, 0);

	kf_os_page_put(kf_arch_pte_pa(old));	/* flushed: safe to free */
	return 0;
}

/* kf_mm_zap_range - remove every PTE in [start, end), dropping the frames. */
void kf_mm_zap_range(struct kf_mm *mm, uintptr_t start, uintptr_t end)
{
	kf_pt_for_each(mm->root, start, end, zap_one, mm);
}

/*
 * kf_mm_free_tables - after [start, end) was unmapped, free the tables it
 * touches that lie wholly in [floor, ceiling), the gap around it up to the
 * neighbouring VMAs (Linux's free_pgtables).  Only the entries covering
 * [start, end) are visited: a table wholly in the gap but away from
 * [start, end) cannot exist, since it would lie inside an earlier unmapped
 * range, whose own call freed it.  The TLB (and any paging-structure
 * cache) is flushed between unlinking and freeing; a table spans at least
 * KF_PT_ENTRIES pages, so that is a whole-ASID flush.  mm->lock held.
 */
void kf_mm_free_tables(struct kf_mm *mm, uintptr_t start, uintptr_t end,
		    uintptr_t floor, uintptr_t ceiling)
{
	kf_paddr_t chain = kf_pt_prune_range(mm->root, start, end, floor,
					     ceiling);

	if (!chain)
		return;
	kf_arch_tlb_flush_mm(&mm->arch);
	kf_pt_free_chain(chain);
}

struct protect_arg {
	struct kf_mm *mm;
	const struct kf_vma *vma;
};

/*
 * The entry a present page of @v gets.  A private page that is not
 * writable now may be shared with another address space: it stays
 * read-only and the write fault decides between reuse and copy.
 */
static kf_pte_t protect_entry(const struct kf_vma *v, kf_pte_t old)
{
	unsigned p = kf_mm_pte_prot(v);

	if (!(v->flags & KF_VM_SHARED) &&
	    !(kf_arch_pte_prot(old) & KF_PROT_WRITE))
		p &= ~KF_PROT_WRITE;
	return kf_arch_pte_mk_page(kf_arch_pte_pa(old), p);
}

static int protect_one(kf_pte_t *slot, uintptr_t va, void *arg)
{
	struct protect_arg *pa = arg;
	kf_pte_t old = kf_pt_read(slot), new = protect_entry(pa->vma, old);

	if (new != old)		/* mm->lock keeps old current */
		kf_mm_set_pte_locked(pa->mm, slot, va, new);
	return 0;
}

/* kf_mm_protect_range - rewrite the present PTEs in [start, end) (inside @v)
 * for @v's new protection, flushing each one that changed. */
void kf_mm_protect_range(struct kf_mm *mm, const struct kf_vma *v,
		      uintptr_t start, uintptr_t end)
{
	struct protect_arg a = { mm, v };

	kf_pt_for_each(mm->root, start, end, protect_one, &a);
}
