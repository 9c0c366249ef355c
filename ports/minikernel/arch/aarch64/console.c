// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/aarch64/console.c - the console (the PL011 UART
 * the DTB names) and the kernel log, which goes over Arm semihosting when
 * QEMU answers it (-semihosting-config enable=on): SYS_WRITE0 writes to
 * QEMU's semihosting console, which ci/run-elf routes to a file of its
 * own (chardev=...), so program output and kernel messages arrive apart
 * as on x86_64's two serial ports.  Without semihosting the log shares
 * the UART.  Semihosting also carries the exit status (board.c).
 * Input arrives by the PL011's receive interrupt (the DTB's SPI, through
 * the GIC) once the terminal asks (board_console_rx_start).
 *
 * Whether QEMU answers is found out once at boot: the probe's HLT is an
 * undefined instruction without semihosting, which the EL1 exception
 * handler (trap.c) skips after clearing a64_semihosting.
 */
#include <mk/board.h>
#include <mk/mk.h>
#include <mk/tty.h>
#include "a64.h"

#define UART_DEFAULT	0x09000000ul	/* virt's PL011, until the DTB says */
#define UARTDR		0x00
#define UARTFR		0x18
#define UARTLCR_H	0x2c
#define UARTCR		0x30
#define UARTIMSC	0x38
#define UARTICR		0x44
#define FR_RXFE		(1u << 4)
#define FR_TXFF		(1u << 5)
#define INT_RX		(1u << 4)	/* receive, and receive timeout: */
#define INT_RT		(1u << 6)	/* a byte waits in the FIFO */
#define LCR_H_8N1_FIFO	0x70	/* 8 bits, FIFOs on */
#define CR_ENABLE	0x301	/* UARTEN, TXE, RXE */

#define SYS_WRITE0	0x04
#define SYS_ERRNO	0x13

bool a64_semihosting = true;	/* until the probe says otherwise */
static volatile uint32_t *uart =
	(volatile uint32_t *)(A64_KBASE + UART_DEFAULT);

/* a64_semihost - one semihosting call (hlt #0xf000): @op in w0, the
 * argument block's address in x1, the result in x0. */
long a64_semihost(long op, const void *arg)
{
	register long x0 __asm__("x0") = op;
	register const void *x1 __asm__("x1") = arg;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

/* The probe is a separate function whose one HLT trap.c knows by its
 * address (a64_semihost_insn). */
__asm__(".text\n"
	".globl a64_semihost_probe_call\n"
	"a64_semihost_probe_call:\n"
	"	mov x0, #0x13\n"		/* SYS_ERRNO: harmless */
	"	mov x1, xzr\n"
	".globl a64_semihost_insn\n"
	"a64_semihost_insn:\n"
	"	hlt #0xf000\n"
	"	ret\n");

void a64_semihost_probe_call(void);

void a64_semihost_probe(void)
{
	a64_semihost_probe_call();
}

static void uart_reg_write(unsigned reg, uint32_t v)
{
	uart[reg / 4] = v;
}

void a64_console_init(void)
{
	if (a64_dev.uart)
		uart = (volatile uint32_t *)(A64_KBASE + a64_dev.uart);
	uart_reg_write(UARTIMSC, 0);
	uart_reg_write(UARTLCR_H, LCR_H_8N1_FIFO);
	uart_reg_write(UARTCR, CR_ENABLE);
}

/* Bytes go out unchanged (no CR before LF): program output must arrive
 * exactly as written. */
static void uart_write(const char *s, size_t n)
{
	while (n--) {
		while (uart[UARTFR / 4] & FR_TXFF)
			;
		uart_reg_write(UARTDR, (uint8_t)*s++);
	}
}

void board_console_write(const char *s, size_t n)
{
	uart_write(s, n);
}

void board_console_rx_start(void)
{
	uart_reg_write(UARTIMSC, INT_RX | INT_RT);
	a64_gic_enable_spi(a64_dev.uart_intid);
	a64_uart_irq();		/* what arrived before */
}

/* a64_uart_irq - the PL011's receive interrupt: every byte waiting, to
 * the terminal.  Reading the FIFO empty clears the interrupt. */
void a64_uart_irq(void)
{
	char buf[16];
	size_t n = 0;

	while (!(uart[UARTFR / 4] & FR_RXFE)) {
		buf[n++] = (char)uart[UARTDR / 4];
		if (n == sizeof(buf)) {
			mk_tty_input(buf, n);
			n = 0;
		}
	}
	uart_reg_write(UARTICR, INT_RX | INT_RT);
	if (n)
		mk_tty_input(buf, n);
}

/* SYS_WRITE0 takes a NUL-terminated string: send the text in pieces. */
void board_log_write(const char *s, size_t n)
{
	char buf[128];

	if (!a64_semihosting) {
		uart_write(s, n);
		return;
	}
	while (n) {
		size_t k = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;

		memcpy(buf, s, k);
		buf[k] = 0;
		a64_semihost(SYS_WRITE0, buf);
		s += k;
		n -= k;
	}
}
