/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ports/minikernel/arch/x86_64/pvh.S - PVH entry: 32-bit protected mode to long mode.
 *
 * QEMU (-kernel with a Xen PVH note) enters pvh_start32 in 32-bit protected
 * mode with paging off, interrupts off and %ebx = the physical address of
 * struct hvm_start_info.  This stub loads boot page tables that map the
 * first GiB twice (identity, and at KVMA = 0xffffffff80000000), enables
 * long mode, and calls x86_boot_main(start_info) on the boot stack in the
 * higher half.  x86_boot_main replaces these tables before it relies on
 * anything else; the identity map is gone from then on.
 */

#define KVMA		0xffffffff80000000
#define CR0_PE		(1 << 0)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)

	/* The Xen PVH note: name "Xen", type 18 (PHYS32_ENTRY), 8-byte desc. */
	.section .note.pvh, "a", @note
	.balign 4
	.long 4, 8, 18
	.asciz "Xen"
	.balign 4
	.quad pvh_start32

	.section .boot.text, "ax", @progbits
	.code32
	.globl pvh_start32
pvh_start32:
	cli
	cld
	movl %ebx, %edi			/* start_info, argument 1 */

	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP | CR0_PE), %eax
	movl %eax, %cr0

	lgdt boot_gdtr
	ljmp $0x08, $boot_long

	.code64
boot_long:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movl %edi, %edi			/* zero-extend start_info */
	/* QEMU zero-fills bss already; do not depend on it. */
	movabsq $_bss, %rdx
	movabsq $_ebss, %rcx
	subq %rdx, %rcx
	movq %rdi, %rsi
	movq %rdx, %rdi
	xorl %eax, %eax
	rep stosb
	movq %rsi, %rdi
	movabsq $x86_boot_stack_top, %rsp
	xorl %ebp, %ebp
	movabsq $x86_boot_main, %rax
	callq *%rax
1:	hlt
	jmp 1b

	.section .boot.data, "aw", @progbits
	.balign 4096
	/* PML4[0] and PML4[511] -> the same 1 GiB of 2 MiB pages. */
boot_pml4:
	.quad boot_pdpt_lo + 0x3
	.fill 510, 8, 0
	.quad boot_pdpt_hi + 0x3
boot_pdpt_lo:
	.quad boot_pd + 0x3
	.fill 511, 8, 0
boot_pdpt_hi:
	.fill 510, 8, 0
	.quad boot_pd + 0x3
	.quad 0
boot_pd:
	.set i, 0
	.rept 512
	.quad (i << 21) | 0x83		/* P | RW | PS */
	.set i, i + 1
	.endr

	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08 kernel code, 64-bit */
	.quad 0x00cf92000000ffff	/* 0x10 kernel data */
boot_gdt_end:
	.balign 4
	.word 0
boot_gdtr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.section .bss.boot_stack, "aw", @nobits
	.balign 16
	.globl x86_boot_stack
x86_boot_stack:
	.skip 16384
	.globl x86_boot_stack_top
x86_boot_stack_top:
