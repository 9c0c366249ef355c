/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/arch/context.h (sim) - per-task machine state of the software CPU.
 *
 * The contract is in <kf/hal/context.h>.  A sim task is a host thread, so
 * the "user frame" is not machine registers but what the host needs to start
 * a task: pc is the entry function (int (*)(void *)), arg its argument.  The
 * frame lives in struct kf_arch_thread rather than at the top of the kernel
 * stack, because the boot task (pid 0) has no host-allocated stack; the
 * kernel stack (KF_ARCH_KSTACK_SIZE bytes, allocated by the host in
 * kf_os_task_prepare) is the stack the task's host thread runs on.
 */
#ifndef KF_ARCH_SIM_CONTEXT_H
#define KF_ARCH_SIM_CONTEXT_H

#include <stdint.h>
#include <stdbool.h>

struct kf_task;

/* The host thread runs test code on it, sanitizers included: be generous. */
#define KF_ARCH_KSTACK_SIZE (256u * 1024u)

struct kf_arch_regs {
	uintptr_t pc;		/* entry function; 0 = none (the task parks) */
	uintptr_t arg;		/* its argument */
	uintptr_t sp;		/* user stack pointer */
	uintptr_t tls;		/* thread pointer (CLONE_SETTLS) */
	uintptr_t ret;		/* syscall return value */
};

struct kf_arch_thread {
	struct kf_arch_regs regs;
};

static inline uintptr_t kf_arch_user_sp(const struct kf_arch_regs *r)
{
	return r->sp;
}

static inline void kf_arch_set_return(struct kf_arch_regs *r, long v)
{
	r->ret = (uintptr_t)v;
}

static inline uintptr_t kf_arch_regs_pc(const struct kf_arch_regs *r)
{
	return r->pc;
}

static inline void kf_arch_regs_set_pc(struct kf_arch_regs *r, uintptr_t pc)
{
	r->pc = pc;
}

#endif /* KF_ARCH_SIM_CONTEXT_H */
