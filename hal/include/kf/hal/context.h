/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/hal/context.h - per-task machine state, kernel stacks and copy_thread,
 * the contract.
 *
 * The arch header <kf/arch/context.h> defines:
 *   struct kf_arch_regs     the user register frame saved on kernel entry;
 *   struct kf_arch_thread   per-task machine state embedded in struct
 *                           kf_task (kernel context, TLS base, ...);
 *   KF_ARCH_KSTACK_SIZE     bytes of kernel stack per task (the host adds
 *                           guard pages around it);
 *   struct kf_arch_regs *kf_arch_task_regs(struct kf_task *t);
 *       where @t's user frame lives (the top of its kernel stack);
 *   int kf_arch_copy_thread(struct kf_task *child, struct kf_task *parent,
 *                           uintptr_t stack, uintptr_t tls, bool settls);
 *       give @child a copy of @parent's user frame with the syscall return
 *       value 0, the user stack pointer @stack when non-zero, the thread
 *       pointer @tls when @settls, and a kernel context whose first switch
 *       returns to user space.  Called after kf_os_task_prepare (so the
 *       kernel stack exists) and before the child is visible.  Returns 0 or
 *       a negative errno.  May sleep.
 *   uintptr_t kf_arch_user_sp(const struct kf_arch_regs *r);
 *   void kf_arch_set_return(struct kf_arch_regs *r, long v);
 *   uintptr_t kf_arch_get_tls(struct kf_task *t);
 */
#ifndef KF_HAL_CONTEXT_H
#define KF_HAL_CONTEXT_H

#include <stdint.h>
#include <stdbool.h>

struct kf_task;
#include <kf/arch/context.h>

#endif /* KF_HAL_CONTEXT_H */
