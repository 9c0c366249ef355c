/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm/fork.c - kf_mm_dup, fork's copy of an address space (dup_mmap).
 *
 * One pass over the parent's VMA array and, per VMA, one walk over its
 * present leaves: O(VMAs + present pages).  The parent's mm->lock is held
 * throughout (it stops faults, maps and unmaps in the parent); the child
 * is private until returned.  The parent's write-protected entries are
 * gathered and flushed once, for the whole address space, before the lock
 * is dropped -- and so before the child can run or the parent's threads
 * can fault on them.
 */
#include "mm_internal.h"

struct dup_ctx {
	struct kf_mm *parent, *child;
	struct kf_mm_gather pg;		/* the parent's write-protects */
	const struct kf_vma *vma;	/* the child's copy */
	bool eager;			/* copy private pages now */
	kf_pte_t *leaf;			/* child's leaf table for leaf_base */
	uintptr_t leaf_base;
};

/*
 * dup_vmas - the child's VMA array: every parent VMA but MADV_DONTFORK
 * ones, each taking a reference on its shared object.  -KF_ENOMEM leaves
 * the child without VMAs.
 */
static int dup_vmas(struct kf_mm *child, struct kf_mm *parent)
{
	unsigned i, n = 0;

	for (i = 0; i < parent->nr_vmas; i++)
		n += !(parent->vmas[i].flags & KF_VM_DONTCOPY);
	if (!n)
		return 0;
	child->vmas = kf_os_alloc(n * sizeof(struct kf_vma),
				  MM_SITE("mm.dup.vmas"));
	if (!child->vmas)
		return -KF_ENOMEM;
	child->cap_vmas = n;
	for (i = 0; i < parent->nr_vmas; i++) {
		const struct kf_vma *v = &parent->vmas[i];

		if (v->flags & KF_VM_DONTCOPY)
			continue;
		if (v->shm)
			kf_shm_get(v->shm);
		child->vmas[child->nr_vmas++] = *v;
		kf_mm_vm_account(child, v->prot, v->flags,
				 (long)((v->end - v->start) >> KF_PAGE_SHIFT));
	}
	return 0;
}

/* The child's leaf slot for @va, reusing the last leaf table while @va
 * stays in its span (most leaves share one table with their neighbour). */
static kf_pte_t *dup_child_slot(struct dup_ctx *c, uintptr_t va)
{
	uintptr_t base = va & ~(kf_pt_span(1) - 1);
	kf_pte_t *slot;

	if (!c->leaf || base != c->leaf_base) {
		slot = kf_mm_pte_alloc(c->child, va, MM_SITE("mm.dup.pt"));
		if (!slot)
			return NULL;
		c->leaf = slot - kf_pt_index(va, 0);
		c->leaf_base = base;
	}
	return &c->leaf[kf_pt_index(va, 0)];
}

/* Eager copy: the child's own frame with the parent page's bytes (an
 * executable one gets the I-cache hook before the child can run it). */
static kf_pte_t dup_copy_page(struct dup_ctx *c, uintptr_t va, kf_pte_t pe)
{
	kf_paddr_t copy = kf_os_page_alloc(MM_SITE("mm.dup.page"));
	unsigned prot = kf_mm_pte_prot(c->vma);

	if (!copy)
		return 0;
	__builtin_memcpy(kf_os_phys_to_virt(copy),
			 kf_os_phys_to_virt(kf_arch_pte_pa(pe)), KF_PAGE_SIZE);
	if (prot & KF_PROT_EXEC)
		kf_arch_icache_sync(&c->child->arch, va, copy);
	return kf_arch_pte_mk_page(copy, prot);
}

/*
 * Copy-on-write: write-protect the parent's PTE (gathered: the one flush
 * at the end of the fork reaches every parent CPU before the lock is
 * dropped, so no parent thread can still write through a stale entry once
 * the child runs), then share the frame.
 */
static kf_pte_t dup_share_cow(struct dup_ctx *c, kf_pte_t *slot, uintptr_t va,
			      kf_pte_t pe)
{
	kf_pte_t ro = kf_arch_pte_wrprotect(pe);

	if (ro != pe)
		kf_mm_pte_set(c->parent, &c->pg, slot, va, ro);
	kf_os_page_get(kf_arch_pte_pa(pe));
	return ro;
}

/*
 * dup_one - copy one present parent leaf into the child.  Shared VMAs map
 * the same frame with the same entry; private ones share it read-only
 * (COW) or get a copy (eager).  On failure the parent's page may stay
 * write-protected; the child got nothing for this page.
 */
static int dup_one(kf_pte_t *slot, uintptr_t va, void *arg)
{
	struct dup_ctx *c = arg;
	kf_pte_t pe = kf_pt_read(slot), ce;
	kf_pte_t *cslot = dup_child_slot(c, va);

	if (!cslot)
		return -KF_ENOMEM;
	if (c->vma->flags & KF_VM_SHARED) {
		kf_os_page_get(kf_arch_pte_pa(pe));
		ce = pe;
	} else if (c->eager) {
		ce = dup_copy_page(c, va, pe);
		if (!ce)
			return -KF_ENOMEM;
	} else {
		ce = dup_share_cow(c, slot, va, pe);
	}
	kf_mm_pte_set(c->child, NULL, cslot, va, ce);
	return 0;
}

/* dup_vma_pages - the page tables of one child VMA; WIPEONFORK stays empty. */
static int dup_vma_pages(struct dup_ctx *c, const struct kf_vma *v)
{
	if (v->flags & KF_VM_WIPEONFORK)
		return 0;
	c->vma = v;
	return kf_pt_for_each(c->parent->root, v->start, v->end, dup_one, c);
}

int kf_mm_dup_flags(struct kf_mm *old, unsigned flags, struct kf_mm **out)
{
	struct dup_ctx c = { .parent = old };
	unsigned i;
	int rc;

	c.eager = !CONFIG_KF_COW || (flags & KF_MM_DUP_EAGER);
	c.child = kf_mm_alloc();
	if (!c.child)
		return -KF_ENOMEM;
	kf_os_mutex_lock(&old->lock);
	kf_mm_gather_init(&c.pg, old, true);
	rc = dup_vmas(c.child, old);
	for (i = 0; !rc && i < c.child->nr_vmas; i++)
		rc = dup_vma_pages(&c, &c.child->vmas[i]);
	if (!rc) {
		c.child->start_brk = old->start_brk;
		c.child->brk = old->brk;
		c.child->mmap_base = old->mmap_base;
		c.child->layout = old->layout;
	}
	kf_mm_gather_finish(&c.pg);
	kf_os_mutex_unlock(&old->lock);
	if (rc) {
		kf_mm_put(c.child);	/* frees its VMAs, tables and frame refs */
		return rc;
	}
	*out = c.child;
	return 0;
}

int kf_mm_dup(struct kf_mm *old, struct kf_mm **out)
{
	return kf_mm_dup_flags(old, 0, out);
}
