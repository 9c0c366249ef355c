// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/aarch64/signal.c - Linux's arm64 signal frames.
 *
 * The handler starts with sp at struct rt_sigframe: the 128-byte siginfo,
 * then the ucontext (flags, link, stack, mask, padding to 176 bytes, then
 * the 16-byte aligned mcontext: fault address, x0..x30, sp, pc, pstate
 * and a 4096-byte area of records).  The records are an fpsimd_context
 * (magic 0x46508001, 528 bytes: FPSR, FPCR, V0..V31) and the end marker
 * {0, 0}.  A frame record {fp, lr} of the interrupted code sits right
 * above the frame and x29 points at it, so a backtrace from the handler
 * runs on into the interrupted function.  Linux's layout:
 *   record = round_down(sp - 16, 16); frame = record - 4688
 * with sp the top of the alternate signal stack for an SA_ONSTACK handler
 * (arm64 checks no overflow of it).  The handler gets x0 = signal, and with SA_SIGINFO x1 = &info, x2 =
 * &uc; x30 = sa_restorer (musl always gives one; there is no vDSO here to
 * fall back on).  Its FP/SIMD registers are the interrupted code's, as on
 * Linux.  rt_sigreturn finds the frame at its sp.
 */
#include <kf/kf.h>
#include <kf/hal/context.h>
#include <kf/hal/uaccess.h>
#include <mk/board.h>
#include <mk/sched.h>
#include "a64.h"

#define FPSIMD_MAGIC	0x46508001u
#define ESR_MAGIC	0x45535201u
#define FPSIMD_SIZE	528u
#define RESERVED_SIZE	4096u
#define PSR_DAIF	0x3c0ul
#define PSR_BTYPE	0xc00ul

struct a64_ucontext_head {		/* up to uc_mcontext.__reserved */
	uint64_t uc_flags, uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, pad0;
	uint64_t ss_size;
	uint64_t sigmask;
	uint8_t unused[120];		/* Linux's sigset_t is 1024 bits */
	uint64_t pad_mc;		/* struct sigcontext is 16-byte aligned */
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp, pc, pstate;
	uint64_t pad1;			/* __reserved is 16-byte aligned */
};

struct a64_rec_head {
	uint32_t magic, size;
};

struct a64_fpsimd_head {
	uint32_t magic, size, fpsr, fpcr;
};

#define FRAME_UC	128u		/* the ucontext's offset in the frame */
#define FRAME_RESERVED	(FRAME_UC + sizeof(struct a64_ucontext_head))
#define FRAME_SIZE	(FRAME_RESERVED + RESERVED_SIZE)

_Static_assert(offsetof(struct a64_ucontext_head, fault_address) == 176,
	       "uc_mcontext at 176");
_Static_assert(offsetof(struct a64_ucontext_head, pc) == 176 + 264, "pc");
_Static_assert(FRAME_RESERVED == 592 && FRAME_SIZE == 4688, "rt_sigframe");

/* The fault address of a fault's signal, from the siginfo it carries
 * (si_addr at 16 for SIGILL, SIGFPE, SIGSEGV, SIGBUS, SIGTRAP with a
 * kernel si_code). */
static uint64_t fault_address(int sig, const uint8_t siginfo[128])
{
	int32_t code;
	uint64_t addr;

	memcpy(&code, siginfo + 8, 4);
	if (code <= 0 || code >= 0x80 ||
	    !(sig == KF_SIGILL || sig == KF_SIGFPE || sig == KF_SIGSEGV ||
	      sig == KF_SIGBUS || sig == KF_SIGTRAP))
		return 0;
	memcpy(&addr, siginfo + 16, 8);
	return addr;
}

/* The records: FP/SIMD state, then the end marker. */
static int put_records(uintptr_t at, const struct kf_a64_fpsimd *st)
{
	struct a64_fpsimd_head h = { FPSIMD_MAGIC, FPSIMD_SIZE, st->fpsr,
				     st->fpcr };
	struct a64_rec_head end = { 0, 0 };

	if (kf_arch_copy_to_user(at, &h, sizeof(h)) ||
	    kf_arch_copy_to_user(at + sizeof(h), st->v, sizeof(st->v)) ||
	    kf_arch_copy_to_user(at + FPSIMD_SIZE, &end, sizeof(end)))
		return -KF_EFAULT;
	return 0;
}

