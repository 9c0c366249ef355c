/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm/pgtable.c - the page tables of one address space, on the generic walk
 * (hal/pgwalk.c), and the TLB work their changes need.
 *
 * kf_mm_pte_set is the only place a leaf entry of an address space
 * changes.  It keeps the rules of <kf/hal/tlb.h>: a valid entry is never
 * replaced by a valid one with another frame (break, flush, make); a
 * change that narrows a translation is flushed before the operation ends,
 * through the operation's gather, or at once when there is none; a change
 * that only widens is not flushed (a stale narrow entry only costs a
 * spurious fault, which the fault path flushes).
 */
#include "mm_internal.h"

/* ---- the gather ------------------------------------------------------------ */

void kf_mm_gather_init(struct kf_mm_gather *g, struct kf_mm *mm, bool whole)
{
	g->mm = mm;
	g->whole = whole;
	g->start = g->end = 0;
	g->tables = false;
	g->chain = 0;
	g->nr = 0;
}

/* gather_range - pages [start, end) need flushing (or their tables). */
static void gather_range(struct kf_mm_gather *g, uintptr_t start,
			 uintptr_t end)
{
	if (g->start == g->end) {
		g->start = start;
		g->end = end;
		return;
	}
	if (start < g->start)
		g->start = start;
	if (end > g->end)
		g->end = end;
}

/* gather_flush - one flush for everything gathered, then the frees it
 * made safe.  The gather is empty again afterwards. */
static void gather_flush(struct kf_mm_gather *g)
{
	struct kf_arch_mm *amm = &g->mm->arch;

	if (g->start != g->end) {
		if (g->whole)
			kf_arch_tlb_flush_mm(amm);
		else
			kf_arch_tlb_flush_range(amm, g->start, g->end,
						g->tables ? KF_TLB_TABLES : 0);
	}
	while (g->nr)
		kf_os_page_put(g->pages[--g->nr]);
	kf_pt_free_chain(g->chain);
	g->chain = 0;
	g->start = g->end = 0;
	g->tables = false;
}

/* kf_mm_gather_page - drop a reference on @pa once the gathered flush has
 * made the entries that mapped it unreachable (flushing early when the
 * batch is full). */
void kf_mm_gather_page(struct kf_mm_gather *g, kf_paddr_t pa)
{
	if (g->nr == KF_MM_GATHER_PAGES)
		gather_flush(g);
	g->pages[g->nr++] = pa;
}

void kf_mm_gather_finish(struct kf_mm_gather *g)
{
	gather_flush(g);
}

/* ---- leaf entries ------------------------------------------------------------ */

/* Does @new take away anything @old let the hardware do? */
static bool pte_narrows(kf_pte_t old, kf_pte_t new)
{
	if (!kf_arch_pte_present(old))
		return false;
	if (!kf_arch_pte_present(new))
		return true;
	return (kf_arch_pte_prot(old) & ~kf_arch_pte_prot(new)) != 0;
}

/* rss_add - one more page mapped; the peak follows (getrusage's maxrss). */
static void rss_add(struct kf_mm *mm)
{
	unsigned long n = __atomic_add_fetch(&mm->rss, 1, __ATOMIC_RELAXED);

	if (n > __atomic_load_n(&mm->hiwater_rss, __ATOMIC_RELAXED))
		__atomic_store_n(&mm->hiwater_rss, n, __ATOMIC_RELAXED);
}

/*
 * kf_mm_pte_set - replace the leaf at @slot (mapping @va of @mm) with @new
 * and account RSS.  Replacing a valid entry by a valid one with another
 * frame breaks first: the entry is cleared and flushed on every CPU before
 * the new one is stored.  A narrowing change is added to @g, or flushed at
 * once when @g is NULL.  Returns the old entry; its frame may be dropped
 * only after the flush (kf_mm_gather_page, or at once without @g).
 * (M) held.
 */
kf_pte_t kf_mm_pte_set(struct kf_mm *mm, struct kf_mm_gather *g,
		       kf_pte_t *slot, uintptr_t va, kf_pte_t new)
{
	kf_pte_t old = kf_pt_read(slot);

	if (old == new)
		return old;
	if (kf_arch_pte_present(old) && kf_arch_pte_present(new) &&
	    kf_arch_pte_pa(old) != kf_arch_pte_pa(new)) {
		kf_arch_pte_set(&mm->arch, slot, va, 0);
		kf_arch_tlb_flush_page(&mm->arch, va);
	} else if (pte_narrows(old, new) && !g) {
		kf_arch_pte_set(&mm->arch, slot, va, new);
		kf_arch_tlb_flush_page(&mm->arch, va);
		goto account;
	} else if (pte_narrows(old, new)) {
		gather_range(g, va, va + KF_PAGE_SIZE);
	}
	kf_arch_pte_set(&mm->arch, slot, va, new);
account:
	if (!old)
		rss_add(mm);
	else if (!new)
		__atomic_sub_fetch(&mm->rss, 1, __ATOMIC_RELAXED);
	return old;
}

