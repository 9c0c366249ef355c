/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arch/x86_64/switch.S - kernel context switch and the first-run
 * trampoline.
 *
 * A switched-out context is its kernel stack holding the six callee-saved
 * registers under a return address; struct kf_arch_thread.ksp (offset 0)
 * points at them.  kf_arch_thread_init builds the same layout for a
 * context that has never run, with the return address at the trampoline.
 */

	.text
	/* void kf_arch_switch(struct kf_arch_thread *prev, *next) */
	.globl kf_arch_switch
	.type kf_arch_switch, @function
kf_arch_switch:
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
	.size kf_arch_switch, . - kf_arch_switch

	/* A new context: %rbx = function, %r12 = argument; never returns. */
	.globl kf_x86_thread_start
	.type kf_x86_thread_start, @function
kf_x86_thread_start:
	movq %r12, %rdi
	xorl %ebp, %ebp
	callq *%rbx
	ud2
	.size kf_x86_thread_start, . - kf_x86_thread_start
