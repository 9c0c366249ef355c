/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ports/minikernel/arch/x86_64/entry.S - every way into and out of the kernel.
 *
 * Each entry saves a struct kf_arch_regs (<kf/arch/context.h>): the CPU's
 * iret frame, the error code (a zero for vectors without one, the syscall
 * number for syscalls), the vector, then the 15 general registers, so that
 * %rsp points at the frame when C is called.  The kernel uses no GS base
 * (one CPU): the syscall path finds its stack through x86_cpu_kstack_top,
 * which the context switch keeps equal to TSS.rsp0.
 */
#include <kf/arch/smap.inc>

#define USER_CS 0x23
#define USER_DS 0x1b
#define VEC_SYSCALL 256

.macro SAVE_GPRS
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rax
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro RESTORE_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rax
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
.endm

/* The 256 interrupt stubs, 16 bytes apart: x86_isr_stubs + 16 * vector. */
.macro ISR vec
	.balign 16
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp x86_trap_common
.endm

	.text
	.balign 16
	.globl x86_isr_stubs
x86_isr_stubs:
	.altmacro
	.set vec, 0
	.rept 256
	ISR %vec
	.set vec, vec + 1
	.endr
	.noaltmacro

x86_trap_common:
	cld
	SAVE_GPRS
	CLAC
	movq %rsp, %rdi
	callq x86_trap
	/* fall through */

	/* Return through the frame at %rsp, interrupts off. */
x86_trap_return:
	cli
	RESTORE_GPRS
	addq $16, %rsp			/* vector, error code */
	iretq

	/* void board_enter_user(struct kf_arch_regs *r): r is the frame at
	 * the top of the running thread's kernel stack. */
	.globl board_enter_user
board_enter_user:
	movq %rdi, %rsp
	jmp x86_trap_return

/*
 * syscall: rcx = user rip, r11 = user rflags, rsp still the user's, and
 * SFMASK has cleared IF, DF, AC, TF.  Linux's convention: the number in
 * rax, arguments in rdi rsi rdx r10 r8 r9, result in rax, rcx and r11
 * clobbered, every other register preserved.
 */
	.balign 16
	.globl x86_syscall_entry
x86_syscall_entry:
	movq %rsp, x86_cpu_user_rsp(%rip)
	movq x86_cpu_kstack_top(%rip), %rsp
	pushq $USER_DS
	pushq x86_cpu_user_rsp(%rip)
	pushq %r11
	pushq $USER_CS
	pushq %rcx
	pushq %rax			/* orig_rax */
	pushq $VEC_SYSCALL
	SAVE_GPRS
	movq %rsp, %rdi
	sti
	callq x86_syscall		/* true: sysret may return */
	cli
	testb %al, %al
	jz x86_trap_return
	RESTORE_GPRS
	addq $16, %rsp
	/* rcx and r11 come from the frame: Linux returns rip and rflags
	 * there.  x86_syscall checked that rip is canonical user space. */
	movq 0(%rsp), %rcx
	movq 16(%rsp), %r11
	movq 24(%rsp), %rsp
	sysretq

	.bss
	.balign 8
	.globl x86_cpu_kstack_top, x86_cpu_user_rsp
x86_cpu_kstack_top:
	.quad 0
x86_cpu_user_rsp:
	.quad 0
