// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/aarch64/board.c - the aarch64 (QEMU virt, arm64
 * Image boot) side of the mini-kernel: boot, boot information, halting,
 * threads and the system call register convention.
 */
#include <kf/kf.h>
#include <kf/mm.h>
#include <kf/hal/context.h>
#include <kf/hal/irq.h>
#include <kf/hal/tlb.h>
#include <mk/board.h>
#include <mk/mk.h>
#include <mk/sched.h>
#include "a64.h"

/* ---- Boot --------------------------------------------------------------- */

#define MMFR1_PAN(v)	(((v) >> 20) & 0xf)
#define MSR_PAN_1	".inst 0xd500419f"	/* msr pan, #1 (ARMv8.1) */
#define CNTKCTL_EL0VCTEN (1u << 1)

static bool a64_pan;

static void add_reserved(struct mk_bootinfo *bi, uint64_t base, uint64_t size)
{
	if (bi->nr_reserved == MK_MAX_MEM_REGIONS)
		mk_panic("a64: too many reserved regions");
	bi->reserved[bi->nr_reserved].base = base;
	bi->reserved[bi->nr_reserved].size = size;
	bi->nr_reserved++;
}

/*
 * a64_cpu_init - user-visible thread registers cleared; EL0 may read the
 * virtual counter (as on Linux, which has it for its vDSO); PAN on when the
 * CPU has it: set now, and SCTLR_EL1.SPAN cleared so that every exception
 * entry sets it again.  The kernel then never clears it (the user copies
 * use LDTR/STTR, <kf/arch/uaccess.h>).
 */
static void a64_cpu_init(void)
{
	A64_WRITE_SYSREG(tpidr_el0, 0);
	A64_WRITE_SYSREG(tpidrro_el0, 0);
	A64_WRITE_SYSREG(cntkctl_el1, CNTKCTL_EL0VCTEN);
	if (MMFR1_PAN(A64_READ_SYSREG(id_aa64mmfr1_el1))) {
		A64_WRITE_SYSREG(sctlr_el1,
				 A64_READ_SYSREG(sctlr_el1) & ~A64_SCTLR_SPAN);
		a64_isb();
		__asm__ volatile(MSR_PAN_1 : : : "memory");
		a64_pan = true;
	}
}

/*
 * a64_read_boot_info - RAM, reservations, command line and initramfs from
 * the DTB (mapped first: it lies in RAM, which is not mapped yet), then
 * the rest of RAM into the direct map.
 */
static void a64_read_boot_info(uint64_t dtb, struct mk_bootinfo *bi)
{
	unsigned i;

	a64_map_ram(dtb, 8);
	a64_map_ram(dtb, a64_fdt_totalsize(board_phys_to_virt(dtb)));
	a64_fdt_parse(board_phys_to_virt(dtb), bi);
	if (!bi->nr_ram)
		mk_panic("a64: the device tree names no memory");
	for (i = 0; i < bi->nr_ram; i++)
		a64_map_ram(bi->ram[i].base, bi->ram[i].size);
	add_reserved(bi, board_virt_to_phys(_kernel_start),
		     (uint64_t)(__kernel_end - _kernel_start));
}

/* a64_boot_main - called by head.S with the MMU on, on the boot stack:
 * @dtb is x0 at entry, @el the CurrentEL value QEMU entered with. */
void __attribute__((noreturn)) a64_boot_main(uint64_t dtb, uint64_t el)
{
	static struct mk_bootinfo bi;

	a64_semihost_probe();
	a64_read_boot_info(dtb, &bi);
	a64_console_init();
	a64_cpu_init();
	kf_a64_mmu_init();
	a64_gic_init();
	a64_clock_init();
	mk_printk("kfork minikernel: aarch64, entered at EL%lu, PAN %s, "
		  "%u-bit ASIDs, semihosting %s\n", (unsigned long)(el >> 2),
		  a64_pan ? "on" : "off", kf_a64_asid_bits(),
		  a64_semihosting ? "on" : "off");
	mk_main(&bi);
}

/* ---- Halting ------------------------------------------------------------ */

/*
 * Semihosting's SYS_EXIT_EXTENDED with ADP_Stopped_ApplicationExit ends
 * QEMU with the given code (8 bits).  The mapping (ci/run-elf undoes it):
 *   /init exit status s, 0 <= s <= 124   code s
 *   /init exit status s >= 125           code 127; the log line has s
 *   kernel panic                         code 125
 *   watchdog                             code 126
 *   reboot(2) power off, halt, restart   code 0; the log line says reboot
 * Without semihosting (QEMU run by hand), PSCI SYSTEM_OFF ends QEMU with
 * status 0 whatever happened, and only the log tells.
 */
