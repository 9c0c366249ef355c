/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ports/minikernel/arch/aarch64/head.S - the Linux arm64 Image header and
 * the way from QEMU's entry to C with the MMU on.
 *
 * QEMU (-kernel with an arm64 Image) copies the file to RAM + text_offset
 * (0x40200000 on virt) and enters its first instruction with the MMU and
 * caches off, x0 = the DTB's physical address, at EL1 (or EL2 with
 * -M virt,virtualization=on, which is dropped to EL1 here).  The image is
 * linked at A64_KBASE + its physical address, so until the MMU is on only
 * PC-relative addressing (adr, adrp) works, and no C runs (x19 and x20
 * carry the DTB address and the entry EL through).  The boot code:
 *   1. drops to EL1 if entered at EL2;
 *   2. zeroes the page-table section and builds the kernel's tables in
 *      it: L0[0] -> L1, whose slot 0 maps the first GiB (devices) and
 *      whose RAM slot maps the image with 2 MiB blocks; L0[1] -> the kmap
 *      window's L1.  TTBR0 and TTBR1 both take that L0, so the image is
 *      mapped at its physical address too while the MMU comes on;
 *   3. enables the MMU (MAIR, TCR, SCTLR) and jumps to the high address;
 *   4. drops the identity map (TTBR0 = an empty table), zeroes .bss, sets
 *      the boot stack and VBAR_EL1, and calls a64_boot_main(dtb).
 * The C code then adds the rest of RAM to the direct map (paging.c); the
 * tables here are never replaced, only filled in, so no live entry ever
 * changes (no break-before-make needed).
 */
#include "a64.h"

#define CURRENTEL_EL2	(2 << 2)
#define HCR_RW		(1 << 31)	/* EL1 is AArch64 */
#define CNTHCTL_EL1PCEN	3		/* EL1 may use the physical counter and timer */
#define CPTR_EL2_RES1	0x33ff		/* and TFP clear: no FP/SIMD trap */
#define SPSR_EL1H_MASKED 0x3c5		/* EL1h, D A I F masked */
#define CPACR_FPEN	(3 << 20)	/* FP/SIMD at EL0 and EL1 */
#define SZ_2M		0x200000

	.section .text.head, "ax"
	.globl _start
_start:
	/* The arm64 Image header (Linux's Documentation/arch/arm64/booting). */
	b a64_entry			/* code0 */
	.long 0				/* code1 */
	.quad A64_TEXT_OFFSET		/* text_offset */
	.quad _image_size		/* image_size, .bss included */
	.quad 0x2			/* flags: little endian, 4 KiB pages,
					 * 2 MiB-aligned base at the start of RAM */
	.quad 0, 0, 0			/* res2..res4 */
	.ascii "ARM\x64"		/* magic */
	.long 0				/* res5 (no PE/COFF header) */

a64_entry:
	mov x19, x0			/* the DTB, until C */
	msr daifset, #0xf
	mrs x0, CurrentEL
	mov x20, x0			/* reported by C */
	cmp x0, #CURRENTEL_EL2
	b.ne 1f
	bl a64_el2_to_el1
1:	ldr x0, =A64_SCTLR_MMU_OFF
	msr sctlr_el1, x0
	isb
	mov x0, #CPACR_FPEN
	msr cpacr_el1, x0
	/* The image must run where it is linked: text_offset into RAM at
	 * 0x40000000 (QEMU's virt).  Anywhere else, stop. */
	adr x0, _start
	ldr x1, =_start - A64_KBASE
	cmp x0, x1
	b.ne a64_halt_early
	bl a64_build_tables
	bl a64_mmu_on
	ldr x0, =a64_high
	br x0

/*
 * a64_el2_to_el1 - leave EL2 for EL1h with the counters and FP/SIMD
 * usable there and no stage 2 (HCR_EL2.VM clear); returns at EL1.
 */
a64_el2_to_el1:
	mov x0, #HCR_RW
	msr hcr_el2, x0
	mrs x0, cnthctl_el2
	orr x0, x0, #CNTHCTL_EL1PCEN
	msr cnthctl_el2, x0
	msr cntvoff_el2, xzr
	mov x0, #CPTR_EL2_RES1
	msr cptr_el2, x0
	msr hstr_el2, xzr
	ldr x0, =A64_SCTLR_MMU_OFF
	msr sctlr_el1, x0
	mov x0, #SPSR_EL1H_MASKED
	msr spsr_el2, x0
	msr elr_el2, x30
	eret

/* Wrong load address: nothing can be reported yet. */
a64_halt_early:
	wfe
	b a64_halt_early

