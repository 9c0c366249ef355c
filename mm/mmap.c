/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm/mmap.c - mmap, munmap, mprotect, madvise and brk on anonymous memory,
 * with Linux's validation order and errnos (Linux 6.12 do_mmap,
 * __vm_munmap, do_mprotect_pkey, do_madvise, brk).
 */
#include "mm_internal.h"

#define MM_PROT_SEM        0x8u		/* accepted by mprotect, no effect */
#define MM_PROT_GROWSDOWN  0x01000000u
#define MM_PROT_GROWSUP    0x02000000u

/*
 * kf_mm_unmap_locked - remove the whole entries [first, last): their PTEs
 * (one walk over the span, as the holes between the entries have no
 * PTEs), their backing objects, and then the tables under them that
 * nothing maps any more, up to the neighbours.  One flush covers it all;
 * frames and tables are freed after it.
 */
void kf_mm_unmap_locked(struct kf_mm *mm, unsigned first, unsigned last)
{
	uintptr_t start, end, floor, ceiling;
	struct kf_mm_gather g;
	unsigned i;

	if (first == last)
		return;
	kf_mm_gather_init(&g, mm, false);
	start = mm->vmas[first].start;
	end = mm->vmas[last - 1].end;
	kf_mm_zap_range(&g, start, end);
	for (i = first; i < last; i++) {
		const struct kf_vma *v = &mm->vmas[i];

		kf_mm_vm_account(mm, v->prot, v->flags,
				 -(long)((v->end - v->start) >> KF_PAGE_SHIFT));
		kf_vma_put_backing(&mm->vmas[i]);
	}
	floor = first ? mm->vmas[first - 1].end : 0;
	ceiling = last < mm->nr_vmas ? mm->vmas[last].start : KF_USER_VA_END;
	kf_vma_remove(mm, first, last);
	kf_mm_free_tables(&g, start, end, floor, ceiling);
	kf_mm_gather_finish(&g);
}

/*
 * mm_map_region - make [addr, addr+len) one new VMA, replacing whatever was
 * mapped there (MAP_FIXED semantics).  Everything that can fail happens
 * before the old mappings are touched: on -KF_ENOMEM nothing changed.
 * First, as Linux's mmap_region, the address-space limits: the new pages
 * net of those a MAP_FIXED replaces.
 */
static int mm_map_region(struct kf_mm *mm, uintptr_t addr, size_t len,
			 unsigned prot, unsigned vmflags)
{
	struct kf_vma v = { addr, addr + len, prot & MM_PROT_RWX, vmflags,
			    NULL, 0 };
	unsigned long npages = len >> KF_PAGE_SHIFT;
	unsigned first, last;
	int rc;

	if (!kf_mm_may_expand(mm, v.prot, vmflags, npages) &&
	    !kf_mm_may_expand(mm, v.prot, vmflags,
			      npages - kf_mm_pages_in(mm, v.start, v.end)))
		return -KF_ENOMEM;
	rc = kf_vma_reserve(mm, 3);	/* two splits and the new entry */
	if (rc)
		return rc;
	if (vmflags & KF_VM_SHARED) {
		v.shm = kf_shm_create(len >> KF_PAGE_SHIFT);
		if (!v.shm)
			return -KF_ENOMEM;
	}
	rc = kf_vma_isolate(mm, v.start, v.end, true, &first, &last);
	if (rc) {
		kf_vma_put_backing(&v);
		return rc;
	}
	kf_mm_unmap_locked(mm, first, last);
	kf_vma_insert(mm, first, &v);
	kf_mm_vm_account(mm, v.prot, v.flags, (long)npages);
	kf_vma_merge_around(mm, first, first + 1);
	return 0;
}

/* round_hint_to_min: a hint is rounded down; below the minimum it is raised. */
static uintptr_t mm_round_hint(uintptr_t hint)
{
	hint &= KF_PAGE_MASK;
	if (hint && hint < KF_MM_MIN_ADDR)
		hint = MM_PAGE_ALIGN(KF_MM_MIN_ADDR);
	return hint;
}

