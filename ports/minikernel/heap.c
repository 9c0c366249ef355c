// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/heap.c - the kernel heap (what kf_os_alloc sits on).
 *
 * Power-of-two size classes from 16 to 2048 bytes carved out of whole
 * pages ("slabs"); larger requests take contiguous frames through the
 * direct map.  The caller passes the size back to mk_free (as kf_os_free
 * does), so blocks carry no header.  Every block is aligned to its class
 * size (at least 16), which FXSAVE areas inside tasks need.
 *
 * Each slab has a descriptor, in an array indexed by frame number (from
 * RAM's first frame) made at boot: its own free list and its count of
 * blocks in use.  A class keeps the slabs that have a free block on a
 * list; a slab whose last block is freed goes back to the page allocator
 * at once.  So the heap holds no
 * page it does not use, and free memory (sysinfo's freeram) is back to
 * what it was once the objects that took it are gone.
 */
#include <mk/board.h>
#include <mk/mk.h>
#include <kf/hal/irq.h>

#define HEAP_MIN_SHIFT 4
#define HEAP_MAX_SHIFT 11
#define HEAP_CLASSES (HEAP_MAX_SHIFT - HEAP_MIN_SHIFT + 1)
#define HEAP_NO_BLOCK 0xffffu

struct heap_free {
	uint16_t next;		/* offset in the page, or HEAP_NO_BLOCK */
};

/* A slab's descriptor.  Frame 0 is never a slab, so 0 ends the lists. */
struct heap_slab {
	uint32_t prev, next;	/* frame numbers on its class's list */
	uint16_t free;		/* first free block's offset, or HEAP_NO_BLOCK */
	uint16_t inuse;		/* blocks handed out */
};

static struct heap_slab *slabs;		/* by frame number - first_frame */
static uint32_t first_frame;
static uint32_t partial[HEAP_CLASSES];	/* slabs with a free block */
static size_t heap_bytes;

void mk_heap_init(void)
{
	size_t bytes = mk_pmm_nr_frames() * sizeof(*slabs);
	uint64_t pa = mk_pages_alloc(MK_ALIGN_UP(bytes, MK_PAGE_SIZE) /
				     MK_PAGE_SIZE);

	if (!pa)
		mk_panic("heap: no room for %lu bytes of slab descriptors",
			 (unsigned long)bytes);
	slabs = board_phys_to_virt(pa);		/* zeroed */
	first_frame = (uint32_t)mk_pmm_first_frame();
}

/* The descriptor of the slab in frame @f. */
static struct heap_slab *slab(uint32_t f)
{
	return &slabs[f - first_frame];
}

static unsigned heap_class_of(size_t size)
{
	unsigned c = 0;

	while (((size_t)1 << (c + HEAP_MIN_SHIFT)) < size)
		c++;
	return c;
}

static char *slab_page(uint32_t f)
{
	return board_phys_to_virt((uint64_t)f * MK_PAGE_SIZE);
}

static void partial_add(unsigned c, uint32_t f)
{
	struct heap_slab *s = slab(f);

	s->prev = 0;
	s->next = partial[c];
	if (partial[c])
		slab(partial[c])->prev = f;
	partial[c] = f;
}

static void partial_del(unsigned c, uint32_t f)
{
	struct heap_slab *s = slab(f);

	if (s->prev)
		slab(s->prev)->next = s->next;
	else
		partial[c] = s->next;
	if (s->next)
		slab(s->next)->prev = s->prev;
	s->prev = s->next = 0;
}

/* A fresh page cut into blocks of class @c, on the class's list. */
static bool slab_new(unsigned c)
{
	size_t bs = (size_t)1 << (c + HEAP_MIN_SHIFT), off;
	uint64_t pa = mk_page_alloc();
	uint32_t f = (uint32_t)(pa / MK_PAGE_SIZE);
	char *page;

	if (!pa)
		return false;
	page = slab_page(f);
	for (off = 0; off < MK_PAGE_SIZE; off += bs)
		((struct heap_free *)(page + off))->next =
			off + bs < MK_PAGE_SIZE ? (uint16_t)(off + bs) :
						  HEAP_NO_BLOCK;
	slab(f)->free = 0;
	slab(f)->inuse = 0;
	partial_add(c, f);
	return true;
}

static void *heap_small(size_t size)
{
	unsigned c = heap_class_of(size);
	struct heap_slab *s;
	struct heap_free *b;
	uint32_t f;

	if (!partial[c] && !slab_new(c))
		return NULL;
	f = partial[c];
	s = slab(f);
	b = (struct heap_free *)(slab_page(f) + s->free);
	s->free = b->next;
	s->inuse++;
	if (s->free == HEAP_NO_BLOCK)
		partial_del(c, f);
	memset(b, 0, (size_t)1 << (c + HEAP_MIN_SHIFT));
	return b;
}

/* Back on its slab's free list; an empty slab goes back to the pages. */
static void heap_small_free(void *p, size_t size)
{
	unsigned c = heap_class_of(size);
	uint64_t pa = board_virt_to_phys(p);
	uint32_t f = (uint32_t)(pa / MK_PAGE_SIZE);
	struct heap_slab *s = slab(f);
	struct heap_free *b = p;

	if (s->inuse == 0)
		mk_panic("mk_free: %p is not in use", p);
	if (s->free == HEAP_NO_BLOCK)
		partial_add(c, f);
	b->next = s->free;
	s->free = (uint16_t)(pa % MK_PAGE_SIZE);
	if (--s->inuse == 0) {
		partial_del(c, f);
		mk_page_put(pa & MK_PAGE_MASK);
	}
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
		heap_small_free(p, size);
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
