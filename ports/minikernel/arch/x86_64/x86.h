/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ports/minikernel/arch/x86_64/x86.h - private to the x86_64 board: port I/O, MSRs,
 * control registers, the memory layout and what the board files share.
 */
#ifndef MK_X86_H
#define MK_X86_H

#include <stdint.h>
#include <stdbool.h>
#include <kf/hal/context.h>

/* ---- Memory layout ------------------------------------------------------- */

#define X86_KVMA	0xffffffff80000000ul	/* kernel image: KVMA + PA */
#define X86_DMAP	0xffff800000000000ul	/* direct map: DMAP + PA (PML4 256) */
#define X86_KMAP	0xffffff0000000000ul	/* kmap window (PML4 510), 1 GiB */
#define X86_KMAP_SIZE	0x40000000ul
#define X86_MMIO_SLOTS	16			/* first pages of the window */

/* ---- Port I/O, MSRs, control registers ------------------------------------- */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_SFMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_APIC_BASE		0x1b

#define EFER_SCE (1ul << 0)
#define EFER_NXE (1ul << 11)

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)) : "memory");
}

#define X86_READ_CR(n) ({ uint64_t v_; \
	__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v_)); v_; })
#define X86_WRITE_CR(n, v) \
	__asm__ volatile("mov %0, %%cr" #n : : "r"((uint64_t)(v)) : "memory")

#define CR0_MP (1ul << 1)
#define CR0_EM (1ul << 2)
#define CR0_TS (1ul << 3)
#define CR4_PGE (1ul << 7)
#define CR4_OSFXSR (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)
#define CR4_SMEP (1ul << 20)
#define CR4_SMAP (1ul << 21)

static inline void x86_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t x86_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* ---- CPU features found at boot (cpu.c) -------------------------------------- */

struct x86_features {
	bool nx, pge, smep, smap, gbpages, fxsr;
};
extern struct x86_features x86_feat;

/* ---- Shared between the board files ----------------------------------------- */

/* entry.S */
extern char x86_isr_stubs[], x86_syscall_entry[];
extern uint64_t x86_cpu_kstack_top;

/* cpu.c */
void x86_cpu_init(void);		/* GDT, TSS, IDT, features, MSRs */
void x86_set_kernel_stack(uintptr_t top);	/* TSS.rsp0 + syscall stack */
void x86_fpu_init_state(void *area);	/* a clean FXSAVE image */

/* serial.c */
void x86_serial_init(void);
void x86_serial_irq(void);
#define X86_VEC_COM1	36

/* paging.c */
void x86_paging_init(uint64_t ram_top);
volatile void *x86_map_mmio(uint64_t pa);

/* clock.c */
extern uint64_t x86_acpi_rsdp;		/* physical; 0: scan the BIOS area */
void x86_clock_init(void);		/* calibrate the TSC (after paging) */

/* lapic.c */
void x86_lapic_init(void);
void x86_lapic_eoi(void);
#define X86_VEC_TIMER	32
#define X86_VEC_SPURIOUS 0xff

/* trap.c */
void x86_backtrace(uint64_t rbp);

#endif /* MK_X86_H */
