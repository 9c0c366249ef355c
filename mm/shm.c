/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm/shm.c - the object behind a shared anonymous mapping.  Its frames are
 * found by page index, so every address space that inherited the mapping
 * maps the same frame even for pages first touched after the fork.
 *
 * The index is a private radix tree in the arch's own page-table format,
 * reusing the generic walk: page @i lives in the leaf slot of "address"
 * i << KF_PAGE_SHIFT.  So a huge, sparsely touched mapping costs tables
 * only where it was touched, and freeing it is kf_pt_free_tree.  These
 * tables are never loaded into an MMU.
 */
#include "mm_internal.h"

/* kf_shm_create - an empty object of @npages slots with one reference. */
struct kf_shm *kf_shm_create(size_t npages)
{
	struct kf_shm *shm = kf_os_alloc(sizeof(*shm), MM_SITE("mm.shm"));

	if (!shm)
		return NULL;
	shm->root = kf_os_page_alloc(MM_SITE("mm.shm.root"));
	if (!shm->root) {
		kf_os_free(shm, sizeof(*shm));
		return NULL;
	}
	shm->npages = npages;
	shm->refs = 1;
	kf_os_spin_init(&shm->lock);
	return shm;
}

void kf_shm_get(struct kf_shm *shm)
{
	int old = __atomic_fetch_add(&shm->refs, 1, __ATOMIC_RELAXED);

	if (old <= 0)
		kf_os_panic("kf_shm_get: count %d", old);
}

/* kf_shm_put - drop a VMA's reference; the last one frees the frames. */
void kf_shm_put(struct kf_shm *shm)
{
	int old = __atomic_fetch_sub(&shm->refs, 1, __ATOMIC_ACQ_REL);

	if (old <= 0)
		kf_os_panic("kf_shm_put: count %d", old);
	if (old > 1)
		return;
	kf_pt_free_tree(shm->root);	/* one reference per filled slot */
	kf_os_page_put(shm->root);
	kf_os_free(shm, sizeof(*shm));
}

/* Take a reference on the frame in @slot, if any.  Under shm->lock. */
static kf_paddr_t shm_slot_get(kf_pte_t *slot)
{
	kf_pte_t e = kf_pt_read(slot);

	if (!e)
		return 0;
	kf_os_page_get(kf_arch_pte_pa(e));
	return kf_arch_pte_pa(e);
}

/*
 * kf_shm_page - the frame at @index with a new reference for the caller's PTE,
 * allocating a zeroed one on first touch.  Tables and the frame are
 * allocated outside the lock (allocation may sleep); a racing filler wins
 * and our frame is dropped.  0 if out of memory (nothing filled).
 */
kf_paddr_t kf_shm_page(struct kf_shm *shm, size_t index)
{
	uintptr_t key = (uintptr_t)index << KF_PAGE_SHIFT;
	unsigned long irq;
	kf_paddr_t pa, fresh;
	kf_pte_t *slot;

	MM_ASSERT(index < shm->npages);
	slot = kf_pt_walk(shm->root, key, kf_pt_alloc_page,
			  (void *)(uintptr_t)MM_SITE("mm.shm.table"));
	if (!slot)
		return 0;
	irq = kf_os_spin_lock(&shm->lock);
	pa = shm_slot_get(slot);
	kf_os_spin_unlock(&shm->lock, irq);
	if (pa)
		return pa;

	fresh = kf_os_page_alloc(MM_SITE("mm.shm.page"));
	if (!fresh)
		return 0;
	irq = kf_os_spin_lock(&shm->lock);
	pa = shm_slot_get(slot);
	if (!pa) {
		/* the object's reference, then the PTE's */
		kf_pt_write(slot, kf_arch_pte_mk_page(fresh, KF_PROT_READ));
		pa = shm_slot_get(slot);
		fresh = 0;
	}
	kf_os_spin_unlock(&shm->lock, irq);
	if (fresh)
		kf_os_page_put(fresh);
	return pa;
}