/* get_unmapped_area: the checks and the search, in Linux's order. */
static long mm_get_area(struct kf_mm *mm, uintptr_t addr, size_t len,
			unsigned flags)
{
	if (len > MM_TASK_SIZE || len > MM_TASK_SIZE - KF_MM_MIN_ADDR)
		return -KF_ENOMEM;
	if (!(flags & KF_MAP_FIXED)) {
		if (addr && addr <= MM_TASK_SIZE - len &&
		    kf_vma_room(mm, addr, addr + len))
			return (long)addr;
		addr = kf_vma_unmapped_area(mm, len);
		if (!addr)
			return -KF_ENOMEM;
	}
	if (addr > MM_TASK_SIZE - len)
		return -KF_ENOMEM;
	if (addr & ~KF_PAGE_MASK)
		return -KF_EINVAL;
	if (addr < KF_MM_MIN_ADDR)
		return -KF_EPERM;	/* security_mmap_addr */
	return (long)addr;
}

/* the VM flags of an anonymous mapping type, or -KF_EINVAL */
static int mm_type_flags(unsigned flags)
{
	switch (flags & KF_MAP_TYPE) {
	case KF_MAP_SHARED:
		if (flags & KF_MAP_GROWSDOWN)
			return -KF_EINVAL;
		return KF_VM_SHARED;
	case KF_MAP_PRIVATE:
		return (flags & KF_MAP_GROWSDOWN) ? KF_VM_GROWSDOWN : 0;
	default:	/* incl. MAP_SHARED_VALIDATE, which anon maps refuse */
		return -KF_EINVAL;
	}
}

/* MAP_POPULATE: fault every page in now; errors are ignored, as on Linux. */
static void mm_populate(struct kf_mm *mm, uintptr_t addr, size_t len,
			unsigned prot)
{
	unsigned access = (prot & KF_PROT_WRITE) ? KF_FAULT_WRITE : KF_FAULT_READ;
	uintptr_t va;

	if (!(prot & MM_PROT_RWX))
		return;
	for (va = addr; va < addr + len; va += KF_PAGE_SIZE)
		if (kf_mm_fault_locked(mm, va, access | KF_FAULT_USER, NULL))
			return;
}

long kf_mm_map(struct kf_mm *mm, uintptr_t addr, size_t len, unsigned prot,
	       unsigned flags)
{
	long area;
	int vmflags, rc;

	if (!len)
		return -KF_EINVAL;
	if (flags & KF_MAP_FIXED_NOREPLACE)
		flags |= KF_MAP_FIXED;
	if (!(flags & KF_MAP_FIXED))
		addr = mm_round_hint(addr);
	len = MM_PAGE_ALIGN(len);
	if (!len)
		return -KF_ENOMEM;

	kf_os_mutex_lock(&mm->lock);
	area = -KF_ENOMEM;
	if (mm->nr_vmas > kf_mm_max_map_count)	/* Linux: map_count > max */
		goto out;
	area = mm_get_area(mm, addr, len, flags);
	if (area < 0)
		goto out;
	addr = (uintptr_t)area;
	if ((flags & KF_MAP_FIXED_NOREPLACE) &&
	    kf_vma_overlaps(mm, addr, addr + len)) {
		area = -KF_EEXIST;
		goto out;
	}
	vmflags = mm_type_flags(flags);
	if (vmflags < 0) {
		area = vmflags;
		goto out;
	}
	rc = mm_map_region(mm, addr, len, prot, (unsigned)vmflags);
	if (rc) {
		area = rc;
		goto out;
	}
	if (flags & KF_MAP_POPULATE)
		mm_populate(mm, addr, len, prot);
out:
	kf_os_mutex_unlock(&mm->lock);
	return area;
}

