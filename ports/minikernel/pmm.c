// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/pmm.c - the page-frame allocator.
 *
 * One 32-bit reference count per frame of physical memory from the bottom
 * to the top of RAM (which need not start at 0: aarch64's virt has it at
 * 1 GiB), in an array carved out of RAM at boot.  A count of 0 is a free
 * frame; MK_PAGE_RESERVED_COUNT marks frames the allocator does not own
 * (holes, the kernel image, the initramfs, the array itself).  Allocation
 * scans for a free frame from a rotating cursor: O(frames) in the worst
 * case, which is fine for the few hundred MiB a test machine has.  The
 * kernel is single-CPU; counts still use atomics so that the kfork core's
 * "atomic" page hooks are honest.
 */
#include <mk/board.h>
#include <mk/mk.h>
#include <kf/hal/irq.h>

static uint32_t *page_ref;	/* indexed by frame number - first_frame */
static uint64_t first_frame;	/* the lowest RAM frame */
static uint64_t nr_frames;	/* frames covered by page_ref */
static uint64_t cursor;		/* where the next search starts (an index) */
static size_t free_frames, total_frames;

static bool region_overlaps(uint64_t b1, uint64_t s1, uint64_t b2, uint64_t s2)
{
	return b1 < b2 + s2 && b2 < b1 + s1;
}

static bool overlaps_reserved(const struct mk_bootinfo *bi, uint64_t base,
			      uint64_t size)
{
	unsigned i;

	for (i = 0; i < bi->nr_reserved; i++)
		if (region_overlaps(base, size, bi->reserved[i].base,
				    bi->reserved[i].size))
			return true;
	return false;
}

/* Somewhere in RAM, away from everything reserved, for the count array. */
static uint64_t find_array_home(const struct mk_bootinfo *bi, uint64_t bytes)
{
	unsigned i;

	for (i = 0; i < bi->nr_ram; i++) {
		uint64_t base = MK_ALIGN_UP(bi->ram[i].base, MK_PAGE_SIZE);
		uint64_t end = bi->ram[i].base + bi->ram[i].size;

		for (; base + bytes <= end; base += MK_PAGE_SIZE)
			if (!overlaps_reserved(bi, base, bytes))
				return base;
	}
	mk_panic("pmm: no room for %lu bytes of page counts",
		 (unsigned long)bytes);
}

static void mark(uint64_t base, uint64_t size, uint32_t count)
{
	uint64_t f = base / MK_PAGE_SIZE, end = (base + size) / MK_PAGE_SIZE;

	if (f < first_frame)
		f = first_frame;
	for (; f < end && f - first_frame < nr_frames; f++)
		page_ref[f - first_frame] = count;
}

void mk_pmm_init(const struct mk_bootinfo *bi)
{
	uint64_t top = 0, bottom = ~0ull, bytes, home, f;
	unsigned i;

	for (i = 0; i < bi->nr_ram; i++) {
		if (bi->ram[i].base + bi->ram[i].size > top)
			top = bi->ram[i].base + bi->ram[i].size;
		if (bi->ram[i].base < bottom)
			bottom = bi->ram[i].base;
	}
	first_frame = bottom / MK_PAGE_SIZE;
	nr_frames = top / MK_PAGE_SIZE - first_frame;
	bytes = MK_ALIGN_UP(nr_frames * sizeof(uint32_t), MK_PAGE_SIZE);
	home = find_array_home(bi, bytes);
	page_ref = board_phys_to_virt(home);

	mark(bottom, top - bottom, MK_PAGE_RESERVED_COUNT);
	for (i = 0; i < bi->nr_ram; i++) {
		uint64_t b = MK_ALIGN_UP(bi->ram[i].base, MK_PAGE_SIZE);
		uint64_t e = MK_ALIGN_DOWN(bi->ram[i].base + bi->ram[i].size,
					   MK_PAGE_SIZE);
		if (e > b)
			mark(b, e - b, 0);
	}
	for (i = 0; i < bi->nr_reserved; i++) {
		uint64_t b = MK_ALIGN_DOWN(bi->reserved[i].base, MK_PAGE_SIZE);
		uint64_t e = MK_ALIGN_UP(bi->reserved[i].base +
					 bi->reserved[i].size, MK_PAGE_SIZE);
		mark(b, e - b, MK_PAGE_RESERVED_COUNT);
	}
	mark(home, bytes, MK_PAGE_RESERVED_COUNT);
	if (first_frame == 0)
		page_ref[0] = MK_PAGE_RESERVED_COUNT;	/* 0 is never a frame */

	for (f = 0; f < nr_frames; f++)
		if (page_ref[f] == 0)
			free_frames++;
	total_frames = free_frames;
	mk_printk("pmm: %lu KiB free of %lu KiB in %lx-%lx\n",
		  (unsigned long)(free_frames * 4),
		  (unsigned long)((top - bottom) / 1024), (unsigned long)bottom,
		  (unsigned long)top);
}