int board_signal_setup(struct kf_arch_regs *r, struct mk_thread *t, int sig,
		       const uint8_t siginfo[128], const struct kf_sigaction *ka,
		       uint64_t oldmask)
{
	uintptr_t record = (mk_sigsp(t, r->sp, ka) - 16) & ~(uintptr_t)15;
	uintptr_t frame = record - FRAME_SIZE;
	uint64_t fp_lr[2] = { r->x[29], r->x[30] };
	struct a64_ucontext_head uc;

	memset(&uc, 0, sizeof(uc));
	mk_save_altstack(t, r->sp, &uc.ss_sp, &uc.ss_flags, &uc.ss_size);
	uc.sigmask = oldmask;
	uc.fault_address = fault_address(sig, siginfo);
	memcpy(uc.regs, r->x, sizeof(uc.regs));
	uc.sp = r->sp;
	uc.pc = r->pc;
	uc.pstate = r->pstate;

	/* the live FP/SIMD state is the running thread's */
	kf_a64_fpsimd_save(&t->arch->fpsimd);
	if (kf_arch_copy_to_user(frame, siginfo, 128) ||
	    kf_arch_copy_to_user(frame + FRAME_UC, &uc, sizeof(uc)) ||
	    put_records(frame + FRAME_RESERVED, &t->arch->fpsimd) ||
	    kf_arch_copy_to_user(record, fp_lr, sizeof(fp_lr)))
		return -KF_EFAULT;

	r->x[0] = (uint64_t)sig;
	if (ka->flags & KF_SA_SIGINFO) {
		r->x[1] = frame;
		r->x[2] = frame + FRAME_UC;
	}
	r->x[29] = record;
	r->x[30] = (ka->flags & KF_SA_RESTORER) ? ka->restorer : A64_SIGTRAMP;
	r->sp = frame;
	r->pc = ka->handler;
	r->pstate &= ~PSR_BTYPE;	/* as a branch with link would */
	return 0;
}

/*
 * get_records - the records after the mcontext: fpsimd_context is
 * required (Linux refuses a frame without it), an esr_context is
 * skipped, anything else is refused.  The FP/SIMD state goes to @st.
 */
static int get_records(uintptr_t at, struct kf_a64_fpsimd *st)
{
	uint32_t off = 0;
	bool have_fpsimd = false;

	while (off + sizeof(struct a64_rec_head) <= RESERVED_SIZE) {
		struct a64_rec_head h;
		struct a64_fpsimd_head fh;

		if (kf_arch_copy_from_user(&h, at + off, sizeof(h)))
			return -KF_EFAULT;
		if (h.magic == 0 && h.size == 0)
			return have_fpsimd ? 0 : -KF_EFAULT;
		if (h.size < sizeof(h) || h.size % 16 ||
		    h.size > RESERVED_SIZE - off)
			return -KF_EFAULT;
		if (h.magic == FPSIMD_MAGIC) {
			if (h.size != FPSIMD_SIZE || have_fpsimd ||
			    kf_arch_copy_from_user(&fh, at + off, sizeof(fh)) ||
			    kf_arch_copy_from_user(st->v, at + off + sizeof(fh),
						   sizeof(st->v)))
				return -KF_EFAULT;
			st->fpsr = fh.fpsr;
			st->fpcr = fh.fpcr;
			have_fpsimd = true;
		} else if (h.magic != ESR_MAGIC) {
			return -KF_EFAULT;
		}
		off += h.size;
	}
	return -KF_EFAULT;
}

int board_sigreturn(struct kf_arch_regs *r, struct mk_thread *t,
		    uint64_t *mask)
{
	/* a copy may sleep on a fault, and a switch saves the live state
	 * into t->arch: stage it on the stack */
	struct kf_a64_fpsimd st;
	struct a64_ucontext_head uc;
	uintptr_t frame = r->sp;

	if (frame & 15)
		return -KF_EFAULT;
	if (kf_arch_copy_from_user(&uc, frame + FRAME_UC, sizeof(uc)))
		return -KF_EFAULT;
	/* only EL0t (AArch64) with every exception unmasked */
	if (uc.pstate & (KF_A64_PSR_MODE_MASK | PSR_DAIF))
		return -KF_EFAULT;
	memset(&st, 0, sizeof(st));
	if (get_records(frame + FRAME_RESERVED, &st))
		return -KF_EFAULT;
	memcpy(r->x, uc.regs, sizeof(r->x));
	r->sp = uc.sp;
	r->pc = uc.pc;
	r->pstate = uc.pstate & KF_A64_PSR_NZCV;
	r->syscallno = ~0ull;			/* nothing to restart */
	t->arch->fpsimd = st;
	kf_a64_fpsimd_restore(&t->arch->fpsimd);
	*mask = uc.sigmask;
	mk_restore_altstack(t, uc.ss_sp, uc.ss_flags, uc.ss_size, r->sp);
	return 0;
}

uintptr_t board_user_sp(const struct kf_arch_regs *r)
{
	return r->sp;
}
