// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/x86_64/trap.c - what every entry in entry.S calls: exceptions,
 * page faults, the timer interrupt and system calls.
 *
 * A fault in user mode that the kernel cannot resolve becomes a signal for
 * the thread (mk_user_signal).  A fault in kernel mode is a bug, with one
 * exception: a user copy faulting on a user address, which is first offered
 * to the page-fault path and otherwise resumes at the copy's fixup.
 */
#include <kf/kf.h>
#include <kf/hal/uaccess.h>
#include <mk/board.h>
#include <mk/mk.h>
#include "x86.h"

#define VEC_DE 0
#define VEC_DB 1
#define VEC_NMI 2
#define VEC_BP 3
#define VEC_UD 6
#define VEC_NM 7
#define VEC_DF 8
#define VEC_GP 13
#define VEC_PF 14
#define VEC_MF 16
#define VEC_AC 17
#define VEC_XM 19

#define PF_P 0x01
#define PF_W 0x02
#define PF_U 0x04
#define PF_RSVD 0x08
#define PF_I 0x10

static const char *const x86_exc_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FP error", "alignment check",
	"machine check", "SIMD FP error", "virtualization",
	"control protection",
};

static bool x86_from_user(const struct kf_arch_regs *r)
{
	return (r->cs & 3) == 3;
}

static uint64_t x86_read_cr2(void)
{
	return X86_READ_CR(2);
}

/* Frames must lie in a kernel-half stack; stop at anything else rather
 * than fault while reporting a fault. */
static bool x86_frame_ok(uint64_t rbp, uint64_t lo, uint64_t hi)
{
	return rbp >= lo && rbp + 16 <= hi && !(rbp & 7);
}

/*
 * x86_backtrace - the return addresses of the frame-pointer chain starting
 * at @rbp (the kernel is built with -fno-omit-frame-pointer).  The walk
 * stays inside the stack @rbp points into: the current thread's kernel
 * stack or the boot/IST stacks in the image, whichever contains it.
 */
void x86_backtrace(uint64_t rbp)
{
	uint64_t lo, hi, top = x86_cpu_kstack_top;
	unsigned depth;

	if (top && rbp < top && rbp >= top - KF_ARCH_KSTACK_SIZE) {
		lo = top - KF_ARCH_KSTACK_SIZE;
		hi = top;
	} else if (rbp >= X86_KVMA) {
		lo = X86_KVMA;	/* the boot and IST stacks are in the image */
		hi = ~0ul;
	} else {
		return;
	}
	mk_printk("backtrace:\n");
	for (depth = 0; depth < 16 && x86_frame_ok(rbp, lo, hi); depth++) {
		const uint64_t *f = (const uint64_t *)rbp;

		if (f[1] < X86_KVMA)
			break;
		mk_printk("  [%u] %lx\n", depth, (unsigned long)f[1]);
		if (f[0] <= rbp)
			break;
		rbp = f[0];
	}
}

static void x86_dump_regs(const struct kf_arch_regs *r)
{
	mk_printk("rip %016lx cs %lx rflags %lx rsp %016lx ss %lx\n",
		  r->rip, r->cs, r->rflags, r->rsp, r->ss);
	mk_printk("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n",
		  r->rax, r->rbx, r->rcx, r->rdx);
	mk_printk("rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n",
		  r->rsi, r->rdi, r->rbp, r->r8);
	mk_printk("r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n",
		  r->r9, r->r10, r->r11, r->r12);
	mk_printk("r13 %016lx r14 %016lx r15 %016lx cr3 %016lx\n",
		  r->r13, r->r14, r->r15, X86_READ_CR(3));
}

static const char *x86_exc_name(uint64_t vec)
{
	if (vec < 32 && x86_exc_names[vec])
		return x86_exc_names[vec];
	return "exception";
}

/* A kernel-mode exception nothing can fix: report everything and halt. */
static void __attribute__((noreturn)) x86_kernel_oops(struct kf_arch_regs *r,
						       uint64_t cr2)
{
	mk_printk("\nkernel exception %lu (%s) error %lx rip %lx cr2 %lx\n",
		  r->vector, x86_exc_name(r->vector), r->orig_rax, r->rip, cr2);
	if ((r->vector == VEC_PF || r->vector == VEC_DF) &&
	    mk_kstack_guard_hit(cr2))
		mk_printk("kernel stack overflow: %lx is a guard page\n", cr2);
	x86_dump_regs(r);
	mk_printk("fault at:\n  %lx\n", r->rip);
	x86_backtrace(r->rbp);
	mk_panic("kernel exception %lu at %lx", r->vector, r->rip);
}

static int x86_exc_signal(uint64_t vec)
{
	switch (vec) {
	case VEC_DE: case VEC_MF: case VEC_XM: case VEC_NM:
		return 8;			/* SIGFPE */
	case VEC_UD:
		return KF_SIGILL;
	case VEC_DB: case VEC_BP:
		return KF_SIGTRAP;
	case VEC_AC:
		return KF_SIGBUS;
	default:
		return KF_SIGSEGV;
	}
}

static unsigned x86_pf_access(uint64_t err)
{
	unsigned a = (err & PF_W) ? KF_FAULT_WRITE : KF_FAULT_READ;

	if (err & PF_I)
		a |= KF_FAULT_EXEC;
	if (err & PF_U)
		a |= KF_FAULT_USER;
	return a;
}

static void x86_page_fault(struct kf_arch_regs *r)
{
	uint64_t cr2 = x86_read_cr2(), err = r->orig_rax;

	if (x86_from_user(r)) {
		if (!(err & PF_RSVD) && mk_user_fault(cr2, x86_pf_access(err)) == 0)
			return;
		mk_printk("user page fault: addr %lx error %lx rip %lx\n",
			  cr2, err, r->rip);
		/* SEGV_MAPERR, or SEGV_ACCERR for a present page */
		mk_user_signal(r, KF_SIGSEGV, (err & PF_P) ? 2 : 1, cr2);
		return;
	}
	/* The kernel touched user memory: only the user copies may (the
	 * HAL's exception table, <kf/hal/uaccess.h>). */
	if (cr2 < KF_TASK_SIZE && !(err & PF_RSVD) &&
	    kf_extable_search(r->rip)) {
		if (mk_user_fault(cr2, x86_pf_access(err)) == 0)
			return;			/* retry the copy */
		kf_uaccess_fixup(r);		/* resume at the fixup */
		return;
	}
	x86_kernel_oops(r, cr2);
}

static void x86_exception(struct kf_arch_regs *r)
{
	if (!x86_from_user(r))
		x86_kernel_oops(r, x86_read_cr2());
	mk_printk("user exception %lu (%s) error %lx rip %lx\n", r->vector,
		  x86_exc_name(r->vector), r->orig_rax, r->rip);
	mk_user_signal(r, x86_exc_signal(r->vector), 0x80 /* SI_KERNEL */, 0);
}

/* x86_trap - every vector but syscall lands here (interrupts disabled). */
void x86_trap(struct kf_arch_regs *r)
{
	switch (r->vector) {
	case VEC_PF:
		x86_page_fault(r);
		break;
	case X86_VEC_TIMER:
		x86_lapic_eoi();
		mk_timer_tick(x86_from_user(r));
		break;
	case X86_VEC_COM1:
		x86_serial_irq();
		x86_lapic_eoi();
		break;
	case X86_VEC_SPURIOUS:
		return;
	default:
		if (r->vector < 32) {
			x86_exception(r);
			break;
		}
		mk_printk("x86: unexpected interrupt %lu\n", r->vector);
		x86_lapic_eoi();
		break;
	}
	if (x86_from_user(r))
		mk_return_to_user(r);
}

/*
 * x86_syscall - a syscall instruction (interrupts enabled).  Returns
 * whether sysret may return: it loads rip from rcx without checks, so a
 * non-canonical or kernel address, or a frame execve or a signal made,
 * goes back through iretq instead.
 */
bool x86_syscall(struct kf_arch_regs *r)
{
	mk_syscall(r);
	mk_return_to_user(r);
	return r->vector == KF_X86_VEC_SYSCALL &&
	       r->rip < KF_TASK_SIZE && r->cs == KF_X86_USER_CS &&
	       r->ss == KF_X86_USER_DS &&
	       !(r->rflags & (0x100ul | 0x10000ul | 0x20000ul)); /* TF RF VM */
}
