/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/utap.h - TAP output for the static user programs.  The same
 * binary runs on Linux and on the mini-kernel, so every expectation here
 * is Linux's behaviour; an exit status of 0 means every check passed.
 */
#ifndef UTAP_H
#define UTAP_H

#include <errno.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int utap_count, utap_failed;

static inline void utap_ok(int cond, const char *id)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++utap_count, id);
	if (!cond)
		utap_failed++;
}

/* utap_eq - an exact value check that prints what was seen on failure. */
static inline void utap_eq(long got, long want, const char *id)
{
	utap_ok(got == want, id);
	if (got != want)
		printf("# %s: got %ld (%#lx), want %ld (%#lx)\n", id, got,
		       (unsigned long)got, want, (unsigned long)want);
}

/* utap_skip - a check that cannot run here (not root on Linux...). */
static inline void utap_skip(const char *id, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++utap_count, id, why);
}

/* utap_errno - a call that must fail with @err: @r is its return value. */
static inline void utap_errno(long r, int err, const char *id)
{
	int e = r == -1 ? errno : 0;

	utap_ok(r == -1 && e == err, id);
	if (!(r == -1 && e == err))
		printf("# %s: got %ld errno %d, want -1 errno %d\n", id, r, e, err);
}

/* ufork - fork with stdout flushed, so no TAP line is printed twice. */
static inline pid_t ufork(void)
{
	fflush(stdout);
	return fork();
}

/* wait_status - reap @pid; its wait status, or -1. */
static inline int wait_status(pid_t pid)
{
	int st = -1;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static inline int utap_done(void)
{
	printf("1..%d\n", utap_count);
	fflush(stdout);
	return utap_failed ? 1 : 0;
}

#endif /* UTAP_H */
