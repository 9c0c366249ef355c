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

/* Clip [start, end) to the span of entry @i of a table at @level based at @base. */
struct pt_span { uintptr_t lo, hi; };

static struct pt_span pt_entry_span(uintptr_t base, unsigned i, int level,
				    uintptr_t start, uintptr_t end)
{
	uintptr_t lo = base + (uintptr_t)i * kf_pt_span(level);
	uintptr_t hi = lo + kf_pt_span(level);
	struct pt_span s = { lo < start ? start : lo, hi > end ? end : hi };

	return s;
}

/* First index of a table at @level based at @base that [start, ...) touches. */
static unsigned pt_first(uintptr_t base, uintptr_t start, int level)
{
	return start <= base ? 0 : kf_pt_index(start, level);
}

static int pt_for_each_level(kf_pte_t *table, int level, uintptr_t base,
			     uintptr_t start, uintptr_t end,
			     kf_pt_leaf_fn fn, void *arg)
{
	unsigned i;
	int rc;

	for (i = pt_first(base, start, level); i < KF_PT_ENTRIES; i++) {
		struct pt_span s = pt_entry_span(base, i, level, start, end);
		kf_pte_t e;

		if (s.lo >= end)
			break;
		e = kf_pt_read(&table[i]);
		if (!e)
			continue;
		if (level == 0)
			rc = fn(&table[i], s.lo, arg);
		else
			rc = pt_for_each_level(pt_child(e, level), level - 1,
					       base + (uintptr_t)i * kf_pt_span(level),
					       s.lo, s.hi, fn, arg);
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
	return pt_for_each_level(kf_pt_table(root), ROOT_LEVEL, 0, start, end,
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

static bool pt_table_empty(const kf_pte_t *table)
{
	unsigned i;

	for (i = 0; i < KF_PT_ENTRIES; i++)
		if (kf_pt_read(&table[i]))
			return false;
	return true;
}

/*
 * pt_prune_level - below @table (at @level >= 1, based at @base), unlink
 * the tables wholly inside [start, end), pushing them on *@chain.  The
 * chain is threaded through each unlinked (empty) table's entry 0, which
 * holds the next frame's address: a page-aligned address is never a valid
 * entry on any arch, so a racing walker sees "not present".
 */
static void pt_prune_level(kf_pte_t *table, int level, uintptr_t base,
			   uintptr_t start, uintptr_t end, kf_paddr_t *chain)
{
	unsigned i;

	for (i = pt_first(base, start, level); i < KF_PT_ENTRIES; i++) {
		uintptr_t lo = base + (uintptr_t)i * kf_pt_span(level);
		struct pt_span s = pt_entry_span(base, i, level, start, end);
		kf_pte_t e = kf_pt_read(&table[i]);
		kf_paddr_t child;

		if (s.lo >= end)
			break;
		if (!e)
			continue;
		child = kf_arch_pte_pa(e);
		if (level > 1)
			pt_prune_level(pt_child(e, level), level - 1, lo,
				       s.lo, s.hi, chain);
		if (s.lo != lo || s.hi != lo + kf_pt_span(level))
			continue;	/* partly outside: may still be used */
		if (!pt_table_empty(pt_child(e, level)) ||
		    kf_os_page_count(child) != 1)
			kf_os_panic("kf_pt_prune: table %lx at %lx in use",
				    (unsigned long)child, (unsigned long)lo);
		kf_pt_write(&table[i], 0);
		kf_pt_write(&kf_pt_table(child)[0], (kf_pte_t)*chain);
		*chain = child;
	}
}

kf_paddr_t kf_pt_prune(kf_paddr_t root, uintptr_t start, uintptr_t end)
{
	kf_paddr_t chain = 0;

	if (end > KF_USER_VA_END)
		end = KF_USER_VA_END;
	if (start < end)
		pt_prune_level(kf_pt_table(root), ROOT_LEVEL, 0, start, end,
			       &chain);
	return chain;
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

/*
 * Only the root slots that cover user space are freed: on x86_64 and
 * riscv64 the upper slots of every root point at the kernel's own tables,
 * shared by all address spaces, and a CPU still running on this root (an
 * exiting task) walks through them on its next kernel TLB miss.
 */
void kf_pt_free_tree(kf_paddr_t root)
{
	unsigned user_slots = kf_pt_index(KF_USER_VA_END - 1, ROOT_LEVEL) + 1;

	pt_free_level(kf_pt_table(root), ROOT_LEVEL, user_slots);
}
