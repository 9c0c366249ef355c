// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/x86_64/board.c - the x86_64 (QEMU q35, PVH) side
 * of the mini-kernel: boot, boot information, halting, threads and the
 * syscall register convention (the numbers are in syscall.c).
 */
#include <kf/hal/context.h>
#include <kf/hal/irq.h>
#include <mk/board.h>
#include <mk/mk.h>
#include <mk/sched.h>
#include "x86.h"

/* ---- Boot ------------------------------------------------------------------ */

/* Xen's PVH boot structures (xen/include/public/arch-x86/hvm/start_info.h). */
#define PVH_MAGIC 0x336ec578u

struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

#define E820_RAM 1
#define LOW_MEM_END 0x100000ul	/* below 1 MiB: firmware and boot data */

extern char _kernel_phys_start[], _kernel_phys_end[];

static void bi_add(struct mk_mem_region *r, unsigned *n, uint64_t base,
		   uint64_t size)
{
	if (*n == MK_MAX_MEM_REGIONS) {
		mk_printk("x86: too many memory regions, %lx+%lx ignored\n",
			  (unsigned long)base, (unsigned long)size);
		return;
	}
	r[*n].base = base;
	r[*n].size = size;
	(*n)++;
}

/* RAM from the e820 map, without the first MiB. */
static void pvh_read_memmap(const struct hvm_start_info *si,
			    struct mk_bootinfo *bi)
{
	const struct hvm_memmap_entry *m =
		(const void *)(uintptr_t)si->memmap_paddr;
	uint32_t i;

	for (i = 0; i < si->memmap_entries; i++) {
		uint64_t base = m[i].addr, end = m[i].addr + m[i].size;

		if (m[i].type != E820_RAM || end <= LOW_MEM_END)
			continue;
		if (base < LOW_MEM_END)
			base = LOW_MEM_END;
		bi_add(bi->ram, &bi->nr_ram, base, end - base);
	}
}

/*
 * pvh_read_start_info - copy what the kernel keeps of QEMU's start_info
 * (still reached through the boot identity map: QEMU puts it, the command
 * line and the memory map in the first MiB).  Module 0 is the initramfs.
 */
static void pvh_read_start_info(uint64_t pa, struct mk_bootinfo *bi)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)pa;

	if (si->magic != PVH_MAGIC)
		mk_panic("x86: bad PVH start_info magic %x", si->magic);
	pvh_read_memmap(si, bi);
	x86_acpi_rsdp = si->rsdp_paddr;
	bi_add(bi->reserved, &bi->nr_reserved,
	       (uint64_t)_kernel_phys_start,
	       (uint64_t)_kernel_phys_end - (uint64_t)_kernel_phys_start);
	if (si->nr_modules > 0) {
		const struct hvm_modlist_entry *mod =
			(const void *)(uintptr_t)si->modlist_paddr;

		bi->initrd_base = mod->paddr;
		bi->initrd_size = mod->size;
		bi_add(bi->reserved, &bi->nr_reserved, mod->paddr, mod->size);
	}
	if (si->cmdline_paddr) {
		const char *c = (const char *)(uintptr_t)si->cmdline_paddr;
		size_t n = strnlen(c, MK_CMDLINE_MAX - 1);

		memcpy(bi->cmdline, c, n);
		bi->cmdline[n] = 0;
	}
}

static uint64_t bi_ram_top(const struct mk_bootinfo *bi)
{
	uint64_t top = 0;
	unsigned i;

	for (i = 0; i < bi->nr_ram; i++)
		if (bi->ram[i].base + bi->ram[i].size > top)
			top = bi->ram[i].base + bi->ram[i].size;
	return top;
}

/* x86_boot_main - called by pvh.S in long mode on the boot stack. */
void __attribute__((noreturn)) x86_boot_main(uint64_t start_info_pa)
{
	static struct mk_bootinfo bi;

	x86_serial_init();
	x86_cpu_init();
	pvh_read_start_info(start_info_pa, &bi);
	x86_paging_init(bi_ram_top(&bi));
	x86_clock_init();
	mk_printk("kfork minikernel: x86_64, SMEP %s, SMAP %s, NX %s\n",
		  x86_feat.smep ? "on" : "off", x86_feat.smap ? "on" : "off",
		  x86_feat.nx ? "on" : "off");
	mk_main(&bi);
}

/* ---- Halting ------------------------------------------------------------------ */

