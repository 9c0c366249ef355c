// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/riscv64/boot.c - the kernel's page tables and the
 * bring-up after OpenSBI: paging, the trap vector, the DTB, the clock.
 *
 * Kernel root entry   what                                     how
 * 256..510            RV_DMAP + PA: the first GiB (devices),   1 GiB pages,
 *                     every GiB with RAM (the image included)   global
 * 511                 kmap window (RV_KMAP, 1 GiB)             4 KiB pages
 * Under Sv48 the same 512 entries are the level-2 table of root entry 511
 * (0xffffffc000000000 is its entry 256 there too).  The tables under these
 * entries exist from boot on and are never freed, so the copies in user
 * roots (kf_arch_pgd_init) stay valid; the kmap window's lower tables come
 * from the page allocator (board_kmap_populate makes them all at once).
 */
#include <kf/hal/tlb.h>
#include <mk/board.h>
#include <mk/mk.h>
#include "riscv.h"

#define PTE_V	0x001ul
#define PTE_R	0x002ul
#define PTE_W	0x004ul
#define PTE_X	0x008ul
#define PTE_G	0x020ul
#define PTE_A	0x040ul
#define PTE_D	0x080ul
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK (((1ul << 44) - 1) << PTE_PPN_SHIFT)

typedef uint64_t rv_table_t[512] __attribute__((aligned(4096)));

static rv_table_t rv_kroot;	/* Sv39 root, or Sv48's level 2 under 511 */
static rv_table_t rv_root48;	/* Sv48 root */
static rv_table_t rv_kmap_l1;	/* the kmap window's 2 MiB entries */

extern char _kernel_start[], _kernel_end[];
extern void rv_trap_entry(void);
uint64_t rv_kstack_lo;		/* entry.S: the running stack's bottom */

static uint64_t pte_table(uint64_t pa)
{
	return (pa >> 12) << PTE_PPN_SHIFT | PTE_V;
}

/* Leaves of the kernel: global, A and D preset (a hart may fault rather
 * than set them). */
static uint64_t pte_leaf(uint64_t pa, uint64_t perm)
{
	return (pa >> 12) << PTE_PPN_SHIFT | perm | PTE_V | PTE_G | PTE_A |
	       PTE_D;
}

static void sbi_puts_early(const char *s)
{
	while (*s)
		sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*s++, 0, 0);
}

/*
 * rv_boot_paging - called by head.S at the physical address with paging
 * off: every pointer here is physical, and nothing may use an absolute
 * address (no tables of pointers, no switch).  Maps the image's GiB both
 * where it runs (identity, for the jump) and at RV_DMAP, the DTB's GiB
 * and the devices' first GiB at RV_DMAP, then writes satp in the
 * configured mode.  satp is WARL: a hart that does not implement the mode
 * ignores the write, which is how the mode is checked.  Returns the satp
 * value, or 0 (paging still off) when the hart refused it.
 */
uint64_t rv_boot_paging(uint64_t dtb_pa)
{
	uint64_t kpa = (uint64_t)_kernel_start;	/* physical, here */
	uint64_t kgib = kpa >> 30, dgib = dtb_pa >> 30, root, satp;

	rv_kroot[kgib] = pte_leaf(kgib << 30, PTE_R | PTE_W | PTE_X);
	rv_kroot[256 + kgib] = pte_leaf(kgib << 30, PTE_R | PTE_W | PTE_X);
	if (dgib != kgib && dgib < 255)
		rv_kroot[256 + dgib] = pte_leaf(dgib << 30, PTE_R | PTE_W);
	rv_kroot[256] = pte_leaf(0, PTE_R | PTE_W);
	rv_kroot[511] = pte_table((uint64_t)rv_kmap_l1);
	root = (uint64_t)rv_kroot;
	if (KF_PT_LEVELS == 4) {
		rv_root48[0] = pte_table((uint64_t)rv_kroot);	/* identity */
		rv_root48[511] = pte_table((uint64_t)rv_kroot);
		root = (uint64_t)rv_root48;
	}
	satp = kf_rv_satp(root, 0);
	__asm__ volatile("sfence.vma" : : : "memory");
	__asm__ volatile("csrw satp, %0" : : "r"(satp) : "memory");
	if (csr_read(satp) != satp) {
		sbi_puts_early(KF_PT_LEVELS == 4 ?
			"riscv64: this hart does not accept Sv48 (satp MODE 9); "
			"build with CONFIG_KF_RISCV_SV48=n\n" :
			"riscv64: this hart does not accept Sv39 (satp MODE 8)\n");
		csr_write(satp, 0);	/* whatever it took: paging off */
		return 0;
	}
	__asm__ volatile("sfence.vma" : : : "memory");
	return satp;
}

static uint64_t kernel_pa(const void *va)
{
	return (uint64_t)va - RV_DMAP;
}

static kf_paddr_t kernel_root_pa(void)
{
	return kernel_pa(KF_PT_LEVELS == 4 ? rv_root48 : rv_kroot);
}

/* Now at RV_DMAP: the identity entry of the jump goes. */
static void drop_identity(void)
{
	rv_kroot[kernel_pa(_kernel_start) >> 30] = 0;
	rv_root48[0] = 0;
	__asm__ volatile("sfence.vma" : : : "memory");
}

/* rv_map_ram - every GiB that holds RAM, at RV_DMAP + PA (before any user
 * root copies the entries). */
