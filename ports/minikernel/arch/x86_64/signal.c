// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/x86_64/signal.c - Linux's x86_64 signal frames.
 *
 * The handler starts with rsp pointing at struct rt_sigframe: the return
 * address (sa_restorer: x86_64 has no other way back), the ucontext
 * (registers, mask) and the siginfo; the FXSAVE image of the interrupted
 * FPU state sits above it, 64-byte aligned.  Linux's layout:
 *   sp = user rsp - 128 (red zone), or the top of the alternate signal
 *   stack for an SA_ONSTACK handler; fpstate = round_down(sp - 512, 64);
 *   frame = round_down(fpstate - sizeof(frame), 16) - 8
 * so that rsp % 16 == 8 at the handler, as after a call.  rt_sigreturn
 * finds the ucontext at its rsp (the handler's ret popped pretcode).
 */
#include <kf/kf.h>
#include <kf/hal/context.h>
#include <kf/hal/uaccess.h>
#include <mk/board.h>
#include <mk/sched.h>
#include "x86.h"

#define X86_FPSTATE_SIZE 512
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4
#define FL_TF 0x100ul
#define FL_DF 0x400ul
#define FL_RF 0x10000ul
#define FL_AC 0x40000ul
/* the flags user code may change (Linux's FIX_EFLAGS) */
#define FL_USER (FL_AC | 0x800ul /* OF */ | FL_DF | FL_TF | 0x80ul /* SF */ | \
		 0x40ul /* ZF */ | 0x10ul /* AF */ | 0x4ul /* PF */ | \
		 0x1ul /* CF */ | FL_RF)

struct x86_sigcontext {			/* 256 bytes */
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;		/* user address of the FXSAVE image */
	uint64_t reserved[8];
};

struct x86_ucontext {			/* 304 bytes */
	uint64_t uc_flags, uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
	struct x86_sigcontext mc;
	uint64_t sigmask;
};

struct x86_rt_sigframe {		/* 440 bytes */
	uint64_t pretcode;
	struct x86_ucontext uc;
	uint8_t info[128];
};

_Static_assert(sizeof(struct x86_sigcontext) == 256, "sigcontext");
_Static_assert(sizeof(struct x86_rt_sigframe) == 440, "rt_sigframe");

static void save_regs(struct x86_sigcontext *mc, const struct kf_arch_regs *r)
{
	mc->r8 = r->r8;   mc->r9 = r->r9;   mc->r10 = r->r10; mc->r11 = r->r11;
	mc->r12 = r->r12; mc->r13 = r->r13; mc->r14 = r->r14; mc->r15 = r->r15;
	mc->rdi = r->rdi; mc->rsi = r->rsi; mc->rbp = r->rbp; mc->rbx = r->rbx;
	mc->rdx = r->rdx; mc->rax = r->rax; mc->rcx = r->rcx; mc->rsp = r->rsp;
	mc->rip = r->rip;
	mc->eflags = r->rflags;
	mc->cs = (uint16_t)r->cs;
	mc->ss = (uint16_t)r->ss;
	if (r->vector < 32) {		/* an exception: what it was */
		mc->trapno = r->vector;
		mc->err = r->orig_rax;
		if (r->vector == 14)
			mc->cr2 = X86_READ_CR(2);
	}
}

static void restore_regs(struct kf_arch_regs *r, const struct x86_sigcontext *mc)
{
	r->r8 = mc->r8;   r->r9 = mc->r9;   r->r10 = mc->r10; r->r11 = mc->r11;
	r->r12 = mc->r12; r->r13 = mc->r13; r->r14 = mc->r14; r->r15 = mc->r15;
	r->rdi = mc->rdi; r->rsi = mc->rsi; r->rbp = mc->rbp; r->rbx = mc->rbx;
	r->rdx = mc->rdx; r->rax = mc->rax; r->rcx = mc->rcx; r->rsp = mc->rsp;
	r->rip = mc->rip;
	r->rflags = (r->rflags & ~FL_USER) | (mc->eflags & FL_USER);
	r->cs = KF_X86_USER_CS;
	r->ss = KF_X86_USER_DS;
}

/*
 * frame_sp - Linux's get_sigframe: below the red zone, or at the top of
 * the alternate stack (SA_ONSTACK); *@fp the FXSAVE image.  0 when the
 * frame would run off the bottom of the alternate stack it is on.
 */
