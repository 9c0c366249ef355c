// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/riscv64/console.c - the console (the DTB's
 * NS16550A, polled) and the kernel log.
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
#include "riscv.h"

#define SYS_WRITE0	0x04
#define UART_THR	0
#define UART_LSR	5
#define LSR_THRE	0x20

long rv_semihost(long op, const void *arg);
extern char rv_semihost_ebreak[];

static volatile uint8_t *uart;
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
