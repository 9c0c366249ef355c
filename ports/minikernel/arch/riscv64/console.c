// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/riscv64/console.c - the console (the DTB's
 * NS16550A: output polled, input by interrupt through the PLIC) and the
 * kernel log.
 *
 * -M virt has one UART, so the kernel log takes another way out when QEMU
 * offers one: semihosting's SYS_WRITE0, which QEMU sends to the chardev
 * its -semihosting-config names (ci/run-elf: a file, as x86_64's second
 * serial port).  Without semihosting the log shares the UART, as on
 * x86_64 with one COM port.  Before the UART is known (early DTB errors)
 * output goes through the SBI's console putchar.  The UART shows
 * OpenSBI's banner first; the line "kfork: console" marks where the
 * kernel's own output begins.
 */
#include <mk/board.h>
#include <mk/mk.h>
#include <mk/tty.h>
#include "riscv.h"

#define SYS_WRITE0	0x04
#define UART_THR	0
#define UART_RBR	0
#define UART_IER	1
#define UART_MCR	4
#define UART_LSR	5
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define UART_IRQ	10		/* virt's NS16550A on the PLIC */
#define PLIC_DEFAULT	0x0c000000ul
/* PLIC registers; hart h's supervisor context is 2h + 1 on virt */
#define PLIC_PRIO(irq)		(4 * (irq))
#define PLIC_ENABLE(ctx)	(0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx)	(0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)		(0x200004 + 0x1000 * (ctx))

long rv_semihost(long op, const void *arg);
extern char rv_semihost_ebreak[];

static volatile uint8_t *uart;
static volatile uint32_t *plic;
static unsigned plic_ctx;
static bool semihost_on;

static void uart_putc(char c)
{
	if (!uart) {
		sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0);
		return;
	}
	while (!(uart[UART_LSR] & LSR_THRE))
		;
	uart[UART_THR] = (uint8_t)c;
}

/* Bytes go out unchanged (no CR before LF): program output must arrive
 * exactly as written. */
void board_console_write(const char *s, size_t n)
{
	while (n--)
		uart_putc(*s++);
}

void board_log_write(const char *s, size_t n)
{
	char buf[128];

	if (!semihost_on) {
		board_console_write(s, n);
		return;
	}
	while (n) {
		size_t k = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;

		memcpy(buf, s, k);
		buf[k] = 0;
		rv_semihost(SYS_WRITE0, buf);
		s += k;
		n -= k;
	}
}

/*
 * rv_semihost_probe_fault - a kernel breakpoint at the semihosting call
 * means QEMU has no semihosting: step over the call (the ebreak and the
 * srai after it) and keep the log on the UART.
 */
bool rv_semihost_probe_fault(struct kf_arch_regs *r)
{
	if (r->pc != (uintptr_t)rv_semihost_ebreak)
		return false;
	semihost_on = false;
	r->pc += 8;
	return true;
}

/* rv_console_init - after fdt_parse and the trap vector. */
void rv_console_init(void)
{
	if (rv_mach.uart_pa && rv_mach.uart_pa < RV_GIB)
		uart = board_phys_to_virt(rv_mach.uart_pa);
	semihost_on = true;
	rv_semihost(SYS_WRITE0, "");	/* traps, and turns it off, if absent */
	/* the UART showed OpenSBI's banner: this line tells where the
	 * kernel's part starts (ci/run-elf drops everything up to it) */
	board_console_write("kfork: console\n", 15);
}

static void plic_write(unsigned off, uint32_t v)
{
	plic[off / 4] = v;
}

/* rv_uart_rx - every byte waiting, to the terminal. */
static void rv_uart_rx(void)
{
	char buf[16];
	size_t n = 0;

	while (uart[UART_LSR] & LSR_DR) {
		buf[n++] = (char)uart[UART_RBR];
		if (n == sizeof(buf)) {
			mk_tty_input(buf, n);
			n = 0;
		}
	}
	if (n)
		mk_tty_input(buf, n);
}

void board_console_rx_start(void)
{
	uint64_t pa = rv_mach.plic_pa ? rv_mach.plic_pa : PLIC_DEFAULT;

	if (!uart || pa >= RV_GIB)
		return;		/* no input: reads wait for ever */
	plic = board_phys_to_virt(pa);
	plic_ctx = 2 * (unsigned)rv_mach.hartid + 1;
	plic_write(PLIC_PRIO(UART_IRQ), 1);
	plic_write(PLIC_ENABLE(plic_ctx) + 4 * (UART_IRQ / 32),
		   1u << (UART_IRQ % 32));
	plic_write(PLIC_THRESHOLD(plic_ctx), 0);
	uart[UART_MCR] = 0x0b;		/* DTR, RTS, OUT2 */
	uart[UART_IER] = 0x01;		/* received data */
	csr_set(sie, SIE_SEIE);
	rv_uart_rx();
}

/* rv_external_irq - claim from the PLIC, handle, complete. */
void rv_external_irq(void)
{
	uint32_t irq;

	if (!plic)
		return;
	while ((irq = plic[PLIC_CLAIM(plic_ctx) / 4]) != 0) {
		if (irq == UART_IRQ)
			rv_uart_rx();
		else
			mk_printk("riscv64: unexpected PLIC interrupt %u\n", irq);
		plic_write(PLIC_CLAIM(plic_ctx), irq);
	}
}
