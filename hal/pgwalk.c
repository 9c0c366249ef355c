/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hal/pgwalk.c - the generic radix page-table walk shared by every arch.
 * See <kf/hal/pgwalk.h> for the ownership and refcount rules.
 */
#include <kf/kf_config.h>
#include <kf/kf_os.h>
#include <kf/uapi.h>
#include <kf/hal/pte.h>
#include <kf/hal/pgwalk.h>

#define ROOT_LEVEL (KF_PT_LEVELS - 1)

kf_paddr_t kf_pt_alloc_page(void *site)
{
	return kf_os_page_alloc((const char *)site);
}

/* The table an entry at @level > 0 points at; panics on a huge leaf. */
static kf_pte_t *pt_child(kf_pte_t e, int level)
{
	if (!kf_arch_pte_is_table(e, level))
		kf_os_panic("kf_pt: non-table entry %lx at level %d",
			    (unsigned long)e, level);
	return kf_pt_table(kf_arch_pte_pa(e));
}

int kf_pt_lookup(kf_paddr_t root, uintptr_t va, kf_pte_t *out)
{
	kf_pte_t *table = kf_pt_table(root);
	kf_pte_t e;
	int level;

	if (va >= KF_USER_VA_END)
		return -KF_EFAULT;
	for (level = ROOT_LEVEL; level > 0; level--) {
		e = kf_pt_read(&table[kf_pt_index(va, level)]);
		if (!kf_arch_pte_is_table(e, level))
			return -KF_EFAULT;
		table = kf_pt_table(kf_arch_pte_pa(e));
	}
	e = kf_pt_read(&table[kf_pt_index(va, 0)]);
	if (!kf_arch_pte_present(e))
		return -KF_EFAULT;
	*out = e;
	return 0;
}

/*
 * pt_link - fill the empty @slot with a new table from @alloc.  Returns the
 * entry now in the slot (ours or a racing walker's), or 0 on failure.
 */
