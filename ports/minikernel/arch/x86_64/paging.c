// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/x86_64/paging.c - the kernel's page tables.
 *
 * PML4 slot  what                                   how
 * 256..      direct map: X86_DMAP + PA, all RAM     2 MiB pages, NX
 * 510        kmap window (X86_KMAP, 1 GiB)          4 KiB pages made on demand
 * 511        kernel image: X86_KVMA + PA, 1 GiB     2 MiB pages
 * Every PDPT under these slots exists from boot on and is never freed, so
 * the copies of slots 256..511 in user roots (kf_arch_mm_init) stay valid.
 * The tables built here live in the kernel image's bss; the kmap window's
 * lower tables come from the page allocator.
 */
#include <kf/hal/tlb.h>
#include <mk/board.h>
#include <mk/mk.h>
#include "x86.h"

#define PTE_P	0x001ul
#define PTE_RW	0x002ul
#define PTE_PWT	0x008ul
#define PTE_PCD	0x010ul
#define PTE_PS	0x080ul
#define PTE_G	0x100ul
#define PTE_NX	(1ul << 63)
#define PTE_ADDR 0x000ffffffffff000ul

#define DMAP_MAX_GIB 64		/* direct map limit: one PD per GiB */

typedef uint64_t x86_table_t[512] __attribute__((aligned(4096)));

static x86_table_t kpml4, kpdpt_img, kpd_img, kpdpt_kmap;
static x86_table_t kpdpt_dmap;
static x86_table_t kpd_dmap[DMAP_MAX_GIB];

static uint64_t img_pa(const void *p)
{
	return (uint64_t)p - X86_KVMA;
}

void *board_phys_to_virt(uint64_t pa)
{
	return (void *)(X86_DMAP + pa);
}

uint64_t board_virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;

	return v >= X86_KVMA ? v - X86_KVMA : v - X86_DMAP;
}

static uint64_t x86_global(void)
{
	return x86_feat.pge ? PTE_G : 0;
}

static uint64_t x86_nx(void)
{
	return x86_feat.nx ? PTE_NX : 0;
}

/* 1 GiB of 2 MiB pages for the image (read-write-execute: W^X later). */
static void x86_map_image(void)
{
	unsigned i;

	for (i = 0; i < 512; i++)
		kpd_img[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS |
			     x86_global();
	kpdpt_img[510] = img_pa(kpd_img) | PTE_P | PTE_RW;
	kpml4[511] = img_pa(kpdpt_img) | PTE_P | PTE_RW;
}

/* All RAM below @ram_top, and at least the low 4 GiB (the LAPIC and other
 * devices sit just below 4 GiB; they are reached through x86_map_mmio). */
static void x86_map_direct(uint64_t ram_top)
{
	uint64_t gib = MK_ALIGN_UP(ram_top, 1ul << 30) >> 30, g, i;

	if (gib < 4)
		gib = 4;
	if (gib > DMAP_MAX_GIB) {
		mk_printk("x86: direct map limited to %d GiB\n", DMAP_MAX_GIB);
		gib = DMAP_MAX_GIB;
	}
	for (g = 0; g < gib; g++) {
		for (i = 0; i < 512; i++)
			kpd_dmap[g][i] = (g << 30) | (i << 21) | PTE_P | PTE_RW |
					 PTE_PS | x86_global() | x86_nx();
		kpdpt_dmap[g] = img_pa(kpd_dmap[g]) | PTE_P | PTE_RW;
	}
	kpml4[256] = img_pa(kpdpt_dmap) | PTE_P | PTE_RW;
}

/* kmap_slot - the PTE slot for @va in the kmap window; tables are made as
 * needed.  NULL when out of memory. */
static uint64_t *kmap_slot(uintptr_t va)
{
	uint64_t *table = kpdpt_kmap;
	unsigned shift;

	for (shift = 30; shift > 12; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & 511];

		if (!(*e & PTE_P)) {
			uint64_t pa = mk_page_alloc();

			if (!pa)
				return NULL;
			*e = pa | PTE_P | PTE_RW;
		}
		table = board_phys_to_virt(*e & PTE_ADDR);
	}
	return &table[(va >> 12) & 511];
}

static void x86_invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static int x86_kmap_flags(uintptr_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *e = kmap_slot(va);

	if (!e)
		return -KF_ENOMEM;
	*e = (pa & PTE_ADDR) | flags | PTE_P | x86_global() | x86_nx();
	x86_invlpg(va);
	return 0;
}

void board_kmap_window(uintptr_t *base, size_t *size)
{
	*base = X86_KMAP + X86_MMIO_SLOTS * MK_PAGE_SIZE;
	*size = X86_KMAP_SIZE - X86_MMIO_SLOTS * MK_PAGE_SIZE;
}

int board_kmap(uintptr_t va, uint64_t pa)
{
	return x86_kmap_flags(va, pa, PTE_RW);
}

int board_kmap_populate(uintptr_t va, size_t size)
{
	uintptr_t end = va + size;

	/* one slot per page table (2 MiB) makes all the tables above it */
	for (va &= ~((1ul << 21) - 1); va < end; va += 1ul << 21)
		if (!kmap_slot(va))
			return -KF_ENOMEM;
	return 0;
}

uint64_t board_kunmap(uintptr_t va)
{
	uint64_t *e = kmap_slot(va), pa = 0;

	if (e && (*e & PTE_P)) {
		pa = *e & PTE_ADDR;
		*e = 0;
		x86_invlpg(va);
	}
	return pa;
}

/* x86_map_mmio - an uncached mapping of the device page at @pa, in the
 * window's first slots (boot only; never unmapped). */
volatile void *x86_map_mmio(uint64_t pa)
{
	static unsigned used;
	uintptr_t va = X86_KMAP + used * MK_PAGE_SIZE;

	if (used == X86_MMIO_SLOTS ||
	    x86_kmap_flags(va, pa, PTE_RW | PTE_PCD | PTE_PWT))
		mk_panic("x86_map_mmio: no slot for %lx", (unsigned long)pa);
	used++;
	return (volatile void *)(va + (pa & ~MK_PAGE_MASK));
}

/*
 * x86_paging_init - build the kernel tables and switch to them.  The boot
 * identity map disappears: every pointer used afterwards must be a kernel
 * (KVMA or direct-map) address.
 */
void x86_paging_init(uint64_t ram_top)
{
	x86_map_image();
	x86_map_direct(ram_top);
	kpml4[510] = img_pa(kpdpt_kmap) | PTE_P | PTE_RW;
	X86_WRITE_CR(3, img_pa(kpml4));
	kf_arch_set_kernel_root(img_pa(kpml4));
}