void rv_map_ram(const struct mk_bootinfo *bi)
{
	unsigned i;

	for (i = 0; i < bi->nr_ram; i++) {
		uint64_t g = bi->ram[i].base >> 30;
		uint64_t end = bi->ram[i].base + bi->ram[i].size;

		for (; g << 30 < end; g++) {
			if (g == 0 || (g << 30) >= RV_DMAP_MAX) {
				mk_printk("riscv64: RAM at %lx not mapped\n",
					  (unsigned long)(g << 30));
				continue;
			}
			rv_kroot[256 + g] = pte_leaf(g << 30, PTE_R | PTE_W | PTE_X);
		}
	}
	__asm__ volatile("sfence.vma" : : : "memory");
}

void *board_phys_to_virt(uint64_t pa)
{
	return (void *)(RV_DMAP + pa);
}

uint64_t board_virt_to_phys(const void *va)
{
	return (uint64_t)va - RV_DMAP;
}

/* ---- The kmap window ---------------------------------------------------------- */

/* kmap_slot - the leaf slot for @va in the window; its table is made
 * when missing.  NULL when out of memory. */
static uint64_t *kmap_slot(uintptr_t va)
{
	uint64_t *e = &rv_kmap_l1[(va >> 21) & 511];

	if (!(*e & PTE_V)) {
		uint64_t pa = mk_page_alloc();

		if (!pa)
			return NULL;
		*e = pte_table(pa);
	}
	return (uint64_t *)board_phys_to_virt((*e & PTE_PPN_MASK) >>
					      PTE_PPN_SHIFT << 12) +
	       ((va >> 12) & 511);
}

/* Global entries: only sfence.vma with rs2 = x0 drops them. */
static void kmap_flush(uintptr_t va)
{
	__asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
}

void board_kmap_window(uintptr_t *base, size_t *size)
{
	*base = RV_KMAP;
	*size = RV_KMAP_SIZE;
}

int board_kmap(uintptr_t va, uint64_t pa)
{
	uint64_t *e = kmap_slot(va);

	if (!e)
		return -KF_ENOMEM;
	*e = pte_leaf(pa, PTE_R | PTE_W);
	kmap_flush(va);
	return 0;
}

int board_kmap_populate(uintptr_t va, size_t size)
{
	uintptr_t end = va + size;

	for (va &= ~((1ul << 21) - 1); va < end; va += 1ul << 21)
		if (!kmap_slot(va))
			return -KF_ENOMEM;
	return 0;
}

uint64_t board_kunmap(uintptr_t va)
{
	uint64_t *e = kmap_slot(va), pa = 0;

	if (e && (*e & PTE_V)) {
		pa = (*e & PTE_PPN_MASK) >> PTE_PPN_SHIFT << 12;
		*e = 0;
		kmap_flush(va);
	}
	return pa;
}

/* ---- Bring-up ----------------------------------------------------------------- */

static void bi_reserve(struct mk_bootinfo *bi, uint64_t base, uint64_t size)
{
	if (bi->nr_reserved == MK_MAX_MEM_REGIONS) {
		mk_printk("riscv64: too many reserved ranges, %lx+%lx ignored\n",
			  (unsigned long)base, (unsigned long)size);
		return;
	}
	bi->reserved[bi->nr_reserved].base = base;
	bi->reserved[bi->nr_reserved].size = size;
	bi->nr_reserved++;
}

/* cmdline_has - is @word a whole word of the command line @c? */
static bool cmdline_has(const char *line, const char *word)
{
	size_t n = strlen(word);
	const char *c;

	for (c = line; *c; c++)
		if ((c == line || c[-1] == ' ') && !strncmp(c, word, n) &&
		    (c[n] == ' ' || c[n] == 0))
			return true;
	return false;
}

/* rv_boot_main - called by head.S at RV_DMAP on the boot stack.
 * riscv.asids=off on the command line runs the MMU untagged (a full flush
 * at every switch), the path of a hart without ASIDs. */
void __attribute__((noreturn)) rv_boot_main(uint64_t hartid, uint64_t dtb_pa)
{
	static struct mk_bootinfo bi;
	unsigned asids;

	drop_identity();
	csr_write(sscratch, 0);
	csr_write(stvec, (uint64_t)rv_trap_entry);
	/* user FP state is switched with the thread: keep the unit on */
	csr_set(sstatus, KF_RV_SSTATUS_FS_INITIAL);
	/* user space may read the time CSR (rdtime), as on Linux; not the
	 * cycle and instret counters */
	csr_write(scounteren, SCOUNTEREN_TM);
	fdt_parse(board_phys_to_virt(dtb_pa), dtb_pa, hartid, &bi);
	rv_console_init();
	bi_reserve(&bi, kernel_pa(_kernel_start),
		   (uint64_t)(_kernel_end - _kernel_start));
	rv_map_ram(&bi);
	kf_arch_set_kernel_root(kernel_root_pa());
	asids = kf_rv_mmu_init(!cmdline_has(bi.cmdline, "riscv.asids=off"));
	rv_clock_init();
	mk_printk("kfork minikernel: riscv64, hart %lu, %s, %u ASIDs%s, "
		  "SUM for user copies, timer %s\n", (unsigned long)hartid,
		  KF_PT_LEVELS == 4 ? "Sv48" : "Sv39", asids,
		  asids ? "" : " (untagged: full flush per switch)",
		  rv_mach.sstc ? "Sstc" : "SBI");
	mk_printk("riscv64: isa %s\n", rv_mach.isa);
	mk_main(&bi);
}
