// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/riscv64/signal.c - Linux's riscv64 signal frames.
 *
 * The handler starts with sp at struct rt_sigframe, 16-byte aligned right
 * below the interrupted sp: the siginfo, then the ucontext (flags, link,
 * stack, a 128-byte sigset of which the first 8 bytes are used, and the
 * mcontext: pc and x1..x31, then the FP state f0..f31 and fcsr inside a
 * 528-byte union whose last words are the extension area: a reserved
 * word that must be 0 on sigreturn and an END header {0, 0}).  1088 bytes
 * in all.  a0 = signal, a1 = &info, a2 = &uc (always, as Linux), and ra =
 * the return trampoline: riscv64 has no sa_restorer, so every process
 * has a page with `li a7, 139; ecall` (board_exec_mm) at RV_SIGTRAMP.
 * Every other register, the FP ones included, keeps the interrupted
 * code's value (Linux's riscv64 does not clear them for the handler).
 * rt_sigreturn finds the frame at its sp.
 */
#include <kf/kf.h>
#include <kf/hal/context.h>
#include <kf/hal/uaccess.h>
#include <mk/board.h>
#include <mk/sched.h>
#include "riscv.h"

struct rv_sigcontext {			/* 784 bytes */
	uint64_t regs[32];		/* pc, x1..x31 */
	uint64_t f[32];
	uint32_t fcsr;
	uint32_t fp_pad[64];		/* the union's Q-extension room */
	uint32_t ext_reserved;		/* must be 0 on sigreturn */
	uint32_t hdr_magic, hdr_size;	/* END: 0, 0 (no vector state) */
};

struct rv_ucontext {			/* 960 bytes */
	uint64_t uc_flags, uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
	uint64_t sigmask;
	uint8_t sigmask_rest[120];	/* Linux's 1024-bit sigset_t */
	uint64_t align_pad;		/* mcontext is 16-byte aligned */
	struct rv_sigcontext mc;
};

struct rv_rt_sigframe {			/* 1088 bytes */
	uint8_t info[128];
	struct rv_ucontext uc;
};

_Static_assert(sizeof(struct rv_sigcontext) == 784, "sigcontext");
_Static_assert(__builtin_offsetof(struct rv_rt_sigframe, uc.mc) == 304,
	       "mcontext");
_Static_assert(__builtin_offsetof(struct rv_rt_sigframe, uc.mc.ext_reserved) ==
	       1076, "extension header");
_Static_assert(sizeof(struct rv_rt_sigframe) == 1088, "rt_sigframe");
_Static_assert(sizeof(struct kf_arch_regs) >= 32 * 8, "regs");

int board_signal_setup(struct kf_arch_regs *r, struct mk_thread *t, int sig,
		       const uint8_t siginfo[128], const struct kf_sigaction *ka,
		       uint64_t oldmask)
{
	uintptr_t uframe = (r->sp - sizeof(struct rv_rt_sigframe)) & ~(uintptr_t)15;
	struct rv_rt_sigframe f;

	memset(&f, 0, sizeof(f));
	memcpy(f.info, siginfo, sizeof(f.info));
	memcpy(f.uc.mc.regs, &r->pc, sizeof(f.uc.mc.regs));
	/* the live FP state is the running thread's */
	kf_rv_fpu_save(t->arch);
	memcpy(f.uc.mc.f, t->arch->f, sizeof(f.uc.mc.f));
	f.uc.mc.fcsr = t->arch->fcsr;
	f.uc.sigmask = oldmask;
	if (kf_arch_copy_to_user(uframe, &f, sizeof(f)))
		return -KF_EFAULT;

	r->a0 = (uint64_t)sig;
	r->a1 = uframe + __builtin_offsetof(struct rv_rt_sigframe, info);
	r->a2 = uframe + __builtin_offsetof(struct rv_rt_sigframe, uc);
	r->sp = uframe;
	r->ra = RV_SIGTRAMP;
	r->pc = ka->handler;
	/* as on Linux, the handler starts with the interrupted code's FP
	 * registers and fcsr, and every other register but a0-a2, sp, ra */
	return 0;
}

int board_sigreturn(struct kf_arch_regs *r, struct mk_thread *t,
		    uint64_t *mask)
{
	uintptr_t uc_at = r->sp + __builtin_offsetof(struct rv_rt_sigframe, uc);
	struct rv_ucontext uc;

	/* a copy may sleep on a fault, and a switch saves the live FP
	 * state into t->arch: stage the frame on the stack */
	if (kf_arch_copy_from_user(&uc, uc_at, sizeof(uc)))
		return -KF_EFAULT;
	if (uc.mc.ext_reserved != 0)
		return -KF_EFAULT;
	memcpy(&r->pc, uc.mc.regs, sizeof(uc.mc.regs));
	memcpy(t->arch->f, uc.mc.f, sizeof(t->arch->f));
	t->arch->fcsr = uc.mc.fcsr;
	kf_rv_fpu_restore(t->arch);
	*mask = uc.sigmask;
	return 0;
}