#define SYS_EXIT_EXTENDED	0x20
#define ADP_STOPPED_APP_EXIT	0x20026
#define EXIT_BIG		127
#define EXIT_PANIC		125
#define EXIT_WATCHDOG		126
#define PSCI_SYSTEM_OFF		0x84000008ul

static void psci_system_off(void)
{
	register unsigned long x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	if (a64_dev.psci == A64_PSCI_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
	else if (a64_dev.psci == A64_PSCI_SMC)
		__asm__ volatile("smc #0" : "+r"(x0) : : "memory");
}

void board_halt(enum mk_halt_reason why, int status)
{
	uint64_t block[2] = { ADP_STOPPED_APP_EXIT, 0 };

	kf_arch_irq_save();
	switch (why) {
	case MK_HALT_INIT_EXIT:
		block[1] = (status >= 0 && status <= 124) ? (uint64_t)status :
							    EXIT_BIG;
		break;
	case MK_HALT_WATCHDOG:
		block[1] = EXIT_WATCHDOG;
		break;
	case MK_HALT_POWER_OFF:
		block[1] = 0;
		break;
	default:
		a64_backtrace((uint64_t)__builtin_frame_address(0));
		block[1] = EXIT_PANIC;
		break;
	}
	if (a64_semihosting)
		a64_semihost(SYS_EXIT_EXTENDED, block);
	psci_system_off();
	for (;;)
		__asm__ volatile("wfi");
}

/* ---- Idling, entropy ---------------------------------------------------- */

/* WFI wakes for a pending interrupt even while PSTATE.I masks it, so
 * there is no window between unmasking and sleeping to lose one in. */
void board_idle(void)
{
	__asm__ volatile("dsb sy\n\twfi\n\tmsr daifclr, #2\n\tisb\n\t"
			 "msr daifset, #2" : : : "memory");
}

void board_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

uint64_t board_random(void)
{
	static uint64_t state;
	uint64_t z;

	state += A64_READ_SYSREG(cntvct_el0) + 0x9e3779b97f4a7c15ul;
	z = state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ul;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebul;
	return z ^ (z >> 31);
}

/* ---- Threads ------------------------------------------------------------ */

struct kf_arch_regs *board_user_regs(struct mk_thread *t)
{
	return kf_a64_regs_at_top(mk_thread_kstack_top(t));
}

/* EL0t with every interrupt unmasked, all registers zero. */
void board_user_regs_init(struct kf_arch_regs *r, uintptr_t entry,
			  uintptr_t sp)
{
	memset(r, 0, sizeof(*r));
	r->pc = entry;
	r->sp = sp;
	r->syscallno = ~0ull;
}

void board_thread_exec(struct mk_thread *t)
{
	t->arch->tpidr = 0;
	memset(&t->arch->fpsimd, 0, sizeof(t->arch->fpsimd));
	if (t == mk_current()) {
		kf_a64_write_tpidr_el0(0);
		kf_a64_fpsimd_restore(&t->arch->fpsimd);
	}
}

/* The user thread pointer and FP/SIMD registers are live in the CPU
 * (EL0 writes TPIDR_EL0 itself): saved for @prev, loaded for @next.  The
 * kernel stack for the next entry from EL0 needs nothing: SP_EL1 is left
 * at the top of the thread's stack by its own return to EL0. */
void board_switch(struct mk_thread *prev, struct mk_thread *next)
{
	prev->arch->tpidr = kf_a64_read_tpidr_el0();
	kf_a64_fpsimd_save(&prev->arch->fpsimd);
	kf_a64_write_tpidr_el0(next->arch->tpidr);
	kf_a64_fpsimd_restore(&next->arch->fpsimd);
	kf_arch_switch(prev->arch, next->arch);
}

/* ---- System calls ------------------------------------------------------- */

unsigned long board_syscall_nr(const struct kf_arch_regs *r)
{
	return r->syscallno;
}

void board_syscall_args(const struct kf_arch_regs *r, long a[6])
{
	for (unsigned i = 0; i < 6; i++)
		a[i] = (long)r->x[i];
}

void board_syscall_set_return(struct kf_arch_regs *r, long v)
{
	r->x[0] = (uint64_t)v;
}

long board_syscall_get_return(const struct kf_arch_regs *r)
{
	return (long)r->x[0];
}

/* Back over the 4-byte svc, the first argument back in x0 (x8 still
 * holds the number: an svc changes only x0). */
void board_syscall_restart(struct kf_arch_regs *r)
{
	r->pc -= 4;
	r->x[0] = r->orig_x0;
}

/* Linux's generic numbers are aarch64's own. */
mk_sys_fn board_syscall_fn(unsigned long nr)
{
	return mk_syscall_generic(nr);
}

/*
 * board_exec_mm - the page a handler without sa_restorer returns through
 * (signal.c sets x30 to it): `mov x8, #139 (rt_sigreturn); svc #0`,
 * read-only and executable at A64_SIGTRAMP.  musl always sets
 * sa_restorer; glibc (Debian's static busybox) leaves it to the vDSO's
 * __kernel_rt_sigreturn, which a static program reaches only through
 * x30 as the kernel set it, so this page stands in for the vDSO.
 */
int board_exec_mm(struct kf_mm *mm)
{
	static const uint32_t code[2] = { 0xd2801168, 0xd4000001 };
	long r;

	r = kf_mm_map(mm, A64_SIGTRAMP, KF_PAGE_SIZE, KF_PROT_READ | KF_PROT_EXEC,
		      KF_MAP_PRIVATE | KF_MAP_ANONYMOUS | KF_MAP_FIXED);
	if (r < 0)
		return (int)r;
	return kf_mm_copy_in(mm, A64_SIGTRAMP, code, sizeof(code));
}

unsigned board_elf_machine(void)
{
	return 183;	/* EM_AARCH64 */
}

const char *board_platform(void)
{
	return "aarch64";
}

/* ---- AT_HWCAP ----------------------------------------------------------- */

/* Linux's arm64 HWCAP bits for what EL0 may use here: the FP/SIMD and
 * crypto instructions the ID registers report (SVE, SME and pointer
 * authentication stay off, so they are not announced). */
#define HWCAP_FP	(1ul << 0)
#define HWCAP_ASIMD	(1ul << 1)
#define HWCAP_AES	(1ul << 3)
#define HWCAP_PMULL	(1ul << 4)
#define HWCAP_SHA1	(1ul << 5)
#define HWCAP_SHA2	(1ul << 6)
#define HWCAP_CRC32	(1ul << 7)
#define HWCAP_ATOMICS	(1ul << 8)
#define HWCAP_FPHP	(1ul << 9)
#define HWCAP_ASIMDHP	(1ul << 10)
#define HWCAP_ASIMDRDM	(1ul << 12)
#define HWCAP_SHA3	(1ul << 17)
#define HWCAP_SM3	(1ul << 18)
#define HWCAP_SM4	(1ul << 19)
#define HWCAP_ASIMDDP	(1ul << 20)
#define HWCAP_SHA512	(1ul << 21)
#define HWCAP_ASIMDFHM	(1ul << 23)

static unsigned field(uint64_t reg, unsigned shift)
{
	return (reg >> shift) & 0xf;
}

unsigned long board_hwcap(void)
{
	uint64_t pfr0 = A64_READ_SYSREG(id_aa64pfr0_el1);
	uint64_t isar0 = A64_READ_SYSREG(id_aa64isar0_el1);
	unsigned long h = 0;

	if (field(pfr0, 16) != 0xf)
		h |= HWCAP_FP | (field(pfr0, 16) == 1 ? HWCAP_FPHP : 0);
	if (field(pfr0, 20) != 0xf)
		h |= HWCAP_ASIMD | (field(pfr0, 20) == 1 ? HWCAP_ASIMDHP : 0);
	if (field(isar0, 4) >= 1)
		h |= HWCAP_AES | (field(isar0, 4) >= 2 ? HWCAP_PMULL : 0);
	if (field(isar0, 8) >= 1)
		h |= HWCAP_SHA1;
	if (field(isar0, 12) >= 1)
		h |= HWCAP_SHA2 | (field(isar0, 12) >= 2 ? HWCAP_SHA512 : 0);
	if (field(isar0, 16) >= 1)
		h |= HWCAP_CRC32;
	if (field(isar0, 20) >= 2)
		h |= HWCAP_ATOMICS;
	if (field(isar0, 28) >= 1)
		h |= HWCAP_ASIMDRDM;
	if (field(isar0, 32) >= 1)
		h |= HWCAP_SHA3;
	if (field(isar0, 36) >= 1)
		h |= HWCAP_SM3;
	if (field(isar0, 40) >= 1)
		h |= HWCAP_SM4;
	if (field(isar0, 44) >= 1)
		h |= HWCAP_ASIMDDP;
	if (field(isar0, 48) >= 1)
		h |= HWCAP_ASIMDFHM;
	return h;
}