/*
 * a64_build_tables - MMU off: zero the page-table section, then
 * L0[0] -> L1, L0[1] -> kmap L1, L1[0] = the first GiB as device memory,
 * L1[image's GiB] -> L2 pool[0], whose 2 MiB blocks cover the image.
 * Data writes with the MMU off bypass the caches: invalidate the tables'
 * lines afterwards so no stale line hides them once the caches are on.
 */
a64_build_tables:
	adrp x0, __pgtables_start
	adrp x1, __pgtables_end
1:	stp xzr, xzr, [x0], #16
	cmp x0, x1
	b.lo 1b

	adrp x0, a64_k_l0
	adrp x1, a64_k_l1
	orr x2, x1, #A64_DESC_TABLE
	str x2, [x0]
	adrp x3, a64_kmap_l1
	orr x2, x3, #A64_DESC_TABLE
	str x2, [x0, #8]
	ldr x2, =(A64_DESC_BLOCK | A64_ATTR_DEVICE | A64_AF | A64_PXN | A64_UXN)
	str x2, [x1]

	adr x4, _start			/* the image's physical extent */
	adrp x7, __kernel_end
	lsr x5, x4, #30
	adrp x6, a64_k_l2
	orr x2, x6, #A64_DESC_TABLE
	str x2, [x1, x5, lsl #3]
	and x8, x4, #~(SZ_2M - 1)
	ldr x9, =(A64_DESC_BLOCK | A64_ATTR_NORMAL | A64_SH_INNER | A64_AF | A64_UXN)
2:	ubfx x10, x8, #21, #9
	orr x2, x8, x9
	str x2, [x6, x10, lsl #3]
	add x8, x8, #SZ_2M
	cmp x8, x7
	b.lo 2b

	dsb sy
	mrs x3, ctr_el0			/* DminLine: words per D-cache line */
	ubfx x3, x3, #16, #4
	mov x2, #4
	lsl x2, x2, x3
	adrp x0, __pgtables_start
	adrp x1, __pgtables_end
3:	dc ivac, x0
	add x0, x0, x2
	cmp x0, x1
	b.lo 3b
	dsb sy
	ret

/*
 * a64_mmu_on - MAIR, TCR (IPS = the CPU's PARange, at most 48 bits; 16-bit
 * ASIDs when the CPU has them), both TTBRs at the boot L0, then SCTLR.
 */
a64_mmu_on:
	ldr x0, =A64_MAIR
	msr mair_el1, x0
	mrs x1, id_aa64mmfr0_el1
	and x2, x1, #0xf		/* PARange */
	cmp x2, #5
	mov x3, #5
	csel x2, x2, x3, ls
	ldr x0, =A64_TCR_BASE
	orr x0, x0, x2, lsl #32
	ubfx x3, x1, #4, #4		/* ASIDBits: 2 = 16 bits */
	cmp x3, #2
	b.ne 1f
	mov x3, #1
	orr x0, x0, x3, lsl #36		/* TCR_EL1.AS */
1:	msr tcr_el1, x0
	adrp x0, a64_k_l0
	msr ttbr0_el1, x0
	msr ttbr1_el1, x0
	isb
	tlbi vmalle1
	dsb nsh
	isb
	ldr x0, =A64_SCTLR_MMU_ON
	msr sctlr_el1, x0
	isb
	ic iallu			/* nothing fetched with the MMU off stays */
	dsb nsh
	isb
	ret

	.text
/* Running at the kernel's own addresses from here on. */
a64_high:
	ldr x0, =a64_boot_ttbr0
	ldr x1, =A64_KBASE
	sub x0, x0, x1
	msr ttbr0_el1, x0
	isb
	tlbi vmalle1
	dsb nsh
	isb
	ldr x0, =__bss_start
	ldr x1, =__bss_end
1:	stp xzr, xzr, [x0], #16
	cmp x0, x1
	b.lo 1b
	ldr x0, =a64_boot_stack_top
	mov sp, x0
	ldr x0, =a64_vectors
	msr vbar_el1, x0
	isb
	mov x29, xzr
	mov x0, x19
	mov x1, x20
	bl a64_boot_main
2:	wfi
	b 2b

	/* The kernel's tables (NOLOAD; zeroed by a64_build_tables). */
	.section .pgtables, "aw", %nobits
	.balign 4096
	.globl a64_k_l0, a64_k_l1, a64_k_l2, a64_kmap_l1, a64_boot_ttbr0
a64_k_l0:
	.skip 4096
a64_k_l1:
	.skip 4096
a64_kmap_l1:
	.skip 4096
a64_boot_ttbr0:			/* empty: user addresses fault at boot */
	.skip 4096
a64_k_l2:			/* pool of L2 tables for the direct map */
	.skip 4096 * A64_L2_POOL

	.section .bss.boot_stack, "aw", %nobits
	.balign 16
	.globl a64_boot_stack, a64_boot_stack_top
a64_boot_stack:
	.skip 16384
a64_boot_stack_top:
