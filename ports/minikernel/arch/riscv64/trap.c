// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/riscv64/trap.c - what the trap vector (entry.S)
 * calls: interrupts, exceptions, page faults and system calls.
 *
 * A fault in user mode that the kernel cannot resolve becomes a signal for
 * the thread (mk_user_signal).  A fault in kernel mode is a bug, with one
 * exception: a user copy faulting on a user address, which is first
 * offered to the page-fault path and otherwise resumes at the copy's
 * fixup (<kf/hal/uaccess.h>).
 */
#include <kf/kf.h>
#include <kf/hal/uaccess.h>
#include <mk/board.h>
#include <mk/mk.h>
#include "riscv.h"

static const char *const rv_exc_names[16] = {
	"instruction misaligned", "instruction access fault",
	"illegal instruction", "breakpoint", "load misaligned",
	"load access fault", "store misaligned", "store access fault",
	"ecall from U", "ecall from S", "reserved", "ecall from M",
	"instruction page fault", "load page fault", "reserved",
	"store page fault",
};

static bool rv_from_user(const struct kf_arch_regs *r)
{
	return !(r->sstatus & KF_RV_SSTATUS_SPP);
}

static const char *rv_exc_name(uint64_t cause)
{
	return cause < 16 ? rv_exc_names[cause] : "exception";
}

/* Frames must lie in a kernel stack; stop at anything else rather than
 * fault while reporting a fault. */
static bool rv_frame_ok(uint64_t fp)
{
	return fp >= RV_DMAP && !(fp & 7);
}

/*
 * rv_backtrace - the return addresses of the frame-pointer chain from @fp
 * (built with -fno-omit-frame-pointer: the saved ra is at fp - 8, the
 * caller's fp at fp - 16).
 */
void rv_backtrace(uint64_t fp)
{
	unsigned depth;

	mk_printk("backtrace:\n");
	for (depth = 0; depth < 16 && rv_frame_ok(fp); depth++) {
		const uint64_t *f = (const uint64_t *)fp;
		uint64_t ra = f[-1], prev = f[-2];

		if (ra < RV_DMAP)
			break;
		mk_printk("  [%u] %lx\n", depth, (unsigned long)ra);
		if (prev <= fp)
			break;
		fp = prev;
	}
}

static void rv_dump_regs(const struct kf_arch_regs *r)
{
	const uint64_t *x = &r->pc;
	unsigned i;

	mk_printk("pc %016lx sstatus %lx scause %lx stval %lx\n",
		  r->pc, r->sstatus, r->scause, r->stval);
	for (i = 1; i < 32; i += 4)
		mk_printk("x%-2u %016lx %016lx %016lx %016lx\n", i, x[i],
			  i + 1 < 32 ? x[i + 1] : 0, i + 2 < 32 ? x[i + 2] : 0,
			  i + 3 < 32 ? x[i + 3] : 0);
}

/* A kernel-mode exception nothing can fix: report everything and halt. */
static void __attribute__((noreturn)) rv_kernel_oops(struct kf_arch_regs *r)
{
	mk_printk("\nkernel exception %lu (%s) pc %lx stval %lx\n", r->scause,
		  rv_exc_name(r->scause), r->pc, r->stval);
	if ((r->scause == EXC_LOAD_PAGE || r->scause == EXC_STORE_PAGE) &&
	    mk_kstack_guard_hit(r->stval))
		mk_printk("kernel stack overflow: %lx is a guard page\n", r->stval);
	rv_dump_regs(r);
	mk_printk("fault at:\n  %lx\n", r->pc);
	rv_backtrace(r->s0);
	mk_panic("kernel exception %lu at %lx", r->scause, r->pc);
}

static unsigned rv_fault_access(uint64_t cause, bool user)
{
	unsigned a = cause == EXC_STORE_PAGE ? KF_FAULT_WRITE :
		     cause == EXC_INSN_PAGE ? KF_FAULT_EXEC : KF_FAULT_READ;

	return user ? a | KF_FAULT_USER : a;
}

static void rv_page_fault(struct kf_arch_regs *r)
{
	uint64_t va = r->stval;

	if (rv_from_user(r)) {
		if (mk_user_fault(va, rv_fault_access(r->scause, true)) == 0)
			return;
		mk_printk("user page fault: addr %lx cause %lu pc %lx\n",
			  va, r->scause, r->pc);
		mk_user_signal(r, KF_SIGSEGV, 1 /* MAPERR or ACCERR */, va);
		return;
	}
	/* The kernel touched user memory: only the user copies may (the
	 * HAL's exception table). */
	if (va < KF_TASK_SIZE && kf_extable_search(r->pc)) {
		if (mk_user_fault(va, rv_fault_access(r->scause, false)) == 0)
			return;			/* retry the copy */
		kf_uaccess_fixup(r);		/* resume at the fixup */
		return;
	}
	rv_kernel_oops(r);
}

/* Linux's signal and si_code for each user exception. */
static void rv_user_exception(struct kf_arch_regs *r)
{
	int sig = KF_SIGSEGV, code = 0x80 /* SI_KERNEL */;
	uintptr_t addr = r->stval;

	switch (r->scause) {
	case EXC_ILLEGAL:
		sig = KF_SIGILL, code = 1 /* ILL_ILLOPC */, addr = r->pc;
		break;
	case EXC_BREAKPOINT:
		sig = KF_SIGTRAP, code = 1 /* TRAP_BRKPT */, addr = r->pc;
		break;
	case EXC_INSN_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		sig = KF_SIGBUS, code = 1 /* BUS_ADRALN */;
		break;
	case EXC_INSN_ACCESS:
	case EXC_LOAD_ACCESS:
	case EXC_STORE_ACCESS:
		code = 2 /* SEGV_ACCERR */;
		break;
	}
	mk_printk("user exception %lu (%s) pc %lx stval %lx\n", r->scause,
		  rv_exc_name(r->scause), r->pc, r->stval);
	mk_user_signal(r, sig, code, addr);
}

static void rv_exception(struct kf_arch_regs *r)
{
	switch (r->scause) {
	case EXC_INSN_PAGE:
	case EXC_LOAD_PAGE:
	case EXC_STORE_PAGE:
		rv_page_fault(r);
		return;
	}
	if (rv_from_user(r)) {
		rv_user_exception(r);
		return;
	}
	if (r->scause == EXC_BREAKPOINT && rv_semihost_probe_fault(r))
		return;
	rv_kernel_oops(r);
}

/*
 * rv_syscall - ecall from U: the number in a7, arguments in a0..a5, the
 * result in a0; every other register is kept.  Runs with interrupts on.
 */
static void rv_syscall(struct kf_arch_regs *r)
{
	r->pc += 4;		/* ecall has no compressed form */
	r->orig_a0 = r->a0;
	csr_set(sstatus, SSTATUS_SIE);
	mk_syscall(r);
	mk_return_to_user(r);
	csr_clear(sstatus, SSTATUS_SIE);
}

/* rv_trap - every trap lands here, interrupts disabled. */
void rv_trap(struct kf_arch_regs *r)
{
	bool user = rv_from_user(r);

	if (r->scause & CAUSE_IRQ) {
		if ((r->scause & ~CAUSE_IRQ) == IRQ_S_TIMER) {
			rv_timer_irq();
			mk_timer_tick(user);
		} else if ((r->scause & ~CAUSE_IRQ) == IRQ_S_EXT) {
			rv_external_irq();
		} else {
			mk_printk("riscv64: unexpected interrupt %lu\n",
				  r->scause & ~CAUSE_IRQ);
		}
	} else if (r->scause == EXC_ECALL_U) {
		rv_syscall(r);
		return;
	} else {
		rv_exception(r);
	}
	if (user)
		mk_return_to_user(r);
}