static bool frame_ok(uint64_t pa)
{
	return (pa & ~MK_PAGE_MASK) == 0 && pa / MK_PAGE_SIZE >= first_frame &&
	       pa / MK_PAGE_SIZE - first_frame < nr_frames;
}

/* The count of frame @pa (frame_ok). */
static uint32_t *ref_of(uint64_t pa)
{
	return &page_ref[pa / MK_PAGE_SIZE - first_frame];
}

/* Take @n free frames starting at index @f (all known free). */
static uint64_t take(uint64_t f, size_t n)
{
	uint64_t pa = (first_frame + f) * MK_PAGE_SIZE;
	size_t i;

	for (i = 0; i < n; i++)
		page_ref[f + i] = 1;
	free_frames -= n;
	cursor = f + n;
	memset(board_phys_to_virt(pa), 0, n * MK_PAGE_SIZE);
	return pa;
}

/* A run of @n free frames (an index), searched from the cursor and
 * wrapping once; none is ~0. */
static uint64_t find_run(size_t n)
{
	uint64_t start, f, run = 0;

	if (n == 0 || n > free_frames)
		return ~0ull;
	for (start = 0; start < 2; start++) {
		uint64_t from = start ? 0 : cursor;
		uint64_t to = start ? cursor + n : nr_frames;

		run = 0;
		for (f = from; f < to && f < nr_frames; f++) {
			run = page_ref[f] == 0 ? run + 1 : 0;
			if (run == n)
				return f + 1 - n;
		}
	}
	return ~0ull;
}

uint64_t mk_pages_alloc(size_t n)
{
	unsigned long flags = kf_arch_irq_save();
	uint64_t f = find_run(n), pa = 0;

	if (f != ~0ull)
		pa = take(f, n);
	kf_arch_irq_restore(flags);
	return pa;
}

uint64_t mk_page_alloc(void)
{
	return mk_pages_alloc(1);
}

void mk_page_get(uint64_t pa)
{
	uint32_t *r;

	if (!frame_ok(pa))
		mk_panic("mk_page_get: bad frame %lx", (unsigned long)pa);
	r = ref_of(pa);
	if (*r == MK_PAGE_RESERVED_COUNT)
		return;
	if (__atomic_fetch_add(r, 1, __ATOMIC_RELAXED) == 0)
		mk_panic("mk_page_get: free frame %lx", (unsigned long)pa);
}

void mk_page_put(uint64_t pa)
{
	uint32_t *r, old;

	if (!frame_ok(pa))
		mk_panic("mk_page_put: bad frame %lx", (unsigned long)pa);
	r = ref_of(pa);
	if (*r == MK_PAGE_RESERVED_COUNT)
		return;
	old = __atomic_fetch_sub(r, 1, __ATOMIC_ACQ_REL);
	if (old == 0)
		mk_panic("mk_page_put: free frame %lx", (unsigned long)pa);
	if (old == 1) {
		unsigned long flags = kf_arch_irq_save();

		free_frames++;
		kf_arch_irq_restore(flags);
	}
}

unsigned mk_page_count(uint64_t pa)
{
	if (!frame_ok(pa))
		mk_panic("mk_page_count: bad frame %lx", (unsigned long)pa);
	return __atomic_load_n(ref_of(pa), __ATOMIC_RELAXED);
}

size_t mk_pmm_free_pages(void)
{
	return free_frames;
}

size_t mk_pmm_total_pages(void)
{
	return total_frames;
}

size_t mk_pmm_nr_frames(void)
{
	return (size_t)nr_frames;
}

uint64_t mk_pmm_first_frame(void)
{
	return first_frame;
}
