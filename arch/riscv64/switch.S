/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arch/riscv64/switch.S - kernel context switch, the first-run trampoline
 * and the user FP registers.
 *
 * struct kf_arch_thread (<kf/arch/context.h>) begins with ra, sp and
 * s0..s11 (offsets 0, 8, 16..104), then f0..f31 (112..367) and fcsr
 * (368).  The kernel is built for rv64imac/lp64, so the FP instructions
 * are written with .insn (opcode 0x27 fsd, 0x07 fld, funct3 3).
 */
#define TH_FP	112
#define TH_FCSR	368

	.text
	/* void kf_arch_switch(struct kf_arch_thread *prev, *next) */
	.globl kf_arch_switch
	.type kf_arch_switch, @function
kf_arch_switch:
	sd ra, 0(a0)
	sd sp, 8(a0)
	sd s0, 16(a0)
	sd s1, 24(a0)
	sd s2, 32(a0)
	sd s3, 40(a0)
	sd s4, 48(a0)
	sd s5, 56(a0)
	sd s6, 64(a0)
	sd s7, 72(a0)
	sd s8, 80(a0)
	sd s9, 88(a0)
	sd s10, 96(a0)
	sd s11, 104(a0)
	ld ra, 0(a1)
	ld sp, 8(a1)
	ld s0, 16(a1)
	ld s1, 24(a1)
	ld s2, 32(a1)
	ld s3, 40(a1)
	ld s4, 48(a1)
	ld s5, 56(a1)
	ld s6, 64(a1)
	ld s7, 72(a1)
	ld s8, 80(a1)
	ld s9, 88(a1)
	ld s10, 96(a1)
	ld s11, 104(a1)
	ret
	.size kf_arch_switch, . - kf_arch_switch

	/* A new context: s0 = function, s1 = argument; never returns.  s0 is
	 * the frame pointer too: zero ends a backtrace here. */
	.globl kf_rv_thread_start
	.type kf_rv_thread_start, @function
kf_rv_thread_start:
	mv a0, s1
	mv t0, s0
	li s0, 0
	li ra, 0
	jalr t0
	unimp
	.size kf_rv_thread_start, . - kf_rv_thread_start

	/* void kf_rv_fpu_save(struct kf_arch_thread *th) */
	.globl kf_rv_fpu_save
	.type kf_rv_fpu_save, @function
kf_rv_fpu_save:
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.insn s 0x27, 3, f\n, (TH_FP + 8 * \n)(a0)
	.endr
	csrr t0, fcsr
	sw t0, TH_FCSR(a0)
	ret
	.size kf_rv_fpu_save, . - kf_rv_fpu_save

	/* void kf_rv_fpu_restore(const struct kf_arch_thread *th) */
	.globl kf_rv_fpu_restore
	.type kf_rv_fpu_restore, @function
kf_rv_fpu_restore:
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.insn i 0x07, 3, f\n, (TH_FP + 8 * \n)(a0)
	.endr
	lw t0, TH_FCSR(a0)
	csrw fcsr, t0
	ret
	.size kf_rv_fpu_restore, . - kf_rv_fpu_restore
