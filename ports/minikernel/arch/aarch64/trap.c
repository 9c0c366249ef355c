// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/aarch64/trap.c - what every vector in entry.S
 * calls: system calls, aborts, other synchronous exceptions and the
 * interrupt.
 *
 * ESR_EL1 says what happened: its class (EC) and, for an abort, the
 * fault status (translation, access flag, permission) and whether it was
 * a write (WnR).  A user-mode abort the fault path cannot resolve becomes
 * SIGSEGV (or SIGBUS) for the thread; a kernel-mode abort is a bug, with
 * one exception: a user copy faulting on a user address, which is first
 * offered to the fault path and otherwise resumes at the copy's fixup.
 * Access-flag faults cannot come from kfork's tables (every descriptor is
 * made with AF set, <kf/arch/pte_aarch64.h>, and TCR_EL1.HA stays off on
 * every CPU), so one is reported as the kernel bug it would be.
 */
#include <kf/kf.h>
#include <kf/hal/uaccess.h>
#include <kf/hal/irq.h>
#include <mk/board.h>
#include <mk/mk.h>
#include <mk/sched.h>
#include "a64.h"

#define EC_UNKNOWN	0x00
#define EC_SVC64	0x15
#define EC_SYS64	0x18
#define EC_IABT_LOW	0x20
#define EC_IABT_CUR	0x21
#define EC_PC_ALIGN	0x22
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25
#define EC_SP_ALIGN	0x26
#define EC_FP_EXC64	0x2c
#define EC_BRK64	0x3c

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_FSC(esr)	((esr) & 0x3f)
#define ESR_WNR		(1u << 6)
#define ESR_CM		(1u << 8)

#define FSC_TYPE(fsc)	((fsc) & 0x3c)	/* the level in the low 2 bits */
#define FSC_TRANS	0x04
#define FSC_ACCESS	0x08
#define FSC_PERM	0x0c
#define FSC_ALIGN	0x21

/* si_codes (Linux's asm-generic/siginfo.h) */
#define ILL_ILLOPC	1
#define FPE_FLTUNK	14
#define BUS_ADRALN	1
#define BUS_ADRERR	2
#define TRAP_BRKPT	1

static void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case EC_UNKNOWN: return "undefined instruction";
	case EC_SVC64: return "svc";
	case EC_SYS64: return "system register access";
	case EC_IABT_LOW: case EC_IABT_CUR: return "instruction abort";
	case EC_PC_ALIGN: return "pc alignment";
	case EC_DABT_LOW: case EC_DABT_CUR: return "data abort";
	case EC_SP_ALIGN: return "sp alignment";
	case EC_FP_EXC64: return "floating-point exception";
	case EC_BRK64: return "brk";
	default: return "exception";
	}
}

/* ---- Reports ------------------------------------------------------------ */

/* A frame record lies on the current thread's kernel stack or in the
 * image (the boot and overflow stacks); anything else ends the walk. */
static bool frame_ok(uint64_t fp)
{
	uintptr_t top = mk_thread_kstack_top(mk_current());

	if (fp & 15)
		return false;
	if (top && fp >= top - KF_ARCH_KSTACK_SIZE && fp + 16 <= top)
		return true;
	return fp >= (uintptr_t)_kernel_start && fp + 16 <= (uintptr_t)__kernel_end;
}

/* a64_backtrace - the return addresses of the frame-record chain from
 * @fp (the kernel is built with frame pointers). */
void a64_backtrace(uint64_t fp)
{
	unsigned depth;

	mk_printk("backtrace:\n");
	for (depth = 0; depth < 16 && frame_ok(fp); depth++) {
		const uint64_t *f = (const uint64_t *)fp;

		if (f[1] < A64_KBASE)
			break;
		mk_printk("  [%u] %lx\n", depth, (unsigned long)f[1]);
		if (f[0] <= fp)
			break;
		fp = f[0];
	}
}

static void dump_regs(const struct kf_arch_regs *r)
{
	unsigned i;

	mk_printk("pc %016lx sp %016lx pstate %08lx\n", r->pc, r->sp,
		  r->pstate);
	for (i = 0; i < 30; i += 3)
		mk_printk("x%-2u %016lx x%-2u %016lx x%-2u %016lx\n", i, r->x[i],
			  i + 1, r->x[i + 1], i + 2, r->x[i + 2]);
	mk_printk("x30 %016lx ttbr0 %016lx\n", r->x[30],
		  A64_READ_SYSREG(ttbr0_el1));
}

/* A kernel-mode exception nothing can fix: report everything and halt. */
void a64_kernel_oops(struct kf_arch_regs *r, const char *what)
{
	uint64_t esr = A64_READ_SYSREG(esr_el1), far = A64_READ_SYSREG(far_el1);

	mk_printk("\nkernel exception: %s (%s, ESR %lx) at %lx, FAR %lx\n", what,
		  ec_name(ESR_EC(esr)), (unsigned long)esr, r->pc,
		  (unsigned long)far);
	dump_regs(r);
	mk_printk("fault at:\n  %lx\n", r->pc);
	a64_backtrace(r->x[29]);
	mk_panic("kernel exception at %lx", r->pc);
}

/*
 * a64_stack_overflow - entry.S found no room for a frame below the
 * kernel stack pointer @sp (a guard page): the abort that brought us here
 * was the stack running off its bottom.  On the overflow stack.
 */
void a64_stack_overflow(uint64_t sp, uint64_t fp)
{
	uint64_t far = A64_READ_SYSREG(far_el1);

	mk_printk("\nkernel exception: %s at %lx, FAR %lx, sp %lx\n",
		  ec_name(ESR_EC(A64_READ_SYSREG(esr_el1))),
		  (unsigned long)A64_READ_SYSREG(elr_el1), (unsigned long)far,
		  (unsigned long)sp);
	if (mk_kstack_guard_hit(far) || mk_kstack_guard_hit(sp - KF_A64_REGS_SIZE))
		mk_printk("kernel stack overflow: %lx is a guard page\n",
			  (unsigned long)(mk_kstack_guard_hit(far) ? far : sp - 1));
	a64_backtrace(fp);
	mk_panic("kernel stack overflow at %lx",
		 (unsigned long)A64_READ_SYSREG(elr_el1));
}

/* ---- Aborts ------------------------------------------------------------- */

static unsigned abort_access(uint64_t esr, bool exec)
{
	if (exec)
		return KF_FAULT_READ | KF_FAULT_EXEC;
	/* a cache maintenance instruction reads, whatever WnR says */
	if ((esr & ESR_WNR) && !(esr & ESR_CM))
		return KF_FAULT_WRITE;
	return KF_FAULT_READ;
}

static bool fsc_resolvable(unsigned fsc)
{
	return FSC_TYPE(fsc) == FSC_TRANS || FSC_TYPE(fsc) == FSC_PERM;
}

static void user_abort(struct kf_arch_regs *r, uint64_t esr, uint64_t far,
		       bool exec)
{
	unsigned fsc = ESR_FSC(esr);

	if (FSC_TYPE(fsc) == FSC_ACCESS)
		a64_kernel_oops(r, "access flag fault on a kfork descriptor");
	if (fsc_resolvable(fsc) &&
	    mk_user_fault(far, abort_access(esr, exec) | KF_FAULT_USER) == 0)
		return;
	mk_printk("user %s: addr %lx ESR %lx pc %lx\n",
		  exec ? "instruction abort" : "data abort", (unsigned long)far,
		  (unsigned long)esr, r->pc);
	if (fsc == FSC_ALIGN)
		mk_user_signal(r, KF_SIGBUS, BUS_ADRALN, far);
	else if (fsc_resolvable(fsc))
		mk_user_signal(r, KF_SIGSEGV, 1, far);	/* MAPERR or ACCERR */
	else
		mk_user_signal(r, KF_SIGBUS, BUS_ADRERR, far);
}

/* The kernel touched user memory: only the user copies may (the HAL's
 * exception table, <kf/hal/uaccess.h>). */
static void kernel_abort(struct kf_arch_regs *r, uint64_t esr, uint64_t far)
{
	if (far < KF_TASK_SIZE && fsc_resolvable(ESR_FSC(esr)) &&
	    kf_extable_search(r->pc)) {
		if (mk_user_fault(far, abort_access(esr, false)) == 0)
			return;			/* retry the copy */
		kf_uaccess_fixup(r);		/* resume at the fixup */
		return;
	}
	if (mk_kstack_guard_hit(far))
		mk_printk("kernel stack overflow: %lx is a guard page\n",
			  (unsigned long)far);
	a64_kernel_oops(r, far < KF_TASK_SIZE ? "kernel access to user memory"
					      : "kernel data abort");
}

