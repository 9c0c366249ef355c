// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/aarch64/paging.c - the kernel's half of the
 * address space (TTBR1), made by head.S and filled in here.
 *
 * L0 slot  what                                        how
 * 0        VA = A64_KBASE + PA: the first GiB as       L1 slot 0: a 1 GiB
 *          device memory (GIC, PL011), then RAM         device block; RAM in
 *          (the direct map, the image inside it)        2 MiB blocks, XN
 *                                                        except the image's
 * 1        kmap window (A64_KMAP, 1 GiB)               4 KiB pages made on
 *                                                        demand
 * Every entry is global (nG clear): user address spaces live in TTBR0
 * and never see these tables.  Entries are only ever added to the direct
 * map (it is built while the MMU runs on it, so changing a live entry
 * would need break-before-make); the kmap window's pages come and go
 * with a TLB invalidation.
 */
#include <kf/hal/pte.h>
#include <mk/board.h>
#include <mk/mk.h>
#include "a64.h"

#define SZ_2M		0x200000ul
#define A64_OA_MASK	0x0000fffffffff000ul
#define RAM_BLOCK	(A64_DESC_BLOCK | A64_ATTR_NORMAL | A64_SH_INNER | A64_AF | \
			 A64_PXN | A64_UXN)
#define KMAP_PAGE	(A64_DESC_PAGE | A64_ATTR_NORMAL | A64_SH_INNER | A64_AF | \
			 A64_PXN | A64_UXN)

extern uint64_t a64_k_l1[512], a64_k_l2[A64_L2_POOL][512], a64_kmap_l1[512];
static unsigned l2_used = 1;	/* head.S took pool[0] for the image's GiB */

void *board_phys_to_virt(uint64_t pa)
{
	return (void *)(A64_KBASE + pa);
}

/* The direct map and the image are one mapping. */
uint64_t board_virt_to_phys(const void *va)
{
	return (uint64_t)va - A64_KBASE;
}

static bool desc_valid(uint64_t e)
{
	return e & 1;
}

/* l2_for - the L2 table of RAM GiB @gib, linked from the pool if new. */
static uint64_t *l2_for(uint64_t gib)
{
	uint64_t *e = &a64_k_l1[gib];

	if (!desc_valid(*e)) {
		if (l2_used == A64_L2_POOL)
			return NULL;
		*e = board_virt_to_phys(a64_k_l2[l2_used++]) | A64_DESC_TABLE;
	}
	return board_phys_to_virt(*e & A64_OA_MASK);
}

/*
 * a64_map_ram - RAM [@base, @base + @size) in the direct map, in 2 MiB
 * blocks (a region that does not end on 2 MiB maps up to the next
 * boundary).  Blocks already there (the image's) stay as they are.
 */
void a64_map_ram(uint64_t base, uint64_t size)
{
	uint64_t b = MK_ALIGN_DOWN(base, SZ_2M), end = MK_ALIGN_UP(base + size, SZ_2M);

	for (; b < end; b += SZ_2M) {
		uint64_t gib = b >> 30, *l2;

		if (gib == 0 || gib >= 512)
			mk_panic("a64: RAM at %lx is outside the direct map",
				 (unsigned long)b);
		l2 = l2_for(gib);
		if (!l2) {
			mk_printk("a64: RAM from %lx on not mapped (%d GiB of "
				  "tables)\n", (unsigned long)b, A64_L2_POOL);
			break;
		}
		if (!desc_valid(l2[(b >> 21) & 511]))
			l2[(b >> 21) & 511] = b | RAM_BLOCK;
	}
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
}

/* ---- The kmap window ---------------------------------------------------- */

/* kmap_slot - the L3 entry for @va in the window; tables are made as
 * needed (zeroed frames, linked once their zeroes are visible).  NULL
 * when out of memory. */
static uint64_t *kmap_slot(uintptr_t va)
{
	uint64_t *table = a64_kmap_l1;
	unsigned shift;

	for (shift = 30; shift > 12; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & 511];

		if (!desc_valid(*e)) {
			uint64_t pa = mk_page_alloc();

			if (!pa)
				return NULL;
			__asm__ volatile("dsb ishst" : : : "memory");
			*e = pa | A64_DESC_TABLE;
		}
		table = board_phys_to_virt(*e & A64_OA_MASK);
	}
	return &table[(va >> 12) & 511];
}

void board_kmap_window(uintptr_t *base, size_t *size)
{
	*base = A64_KMAP;
	*size = A64_KMAP_SIZE;
}

/* A new kernel page is used at once: make the walker see it first. */
int board_kmap(uintptr_t va, uint64_t pa)
{
	uint64_t *e = kmap_slot(va);

	if (!e)
		return -KF_ENOMEM;
	if (desc_valid(*e))
		mk_panic("board_kmap: %lx is mapped already", (unsigned long)va);
	*e = (pa & A64_OA_MASK) | KMAP_PAGE;
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
	return 0;
}

int board_kmap_populate(uintptr_t va, size_t size)
{
	uintptr_t end = va + size;

	/* one slot per L3 table (2 MiB) makes all the tables above it */
	for (va &= ~(SZ_2M - 1); va < end; va += SZ_2M)
		if (!kmap_slot(va))
			return -KF_ENOMEM;
	return 0;
}

/* Global entries: vaale1is drops the page whatever ASID is running. */
uint64_t board_kunmap(uintptr_t va)
{
	uint64_t *e = kmap_slot(va), pa = 0;

	if (e && desc_valid(*e)) {
		pa = *e & A64_OA_MASK;
		*e = 0;
		__asm__ volatile("dsb ishst\n\ttlbi vaale1is, %0\n\tdsb ish\n\tisb"
				 : : "r"((va >> 12) & 0xfffffffffffull) : "memory");
	}
	return pa;
}
