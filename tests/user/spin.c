/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/spin.c - print argv[1] five times with a busy loop of many
 * timer ticks between prints.  Two of these started together only
 * interleave their output if the kernel preempts user mode
 * (kfork.test=preempt).
 */
#include <unistd.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *tag = argc > 1 ? argv[1] : "?";
	volatile unsigned long n;
	int i;

	for (i = 0; i < 5; i++) {
		for (n = 0; n < 20000000ul; n++)
			;
		write(1, tag, strlen(tag));
	}
	return 0;
}
