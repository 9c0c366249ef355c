// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/heap.c - the kernel heap (what kf_os_alloc sits on).
 *
 * Power-of-two size classes from 16 to 2048 bytes carved out of whole
 * pages, each class a free list; larger requests take contiguous frames
 * through the direct map.  The caller passes the size back to mk_free (as
 * kf_os_free does), so blocks carry no header.  Every block is aligned to
 * its class size (at least 16), which FXSAVE areas inside tasks need.
 * Pages of the small classes are never returned to the page allocator.
 */
#include <mk/board.h>
#include <mk/mk.h>
#include <kf/hal/irq.h>

#define HEAP_MIN_SHIFT 4
#define HEAP_MAX_SHIFT 11
#define HEAP_CLASSES (HEAP_MAX_SHIFT - HEAP_MIN_SHIFT + 1)

struct heap_free {
	struct heap_free *next;
};

static struct heap_free *heap_class[HEAP_CLASSES];
static size_t heap_bytes;

static unsigned heap_class_of(size_t size)
{
	unsigned c = 0;

	while (((size_t)1 << (c + HEAP_MIN_SHIFT)) < size)
		c++;
	return c;
}

/* Cut a fresh page into blocks of class @c. */
static bool heap_refill(unsigned c)
{
	size_t bs = (size_t)1 << (c + HEAP_MIN_SHIFT), off;
	uint64_t pa = mk_page_alloc();
	char *page;

	if (!pa)
		return false;
	page = board_phys_to_virt(pa);
	for (off = 0; off < MK_PAGE_SIZE; off += bs) {
		struct heap_free *f = (struct heap_free *)(page + off);

		f->next = heap_class[c];
		heap_class[c] = f;
	}
	return true;
}

static void *heap_small(size_t size)
{
	unsigned c = heap_class_of(size);
	struct heap_free *f;

	if (!heap_class[c] && !heap_refill(c))
		return NULL;
	f = heap_class[c];
	heap_class[c] = f->next;
	memset(f, 0, (size_t)1 << (c + HEAP_MIN_SHIFT));
	return f;
}

void *mk_alloc(size_t size)
{
	unsigned long flags;
	void *p = NULL;

	if (size == 0)
		size = 1;
	flags = kf_arch_irq_save();
	if (size <= ((size_t)1 << HEAP_MAX_SHIFT)) {
		p = heap_small(size);
	} else {
		uint64_t pa = mk_pages_alloc(MK_ALIGN_UP(size, MK_PAGE_SIZE) /
					     MK_PAGE_SIZE);
		if (pa)
			p = board_phys_to_virt(pa);
	}
	if (p)
		heap_bytes += size;
	kf_arch_irq_restore(flags);
	return p;
}

void mk_free(void *p, size_t size)
{
	unsigned long flags;

	if (!p)
		return;
	if (size == 0)
		size = 1;
	flags = kf_arch_irq_save();
	heap_bytes -= size;
	if (size <= ((size_t)1 << HEAP_MAX_SHIFT)) {
		struct heap_free *f = p;
		unsigned c = heap_class_of(size);

		f->next = heap_class[c];
		heap_class[c] = f;
	} else {
		uint64_t pa = board_virt_to_phys(p);
		size_t i, n = MK_ALIGN_UP(size, MK_PAGE_SIZE) / MK_PAGE_SIZE;

		for (i = 0; i < n; i++)
			mk_page_put(pa + i * MK_PAGE_SIZE);
	}
	kf_arch_irq_restore(flags);
}

size_t mk_heap_in_use(void)
{
	return heap_bytes;
}
