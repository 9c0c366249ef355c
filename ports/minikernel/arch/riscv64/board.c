// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/riscv64/board.c - the riscv64 (QEMU virt behind
 * OpenSBI) side of the mini-kernel: halting, idling, threads, the syscall
 * register convention and numbers, the ELF and auxv facts, and the
 * signal-return page every process gets.
 */
#include <kf/kf.h>
#include <kf/mm.h>
#include <kf/hal/context.h>
#include <kf/hal/irq.h>
#include <mk/board.h>
#include <mk/mk.h>
#include <mk/sched.h>
#include "riscv.h"

/* ---- Halting ------------------------------------------------------------------ */

/*
 * The sifive test device (-M virt at 0x100000, found in the DTB) ends QEMU
 * with status 0 for FINISHER_PASS (0x5555) and with status v for
 * (v << 16) | FINISHER_FAIL (0x3333), v kept to 8 bits.  The mapping, the
 * x86_64 board's values without its (v << 1) | 1 (ci/run-elf reads both):
 *   /init exit status s, 0 <= s <= 124   v = s      QEMU status s
 *   /init exit status s >= 125           v = 127    the log line has s
 *   kernel panic                         v = 125
 *   watchdog                             v = 126
 *   reboot(2) power off, halt, restart   v = 0      the log line says reboot
 */
#define FINISHER_PASS	0x5555
#define FINISHER_FAIL	0x3333
#define EXIT_V_BIG	127
#define EXIT_V_PANIC	125
#define EXIT_V_WATCHDOG	126
#define SRST_SHUTDOWN	0

void board_halt(enum mk_halt_reason why, int status)
{
	uint32_t v;

	kf_arch_irq_save();
	switch (why) {
	case MK_HALT_INIT_EXIT:
		v = (status >= 0 && status <= 124) ? (uint32_t)status : EXIT_V_BIG;
		break;
	case MK_HALT_WATCHDOG:
		v = EXIT_V_WATCHDOG;
		break;
	case MK_HALT_POWER_OFF:
		v = 0;
		break;
	default:
		rv_backtrace((uint64_t)__builtin_frame_address(0));
		v = EXIT_V_PANIC;
		break;
	}
	if (rv_mach.test_pa && rv_mach.test_pa < RV_GIB) {
		volatile uint32_t *fin = board_phys_to_virt(rv_mach.test_pa);

		*fin = v ? (v << 16) | FINISHER_FAIL : FINISHER_PASS;
	}
	/* no finisher: the SBI can at least stop (it cannot say a status) */
	sbi_call(SBI_EXT_SRST, 0, SRST_SHUTDOWN, v != 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

/* ---- Time, idling, entropy ------------------------------------------------------ */

/* wfi wakes for a pending enabled interrupt even with SIE off; it is then
 * taken between the two CSR writes. */
void board_idle(void)
{
	__asm__ volatile("wfi; csrsi sstatus, 2; csrci sstatus, 2" : : : "memory");
}

void board_irq_enable(void)
{
	__asm__ volatile("csrsi sstatus, 2" : : : "memory");
}

uint64_t board_random(void)
{
	static uint64_t state;
	uint64_t z;

	state += rv_rdtime() + 0x9e3779b97f4a7c15ul;
	z = state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ul;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebul;
	return z ^ (z >> 31);
}

/* ---- Threads ---------------------------------------------------------------------- */

extern uint64_t rv_kstack_lo;

struct kf_arch_regs *board_user_regs(struct mk_thread *t)
{
	return kf_rv_regs_at_top(mk_thread_kstack_top(t));
}

/* User mode (SPP 0), interrupts on after sret (SPIE), the FP unit on and
 * clean, SUM and MXR off. */
void board_user_regs_init(struct kf_arch_regs *r, uintptr_t entry,
			  uintptr_t sp)
{
	uint64_t s = csr_read(sstatus);

	memset(r, 0, sizeof(*r));
	r->pc = entry;
	r->sp = sp;
	s &= ~(KF_RV_SSTATUS_SPP | SSTATUS_SIE | KF_RV_SSTATUS_SUM |
	       KF_RV_SSTATUS_MXR | KF_RV_SSTATUS_FS);
	r->sstatus = s | KF_RV_SSTATUS_SPIE | KF_RV_SSTATUS_FS_INITIAL;
}

void board_thread_exec(struct mk_thread *t)
{
	memset(t->arch->f, 0, sizeof(t->arch->f));
	t->arch->fcsr = 0;
	if (t == mk_current())
		kf_rv_fpu_restore(t->arch);
}

/* The user tp is in the frame and sscratch is set on the way out, so a
 * switch moves the FP registers and the stack bound entry.S checks. */
void board_switch(struct mk_thread *prev, struct mk_thread *next)
{
	uintptr_t top = mk_thread_kstack_top(next);

	kf_rv_fpu_save(prev->arch);
	rv_kstack_lo = top ? top - KF_ARCH_KSTACK_SIZE : 0;
	kf_rv_fpu_restore(next->arch);
	kf_arch_switch(prev->arch, next->arch);
}

/* ---- System calls --------------------------------------------------------------------- */

unsigned long board_syscall_nr(const struct kf_arch_regs *r)
{
	return r->a7;
}

void board_syscall_args(const struct kf_arch_regs *r, long a[6])
{
	a[0] = (long)r->a0;
	a[1] = (long)r->a1;
	a[2] = (long)r->a2;
	a[3] = (long)r->a3;
	a[4] = (long)r->a4;
	a[5] = (long)r->a5;
}

void board_syscall_set_return(struct kf_arch_regs *r, long v)
{
	r->a0 = (uint64_t)v;
}

long board_syscall_get_return(const struct kf_arch_regs *r)
{
	return (long)r->a0;
}

/* Back over the 4-byte ecall, the first argument back in a0. */
void board_syscall_restart(struct kf_arch_regs *r)
{
	r->pc -= 4;
	r->a0 = r->orig_a0;
}

/* riscv64 uses Linux's generic numbers and has no calls of its own that
 * the kernel implements (riscv_flush_icache, riscv_hwprobe: ENOSYS). */
mk_sys_fn board_syscall_fn(unsigned long nr)
{
	return mk_syscall_generic(nr);
}

unsigned board_elf_machine(void)
{
	return 243;	/* EM_RISCV */
}

const char *board_platform(void)
{
	return "riscv64";
}

/* Linux's riscv64 AT_HWCAP: a bit per single-letter extension of the
 * boot hart's ISA string, for the letters Linux reports (IMAFDCV). */
unsigned long board_hwcap(void)
{
	const char *p = rv_mach.isa;
	unsigned long caps = 0;

	if (strncmp(p, "rv64", 4))
		return 0;
	for (p += 4; *p && *p != '_'; p++)
		if (*p == 'i' || *p == 'm' || *p == 'a' || *p == 'f' ||
		    *p == 'd' || *p == 'c' || *p == 'v')
			caps |= 1ul << (*p - 'a');
	return caps;
}

/* ---- The signal-return page ------------------------------------------------------------ */

/*
 * board_exec_mm - every new program gets the page signal handlers return
 * through (signal.c sets ra to it): `li a7, 139 (rt_sigreturn); ecall`,
 * read-only and executable at RV_SIGTRAMP.  What qemu-user does; Linux
 * puts the same code in its vDSO, which static musl never looks up, so
 * no AT_SYSINFO_EHDR is given.
 */
int board_exec_mm(struct kf_mm *mm)
{
	static const uint32_t code[2] = { 0x08b00893, 0x00000073 };
	long r;

	r = kf_mm_map(mm, RV_SIGTRAMP, KF_PAGE_SIZE, KF_PROT_READ | KF_PROT_EXEC,
		      KF_MAP_PRIVATE | KF_MAP_ANONYMOUS | KF_MAP_FIXED);
	if (r < 0)
		return (int)r;
	return kf_mm_copy_in(mm, RV_SIGTRAMP, code, sizeof(code));
}
