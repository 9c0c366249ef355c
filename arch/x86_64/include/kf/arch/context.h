/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/context.h (x86_64) - the user register frame and per-task
 * machine state.  The contract is in <kf/hal/context.h>.
 *
 * Every entry from user space (syscall, exception, interrupt) saves one
 * struct kf_arch_regs at the top of the task's kernel stack; the return to
 * user space restores it.  The layout is fixed by the entry code
 * (arch/x86_64/board/entry.S): the CPU's iret frame on top, then the error
 * code (or syscall number) and the vector, then the general registers.
 * 22 quadwords, so a frame at a 16-byte aligned stack top leaves the stack
 * 16-byte aligned for C.
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

/* Segment selectors (GDT layout: see arch/x86_64/board/cpu.c). */
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

struct kf_arch_regs *kf_arch_task_regs(struct kf_task *t);
int kf_arch_copy_thread(struct kf_task *child, struct kf_task *parent,
			uintptr_t stack, uintptr_t tls, bool settls);
uintptr_t kf_arch_get_tls(struct kf_task *t);

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

/*
 * kf_x86_thread_init_user - prepare @th so that the first context switch
 * to it returns to user space through the frame at the top of the kernel
 * stack ending at @top (the frame itself must already be filled in).
 * kf_x86_thread_init_kernel - the first switch calls @fn(@arg) on that
 * stack instead; @fn must never return.
 */
void kf_x86_thread_init_user(struct kf_arch_thread *th, uintptr_t top);
void kf_x86_thread_init_kernel(struct kf_arch_thread *th, uintptr_t top,
			       void (*fn)(void *), void *arg);

/*
 * kf_x86_thread_init_kernel_user - the first switch calls @fn(@arg) on the
 * stack below the user frame at @top; when @fn returns, the thread enters
 * user space through that frame (a kernel-made task that execs).
 */
void kf_x86_thread_init_kernel_user(struct kf_arch_thread *th, uintptr_t top,
				    void (*fn)(void *), void *arg);

/*
 * kf_x86_task_arch / kf_x86_task_set_kstack - a host's handles on the
 * machine state embedded in struct kf_task (which is core-private): where
 * the task's context is saved, and the kernel stack the host allocated
 * for it in kf_os_task_prepare (its user frame is at the top).
 */
struct kf_arch_thread *kf_x86_task_arch(struct kf_task *t);
void kf_x86_task_set_kstack(struct kf_task *t, void *kstack);

/*
 * kf_x86_switch - save the callee-saved registers and stack pointer of the
 * running context in @prev->ksp and resume @next.  Returns when something
 * switches back to @prev.  FS base and the entry stack are the caller's.
 */
void kf_x86_switch(struct kf_arch_thread *prev, struct kf_arch_thread *next);

#endif /* KF_ARCH_X86_64_CONTEXT_H */