/*
 * kf_mm_pte_install - map frame @pa (whose reference the PTE takes over)
 * at @va with KF_PROT_* @prot, replacing what @slot held (a replaced
 * frame's reference is dropped after the flush).  @written: the kernel
 * filled the frame (zeroed or copied it), so an executable mapping first
 * needs the I-cache hook.  (M) held.
 */
void kf_mm_pte_install(struct kf_mm *mm, kf_pte_t *slot, uintptr_t va,
		       kf_paddr_t pa, unsigned prot, bool written)
{
	kf_pte_t old;

	if (written && (prot & KF_PROT_EXEC))
		kf_arch_icache_sync(&mm->arch, va, pa);
	old = kf_mm_pte_set(mm, NULL, slot, va, kf_arch_pte_mk_page(pa, prot));
	if (old && kf_arch_pte_pa(old) != pa)
		kf_os_page_put(kf_arch_pte_pa(old));	/* flushed: safe */
}

/* kf_mm_pte_alloc - the leaf slot of @va, making tables with @site.  May
 * sleep; (M) held.  NULL when out of memory. */
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

/* ---- ranges ------------------------------------------------------------------- */

static int zap_one(kf_pte_t *slot, uintptr_t va, void *arg)
{
	struct kf_mm_gather *g = arg;
	kf_pte_t old = kf_mm_pte_set(g->mm, g, slot, va, 0);

	kf_mm_gather_page(g, kf_arch_pte_pa(old));
	return 0;
}

/* kf_mm_zap_range - remove every PTE in [start, end); the frames go once
 * @g's flush has made them unreachable. */
void kf_mm_zap_range(struct kf_mm_gather *g, uintptr_t start, uintptr_t end)
{
	kf_pt_for_each(g->mm->root, start, end, zap_one, g);
}

/*
 * kf_mm_free_tables - after [start, end) was unmapped, unlink the tables it
 * touches that lie wholly in [floor, ceiling), the gap around it up to the
 * neighbouring VMAs (Linux's free_pgtables).  Only the entries covering
 * [start, end) are visited: a table wholly in the gap but away from
 * [start, end) cannot exist, since it would lie inside an earlier unmapped
 * range, whose own call freed it.  The tables are freed by @g after its
 * flush, which then also drops cached non-leaf entries (KF_TLB_TABLES)
 * over their span.  (M) held.
 */
void kf_mm_free_tables(struct kf_mm_gather *g, uintptr_t start, uintptr_t end,
		       uintptr_t floor, uintptr_t ceiling)
{
	struct kf_pt_freed f = { g->chain, 0, 0 };

	kf_pt_prune_range(g->mm->root, start, end, floor, ceiling, &f);
	g->chain = f.chain;
	if (f.lo == f.hi)
		return;
	g->tables = true;
	gather_range(g, f.lo, f.hi);
}

struct protect_arg {
	struct kf_mm_gather *g;
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

/* A page becoming executable may hold what the kernel wrote through the
 * data side (loaded, copied, zeroed): the I-cache hook comes first. */
static int protect_one(kf_pte_t *slot, uintptr_t va, void *arg)
{
	struct protect_arg *pa = arg;
	kf_pte_t old = kf_pt_read(slot), new = protect_entry(pa->vma, old);

	if (new == old)
		return 0;
	if ((kf_arch_pte_prot(new) & KF_PROT_EXEC) &&
	    !(kf_arch_pte_prot(old) & KF_PROT_EXEC))
		kf_arch_icache_sync(&pa->g->mm->arch, va, kf_arch_pte_pa(old));
	kf_mm_pte_set(pa->g->mm, pa->g, slot, va, new);
	return 0;
}

/* kf_mm_protect_range - rewrite the present PTEs in [start, end) (inside
 * @v) for @v's new protection; narrowed ones are flushed by @g. */
void kf_mm_protect_range(struct kf_mm_gather *g, const struct kf_vma *v,
			 uintptr_t start, uintptr_t end)
{
	struct protect_arg a = { g, v };

	kf_pt_for_each(g->mm->root, start, end, protect_one, &a);
}
