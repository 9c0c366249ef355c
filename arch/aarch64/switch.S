/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arch/aarch64/switch.S - the kernel context switch, the first-run
 * trampoline, and the FP/SIMD register save and restore.
 *
 * A switched-out context is its callee-saved registers, fp, lr and sp in
 * struct kf_arch_thread (offsets in <kf/arch/context.h>); kf_arch_switch
 * "returns" through the saved lr, which kf_arch_thread_init points at the
 * trampoline for a context that has never run.
 */
#include <kf/arch/context.h>

	.text
	/* void kf_arch_switch(struct kf_arch_thread *prev, *next) */
	.globl kf_arch_switch
	.type kf_arch_switch, %function
	.balign 4
kf_arch_switch:
	stp x19, x20, [x0, #KF_A64_THREAD_X19 + 0]
	stp x21, x22, [x0, #KF_A64_THREAD_X19 + 16]
	stp x23, x24, [x0, #KF_A64_THREAD_X19 + 32]
	stp x25, x26, [x0, #KF_A64_THREAD_X19 + 48]
	stp x27, x28, [x0, #KF_A64_THREAD_X19 + 64]
	stp x29, x30, [x0, #KF_A64_THREAD_X19 + 80]
	mov x9, sp
	str x9, [x0, #KF_A64_THREAD_SP]
	ldp x19, x20, [x1, #KF_A64_THREAD_X19 + 0]
	ldp x21, x22, [x1, #KF_A64_THREAD_X19 + 16]
	ldp x23, x24, [x1, #KF_A64_THREAD_X19 + 32]
	ldp x25, x26, [x1, #KF_A64_THREAD_X19 + 48]
	ldp x27, x28, [x1, #KF_A64_THREAD_X19 + 64]
	ldp x29, x30, [x1, #KF_A64_THREAD_X19 + 80]
	ldr x9, [x1, #KF_A64_THREAD_SP]
	mov sp, x9
	ret
	.size kf_arch_switch, . - kf_arch_switch

	/* A new context: x19 = function, x20 = argument; never returns. */
	.globl kf_a64_thread_start
	.type kf_a64_thread_start, %function
kf_a64_thread_start:
	mov x0, x20
	mov x29, xzr
	blr x19
	brk #0
	.size kf_a64_thread_start, . - kf_a64_thread_start

/*
 * The kernel is built without FP/SIMD (-mgeneral-regs-only), so these
 * registers hold the user's state while the kernel runs; the host must
 * leave them accessible at EL1 (CPACR_EL1.FPEN = 0b11).
 */
	/* void kf_a64_fpsimd_save(struct kf_a64_fpsimd *st) */
	.globl kf_a64_fpsimd_save
	.type kf_a64_fpsimd_save, %function
kf_a64_fpsimd_save:
	stp q0, q1, [x0, #0]
	stp q2, q3, [x0, #32]
	stp q4, q5, [x0, #64]
	stp q6, q7, [x0, #96]
	stp q8, q9, [x0, #128]
	stp q10, q11, [x0, #160]
	stp q12, q13, [x0, #192]
	stp q14, q15, [x0, #224]
	stp q16, q17, [x0, #256]
	stp q18, q19, [x0, #288]
	stp q20, q21, [x0, #320]
	stp q22, q23, [x0, #352]
	stp q24, q25, [x0, #384]
	stp q26, q27, [x0, #416]
	stp q28, q29, [x0, #448]
	stp q30, q31, [x0, #480]
	mrs x1, fpsr
	mrs x2, fpcr
	str w1, [x0, #KF_A64_FPSIMD_FPSR]
	str w2, [x0, #KF_A64_FPSIMD_FPCR]
	ret
	.size kf_a64_fpsimd_save, . - kf_a64_fpsimd_save

	/* void kf_a64_fpsimd_restore(const struct kf_a64_fpsimd *st) */
	.globl kf_a64_fpsimd_restore
	.type kf_a64_fpsimd_restore, %function
kf_a64_fpsimd_restore:
	ldp q0, q1, [x0, #0]
	ldp q2, q3, [x0, #32]
	ldp q4, q5, [x0, #64]
	ldp q6, q7, [x0, #96]
	ldp q8, q9, [x0, #128]
	ldp q10, q11, [x0, #160]
	ldp q12, q13, [x0, #192]
	ldp q14, q15, [x0, #224]
	ldp q16, q17, [x0, #256]
	ldp q18, q19, [x0, #288]
	ldp q20, q21, [x0, #320]
	ldp q22, q23, [x0, #352]
	ldp q24, q25, [x0, #384]
	ldp q26, q27, [x0, #416]
	ldp q28, q29, [x0, #448]
	ldp q30, q31, [x0, #480]
	ldr w1, [x0, #KF_A64_FPSIMD_FPSR]
	ldr w2, [x0, #KF_A64_FPSIMD_FPCR]
	msr fpsr, x1
	msr fpcr, x2
	ret
	.size kf_a64_fpsimd_restore, . - kf_a64_fpsimd_restore
