/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/tap.h - a tiny TAP producer shared by every host test program.
 *
 * Each check has a stable ID ("clone.flags.thread_needs_sighand") so results
 * line up across arches, configurations and runs.  The plan is printed at
 * the end (TAP allows that), so a program need not count its checks.
 */
#ifndef KF_TESTS_TAP_H
#define KF_TESTS_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>

static int tap_n, tap_failed;

static inline int tap_ok(int cond, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline int tap_ok(int cond, const char *id, const char *fmt, ...)
{
	va_list ap;
	printf("%s %d - %s", cond ? "ok" : "not ok", ++tap_n, id);
	if (fmt && *fmt) {
		printf(": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

/* tap_eq - compare two integers, print both; each argument is evaluated
 * once, so calls with side effects are fine. */
static inline int tap_eq_ll(long long got, long long want, const char *id)
{
	return tap_ok(got == want, id, "got %lld, want %lld", got, want);
}
#define tap_eq(got, want, id) tap_eq_ll((long long)(got), (long long)(want), (id))

static inline void tap_skip(const char *id, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_n, id, why);
}

static inline void tap_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* tap_done - print the plan; the exit status says whether all passed. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
