// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/x86_64/serial.c - the console (COM1) and the kernel log
 * (COM2 when the machine has one, else COM1 too), 16550 UARTs: output
 * polled, the console's input by interrupt (ISA IRQ 4, which q35's I/O
 * APIC has as its input 4, routed to X86_VEC_COM1 on the boot CPU).
 * ci/run-elf gives QEMU two serial ports so that program output and kernel
 * messages arrive apart; one port is enough to see both.
 */
#include <mk/board.h>
#include <mk/tty.h>
#include "x86.h"

#define COM1 0x3f8
#define COM2 0x2f8
#define IOAPIC_PA 0xfec00000ull
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))
#define COM1_IRQ 4

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

static void ioapic_write(volatile uint32_t *io, unsigned reg, uint32_t v)
{
	io[0] = reg;		/* IOREGSEL */
	io[4] = v;		/* IOWIN, at +0x10 */
}

void board_console_rx_start(void)
{
	volatile uint32_t *io = (volatile uint32_t *)x86_map_mmio(IOAPIC_PA);

	/* edge, active high, fixed delivery to APIC id 0, unmasked */
	ioapic_write(io, IOAPIC_REDTBL(COM1_IRQ) + 1, 0);
	ioapic_write(io, IOAPIC_REDTBL(COM1_IRQ), X86_VEC_COM1);
	outb(COM1 + 4, 0x0b);	/* MCR: DTR, RTS, OUT2 (the IRQ line) */
	outb(COM1 + 1, 0x01);	/* IER: received data */
	x86_serial_irq();	/* what arrived before */
}

/* x86_serial_irq - COM1's interrupt: every byte waiting, to the tty. */
void x86_serial_irq(void)
{
	char buf[16];
	size_t n = 0;

	while (inb(COM1 + 5) & 0x01) {
		buf[n++] = (char)inb(COM1);
		if (n == sizeof(buf)) {
			mk_tty_input(buf, n);
			n = 0;
		}
	}
	if (n)
		mk_tty_input(buf, n);
}
