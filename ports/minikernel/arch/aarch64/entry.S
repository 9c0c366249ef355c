/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ports/minikernel/arch/aarch64/entry.S - every way into and out of the
 * kernel: the exception vectors, the return to EL0, board_enter_user.
 *
 * The kernel runs at EL1 on SP_EL1 (EL1h).  Each entry saves a struct
 * kf_arch_regs (<kf/arch/context.h>) below the stack pointer: an entry
 * from EL0 finds SP_EL1 at the top of the running thread's kernel stack
 * (the last return to EL0 left it there), so its frame is the one
 * board_user_regs() names.  Entries from EL1 (interrupts, the user copies'
 * faults, kernel bugs) save the same frame on the current stack.
 *
 * A kernel stack overflow runs into an unmapped guard page, and the abort
 * it causes could not save its frame there either: the EL1 synchronous
 * vector first asks the MMU (AT S1E1W) whether the frame's lowest address
 * is writable, and switches to a stack of its own to report it if not.
 */
#include <kf/arch/context.h>

.macro SAVE_FRAME el
	sub sp, sp, #KF_A64_REGS_SIZE
	stp x0, x1, [sp, #16 * 0]
	stp x2, x3, [sp, #16 * 1]
	stp x4, x5, [sp, #16 * 2]
	stp x6, x7, [sp, #16 * 3]
	stp x8, x9, [sp, #16 * 4]
	stp x10, x11, [sp, #16 * 5]
	stp x12, x13, [sp, #16 * 6]
	stp x14, x15, [sp, #16 * 7]
	stp x16, x17, [sp, #16 * 8]
	stp x18, x19, [sp, #16 * 9]
	stp x20, x21, [sp, #16 * 10]
	stp x22, x23, [sp, #16 * 11]
	stp x24, x25, [sp, #16 * 12]
	stp x26, x27, [sp, #16 * 13]
	stp x28, x29, [sp, #16 * 14]
	.if \el == 0
	mrs x21, sp_el0
	.else
	add x21, sp, #KF_A64_REGS_SIZE
	.endif
	stp x30, x21, [sp, #16 * 15]
	mrs x22, elr_el1
	mrs x23, spsr_el1
	stp x22, x23, [sp, #KF_A64_REGS_PC]
	mov x24, #-1
	stp x0, x24, [sp, #KF_A64_REGS_ORIG_X0]
	.if \el == 0
	mov x29, xzr			/* a backtrace stops at user space */
	.endif
.endm

/* Interrupts masked: ELR and SPSR must survive until the eret. */
.macro RESTORE_FRAME el
	msr daifset, #0xf
	ldp x22, x23, [sp, #KF_A64_REGS_PC]
	msr elr_el1, x22
	msr spsr_el1, x23
	.if \el == 0
	ldr x21, [sp, #KF_A64_REGS_SP]
	msr sp_el0, x21
	.endif
	ldp x0, x1, [sp, #16 * 0]
	ldp x2, x3, [sp, #16 * 1]
	ldp x4, x5, [sp, #16 * 2]
	ldp x6, x7, [sp, #16 * 3]
	ldp x8, x9, [sp, #16 * 4]
	ldp x10, x11, [sp, #16 * 5]
	ldp x12, x13, [sp, #16 * 6]
	ldp x14, x15, [sp, #16 * 7]
	ldp x16, x17, [sp, #16 * 8]
	ldp x18, x19, [sp, #16 * 9]
	ldp x20, x21, [sp, #16 * 10]
	ldp x22, x23, [sp, #16 * 11]
	ldp x24, x25, [sp, #16 * 12]
	ldp x26, x27, [sp, #16 * 13]
	ldp x28, x29, [sp, #16 * 14]
	ldr x30, [sp, #16 * 15]
	add sp, sp, #KF_A64_REGS_SIZE
	eret
.endm

.macro VENTRY target
	.balign 128
	b \target
.endm

	.text
	.balign 2048
	.globl a64_vectors
a64_vectors:
	/* current EL with SP_EL0: the kernel never runs so */
	VENTRY a64_bad_sp0
	VENTRY a64_bad_sp0
	VENTRY a64_bad_sp0
	VENTRY a64_bad_sp0
	/* current EL with SP_EL1 */
	.balign 128
	msr tpidr_el1, x0		/* scratch: nothing runs in between */
	sub x0, sp, #KF_A64_REGS_SIZE
	at s1e1w, x0
	isb
	mrs x0, par_el1
	tbnz x0, #0, a64_el1_stack_overflow
	mrs x0, tpidr_el1
	b a64_el1_sync
	VENTRY a64_el1_irq
	VENTRY a64_bad_el1
	VENTRY a64_bad_el1		/* SError */
	/* lower EL, AArch64 */
	VENTRY a64_el0_sync
	VENTRY a64_el0_irq
	VENTRY a64_bad_el0
	VENTRY a64_bad_el0		/* SError */
	/* lower EL, AArch32: no such programs */
	VENTRY a64_bad_el0
	VENTRY a64_bad_el0
	VENTRY a64_bad_el0
	VENTRY a64_bad_el0

a64_el1_sync:
	SAVE_FRAME 1
	mov x0, sp
	bl a64_el1_sync_handler
	RESTORE_FRAME 1

a64_el1_irq:
	SAVE_FRAME 1
	mov x0, sp
	mov x1, #0
	bl a64_irq_handler
	RESTORE_FRAME 1

a64_el0_sync:
	SAVE_FRAME 0
	mov x0, sp
	bl a64_el0_sync_handler
	b a64_ret_to_user

a64_el0_irq:
	SAVE_FRAME 0
	mov x0, sp
	mov x1, #1
	bl a64_irq_handler
	b a64_ret_to_user

a64_bad_sp0:
	SAVE_FRAME 1
	mov x0, sp
	adrp x1, a64_str_sp0
	add x1, x1, :lo12:a64_str_sp0
	bl a64_kernel_oops

a64_bad_el1:
	SAVE_FRAME 1
	mov x0, sp
	adrp x1, a64_str_el1
	add x1, x1, :lo12:a64_str_el1
	bl a64_kernel_oops

a64_bad_el0:
	SAVE_FRAME 0
	mov x0, sp
	bl a64_el0_bad_handler
	b a64_ret_to_user

/* The frame would land in a guard page: report from a stack of its own. */
a64_el1_stack_overflow:
	mov x0, sp
	mov x1, x29
	adrp x2, a64_overflow_stack_top
	add x2, x2, :lo12:a64_overflow_stack_top
	mov sp, x2
	bl a64_stack_overflow

a64_ret_to_user:
	RESTORE_FRAME 0

	/* void board_enter_user(struct kf_arch_regs *r): r is the frame at
	 * the top of the running thread's kernel stack. */
	.globl board_enter_user
	.type board_enter_user, %function
board_enter_user:
	mov sp, x0
	b a64_ret_to_user
	.size board_enter_user, . - board_enter_user

	.section .rodata
a64_str_sp0:
	.asciz "exception with SP_EL0 at EL1"
a64_str_el1:
	.asciz "FIQ or SError at EL1"

	.section .bss.overflow_stack, "aw", %nobits
	.balign 16
a64_overflow_stack:
	.skip 8192
a64_overflow_stack_top:
