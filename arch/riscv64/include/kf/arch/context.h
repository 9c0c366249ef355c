/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/context.h (riscv64) - the user register frame and per-task
 * machine state.  The contract is in <kf/hal/context.h>.
 *
 * Every trap from user space (ecall, exception, interrupt) saves one
 * struct kf_arch_regs at the top of the task's kernel stack; the return to
 * user space restores it.  The host's entry code must use this layout (the
 * reference kernel's is ports/minikernel/arch/riscv64/entry.S): pc and
 * x1..x31 in the order of Linux's user_regs_struct (so a signal frame's
 * sc_regs is a straight copy), then the trap CSRs and the first argument
 * of a system call as it came in (a restart reloads a0 from it).  36
 * doublewords: a frame at a 16-byte aligned stack top keeps the stack
 * 16-byte aligned.
 */
#ifndef KF_ARCH_RISCV64_CONTEXT_H
#define KF_ARCH_RISCV64_CONTEXT_H

#include <stdint.h>
#include <stdbool.h>

struct kf_task;

#define KF_ARCH_KSTACK_SIZE (16u * 1024u)

struct kf_arch_regs {
	uint64_t pc;			/* sepc */
	uint64_t ra, sp, gp, tp, t0, t1, t2, s0, s1;
	uint64_t a0, a1, a2, a3, a4, a5, a6, a7;
	uint64_t s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	uint64_t t3, t4, t5, t6;
	uint64_t sstatus, scause, stval;
	uint64_t orig_a0;		/* a0 as the ecall brought it */
};

/* sstatus bits the HAL and its hosts use */
#define KF_RV_SSTATUS_SPIE (1ul << 5)
#define KF_RV_SSTATUS_SPP  (1ul << 8)
#define KF_RV_SSTATUS_FS   (3ul << 13)	/* Off / Initial / Clean / Dirty */
#define KF_RV_SSTATUS_FS_INITIAL (1ul << 13)
#define KF_RV_SSTATUS_SUM  (1ul << 18)
#define KF_RV_SSTATUS_MXR  (1ul << 19)

/*
 * Per-task machine state: the kernel context kf_arch_switch saves (ra, sp
 * and the callee-saved s0..s11, at fixed offsets switch.S knows) and the
 * user's floating-point registers (f0..f31 and fcsr: musl's riscv64 ABI is
 * lp64d; the kernel itself is soft-float and never touches them).  The
 * user thread pointer is x4, which lives in the user frame.
 */
struct kf_arch_thread {
	uint64_t ra, sp, s[12];
	uint64_t f[32];
	uint32_t fcsr, pad;
};

/* kf_rv_fpu_save/restore - the hart's user FP registers to/from @th
 * (switch.S; sstatus.FS must not be Off). */
void kf_rv_fpu_save(struct kf_arch_thread *th);
void kf_rv_fpu_restore(const struct kf_arch_thread *th);

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
	r->a0 = (uint64_t)v;
}

/* kf_rv_regs_at_top - the user frame of a kernel stack whose highest
 * address (exclusive) is @top. */
static inline struct kf_arch_regs *kf_rv_regs_at_top(uintptr_t top)
{
	return (struct kf_arch_regs *)top - 1;
}

#endif /* KF_ARCH_RISCV64_CONTEXT_H */
