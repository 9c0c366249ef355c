// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/kstack.c - kernel stacks with guard pages.
 *
 * The board's kmap window is cut into slots of one unmapped guard page
 * followed by KF_ARCH_KSTACK_SIZE of mapped stack, so running off the
 * bottom of a stack faults at once instead of corrupting a neighbour.
 * Stack pages are ordinary frames mapped one by one; the window's page
 * tables are all made at the first allocation, so that a stack takes no
 * frame but its own pages, and gives back exactly what it took.
 */
#include <kf/hal/context.h>
#include <mk/board.h>
#include <mk/mk.h>
#include <kf/hal/irq.h>

#define KSTACK_PAGES (KF_ARCH_KSTACK_SIZE / MK_PAGE_SIZE)
#define KSTACK_SLOT (KF_ARCH_KSTACK_SIZE + MK_PAGE_SIZE)
#define KSTACK_MAX_SLOTS 4096

static uint64_t slot_used[KSTACK_MAX_SLOTS / 64];
static uintptr_t window_base;
static size_t nr_slots;

static void kstack_init(void)
{
	size_t size;

	board_kmap_window(&window_base, &size);
	nr_slots = size / KSTACK_SLOT;
	if (nr_slots > KSTACK_MAX_SLOTS)
		nr_slots = KSTACK_MAX_SLOTS;
	if (board_kmap_populate(window_base, nr_slots * KSTACK_SLOT))
		mk_panic("kstack: no page tables for %lu stacks",
			 (unsigned long)nr_slots);
}

static long slot_take(void)
{
	size_t i;

	for (i = 0; i < nr_slots; i++) {
		if (!(slot_used[i / 64] & (1ull << (i % 64)))) {
			slot_used[i / 64] |= 1ull << (i % 64);
			return (long)i;
		}
	}
	return -1;
}

static void slot_release(size_t i)
{
	slot_used[i / 64] &= ~(1ull << (i % 64));
}

/* Unmap and free the first @n pages of the stack at @base. */
static void kstack_unmap(uintptr_t base, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t pa = board_kunmap(base + i * MK_PAGE_SIZE);

		if (pa)
			mk_page_put(pa);
	}
}

void *mk_kstack_alloc(void)
{
	unsigned long flags = kf_arch_irq_save();
	uintptr_t base;
	long slot;
	size_t i;

	if (!window_base)
		kstack_init();
	slot = slot_take();
	kf_arch_irq_restore(flags);
	if (slot < 0)
		return NULL;
	base = window_base + (size_t)slot * KSTACK_SLOT + MK_PAGE_SIZE;
	for (i = 0; i < KSTACK_PAGES; i++) {
		uint64_t pa = mk_page_alloc();

		if (!pa || board_kmap(base + i * MK_PAGE_SIZE, pa)) {
			if (pa)
				mk_page_put(pa);
			kstack_unmap(base, i);
			slot_release((size_t)slot);
			return NULL;
		}
	}
	return (void *)base;
}

void mk_kstack_free(void *p)
{
	uintptr_t base = (uintptr_t)p;
	size_t slot = (base - MK_PAGE_SIZE - window_base) / KSTACK_SLOT;

	kstack_unmap(base, KSTACK_PAGES);
	slot_release(slot);
}

bool mk_kstack_guard_hit(uintptr_t addr)
{
	size_t off;

	if (!window_base || addr < window_base)
		return false;
	off = addr - window_base;
	return off / KSTACK_SLOT < nr_slots && off % KSTACK_SLOT < MK_PAGE_SIZE;
}