int kf_mm_unmap(struct kf_mm *mm, uintptr_t addr, size_t len)
{
	uintptr_t end;
	unsigned first, last;
	int rc = 0;

	if ((addr & ~KF_PAGE_MASK) || addr > MM_TASK_SIZE ||
	    len > MM_TASK_SIZE - addr)
		return -KF_EINVAL;
	end = addr + MM_PAGE_ALIGN(len);
	if (end == addr)
		return -KF_EINVAL;

	kf_os_mutex_lock(&mm->lock);
	if (kf_vma_overlaps(mm, addr, end)) {
		rc = kf_vma_isolate(mm, addr, end, true, &first, &last);
		if (!rc)
			kf_mm_unmap_locked(mm, first, last);
	}
	kf_os_mutex_unlock(&mm->lock);
	return rc;
}

/*
 * mm_change - give [start, end) of the VMA at @idx new @prot and @flags:
 * split it off, change it (and its present PTEs for a protection change,
 * narrowed ones flushed by @g), merge.  -KF_ENOMEM with nothing changed if
 * the split cannot be made.
 */
static int mm_change(struct kf_mm_gather *g, unsigned idx, uintptr_t start,
		     uintptr_t end, unsigned prot, unsigned flags)
{
	struct kf_mm *mm = g->mm;
	struct kf_vma *v = &mm->vmas[idx];
	unsigned first, last;
	bool reprotect = v->prot != prot;
	int rc;

	unsigned long npages = (end - start) >> KF_PAGE_SHIFT;
	unsigned oldprot = v->prot, oldflags = v->flags;

	if (!reprotect && v->flags == flags)
		return 0;
	/* a mapping that becomes data counts against RLIMIT_DATA */
	if ((prot & KF_PROT_WRITE) &&
	    !kf_mm_may_expand(mm, prot, flags, npages) &&
	    kf_mm_may_expand(mm, oldprot, oldflags, npages))
		return -KF_ENOMEM;
	rc = kf_vma_isolate(mm, start, end, false, &first, &last);
	if (rc)
		return rc;
	MM_ASSERT(last == first + 1);
	v = &mm->vmas[first];
	v->prot = prot;
	v->flags = flags;
	kf_mm_vm_account(mm, oldprot, oldflags, -(long)npages);
	kf_mm_vm_account(mm, prot, flags, (long)npages);
	if (reprotect)
		kf_mm_protect_range(g, v, start, end);
	kf_vma_merge_around(mm, first, last);
	return 0;
}

/*
 * mm_protect_locked - the loop of do_mprotect_pkey: VMA by VMA from
 * @start, stopping with -KF_ENOMEM at the first hole (changes made to the
 * VMAs before it stay, as on Linux).
 */
static int mm_protect_locked(struct kf_mm_gather *g, uintptr_t start,
			     uintptr_t end, unsigned prot)
{
	struct kf_mm *mm = g->mm;
	uintptr_t pos = start;
	unsigned i = kf_vma_index(mm, start);
	int rc;

	if (i >= mm->nr_vmas || mm->vmas[i].start >= end)
		return -KF_ENOMEM;
	if (mm->vmas[i].start > start)
		return -KF_ENOMEM;
	for (;;) {
		struct kf_vma *v = &mm->vmas[i];
		uintptr_t tmp = v->end < end ? v->end : end;

		rc = mm_change(g, i, pos, tmp, prot, v->flags);
		if (rc)
			return rc;
		pos = tmp;
		if (pos >= end)
			return 0;
		i = kf_vma_index(mm, pos);
		if (i >= mm->nr_vmas || mm->vmas[i].start > pos)
			return -KF_ENOMEM;
	}
}

/*
 * mm_protect_grows - PROT_GROWSDOWN/UP need a VM_GROWSDOWN/UP VMA, which
 * anonymous mappings here never are: Linux's errors in Linux's order.
 */
static int mm_protect_grows(struct kf_mm *mm, uintptr_t start, uintptr_t end,
			    unsigned grows)
{
	unsigned i = kf_vma_index(mm, start);

	if (i >= mm->nr_vmas || mm->vmas[i].start >= end)
		return -KF_ENOMEM;
	if ((grows & MM_PROT_GROWSUP) && mm->vmas[i].start > start)
		return -KF_ENOMEM;
	return -KF_EINVAL;
}

