/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/hello.c - the first program the mini-kernel runs: it prints a
 * line through stdio (musl's writev path) and exits with 42, so run-elf can
 * check both the console output and the exit-status plumbing.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from %s (argc=%d)\n", argc > 0 ? argv[0] : "?", argc);
	return 42;
}
