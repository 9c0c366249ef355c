/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/context.h (x86_64) - the user register frame and per-task
 * machine state.  The contract is in <kf/hal/context.h>.
 *
 * Every entry from user space (syscall, exception, interrupt) saves one
 * struct kf_arch_regs at the top of the task's kernel stack; the return to
 * user space restores it.  The host's entry code must use this layout (the
 * reference kernel's is ports/minikernel/arch/x86_64/entry.S): the CPU's
 * iret frame on top, then the error code (or syscall number) and the
 * vector, then the general registers.  22 quadwords, so a frame at a
 * 16-byte aligned stack top leaves the stack 16-byte aligned for C.
 */
#ifndef KF_ARCH_X86_64_CONTEXT_H
#define KF_ARCH_X86_64_CONTEXT_H

#include <stdint.h>
#include <stdbool.h>

struct kf_task;

#define KF_ARCH_KSTACK_SIZE (16u * 1024u)

struct kf_arch_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx;	/* callee-saved (SysV) */
	uint64_t r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi;
	uint64_t vector;	/* trap vector; KF_X86_VEC_SYSCALL for syscall */
	uint64_t orig_rax;	/* error code, or the syscall number */
	uint64_t rip, cs, rflags, rsp, ss;	/* the CPU's iret frame */
};

#define KF_X86_VEC_SYSCALL 256
/* A frame rt_sigreturn rebuilt: every register matters, so it must go back
 * through iretq (sysret would clobber rcx and r11). */
#define KF_X86_VEC_SIGRETURN 257

/* Segment selectors the host's GDT must use (syscall/sysret fix their
 * order; the reference kernel's GDT is in ports/minikernel/arch/x86_64/cpu.c). */
#define KF_X86_KERNEL_CS 0x08
#define KF_X86_KERNEL_DS 0x10
#define KF_X86_USER_DS   0x1b	/* 0x18 | RPL 3 */
#define KF_X86_USER_CS   0x23	/* 0x20 | RPL 3 */
#define KF_X86_TSS       0x28

#define KF_X86_RFLAGS_IF 0x200ul
#define KF_X86_RFLAGS_USER_INIT 0x202ul	/* IF and the always-one bit */

/*
 * Per-task machine state: the kernel stack pointer saved by the context
 * switch, the user FS base (the thread pointer musl sets with
 * arch_prctl(ARCH_SET_FS)) and the user's x87/SSE registers (an FXSAVE
 * image; the kernel itself never touches them).  The user GS base is not
 * kept: nothing here lets user space set it.  The struct needs 16-byte
 * alignment (FXSAVE), so whatever embeds it must be allocated so.
 */
struct kf_arch_thread {
	uint64_t ksp;
	uint64_t fs_base;
	uint8_t fpu[512] __attribute__((aligned(16)));
};

/* kf_x86_fpu_save/restore - the CPU's user FPU state to/from @th. */
static inline void kf_x86_fpu_save(struct kf_arch_thread *th)
{
	__asm__ volatile("fxsave64 %0" : "=m"(th->fpu));
}

static inline void kf_x86_fpu_restore(const struct kf_arch_thread *th)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(th->fpu));
}

static inline uintptr_t kf_arch_regs_pc(const struct kf_arch_regs *r)
{
	return r->rip;
}

static inline void kf_arch_regs_set_pc(struct kf_arch_regs *r, uintptr_t pc)
{
	r->rip = pc;
}

static inline uintptr_t kf_arch_user_sp(const struct kf_arch_regs *r)
{
	return r->rsp;
}

static inline void kf_arch_set_return(struct kf_arch_regs *r, long v)
{
	r->rax = (uint64_t)v;
}

/*
 * kf_x86_regs_at_top - the user frame of a kernel stack whose highest
 * address (exclusive) is @top.
 */
static inline struct kf_arch_regs *kf_x86_regs_at_top(uintptr_t top)
{
	return (struct kf_arch_regs *)top - 1;
}

#endif /* KF_ARCH_X86_64_CONTEXT_H */