int kf_mm_protect(struct kf_mm *mm, uintptr_t addr, size_t len,
		  unsigned prot)
{
	unsigned grows = prot & (MM_PROT_GROWSDOWN | MM_PROT_GROWSUP);
	uintptr_t end;
	int rc;

	prot &= ~grows;
	if (grows == (MM_PROT_GROWSDOWN | MM_PROT_GROWSUP))
		return -KF_EINVAL;
	if (addr & ~KF_PAGE_MASK)
		return -KF_EINVAL;
	if (!len)
		return 0;
	len = MM_PAGE_ALIGN(len);
	end = addr + len;
	if (end <= addr)
		return -KF_ENOMEM;
	if (prot & ~(MM_PROT_RWX | MM_PROT_SEM))
		return -KF_EINVAL;

	kf_os_mutex_lock(&mm->lock);
	if (grows) {
		rc = mm_protect_grows(mm, addr, end, grows);
	} else {
		struct kf_mm_gather g;

		kf_mm_gather_init(&g, mm, false);
		rc = mm_protect_locked(&g, addr, end, prot & MM_PROT_RWX);
		kf_mm_gather_finish(&g);
	}
	kf_os_mutex_unlock(&mm->lock);
	return rc;
}

static bool mm_advice_valid(int advice)
{
	switch (advice) {
	case KF_MADV_NORMAL: case KF_MADV_RANDOM: case KF_MADV_SEQUENTIAL:
	case KF_MADV_WILLNEED: case KF_MADV_DONTNEED: case KF_MADV_FREE:
	case KF_MADV_DONTFORK: case KF_MADV_DOFORK:
	case KF_MADV_WIPEONFORK: case KF_MADV_KEEPONFORK:
		return true;
	default:
		return false;
	}
}

/* madvise_vma_behavior for [start, end) inside the VMA at @idx. */
static int mm_advise_vma(struct kf_mm_gather *g, unsigned idx,
			 uintptr_t start, uintptr_t end, int advice)
{
	struct kf_vma *v = &g->mm->vmas[idx];
	unsigned flags = v->flags;

	switch (advice) {
	case KF_MADV_FREE:	/* freeing at once is a valid MADV_FREE */
		if (v->flags & KF_VM_SHARED)
			return -KF_EINVAL;	/* only private anonymous */
		kf_mm_zap_range(g, start, end);
		return 0;
	case KF_MADV_DONTNEED:
		kf_mm_zap_range(g, start, end);
		return 0;
	case KF_MADV_DONTFORK:
		flags |= KF_VM_DONTCOPY;
		break;
	case KF_MADV_DOFORK:
		flags &= ~KF_VM_DONTCOPY;
		break;
	case KF_MADV_WIPEONFORK:
		if (v->flags & KF_VM_SHARED)
			return -KF_EINVAL;
		flags |= KF_VM_WIPEONFORK;
		break;
	case KF_MADV_KEEPONFORK:
		flags &= ~KF_VM_WIPEONFORK;
		break;
	default:
		return 0;	/* hints with no effect here */
	}
	return mm_change(g, idx, start, end, v->prot, flags);
}

/*
 * mm_advise_locked - madvise_walk_vmas: advise each VMA piece in [start,
 * end); a hole makes the result -KF_ENOMEM but the walk goes on; the first
 * real error stops it.
 */
static int mm_advise_locked(struct kf_mm_gather *g, uintptr_t start,
			    uintptr_t end, int advice)
{
	struct kf_mm *mm = g->mm;
	int unmapped = 0, rc;
	unsigned i;

	for (;;) {
		uintptr_t tmp;

		i = kf_vma_index(mm, start);
		if (i >= mm->nr_vmas)
			return -KF_ENOMEM;
		if (start < mm->vmas[i].start) {
			unmapped = -KF_ENOMEM;
			start = mm->vmas[i].start;
			if (start >= end)
				break;
		}
		tmp = mm->vmas[i].end < end ? mm->vmas[i].end : end;
		rc = mm_advise_vma(g, i, start, tmp, advice);
		if (rc)
			return rc;
		start = tmp;
		if (start >= end)
			break;
	}
	return unmapped;
}

