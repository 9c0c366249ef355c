/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/hal/context.h - per-task machine state, kernel contexts and
 * copy_thread, the contract.
 *
 * The arch header <kf/arch/context.h> defines:
 *   struct kf_arch_regs     the user register frame the host's entry code
 *                           saves on every kernel entry from user space;
 *   struct kf_arch_thread   per-task machine state embedded in struct
 *                           kf_task (saved kernel context, TLS base, FPU);
 *                           reach it with kf_task_arch(t) (<kf/kf.h>);
 *   KF_ARCH_KSTACK_SIZE     bytes of kernel stack per task (the host
 *                           allocates it and adds guard pages around it);
 *   struct kf_arch_regs *kf_arch_task_regs(struct kf_task *t);
 *       where @t's user frame lives (the top of its kernel stack,
 *       kf_task_kstack(t)).  Atomic.
 *   int kf_arch_copy_thread(struct kf_task *child, struct kf_task *parent,
 *                           uintptr_t stack, uintptr_t tls, bool settls);
 *       give @child a copy of @parent's user frame with the syscall return
 *       value 0, the user stack pointer @stack when non-zero, the thread
 *       pointer @tls when @settls, and the parent's user FPU state.  The
 *       child's kernel context is the host's to make (kf_arch_thread_init
 *       or its own).  Called after kf_os_task_prepare (the kernel stack
 *       exists) and before the child is visible; @parent is the running
 *       task.  0 or a negative errno.  May sleep.
 *   uintptr_t kf_arch_user_sp(const struct kf_arch_regs *r);
 *   void kf_arch_set_return(struct kf_arch_regs *r, long v);
 *   uintptr_t kf_arch_regs_pc(const struct kf_arch_regs *r);
 *   void kf_arch_regs_set_pc(struct kf_arch_regs *r, uintptr_t pc);
 *   uintptr_t kf_arch_get_tls(struct kf_task *t);
 *
 * Kernel contexts, for hosts that use the HAL's switch (every hardware
 * arch provides them; arch/sim does not: its tasks are host threads):
 *   void kf_arch_thread_init(struct kf_arch_thread *th, uintptr_t top,
 *                            void (*fn)(void *), void *arg);
 *       the first kf_arch_switch to @th calls @fn(@arg) on the stack
 *       below @top (aligned down as the ABI wants); @fn never returns.
 *   void kf_arch_switch(struct kf_arch_thread *prev,
 *                       struct kf_arch_thread *next);
 *       save the callee-saved registers and stack pointer in @prev, resume
 *       @next; returns when something switches back to @prev.  Only the
 *       kernel context: user TLS, FPU state, the entry stack and the
 *       address space are the host's to switch (IRQs off).
 */
#ifndef KF_HAL_CONTEXT_H
#define KF_HAL_CONTEXT_H

#include <stdint.h>
#include <stdbool.h>

struct kf_task;
#include <kf/arch/context.h>

/* The out-of-line calls above, declared once for every arch (the
 * accessors are the arch's static inlines). */
struct kf_arch_regs *kf_arch_task_regs(struct kf_task *t);
int kf_arch_copy_thread(struct kf_task *child, struct kf_task *parent,
			uintptr_t stack, uintptr_t tls, bool settls);
uintptr_t kf_arch_get_tls(struct kf_task *t);
void kf_arch_switch(struct kf_arch_thread *prev, struct kf_arch_thread *next);
void kf_arch_thread_init(struct kf_arch_thread *th, uintptr_t top,
			 void (*fn)(void *), void *arg);

#endif /* KF_HAL_CONTEXT_H */