/* ---- The handlers entry.S calls ----------------------------------------- */

/*
 * a64_el1_sync_handler - a synchronous exception in the kernel.  The
 * interrupted code's interrupt state is kept while the fault path runs
 * (a user copy from a system call may sleep in it).
 */
void a64_el1_sync_handler(struct kf_arch_regs *r)
{
	uint64_t esr = A64_READ_SYSREG(esr_el1), far = A64_READ_SYSREG(far_el1);
	unsigned ec = ESR_EC(esr);

	/* the semihosting probe's hlt without semihosting: none here */
	if (ec == EC_UNKNOWN && r->pc == (uintptr_t)a64_semihost_insn) {
		a64_semihosting = false;
		r->x[0] = (uint64_t)-1;
		r->pc += 4;
		return;
	}
	if (ec != EC_DABT_CUR)
		a64_kernel_oops(r, ec_name(ec));
	if (!(r->pstate & KF_A64_DAIF_I))
		irq_enable();
	kernel_abort(r, esr, far);
	irq_disable();
}

static void user_exception(struct kf_arch_regs *r, uint64_t esr, uint64_t far)
{
	unsigned ec = ESR_EC(esr);

	mk_printk("user exception: %s (ESR %lx) pc %lx\n", ec_name(ec),
		  (unsigned long)esr, r->pc);
	switch (ec) {
	case EC_PC_ALIGN:
		mk_user_signal(r, KF_SIGBUS, BUS_ADRALN, far);
		break;
	case EC_SP_ALIGN:
		mk_user_signal(r, KF_SIGBUS, BUS_ADRALN, r->sp);
		break;
	case EC_FP_EXC64:
		mk_user_signal(r, KF_SIGFPE, FPE_FLTUNK, r->pc);
		break;
	case EC_BRK64:
		mk_user_signal(r, KF_SIGTRAP, TRAP_BRKPT, r->pc);
		break;
	default:	/* undefined, trapped system register, SVE, ... */
		mk_user_signal(r, KF_SIGILL, ILL_ILLOPC, r->pc);
		break;
	}
}

/*
 * a64_el0_sync_handler - svc, aborts and every other synchronous
 * exception from user mode, with interrupts on; then the way back
 * (preemption, signals).  Linux's svc convention: the number in x8,
 * arguments in x0..x5, the result in x0, every other register kept.
 */
void a64_el0_sync_handler(struct kf_arch_regs *r)
{
	uint64_t esr = A64_READ_SYSREG(esr_el1), far = A64_READ_SYSREG(far_el1);

	irq_enable();
	switch (ESR_EC(esr)) {
	case EC_SVC64:
		r->orig_x0 = r->x[0];
		r->syscallno = r->x[8];
		mk_syscall(r);
		break;
	case EC_DABT_LOW:
		user_abort(r, esr, far, false);
		break;
	case EC_IABT_LOW:
		user_abort(r, esr, far, true);
		break;
	default:
		user_exception(r, esr, far);
		break;
	}
	mk_return_to_user(r);
	irq_disable();
}

/* FIQ or SError from user mode: nothing sends either; the thread dies. */
void a64_el0_bad_handler(struct kf_arch_regs *r)
{
	mk_printk("user exception: FIQ or SError (ESR %lx) pc %lx\n",
		  (unsigned long)A64_READ_SYSREG(esr_el1), r->pc);
	mk_user_signal(r, KF_SIGBUS, BUS_ADRERR, 0);
	mk_return_to_user(r);
	irq_disable();
}

/* a64_irq_handler - the GIC's interrupt (interrupts masked). */
void a64_irq_handler(struct kf_arch_regs *r, bool from_user)
{
	unsigned intid = a64_gic_ack();

	if (intid >= A64_GIC_SPURIOUS)
		return;
	if (intid == a64_dev.vtimer_intid) {
		a64_timer_rearm();
		a64_gic_eoi(intid);
		mk_timer_tick(from_user);
	} else if (intid == a64_dev.uart_intid) {
		a64_uart_irq();
		a64_gic_eoi(intid);
	} else {
		mk_printk("a64: unexpected interrupt %u\n", intid);
		a64_gic_eoi(intid);
	}
	if (from_user)
		mk_return_to_user(r);
}
