/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ports/minikernel/arch/riscv64/riscv.h - private to the riscv64 board:
 * CSRs, SBI calls, the memory layout and what the board files share.
 */
#ifndef MK_RISCV_H
#define MK_RISCV_H

#include <stdint.h>
#include <stdbool.h>
#include <kf/hal/context.h>
#include <kf/hal/pte.h>

/* ---- Memory layout -------------------------------------------------------- */

/*
 * One offset for everything the kernel reaches by physical address: RAM
 * (the image included) and the first GiB of devices appear at RV_DMAP +
 * PA, in 1 GiB pages under the kernel root's entries 256..510 (Sv39; Sv48
 * puts the same table under its root entry 511).  Entry 511 holds the
 * kmap window: 1 GiB of 4 KiB pages made on demand.
 */
#define RV_DMAP		0xffffffc000000000ul
#define RV_DMAP_MAX	(255ul << 30)		/* PAs below this are mapped */
#define RV_KMAP		0xffffffffc0000000ul
#define RV_KMAP_SIZE	0x40000000ul
#define RV_GIB		(1ul << 30)

/* The page every process has the signal-return trampoline in (signal.c,
 * board_exec_mm): the one above the stack, at the top of user space. */
#define RV_SIGTRAMP	(KF_USER_VA_END - KF_PAGE_SIZE)

/* ---- CSRs ------------------------------------------------------------------- */

#define csr_read(name) ({ uint64_t v_; \
	__asm__ volatile("csrr %0, " #name : "=r"(v_)); v_; })
#define csr_write(name, v) \
	__asm__ volatile("csrw " #name ", %0" : : "r"((uint64_t)(v)) : "memory")
#define csr_set(name, v) \
	__asm__ volatile("csrs " #name ", %0" : : "r"((uint64_t)(v)) : "memory")
#define csr_clear(name, v) \
	__asm__ volatile("csrc " #name ", %0" : : "r"((uint64_t)(v)) : "memory")

#define SSTATUS_SIE	(1ul << 1)
#define SIE_STIE	(1ul << 5)
#define SIE_SEIE	(1ul << 9)
#define IRQ_S_EXT	9
#define SCOUNTEREN_TM	(1ul << 1)
#define CAUSE_IRQ	(1ul << 63)
#define IRQ_S_TIMER	5

/* scause exception codes */
#define EXC_INSN_MISALIGNED	0
#define EXC_INSN_ACCESS		1
#define EXC_ILLEGAL		2
#define EXC_BREAKPOINT		3
#define EXC_LOAD_MISALIGNED	4
#define EXC_LOAD_ACCESS		5
#define EXC_STORE_MISALIGNED	6
#define EXC_STORE_ACCESS	7
#define EXC_ECALL_U		8
#define EXC_INSN_PAGE		12
#define EXC_LOAD_PAGE		13
#define EXC_STORE_PAGE		15

static inline uint64_t rv_rdtime(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

/* ---- SBI (v0.2+ calling convention: a7 = EID, a6 = FID) ---------------------- */

#define SBI_EXT_LEGACY_PUTCHAR	0x01
#define SBI_EXT_BASE		0x10
#define SBI_EXT_TIME		0x54494d45
#define SBI_EXT_SRST		0x53525354

struct sbiret {
	long error, value;
};

static inline struct sbiret sbi_call(unsigned long eid, unsigned long fid,
				     unsigned long a0, unsigned long a1,
				     unsigned long a2)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = eid;

	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ (long)r0, (long)r1 };
}

/* ---- Shared between the board files ------------------------------------------ */

/* The machine as the DTB describes it (fdt.c). */
struct rv_machine {
	uint64_t timebase_hz;		/* the time CSR's rate */
	uint64_t uart_pa, test_pa;	/* NS16550A, sifive test finisher */
	uint64_t plic_pa, hartid;	/* the PLIC, the boot hart */
	bool sstc;			/* the boot hart has stimecmp */
	char isa[96];			/* the boot hart's riscv,isa */
};
extern struct rv_machine rv_mach;

/* console.c: the UART's interrupt, through the PLIC */
void rv_external_irq(void);

struct mk_bootinfo;
/* fdt_parse - fill @bi (RAM, reserved ranges, initrd, command line) and
 * rv_mach from the DTB at @fdt (mapped), for boot hart @hartid. */
void fdt_parse(const void *fdt, uint64_t fdt_pa, uint64_t hartid,
	       struct mk_bootinfo *bi);

/* boot.c */
void rv_map_ram(const struct mk_bootinfo *bi);

/* console.c */
void rv_console_init(void);
bool rv_semihost_probe_fault(struct kf_arch_regs *r);

/* clock.c */
void rv_clock_init(void);
void rv_timer_irq(void);

/* trap.c */
void rv_backtrace(uint64_t fp);

#endif /* MK_RISCV_H */
