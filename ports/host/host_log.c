// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/host/host_log.c - kf_os_log to stderr (KF_HOST_LOG=err|warn|info|
 * debug picks the threshold; errors only by default) and kf_os_panic.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host.h"

static int log_level = KF_LOG_ERR;
static pthread_once_t log_once = PTHREAD_ONCE_INIT;

static void log_read_env(void)
{
	static const char *const names[] = { "err", "warn", "info", "debug" };
	const char *v = getenv("KF_HOST_LOG");

	for (int i = 0; v && i < 4; i++)
		if (strcmp(v, names[i]) == 0)
			log_level = i;
}

void host_log_init(void)
{
	pthread_once(&log_once, log_read_env);
}

void kf_host_set_log_level(int level)
{
	host_log_init();
	log_level = level;
}

void kf_os_log(int level, const char *fmt, ...)
{
	va_list ap;

	host_log_init();
	if (level > log_level)
		return;
	fprintf(stderr, "kfork: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void kf_os_panic(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kfork panic: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}

