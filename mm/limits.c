/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm/limits.c - what an address space has mapped, counted the way Linux's
 * vm_stat_account counts it, the resource limits that bound it
 * (RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK: Linux 6.12's may_expand_vm and
 * acct_stack_growth), and the growth of a stack down into the gap below
 * it.  The limits are the current task's, from the core (kf_rlimit_cur).
 * Everything here runs with mm->lock held.
 */
#include "mm_internal.h"

/* The kinds of mapping Linux counts apart (is_exec/stack/data_mapping). */
static bool is_exec_mapping(unsigned prot, unsigned flags)
{
	return (prot & (KF_PROT_EXEC | KF_PROT_WRITE)) == KF_PROT_EXEC &&
	       !(flags & KF_VM_GROWSDOWN);
}

static bool is_stack_mapping(unsigned flags)
{
	return (flags & KF_VM_GROWSDOWN) != 0;
}

static bool is_data_mapping(unsigned prot, unsigned flags)
{
	return (prot & KF_PROT_WRITE) &&
	       !(flags & (KF_VM_SHARED | KF_VM_GROWSDOWN));
}

void kf_mm_vm_account(struct kf_mm *mm, unsigned prot, unsigned flags,
		      long npages)
{
	mm->total_vm += (unsigned long)npages;
	if (is_exec_mapping(prot, flags))
		mm->exec_vm += (unsigned long)npages;
	else if (is_stack_mapping(flags))
		mm->stack_vm += (unsigned long)npages;
	else if (is_data_mapping(prot, flags))
		mm->data_vm += (unsigned long)npages;
}

/* limit_pages - a byte limit as pages, rounded down (rlimit >> PAGE_SHIFT). */
static unsigned long limit_pages(uint64_t bytes)
{
	return (unsigned long)(bytes >> KF_PAGE_SHIFT);
}

bool kf_mm_may_expand(struct kf_mm *mm, unsigned prot, unsigned flags,
		      unsigned long npages)
{
	uint64_t data;

	if (mm->total_vm + npages > limit_pages(kf_rlimit_cur(KF_RLIMIT_AS)))
		return false;
	if (!is_data_mapping(prot, flags))
		return true;
	data = kf_rlimit_cur(KF_RLIMIT_DATA);
	if (mm->data_vm + npages <= limit_pages(data))
		return true;
	/* a soft limit of 0 means "the hard one" (Linux keeps Valgrind,
	 * which sets it so, working) */
	return data == 0 &&
	       mm->data_vm + npages <= limit_pages(kf_rlimit_max(KF_RLIMIT_DATA));
}

unsigned long kf_mm_pages_in(struct kf_mm *mm, uintptr_t start, uintptr_t end)
{
	unsigned long n = 0;
	unsigned i;

	for (i = kf_vma_index(mm, start); i < mm->nr_vmas; i++) {
		const struct kf_vma *v = &mm->vmas[i];
		uintptr_t lo = v->start > start ? v->start : start;
		uintptr_t hi = v->end < end ? v->end : end;

		if (v->start >= end)
			break;
		n += (hi - lo) >> KF_PAGE_SHIFT;
	}
	return n;
}

uintptr_t kf_vma_start_gap(const struct kf_vma *v)
{
	if (!(v->flags & KF_VM_GROWSDOWN))
		return v->start;
	return v->start > MM_STACK_GUARD_GAP ? v->start - MM_STACK_GUARD_GAP : 0;
}

/* stack_may_grow - Linux's acct_stack_growth: RLIMIT_AS for the new
 * pages, RLIMIT_STACK for the whole stack (@size bytes after growing). */
static bool stack_may_grow(struct kf_mm *mm, const struct kf_vma *v,
			   uintptr_t size, unsigned long grow)
{
	if (!kf_mm_may_expand(mm, v->prot, v->flags, grow))
		return false;
	return size <= kf_rlimit_cur(KF_RLIMIT_STACK);
}

/*
 * kf_mm_expand_stack - a fault at @va, where no mapping is: if the next
 * mapping above is a stack, grow it down to @va's page (Linux's
 * expand_downwards) -- unless that comes within the guard gap of an
 * accessible mapping below, or passes a limit.
 */
struct kf_vma *kf_mm_expand_stack(struct kf_mm *mm, uintptr_t va)
{
	unsigned i = kf_vma_index(mm, va);
	struct kf_vma *v;
	unsigned long grow;

	if (i >= mm->nr_vmas || !(mm->vmas[i].flags & KF_VM_GROWSDOWN))
		return NULL;
	v = &mm->vmas[i];
	va &= KF_PAGE_MASK;
	if (va < KF_MM_MIN_ADDR || va >= v->start)
		return NULL;
	if (i > 0) {
		const struct kf_vma *prev = &mm->vmas[i - 1];

		if (!(prev->flags & KF_VM_GROWSDOWN) &&
		    (prev->prot & MM_PROT_RWX) &&
		    va - prev->end < MM_STACK_GUARD_GAP)
			return NULL;
	}
	grow = (v->start - va) >> KF_PAGE_SHIFT;
	if (!stack_may_grow(mm, v, v->end - va, grow))
		return NULL;
	v->start = va;
	kf_mm_vm_account(mm, v->prot, v->flags, (long)grow);
	return v;
}