/*
 * QEMU's isa-debug-exit (port 0xf4) ends QEMU with status (v << 1) | 1 for
 * a written value v, keeping 8 bits.  The mapping (ci/run-elf undoes it):
 *   /init exit status s, 0 <= s <= 124   v = s      QEMU status 2s+1
 *   /init exit status s >= 125           v = 0x7f   QEMU status 255; the
 *                                                   log line has s
 *   kernel panic                         v = 0x7d   QEMU status 251
 *   watchdog                             v = 0x7e   QEMU status 253
 *   reboot(2) power off, halt, restart   v = 0      QEMU status 1; the
 *                                                   log line says reboot
 * A triple fault or reset ends QEMU with 0 (-no-reboot).
 */
#define DEBUG_EXIT_PORT 0xf4
#define EXIT_V_BIG	0x7f
#define EXIT_V_PANIC	0x7d
#define EXIT_V_WATCHDOG	0x7e

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
		v = 0;		/* as /init's exit(0): QEMU status 1 */
		break;
	default:
		x86_backtrace((uint64_t)__builtin_frame_address(0));
		v = EXIT_V_PANIC;
		break;
	}
	outl(DEBUG_EXIT_PORT, v);
	for (;;)	/* no debug-exit device: stop here */
		__asm__ volatile("cli; hlt");
}

/* ---- Time, idling, entropy ------------------------------------------------------ */

void board_idle(void)
{
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

void board_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

uint64_t board_random(void)
{
	static uint64_t state;
	uint64_t z;

	state += x86_rdtsc() + 0x9e3779b97f4a7c15ul;
	z = state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ul;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebul;
	return z ^ (z >> 31);
}

/* ---- Threads ---------------------------------------------------------------------- */

struct kf_arch_regs *board_user_regs(struct mk_thread *t)
{
	return kf_x86_regs_at_top(mk_thread_kstack_top(t));
}

void board_user_regs_init(struct kf_arch_regs *r, uintptr_t entry,
			  uintptr_t sp)
{
	memset(r, 0, sizeof(*r));
	r->rip = entry;
	r->rsp = sp;
	r->cs = KF_X86_USER_CS;
	r->ss = KF_X86_USER_DS;
	r->rflags = KF_X86_RFLAGS_USER_INIT;
	r->vector = KF_X86_VEC_SYSCALL;
}

void board_thread_exec(struct mk_thread *t)
{
	t->arch->fs_base = 0;
	x86_fpu_init_state(t->arch->fpu);
	if (t == mk_current()) {
		wrmsr(MSR_FS_BASE, 0);
		kf_x86_fpu_restore(t->arch);
	}
}

/* The FS base is kept in prev->arch whenever it changes (arch_prctl), so
 * only the incoming thread's is loaded. */
void board_switch(struct mk_thread *prev, struct mk_thread *next)
{
	uintptr_t top = mk_thread_kstack_top(next);

	kf_x86_fpu_save(prev->arch);
	if (top)
		x86_set_kernel_stack(top);
	wrmsr(MSR_FS_BASE, next->arch->fs_base);
	kf_x86_fpu_restore(next->arch);
	kf_arch_switch(prev->arch, next->arch);
}

/* ---- System calls --------------------------------------------------------------------- */

unsigned long board_syscall_nr(const struct kf_arch_regs *r)
{
	return r->orig_rax;
}

void board_syscall_args(const struct kf_arch_regs *r, long a[6])
{
	a[0] = (long)r->rdi;
	a[1] = (long)r->rsi;
	a[2] = (long)r->rdx;
	a[3] = (long)r->r10;
	a[4] = (long)r->r8;
	a[5] = (long)r->r9;
}

void board_syscall_set_return(struct kf_arch_regs *r, long v)
{
	r->rax = (uint64_t)v;
}

long board_syscall_get_return(const struct kf_arch_regs *r)
{
	return (long)r->rax;
}

/* Back over the 2-byte syscall instruction, the number back in rax. */
void board_syscall_restart(struct kf_arch_regs *r)
{
	r->rip -= 2;
	r->rax = r->orig_rax;
}

/* x86_64 returns from handlers through sa_restorer: nothing to map. */
int board_exec_mm(struct kf_mm *mm)
{
	(void)mm;
	return 0;
}

unsigned board_elf_machine(void)
{
	return 62;	/* EM_X86_64 */
}

const char *board_platform(void)
{
	return "x86_64";
}

unsigned long board_hwcap(void)
{
	uint32_t r[4];

	x86_cpuid(1, 0, r);
	return r[3];	/* Linux's AT_HWCAP on x86_64: CPUID.1:EDX */
}
