/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/context.h (aarch64) - the user register frame and per-task
 * machine state.  The contract is in <kf/hal/context.h>.
 *
 * Every entry from EL0 (svc, abort, interrupt) saves one struct
 * kf_arch_regs at the top of the task's kernel stack, and the return to
 * EL0 restores it; the host's entry code must use this layout (the
 * reference kernel's is ports/minikernel/arch/aarch64/entry.S): x0..x30,
 * then SP_EL0, ELR_EL1 and SPSR_EL1, then what the svc saw (x0 for a
 * restart, x8).  36 doublewords, so a frame at a 16-byte aligned stack
 * top leaves SP 16-byte aligned, as the architecture's stack alignment
 * check wants.  The offsets below are for assembly; context.c checks them
 * against the structs.
 */
#ifndef KF_ARCH_AARCH64_CONTEXT_H
#define KF_ARCH_AARCH64_CONTEXT_H

#define KF_ARCH_KSTACK_SIZE (16u * 1024u)

/* struct kf_arch_regs */
#define KF_A64_REGS_SP		248
#define KF_A64_REGS_PC		256
#define KF_A64_REGS_PSTATE	264
#define KF_A64_REGS_ORIG_X0	272
#define KF_A64_REGS_SYSCALLNO	280
#define KF_A64_REGS_SIZE	288

/* struct kf_arch_thread */
#define KF_A64_THREAD_X19	0	/* x19..x28, x29, x30, sp */
#define KF_A64_THREAD_SP	96
#define KF_A64_THREAD_TPIDR	104
#define KF_A64_THREAD_FPSIMD	112	/* struct kf_a64_fpsimd */
#define KF_A64_FPSIMD_FPSR	512
#define KF_A64_FPSIMD_FPCR	516

/* SPSR/PSTATE bits the HAL and its hosts share */
#define KF_A64_PSR_MODE_MASK	0x1ful	/* M[4:0]: 0 = EL0t, AArch64 */
#define KF_A64_PSR_NZCV		0xf0000000ul
#define KF_A64_PSR_PAN		(1ul << 22)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stdbool.h>

struct kf_task;

struct kf_arch_regs {
	uint64_t x[31];		/* x0..x30 (x29 fp, x30 lr) */
	uint64_t sp;		/* SP_EL0: the user stack pointer */
	uint64_t pc;		/* ELR_EL1: where EL0 resumes */
	uint64_t pstate;	/* SPSR_EL1: NZCV, DAIF, mode (EL0t) */
	uint64_t orig_x0;	/* x0 as the svc found it: a restart reloads it */
	uint64_t syscallno;	/* x8 of an svc; ~0 for any other entry */
};

/* The user's FP/SIMD registers: V0..V31 (128 bits each, low doubleword
 * first), FPSR and FPCR. */
struct kf_a64_fpsimd {
	uint64_t v[64];
	uint32_t fpsr, fpcr;
	uint64_t pad;
} __attribute__((aligned(16)));

/*
 * Per-task machine state: the kernel context kf_arch_switch saves (the
 * callee-saved x19..x28, fp, lr and sp), the user thread pointer
 * (TPIDR_EL0, which musl writes from EL0 without a system call) and the
 * user's FP/SIMD state (the kernel itself is built without FP/SIMD, so
 * these registers only move at a context switch).  16-byte alignment
 * (the FP/SIMD block), so whatever embeds it must be allocated so.
 */
struct kf_arch_thread {
	uint64_t x19_x28[10];
	uint64_t fp, lr, sp;
	uint64_t tpidr;
	struct kf_a64_fpsimd fpsimd;
};

/* kf_a64_fpsimd_save/restore - the CPU's user FP/SIMD registers to/from
 * @st (switch.S). */
void kf_a64_fpsimd_save(struct kf_a64_fpsimd *st);
void kf_a64_fpsimd_restore(const struct kf_a64_fpsimd *st);

static inline uint64_t kf_a64_read_tpidr_el0(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
	return v;
}

static inline void kf_a64_write_tpidr_el0(uint64_t v)
{
	__asm__ volatile("msr tpidr_el0, %0" : : "r"(v));
}

static inline uintptr_t kf_arch_regs_pc(const struct kf_arch_regs *r)
{
	return r->pc;
}

static inline void kf_arch_regs_set_pc(struct kf_arch_regs *r, uintptr_t pc)
{
	r->pc = pc;
}

static inline uintptr_t kf_arch_user_sp(const struct kf_arch_regs *r)
{
	return r->sp;
}

static inline void kf_arch_set_return(struct kf_arch_regs *r, long v)
{
	r->x[0] = (uint64_t)v;
}

/*
 * kf_a64_regs_at_top - the user frame of a kernel stack whose highest
 * address (exclusive) is @top.
 */
static inline struct kf_arch_regs *kf_a64_regs_at_top(uintptr_t top)
{
	return (struct kf_arch_regs *)top - 1;
}

#endif /* __ASSEMBLER__ */
#endif /* KF_ARCH_AARCH64_CONTEXT_H */
