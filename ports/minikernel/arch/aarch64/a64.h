/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ports/minikernel/arch/aarch64/a64.h - private to the aarch64 board: the
 * memory layout, system-register access, the devices the DTB names, and
 * what the board files share.
 */
#ifndef MK_A64_H
#define MK_A64_H

#ifdef __ASSEMBLER__
#define A64_UL(x) x
#else
#define A64_UL(x) x##ul
#endif

/* ---- Memory layout (TTBR1, 48-bit) -------------------------------------- */

/* VA = KBASE + PA for RAM, the image in it, and the devices below 1 GiB */
#define A64_KBASE	A64_UL(0xffff000000000000)
#define A64_KMAP	A64_UL(0xffff008000000000)	/* kmap window: L0 slot 1 */
#define A64_KMAP_SIZE	0x40000000
#define A64_TEXT_OFFSET	0x200000		/* the Image's offset into RAM */
#define A64_L2_POOL	16	/* L2 tables of the direct map: 16 GiB of RAM */

/* ---- Translation attributes (boot and board tables) --------------------- */

/* MAIR_EL1: Attr0 normal write-back, Attr1 device nGnRnE, Attr2 normal
 * non-cacheable (unused) */
#define A64_MAIR	0x4400ff
#define A64_ATTR_NORMAL	(A64_UL(0) << 2)
#define A64_ATTR_DEVICE	(A64_UL(1) << 2)
#define A64_SH_INNER	(A64_UL(3) << 8)
#define A64_AF		(A64_UL(1) << 10)
#define A64_PXN		(A64_UL(1) << 53)
#define A64_UXN		(A64_UL(1) << 54)
#define A64_DESC_BLOCK	1
#define A64_DESC_TABLE	3
#define A64_DESC_PAGE	3

/* TCR_EL1 without IPS and AS: T0SZ = T1SZ = 16, write-back walks, inner
 * shareable, TG0 = 4 KiB (0b00), TG1 = 4 KiB (0b10). */
#define A64_TCR_BASE	0xb5103510
#define A64_TCR_AS	(A64_UL(1) << 36)

/* SCTLR_EL1: RES1 bits (11, 20, 22, 23, 28, 29) with the MMU off; then
 * M, C, I, SA, SA0, DZE, UCT, nTWI, nTWE, UCI (EL0 may clean caches and
 * read CTR_EL0 for __clear_cache, zero with dc zva, sleep with wfi/wfe). */
#define A64_SCTLR_MMU_OFF 0x30d00800
#define A64_SCTLR_MMU_ON  0x34d5d81d
#define A64_SCTLR_SPAN	(A64_UL(1) << 23)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stdbool.h>
#include <kf/hal/context.h>

#define A64_READ_SYSREG(r) ({ uint64_t v_; \
	__asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define A64_WRITE_SYSREG(r, v) \
	__asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void a64_isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

/* ---- Devices and boot facts from the DTB (fdt.c) ------------------------ */

enum a64_psci { A64_PSCI_NONE, A64_PSCI_HVC, A64_PSCI_SMC };

struct a64_devices {
	uint64_t uart;			/* PL011 registers, physical */
	uint64_t gicd, gicc;		/* GICv2 distributor, CPU interface */
	bool gic_v3;			/* a GICv3 the board cannot drive */
	unsigned vtimer_intid;		/* the virtual timer's PPI */
	unsigned uart_intid;		/* the PL011's SPI */
	enum a64_psci psci;
};
extern struct a64_devices a64_dev;

struct mk_bootinfo;
/* a64_fdt_parse - RAM, /memreserve/, the command line, the initramfs and
 * the devices from the flattened device tree at @fdt (mapped). */
void a64_fdt_parse(const void *fdt, struct mk_bootinfo *bi);
uint32_t a64_fdt_totalsize(const void *fdt);

/* ---- Shared between the board files ------------------------------------- */

/* the signal-return page (board.c), the last user page: the stack's top
 * is below it */
#define A64_SIGTRAMP	(KF_USER_VA_END - KF_PAGE_SIZE)

/* head.S, entry.S */
extern char _kernel_start[], __kernel_end[];	/* the image, .bss included */
extern char a64_vectors[], a64_semihost_insn[];

/* paging.c */
void a64_map_ram(uint64_t base, uint64_t size);	/* the direct map */

/* console.c: PL011 console, kernel log over semihosting */
void a64_console_init(void);
extern bool a64_semihosting;		/* QEMU answers semihosting calls */
long a64_semihost(long op, const void *arg);
void a64_semihost_probe(void);
void a64_uart_irq(void);		/* the PL011's receive interrupt */

/* gic.c: GICv2, the generic timer */
void a64_gic_init(void);
unsigned a64_gic_ack(void);
void a64_gic_eoi(unsigned intid);
void a64_gic_enable_spi(unsigned intid);	/* to CPU 0 */
void a64_clock_init(void);
void a64_timer_rearm(void);

/* trap.c */
void a64_backtrace(uint64_t fp);
void a64_kernel_oops(struct kf_arch_regs *r, const char *what)
	__attribute__((noreturn));

#define A64_GIC_SPURIOUS 1020	/* INTIDs from here on are no interrupt */

#endif /* __ASSEMBLER__ */
#endif /* MK_A64_H */
