/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ports/minikernel/arch/riscv64/head.S - the entry from OpenSBI.
 *
 * OpenSBI (fw_dynamic) enters the image at its physical load address in
 * S-mode with a0 = this hart's id, a1 = the DTB's physical address, satp
 * = 0 and interrupts off.  The boot hart is whichever won OpenSBI's
 * lottery: its id is kept, never assumed to be 0.  This code runs at the
 * physical address; being medany (auipc-relative) it may call C that
 * touches only its own statics (boot.c's rv_boot_paging builds the kernel
 * tables with an identity map of the image and turns paging on).  Then it
 * jumps to the same code at RV_DMAP + PA and calls rv_boot_main there.
 */
#define RV_DMAP 0xffffffc000000000

	.section .text.boot, "ax"
	.globl _start
	.type _start, @function
_start:
	csrw sie, zero
	csrci sstatus, 2
	la sp, rv_boot_stack_top
	mv s0, a0
	mv s1, a1
	la t0, __bss_start		/* bss: the loader need not clear it */
	la t1, __bss_end
1:	bgeu t0, t1, 2f
	sd zero, 0(t0)
	addi t0, t0, 8
	j 1b
2:	mv a0, s1
	call rv_boot_paging
	beqz a0, .Lrefused
	li t0, RV_DMAP
	la t1, 3f
	add t1, t1, t0
	jr t1
3:	add sp, sp, t0
	mv a0, s0
	mv a1, s1
	call rv_boot_main
	unimp

	/* The hart refused the paging mode (rv_boot_paging said why through
	 * the SBI console): end with the panic status through -M virt's
	 * sifive test finisher, or spin if there is none. */
.Lrefused:
	li t0, 0x100000
	li t1, (125 << 16) | 0x3333
	sw t1, 0(t0)
4:	wfi
	j 4b
	.size _start, . - _start

	.bss
	.balign 16
	.globl rv_boot_stack_top
rv_boot_stack:
	.space 16384
rv_boot_stack_top:
