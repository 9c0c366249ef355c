// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/x86_64/cpu.c - the CPU's tables and modes: GDT with a TSS,
 * IDT, CPUID features, SMEP/SMAP, SSE for user space, syscall MSRs.
 */
#include <kf/hal/uaccess.h>
#include <mk/mk.h>
#include "x86.h"

struct x86_features x86_feat;

/*
 * GDT.  The order is forced by syscall/sysret: STAR[47:32] = 0x08 gives
 * the kernel CS 0x08 and SS 0x10; STAR[63:48] = 0x10 gives sysret's user
 * SS 0x10 + 8 = 0x18 and CS 0x10 + 16 = 0x20 (both with RPL 3).
 */
static uint64_t x86_gdt[7] __attribute__((aligned(16))) = {
	0,
	0x00af9a000000ffff,	/* 0x08 kernel code, 64-bit */
	0x00cf92000000ffff,	/* 0x10 kernel data */
	0x00cff2000000ffff,	/* 0x18 user data */
	0x00affa000000ffff,	/* 0x20 user code, 64-bit */
	0, 0,			/* 0x28 TSS (16 bytes) */
};

struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static struct x86_tss x86_tss __attribute__((aligned(16)));

/* IST 1: a clean stack for #DF (and NMI/#MC), so a kernel stack overflow
 * into a guard page still gets reported. */
static uint8_t x86_ist_stack[8192] __attribute__((aligned(16)));

static uint64_t x86_idt[512] __attribute__((aligned(16)));

struct x86_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void x86_gdt_load(void)
{
	uint64_t base = (uint64_t)&x86_tss, limit = sizeof(x86_tss) - 1;
	struct x86_dtr d = { sizeof(x86_gdt) - 1, (uint64_t)x86_gdt };

	x86_tss.iomap_base = sizeof(x86_tss);
	x86_tss.ist[0] = (uint64_t)x86_ist_stack + sizeof(x86_ist_stack);
	x86_gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		     (0x89ul << 40) | (((limit >> 16) & 0xf) << 48) |
		     (((base >> 24) & 0xff) << 56);
	x86_gdt[6] = base >> 32;

	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq $0x08\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl $0x10, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movl %%eax, %%fs\n\t"
		"movl %%eax, %%gs\n\t"
		"movw $0x28, %%ax\n\t"
		"ltr %%ax"
		: : "m"(d) : "rax", "memory");
}

static void x86_idt_set(unsigned vec, uint64_t handler, unsigned ist)
{
	x86_idt[2 * vec] = (handler & 0xffff) | (0x08ul << 16) |
			   ((uint64_t)ist << 32) | (0x8eul << 40) |
			   (((handler >> 16) & 0xffff) << 48);
	x86_idt[2 * vec + 1] = handler >> 32;
}

static void x86_idt_load(void)
{
	struct x86_dtr d = { sizeof(x86_idt) - 1, (uint64_t)x86_idt };
	unsigned v;

	for (v = 0; v < 256; v++)
		x86_idt_set(v, (uint64_t)x86_isr_stubs + 16 * v,
			    (v == 2 || v == 8 || v == 18) ? 1 : 0);
	__asm__ volatile("lidt %0" : : "m"(d));
}

static void x86_detect_features(void)
{
	uint32_t r[4], max;

	x86_cpuid(0, 0, r);
	max = r[0];
	x86_cpuid(1, 0, r);
	x86_feat.pge = r[3] & (1u << 13);
	x86_feat.fxsr = r[3] & (1u << 24);
	if (max >= 7) {
		x86_cpuid(7, 0, r);
		x86_feat.smep = r[1] & (1u << 7);
		x86_feat.smap = r[1] & (1u << 20);
	}
	x86_cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		x86_cpuid(0x80000001, 0, r);
		x86_feat.nx = r[3] & (1u << 20);
		x86_feat.gbpages = r[3] & (1u << 26);
	}
}

/* SSE for user programs: the x86_64 ABI assumes it.  The kernel is built
 * without SSE, so user state only moves at context switches (FXSAVE). */
static void x86_fpu_enable(void)
{
	uint64_t cr0 = X86_READ_CR(0), cr4 = X86_READ_CR(4);

	if (!x86_feat.fxsr)
		mk_panic("x86: CPU without FXSR");
	cr0 = (cr0 | CR0_MP) & ~(CR0_EM | CR0_TS);
	X86_WRITE_CR(0, cr0);
	X86_WRITE_CR(4, cr4 | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

/* The state execve starts from: x87 initialised, MXCSR = 0x1f80. */
void x86_fpu_init_state(void *area)
{
	static uint8_t clean[512] __attribute__((aligned(16)));
	static bool have_clean;

	if (!have_clean) {
		uint32_t mxcsr = 0x1f80;

		__asm__ volatile("fninit; ldmxcsr %1; fxsave64 %0"
				 : "=m"(clean) : "m"(mxcsr));
		have_clean = true;
	}
	memcpy(area, clean, sizeof(clean));
}

/*
 * SMEP: the kernel never executes user pages.  SMAP: the kernel never
 * touches them outside the user copies, whose stac/clac are patched in
 * now (they would #UD on a CPU without SMAP).
 */
static void x86_protect_enable(void)
{
	uint64_t cr4 = X86_READ_CR(4);

	if (x86_feat.pge)
		cr4 |= CR4_PGE;
	if (x86_feat.smep)
		cr4 |= CR4_SMEP;
	if (x86_feat.smap) {
		kf_x86_smap_patch();
		cr4 |= CR4_SMAP;
	}
	X86_WRITE_CR(4, cr4);
	if (x86_feat.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
}

/* syscall/sysret: SFMASK clears TF, IF, DF, IOPL, NT and AC on entry. */
static void x86_syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, (0x10ul << 48) | (0x08ul << 32));
	wrmsr(MSR_LSTAR, (uint64_t)x86_syscall_entry);
	wrmsr(MSR_SFMASK, 0x47700);
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_GS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void x86_set_kernel_stack(uintptr_t top)
{
	x86_tss.rsp[0] = top;
	x86_cpu_kstack_top = top;
}

void x86_cpu_init(void)
{
	x86_gdt_load();
	x86_idt_load();
	x86_detect_features();
	x86_fpu_enable();
	x86_protect_enable();
	x86_syscall_init();
}
