// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/x86_64/serial.c - the console (COM1) and the kernel log
 * (COM2 when the machine has one, else COM1 too), polled 16550 UARTs.
 * ci/run-elf gives QEMU two serial ports so that program output and kernel
 * messages arrive apart; one port is enough to see both.
 */
#include <mk/board.h>
#include "x86.h"

#define COM1 0x3f8
#define COM2 0x2f8

static uint16_t log_port = COM1;

static void uart_init(uint16_t base)
{
	outb(base + 1, 0x00);	/* IER: no interrupts */
	outb(base + 3, 0x80);	/* LCR: divisor latch */
	outb(base + 0, 0x01);	/* 115200 baud */
	outb(base + 1, 0x00);
	outb(base + 3, 0x03);	/* 8N1 */
	outb(base + 2, 0xc7);	/* FIFO on, cleared */
}

/* A present UART keeps what is written to its scratch register. */
static bool uart_present(uint16_t base)
{
	outb(base + 7, 0x5a);
	if (inb(base + 7) != 0x5a)
		return false;
	outb(base + 7, 0xa5);
	return inb(base + 7) == 0xa5;
}

static void uart_putc(uint16_t base, char c)
{
	while (!(inb(base + 5) & 0x20))
		;
	outb(base, (uint8_t)c);
}

/* Bytes go out unchanged (no CR before LF): program output must arrive
 * exactly as written. */
static void uart_write(uint16_t base, const char *s, size_t n)
{
	while (n--)
		uart_putc(base, *s++);
}

void x86_serial_init(void)
{
	uart_init(COM1);
	if (uart_present(COM2)) {
		uart_init(COM2);
		log_port = COM2;
	}
}

void board_console_write(const char *s, size_t n)
{
	uart_write(COM1, s, n);
}

void board_log_write(const char *s, size_t n)
{
	uart_write(log_port, s, n);
}