static uintptr_t frame_sp(struct mk_thread *t, const struct kf_arch_regs *r,
			  const struct kf_sigaction *ka, uintptr_t *fp)
{
	bool nested = mk_on_sig_stack(t, r->rsp);
	uintptr_t sp = r->rsp - 128, alt = mk_sigsp(t, sp, ka), frame;

	*fp = (alt - X86_FPSTATE_SIZE) & ~(uintptr_t)63;
	frame = ((*fp - sizeof(struct x86_rt_sigframe)) & ~(uintptr_t)15) - 8;
	if ((nested || alt != sp) && !mk_in_altstack(t, frame))
		return 0;
	return frame;
}

int board_signal_setup(struct kf_arch_regs *r, struct mk_thread *t, int sig,
		       const uint8_t siginfo[128], const struct kf_sigaction *ka,
		       uint64_t oldmask)
{
	uintptr_t fp, uframe = frame_sp(t, r, ka, &fp);
	struct x86_rt_sigframe f;

	/* x86_64 returns through sa_restorer only */
	if (!(ka->flags & KF_SA_RESTORER) || !uframe)
		return -KF_EFAULT;
	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	mk_save_altstack(t, r->rsp, &f.uc.ss_sp, &f.uc.ss_flags, &f.uc.ss_size);
	save_regs(&f.uc.mc, r);
	f.uc.mc.oldmask = oldmask;
	f.uc.mc.fpstate = fp;
	f.uc.sigmask = oldmask;
	memcpy(f.info, siginfo, sizeof(f.info));

	/* the live FPU state is the running thread's */
	kf_x86_fpu_save(t->arch);
	if (kf_arch_copy_to_user(fp, t->arch->fpu, X86_FPSTATE_SIZE) ||
	    kf_arch_copy_to_user(uframe, &f, sizeof(f)))
		return -KF_EFAULT;

	r->rdi = (uint64_t)sig;
	r->rsi = uframe + offsetof(struct x86_rt_sigframe, info);
	r->rdx = uframe + offsetof(struct x86_rt_sigframe, uc);
	r->rax = 0;
	r->rsp = uframe;
	r->rip = ka->handler;
	r->rflags &= ~(FL_DF | FL_TF | FL_RF | FL_AC);
	r->cs = KF_X86_USER_CS;
	r->ss = KF_X86_USER_DS;
	/* the handler starts with a clean FPU */
	x86_fpu_init_state(t->arch->fpu);
	kf_x86_fpu_restore(t->arch);
	return 0;
}

/* fpu_sanitize - MXCSR bits the CPU does not have would make FXRSTOR
 * fault in the kernel: keep only those its mask allows. */
static void fpu_sanitize(uint8_t *fx)
{
	uint32_t mxcsr, mask;

	memcpy(&mxcsr, fx + 24, 4);
	memcpy(&mask, fx + 28, 4);
	if (!mask)
		mask = 0xffbf;
	mxcsr &= mask;
	memcpy(fx + 24, &mxcsr, 4);
}

int board_sigreturn(struct kf_arch_regs *r, struct mk_thread *t,
		    uint64_t *mask)
{
	/* a copy may sleep on a fault, and a switch saves the live FPU
	 * state into t->arch: stage the image on the stack */
	uint8_t fx[X86_FPSTATE_SIZE] __attribute__((aligned(16)));
	struct x86_ucontext uc;

	if (kf_arch_copy_from_user(&uc, r->rsp, sizeof(uc)))
		return -KF_EFAULT;
	if (uc.mc.rip >= KF_TASK_SIZE)
		return -KF_EFAULT;
	if (uc.mc.fpstate) {
		if (kf_arch_copy_from_user(fx, uc.mc.fpstate, sizeof(fx)))
			return -KF_EFAULT;
		fpu_sanitize(fx);
		memcpy(t->arch->fpu, fx, sizeof(fx));
		kf_x86_fpu_restore(t->arch);
	}
	restore_regs(r, &uc.mc);
	r->vector = KF_X86_VEC_SIGRETURN;	/* back through iretq */
	r->orig_rax = (uint64_t)-1;
	*mask = uc.sigmask;
	mk_restore_altstack(t, uc.ss_sp, uc.ss_flags, uc.ss_size, r->rsp);
	return 0;
}

uintptr_t board_user_sp(const struct kf_arch_regs *r)
{
	return r->rsp;
}
