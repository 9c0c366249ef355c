/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm/vma.c - the sorted VMA array of an address space (see struct kf_mm
 * for why an array).  Every function here runs with mm->lock held and
 * touches VMAs only, never page tables.
 */
#include "mm_internal.h"

unsigned kf_mm_max_map_count = KF_MM_MAX_MAP_COUNT;

void kf_mm_set_max_map_count(unsigned n)
{
	__atomic_store_n(&kf_mm_max_map_count, n, __ATOMIC_RELAXED);
}

/* kf_vma_index - index of the first VMA ending above @addr (nr_vmas if none). */
unsigned kf_vma_index(struct kf_mm *mm, uintptr_t addr)
{
	unsigned lo = 0, hi = mm->nr_vmas;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (mm->vmas[mid].end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* kf_vma_find - the VMA containing @addr, or NULL. */
struct kf_vma *kf_vma_find(struct kf_mm *mm, uintptr_t addr)
{
	unsigned i = kf_vma_index(mm, addr);

	if (i < mm->nr_vmas && mm->vmas[i].start <= addr)
		return &mm->vmas[i];
	return NULL;
}

/* kf_vma_overlaps - does any VMA intersect [start, end)? */
bool kf_vma_overlaps(struct kf_mm *mm, uintptr_t start, uintptr_t end)
{
	unsigned i = kf_vma_index(mm, start);

	return i < mm->nr_vmas && mm->vmas[i].start < end;
}

/* kf_vma_room - is [start, end) free, with the guard gap a stack keeps
 * below it (Linux's vm_start_gap of the next VMA)? */
bool kf_vma_room(struct kf_mm *mm, uintptr_t start, uintptr_t end)
{
	unsigned i = kf_vma_index(mm, start);

	return i >= mm->nr_vmas || kf_vma_start_gap(&mm->vmas[i]) >= end;
}

/*
 * kf_vma_reserve - make room for @extra more VMAs, so that the splits and the
 * insert that follow cannot fail.  -KF_ENOMEM leaves the array unchanged.
 */
int kf_vma_reserve(struct kf_mm *mm, unsigned extra)
{
	unsigned need = mm->nr_vmas + extra, cap = mm->cap_vmas;
	struct kf_vma *v;

	if (need <= cap)
		return 0;
	cap = cap ? cap * 2 : 16;
	if (cap < need)
		cap = need;
	v = kf_os_alloc(cap * sizeof(*v), MM_SITE("mm.vmas"));
	if (!v)
		return -KF_ENOMEM;
	if (mm->nr_vmas)
		__builtin_memcpy(v, mm->vmas, mm->nr_vmas * sizeof(*v));
	kf_os_free(mm->vmas, mm->cap_vmas * sizeof(*v));
	mm->vmas = v;
	mm->cap_vmas = cap;
	return 0;
}

/* kf_vma_insert - put @v at @idx (the caller keeps the order; room reserved). */
void kf_vma_insert(struct kf_mm *mm, unsigned idx, const struct kf_vma *v)
{
	MM_ASSERT(mm->nr_vmas < mm->cap_vmas && idx <= mm->nr_vmas);
	__builtin_memmove(&mm->vmas[idx + 1], &mm->vmas[idx],
			  (mm->nr_vmas - idx) * sizeof(*v));
	mm->vmas[idx] = *v;
	mm->nr_vmas++;
}

/* kf_vma_split - cut VMA @idx at @addr (strictly inside) into two (room reserved). */
void kf_vma_split(struct kf_mm *mm, unsigned idx, uintptr_t addr)
{
	struct kf_vma hi = mm->vmas[idx];

	MM_ASSERT(hi.start < addr && addr < hi.end && !(addr & ~KF_PAGE_MASK));
	if (hi.shm) {
		hi.pgoff += (addr - hi.start) >> KF_PAGE_SHIFT;
		kf_shm_get(hi.shm);
	}
	hi.start = addr;
	mm->vmas[idx].end = addr;
	kf_vma_insert(mm, idx + 1, &hi);
}

/*
 * vma_too_many - would isolating [start, end) with @splits splits pass the
 * map count limit?  Linux checks each split of mprotect/madvise; munmap
 * (@unmap) only fails when it punches a hole in one VMA (@one: both splits
 * fall in the same entry), since the others shrink the count.
 */
static bool vma_too_many(struct kf_mm *mm, unsigned splits, bool one,
			 bool unmap)
{
	if (unmap)
		return splits == 2 && one && mm->nr_vmas >= kf_mm_max_map_count;
	return mm->nr_vmas + splits > kf_mm_max_map_count;
}

/*
 * kf_vma_isolate - split the VMAs at @start and @end so that [start, end) is
 * covered by whole entries [*first, *last).  -KF_ENOMEM, with nothing
 * changed, when room cannot be reserved or the map count limit would be
 * passed (@unmap: the rule of munmap).  Two binary searches: the entries
 * that cross @start and @end follow from them (a split moves the second
 * one up by one).
 */
int kf_vma_isolate(struct kf_mm *mm, uintptr_t start, uintptr_t end, bool unmap,
		unsigned *first, unsigned *last)
{
	unsigned i = kf_vma_index(mm, start), j = kf_vma_index(mm, end);
	bool split_lo = i < mm->nr_vmas && mm->vmas[i].start < start;
	bool split_hi = j < mm->nr_vmas && mm->vmas[j].start < end;
	int rc;

	MM_ASSERT(start < end);
	if (vma_too_many(mm, split_lo + split_hi, i == j, unmap))
		return -KF_ENOMEM;
	rc = kf_vma_reserve(mm, split_lo + split_hi);
	if (rc)
		return rc;
	if (split_lo) {
		kf_vma_split(mm, i++, start);
		j++;
	}
	if (split_hi)
		kf_vma_split(mm, j++, end);
	*first = i;
	*last = j;
	return 0;
}

/* kf_vma_put_backing - drop what a VMA entry references (its shared object). */
void kf_vma_put_backing(struct kf_vma *v)
{
	if (v->shm)
		kf_shm_put(v->shm);
	v->shm = NULL;
}

/* kf_vma_remove - delete entries [first, last); the caller put their backing. */
void kf_vma_remove(struct kf_mm *mm, unsigned first, unsigned last)
{
	MM_ASSERT(first <= last && last <= mm->nr_vmas);
	__builtin_memmove(&mm->vmas[first], &mm->vmas[last],
			  (mm->nr_vmas - last) * sizeof(struct kf_vma));
	mm->nr_vmas -= last - first;
}

/* Can @b be appended to @a?  Same everything, adjacent, contiguous object. */
static bool vma_mergeable(const struct kf_vma *a, const struct kf_vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags ||
	    a->shm != b->shm)
		return false;
	return !a->shm ||
	       a->pgoff + ((a->end - a->start) >> KF_PAGE_SHIFT) == b->pgoff;
}

/*
 * kf_vma_merge_around - merge entries [first, last) with each other and with
 * their neighbours where Linux would (anonymous VMAs with equal flags and
 * protections, and pieces of one shared mapping).
 */
void kf_vma_merge_around(struct kf_mm *mm, unsigned first, unsigned last)
{
	unsigned i = first ? first : 1;

	if (last < mm->nr_vmas)
		last++;		/* the right neighbour may join too */
	while (i < last && i < mm->nr_vmas) {
		struct kf_vma *a = &mm->vmas[i - 1], *b = &mm->vmas[i];

		if (!vma_mergeable(a, b)) {
			i++;
			continue;
		}
		a->end = b->end;
		kf_vma_put_backing(b);
		kf_vma_remove(mm, i, i + 1);
		last--;
	}
}

/* the free gap [lo, hi) below entry @i, clipped to [floor, ...) */
static uintptr_t gap_lo(struct kf_mm *mm, unsigned i, uintptr_t floor)
{
	uintptr_t lo = i ? mm->vmas[i - 1].end : 0;

	return lo < floor ? floor : lo;
}

/* top-down: the highest free range of @len ending at or below mmap_base */
static uintptr_t area_topdown(struct kf_mm *mm, size_t len)
{
	uintptr_t hi = mm->mmap_base;
	unsigned i = kf_vma_index(mm, hi);

	if (i < mm->nr_vmas && kf_vma_start_gap(&mm->vmas[i]) < hi)
		hi = kf_vma_start_gap(&mm->vmas[i]);
	for (;;) {
		uintptr_t lo = gap_lo(mm, i, KF_MM_MIN_ADDR);

		if (hi > lo && hi - lo >= len)
			return hi - len;
		if (i == 0)
			return 0;
		hi = kf_vma_start_gap(&mm->vmas[--i]);
	}
}

/* bottom-up fallback above mmap_base, as Linux does when top-down fails */
static uintptr_t area_bottomup(struct kf_mm *mm, size_t len)
{
	uintptr_t lo = mm->mmap_base;
	unsigned i = kf_vma_index(mm, lo);

	for (;; i++) {
		uintptr_t hi = i < mm->nr_vmas ? kf_vma_start_gap(&mm->vmas[i]) :
			       MM_TASK_SIZE;

		if (hi > lo && hi - lo >= len)
			return lo;
		if (i >= mm->nr_vmas)
			return 0;
		if (mm->vmas[i].end > lo)
			lo = mm->vmas[i].end;
	}
}

/* kf_vma_unmapped_area - a free page-aligned range of @len bytes, or 0. */
uintptr_t kf_vma_unmapped_area(struct kf_mm *mm, size_t len)
{
	uintptr_t a = area_topdown(mm, len);

	return a ? a : area_bottomup(mm, len);
}