static kf_pte_t pt_link(kf_pte_t *slot, kf_pt_alloc_fn alloc, void *arg)
{
	kf_pte_t expected = 0, e;
	kf_paddr_t table = alloc(arg);

	if (!table)
		return 0;
	e = kf_arch_pte_mk_table(table);
	if (__atomic_compare_exchange_n(slot, &expected, e, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return e;
	kf_os_page_put(table);	/* lost the race: use the winner's table */
	return expected;
}

kf_pte_t *kf_pt_walk(kf_paddr_t root, uintptr_t va, kf_pt_alloc_fn alloc,
		     void *arg)
{
	kf_pte_t *table = kf_pt_table(root);
	kf_pte_t *slot, e;
	int level;

	if (va >= KF_USER_VA_END)
		return NULL;
	for (level = ROOT_LEVEL; level > 0; level--) {
		slot = &table[kf_pt_index(va, level)];
		e = kf_pt_read(slot);
		if (!e) {
			if (!alloc)
				return NULL;
			e = pt_link(slot, alloc, arg);
			if (!e)
				return NULL;
		}
		table = pt_child(e, level);
	}
	return &table[kf_pt_index(va, 0)];
}

/*
 * The walks below visit, in a table at @level, only the entries [@start,
 * @end) touches: the caller has clipped the range to the table's span, so
 * the first and last index come straight from the two addresses and no
 * entry outside the range is read.
 */
static unsigned pt_last(uintptr_t end, int level)
{
	return kf_pt_index(end - 1, level);
}

static inline uintptr_t pt_min(uintptr_t a, uintptr_t b)
{
	return a < b ? a : b;
}

static inline uintptr_t pt_max(uintptr_t a, uintptr_t b)
{
	return a > b ? a : b;
}

/* [start, end) is non-empty and inside the span of @table (at @level). */
static int pt_for_each_level(kf_pte_t *table, int level, uintptr_t start,
			     uintptr_t end, kf_pt_leaf_fn fn, void *arg)
{
	uintptr_t span = kf_pt_span(level);
	uintptr_t lo = start & ~(span - 1);	/* base of entry i */
	unsigned i, last = pt_last(end, level);
	int rc;

	for (i = kf_pt_index(start, level); i <= last; i++, lo += span) {
		kf_pte_t e = kf_pt_read(&table[i]);

		if (!e)
			continue;
		if (level == 0)
			rc = fn(&table[i], lo, arg);
		else
			rc = pt_for_each_level(pt_child(e, level), level - 1,
					       pt_max(lo, start),
					       pt_min(lo + span, end), fn, arg);
		if (rc)
			return rc;
	}
	return 0;
}

int kf_pt_for_each(kf_paddr_t root, uintptr_t start, uintptr_t end,
		   kf_pt_leaf_fn fn, void *arg)
{
	if (end > KF_USER_VA_END)
		end = KF_USER_VA_END;
	if (start >= end)
		return 0;
	return pt_for_each_level(kf_pt_table(root), ROOT_LEVEL, start, end,
				 fn, arg);
}

static int pt_count_one(kf_pte_t *slot, uintptr_t va, void *arg)
{
	(void)slot;
	(void)va;
	(*(unsigned long *)arg)++;
	return 0;
}

unsigned long kf_pt_count_leaves(kf_paddr_t root, uintptr_t start,
				 uintptr_t end)
{
	unsigned long n = 0;

	kf_pt_for_each(root, start, end, pt_count_one, &n);
	return n;
}

/*
 * pt_table_empty - are all entries of @table 0?  Only asked of a table no
 * VMA covers, which nobody writes (the caller serialises writers; walkers
 * only read), so plain reads do, and the compiler may unroll or vectorise
 * the loop: about one instruction per entry instead of an atomic load and
 * a branch each.
 */
static bool pt_table_empty(const kf_pte_t *table)
{
	kf_pte_t any = 0;
	unsigned i;

	for (i = 0; i < KF_PT_ENTRIES; i++)
		any |= table[i];
	return !any;
}

struct pt_prune {
	uintptr_t floor, ceiling;	/* tables wholly inside may go */
	struct kf_pt_freed *out;	/* the unlinked ones and their span */
};

/*
 * pt_unlink - take the table in @slot (at @level, spanning from @lo) out of
 * the tree and push it on the chain.  The chain is threaded through each
 * unlinked (empty) table's entry 0, which holds the next frame's address:
 * a page-aligned address is never a valid entry on any arch, so a racing
 * walker sees "not present".
 */
static void pt_unlink(kf_pte_t *slot, kf_pte_t e, int level, uintptr_t lo,
		      struct pt_prune *p)
{
	kf_paddr_t child = kf_arch_pte_pa(e);

	if (!pt_table_empty(pt_child(e, level)) ||
	    kf_os_page_count(child) != 1)
		kf_os_panic("kf_pt_prune: table %lx at %lx in use",
			    (unsigned long)child, (unsigned long)lo);
	kf_pt_write(slot, 0);
	kf_pt_write(&kf_pt_table(child)[0], (kf_pte_t)p->out->chain);
	p->out->chain = child;
	if (p->out->lo == p->out->hi || lo < p->out->lo)
		p->out->lo = lo;
	if (lo + kf_pt_span(level) > p->out->hi)
		p->out->hi = lo + kf_pt_span(level);
}

/*
 * pt_prune_level - below @table (at @level >= 1), for the entries
 * [start, end) touches: prune their subtrees first, then unlink each table
 * whose whole span lies inside [floor, ceiling).
 */
static void pt_prune_level(kf_pte_t *table, int level, uintptr_t start,
			   uintptr_t end, struct pt_prune *p)
{
	uintptr_t span = kf_pt_span(level);
	uintptr_t lo = start & ~(span - 1);	/* base of entry i */
	unsigned i, last = pt_last(end, level);

	for (i = kf_pt_index(start, level); i <= last; i++, lo += span) {
		kf_pte_t e = kf_pt_read(&table[i]);

		if (!e)
			continue;
		if (level > 1)
			pt_prune_level(pt_child(e, level), level - 1,
				       pt_max(lo, start), pt_min(lo + span, end),
				       p);
		if (lo < p->floor || lo + span > p->ceiling)
			continue;	/* partly outside: may still be used */
		pt_unlink(&table[i], e, level, lo, p);
	}
}

void kf_pt_prune_range(kf_paddr_t root, uintptr_t start, uintptr_t end,
		       uintptr_t floor, uintptr_t ceiling,
		       struct kf_pt_freed *out)
{
	struct pt_prune p = { floor, ceiling, out };

	if (end > KF_USER_VA_END)
		end = KF_USER_VA_END;
	if (start < floor)
		start = floor;
	if (end > ceiling)
		end = ceiling;
	if (start < end)
		pt_prune_level(kf_pt_table(root), ROOT_LEVEL, start, end, &p);
}

void kf_pt_free_chain(kf_paddr_t chain)
{
	while (chain) {
		kf_pte_t *t = kf_pt_table(chain);
		kf_paddr_t next = (kf_paddr_t)kf_pt_read(&t[0]);

		kf_pt_write(&t[0], 0);
		kf_os_page_put(chain);
		chain = next;
	}
}

/* Drop what entries [0, @n) of @table (at @level) map and clear them. */
static void pt_free_level(kf_pte_t *table, int level, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		kf_pte_t e = kf_pt_read(&table[i]);
		kf_paddr_t pa;

		if (!e)
			continue;
		pa = kf_arch_pte_pa(e);
		kf_pt_write(&table[i], 0);
		if (level > 0 && kf_os_page_count(pa) == 1)
			pt_free_level(pt_child(e, level), level - 1, KF_PT_ENTRIES);
		kf_os_page_put(pa);	/* a frame, or a table (rule 3) */
	}
}

static unsigned pt_user_slots(void)
{
	return kf_pt_index(KF_USER_VA_END - 1, ROOT_LEVEL) + 1;
}

/*
 * Detaching packs the user slots' tables at the front of the root as bare
 * frame addresses: page-aligned, so not present on any arch (every table
 * entry has a low bit set), and no walker goes below them.  Packing lets
 * kf_pt_free_detached stop at the first empty slot, so an exit reads the
 * root's user slots once, as before there was a detach step.
 */
void kf_pt_detach_user(kf_paddr_t root)
{
	kf_pte_t *table = kf_pt_table(root);
	unsigned i, j = 0, n = pt_user_slots();

	for (i = 0; i < n; i++) {
		kf_pte_t e = kf_pt_read(&table[i]);

		if (!e)
			continue;
		kf_pt_write(&table[j++], (kf_pte_t)kf_arch_pte_pa(e));
		if (i >= j)
			kf_pt_write(&table[i], 0);
	}
}

void kf_pt_free_detached(kf_paddr_t root)
{
	kf_pte_t *table = kf_pt_table(root);
	unsigned i, n = pt_user_slots();

	for (i = 0; i < n; i++) {
		kf_pte_t e = kf_pt_read(&table[i]);

		if (!e)
			break;
		kf_pt_write(&table[i], 0);
		pt_free_level(kf_pt_table((kf_paddr_t)e), ROOT_LEVEL - 1,
			      KF_PT_ENTRIES);
		kf_os_page_put((kf_paddr_t)e);
	}
}

void kf_pt_free_tree(kf_paddr_t root)
{
	pt_free_level(kf_pt_table(root), ROOT_LEVEL, pt_user_slots());
}
