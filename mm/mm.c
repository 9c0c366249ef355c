/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm/mm.c - address-space lifetime and inspection.
 */
#include "mm_internal.h"

/*
 * kf_mm_alloc - a new empty address space: the struct, a zeroed root table
 * bound to a fresh arch context, one user and one count.  NULL when out of
 * memory (nothing is left allocated).
 */
struct kf_mm *kf_mm_alloc(void)
{
	struct kf_mm *mm = kf_os_alloc(sizeof(*mm), MM_SITE("mm.struct"));

	if (!mm)
		return NULL;
	mm->root = kf_os_page_alloc(MM_SITE("mm.pgd"));
	if (!mm->root) {
		kf_os_free(mm, sizeof(*mm));
		return NULL;
	}
	mm->users = 1;
	mm->count = 1;
	kf_os_mutex_init(&mm->lock);
	mm->mmap_base = MM_TASK_SIZE - MM_STACK_GAP;
	kf_arch_pgd_init(mm->root);
	kf_arch_mm_init(&mm->arch, mm->root);
	return mm;
}

struct kf_mm *kf_mm_create(void)
{
	return kf_mm_alloc();
}

static void mm_count_panic(const char *what, int old)
{
	kf_os_panic("%s: count %d", what, old);
}

void kf_mm_get(struct kf_mm *mm)
{
	int old = __atomic_fetch_add(&mm->users, 1, __ATOMIC_RELAXED);

	if (old <= 0)
		mm_count_panic("kf_mm_get", old);
}

void kf_mm_grab(struct kf_mm *mm)
{
	int old = __atomic_fetch_add(&mm->count, 1, __ATOMIC_RELAXED);

	if (old <= 0)
		mm_count_panic("kf_mm_grab", old);
}

/* kf_mm_drop - the last count frees the arch context, root and struct. */
void kf_mm_drop(struct kf_mm *mm)
{
	int old = __atomic_fetch_sub(&mm->count, 1, __ATOMIC_ACQ_REL);

	if (old <= 0)
		mm_count_panic("kf_mm_drop", old);
	if (old > 1)
		return;
	kf_arch_mm_fini(&mm->arch);
	kf_os_page_put(mm->root);
	kf_os_free(mm, sizeof(*mm));
}

/*
 * mm_exit_mmap - the last user left: drop every VMA, page and table below
 * the root.  A CPU may still run on the root (the exiting task, until its
 * host switches away), so the tree is first detached from the root, then
 * flushed whole, and only then freed: no walk can reach a freed table.
 */
static void mm_exit_mmap(struct kf_mm *mm)
{
	unsigned i;

	kf_os_mutex_lock(&mm->lock);
	for (i = 0; i < mm->nr_vmas; i++)
		kf_vma_put_backing(&mm->vmas[i]);
	kf_os_free(mm->vmas, mm->cap_vmas * sizeof(struct kf_vma));
	mm->vmas = NULL;
	mm->nr_vmas = mm->cap_vmas = 0;
	kf_pt_detach_user(mm->root);
	kf_arch_tlb_flush_mm(&mm->arch);
	kf_pt_free_detached(mm->root);
	__atomic_store_n(&mm->rss, 0, __ATOMIC_RELAXED);
	mm->total_vm = mm->data_vm = mm->stack_vm = mm->exec_vm = 0;
	kf_os_mutex_unlock(&mm->lock);
}

void kf_mm_put(struct kf_mm *mm)
{
	int old = __atomic_fetch_sub(&mm->users, 1, __ATOMIC_ACQ_REL);

	if (old <= 0)
		mm_count_panic("kf_mm_put", old);
	if (old > 1)
		return;
	mm_exit_mmap(mm);
	kf_mm_drop(mm);
}

int kf_mm_users(const struct kf_mm *mm)
{
	return __atomic_load_n(&mm->users, __ATOMIC_RELAXED);
}

struct kf_arch_mm *kf_mm_arch(struct kf_mm *mm)
{
	return &mm->arch;
}

void kf_mm_activate(struct kf_mm *mm)
{
	kf_arch_mm_activate(mm ? &mm->arch : NULL);
}

void kf_mm_deactivate(struct kf_mm *mm)
{
	if (mm)
		kf_arch_mm_deactivate(&mm->arch);
}

unsigned kf_mm_nr_vmas(struct kf_mm *mm)
{
	unsigned n;

	kf_os_mutex_lock(&mm->lock);
	n = mm->nr_vmas;
	kf_os_mutex_unlock(&mm->lock);
	return n;
}

unsigned long kf_mm_rss(struct kf_mm *mm)
{
	return __atomic_load_n(&mm->rss, __ATOMIC_RELAXED);
}

unsigned long kf_mm_hiwater_rss(struct kf_mm *mm)
{
	return __atomic_load_n(&mm->hiwater_rss, __ATOMIC_RELAXED);
}

void kf_mm_stats(struct kf_mm *mm, struct kf_mm_stats *out)
{
	kf_os_mutex_lock(&mm->lock);
	out->total_vm = mm->total_vm;
	out->data_vm = mm->data_vm;
	out->stack_vm = mm->stack_vm;
	out->exec_vm = mm->exec_vm;
	out->rss = kf_mm_rss(mm);
	out->hiwater_rss = kf_mm_hiwater_rss(mm);
	out->start_brk = mm->start_brk;
	out->brk = mm->brk;
	out->layout = mm->layout;
	kf_os_mutex_unlock(&mm->lock);
}

void kf_mm_set_layout(struct kf_mm *mm, const struct kf_mm_layout *l)
{
	kf_os_mutex_lock(&mm->lock);
	mm->layout = *l;
	kf_os_mutex_unlock(&mm->lock);
}

int kf_mm_vma_info(struct kf_mm *mm, unsigned i, struct kf_mm_vma_info *out)
{
	int rc = -KF_ENOENT;

	kf_os_mutex_lock(&mm->lock);
	if (i < mm->nr_vmas) {
		const struct kf_vma *v = &mm->vmas[i];

		out->start = v->start;
		out->end = v->end;
		out->prot = v->prot;
		out->shared = (v->flags & KF_VM_SHARED) != 0;
		out->dontfork = (v->flags & KF_VM_DONTCOPY) != 0;
		out->wipeonfork = (v->flags & KF_VM_WIPEONFORK) != 0;
		out->growsdown = (v->flags & KF_VM_GROWSDOWN) != 0;
		rc = 0;
	}
	kf_os_mutex_unlock(&mm->lock);
	return rc;
}

int kf_mm_translate(struct kf_mm *mm, uintptr_t va, kf_paddr_t *pa,
		    unsigned *prot)
{
	kf_pte_t *slot, e = 0;

	kf_os_mutex_lock(&mm->lock);
	slot = kf_mm_pte_lookup(mm, va & KF_PAGE_MASK);
	if (slot)
		e = kf_pt_read(slot);
	kf_os_mutex_unlock(&mm->lock);
	if (!e)
		return -KF_EFAULT;
	if (pa)
		*pa = kf_arch_pte_pa(e);
	if (prot)
		*prot = kf_arch_pte_prot(e);
	return 0;
}
