/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arch/x86_64/switch.S - kernel context switch and first-run trampolines.
 *
 * A switched-out context is its kernel stack holding the six callee-saved
 * registers under a return address; struct kf_arch_thread.ksp (offset 0)
 * points at them.  context.c builds the same layout for a task that has
 * never run, with the return address at one of the trampolines below.
 */

	.text
	/* void kf_x86_switch(struct kf_arch_thread *prev, *next) */
	.globl kf_x86_switch
	.type kf_x86_switch, @function
kf_x86_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, 0(%rdi)
	movq 0(%rsi), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size kf_x86_switch, . - kf_x86_switch

	/* A new kernel thread: %rbx = function, %r12 = argument. */
	.globl kf_x86_kthread_start
	.type kf_x86_kthread_start, @function
kf_x86_kthread_start:
	movq %r12, %rdi
	xorl %ebp, %ebp
	callq *%rbx
	ud2
	.size kf_x86_kthread_start, . - kf_x86_kthread_start

	/* A kernel function, then user space: %rbx = function, %r12 =
	 * argument, and the user frame 16 bytes above %rsp. */
	.globl kf_x86_kuthread_start
	.type kf_x86_kuthread_start, @function
kf_x86_kuthread_start:
	movq %r12, %rdi
	xorl %ebp, %ebp
	callq *%rbx
	addq $16, %rsp
	jmp kf_x86_return_to_user
	.size kf_x86_kuthread_start, . - kf_x86_kuthread_start

	/* A new user thread: %rsp points at its user frame. */
	.globl kf_x86_uthread_start
	.type kf_x86_uthread_start, @function
kf_x86_uthread_start:
	jmp kf_x86_return_to_user
	.size kf_x86_uthread_start, . - kf_x86_uthread_start