int kf_mm_advise(struct kf_mm *mm, uintptr_t addr, size_t len, int advice)
{
	size_t alen;
	uintptr_t end;
	int rc;

	if (!mm_advice_valid(advice))
		return -KF_EINVAL;
	if (addr & ~KF_PAGE_MASK)
		return -KF_EINVAL;
	alen = MM_PAGE_ALIGN(len);
	if (len && !alen)
		return -KF_EINVAL;
	end = addr + alen;
	if (end < addr)
		return -KF_EINVAL;
	if (end == addr)
		return 0;

	kf_os_mutex_lock(&mm->lock);
	{
		struct kf_mm_gather g;

		kf_mm_gather_init(&g, mm, false);
		rc = mm_advise_locked(&g, addr, end, advice);
		kf_mm_gather_finish(&g);
	}
	kf_os_mutex_unlock(&mm->lock);
	return rc;
}

void kf_mm_set_brk_base(struct kf_mm *mm, uintptr_t start)
{
	kf_os_mutex_lock(&mm->lock);
	mm->start_brk = mm->brk = MM_PAGE_ALIGN(start);
	kf_os_mutex_unlock(&mm->lock);
}

/* shrink the heap: unmap [newbrk, oldbrk) */
static int mm_brk_shrink(struct kf_mm *mm, uintptr_t newbrk, uintptr_t oldbrk)
{
	unsigned first, last;
	int rc = kf_vma_isolate(mm, newbrk, oldbrk, true, &first, &last);

	if (!rc)
		kf_mm_unmap_locked(mm, first, last);
	return rc;
}

/* grow the heap to [oldbrk, newbrk) if a page of gap (and a stack's
 * guard gap) stays below the next VMA */
static int mm_brk_grow(struct kf_mm *mm, uintptr_t oldbrk, uintptr_t newbrk)
{
	if (newbrk > MM_TASK_SIZE || newbrk < oldbrk)
		return -KF_ENOMEM;
	if (!kf_vma_room(mm, oldbrk, newbrk + KF_PAGE_SIZE))
		return -KF_ENOMEM;
	return mm_map_region(mm, oldbrk, newbrk - oldbrk,
			     KF_PROT_READ | KF_PROT_WRITE, 0);
}

/* brk_over_data_limit - Linux's check_data_rlimit: the heap and the data
 * segment together above RLIMIT_DATA (checked before anything else, so
 * that a limit that is not page-aligned cannot be passed). */
static bool brk_over_data_limit(struct kf_mm *mm, uintptr_t brk)
{
	uint64_t lim = kf_rlimit_cur(KF_RLIMIT_DATA);

	if (lim == KF_RLIM_INFINITY)
		return false;
	return (uint64_t)(brk - mm->start_brk) +
	       (mm->layout.end_data - mm->layout.start_data) > lim;
}

uintptr_t kf_mm_brk(struct kf_mm *mm, uintptr_t brk)
{
	uintptr_t newbrk, oldbrk;
	int rc;

	kf_os_mutex_lock(&mm->lock);
	if (!mm->start_brk || brk < mm->start_brk)
		goto out;
	if (brk_over_data_limit(mm, brk))
		goto out;
	newbrk = MM_PAGE_ALIGN(brk);
	oldbrk = MM_PAGE_ALIGN(mm->brk);
	if (newbrk != oldbrk) {
		if (brk <= mm->brk)
			rc = mm_brk_shrink(mm, newbrk, oldbrk);
		else
			rc = mm_brk_grow(mm, oldbrk, newbrk);
		if (rc)
			goto out;
	}
	mm->brk = brk;
out:
	brk = mm->brk;
	kf_os_mutex_unlock(&mm->lock);
	return brk;
}
