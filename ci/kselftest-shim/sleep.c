// SPDX-License-Identifier: BSD-2-Clause
/*
 * /bin/sleep SECONDS for the kernels' initramfs: Linux's pidfd_test execs
 * it from a thread.  Whole seconds only, as the test uses it.
 */
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 0 };

	if (argc != 2)
		return 1;
	ts.tv_sec = strtol(argv[1], NULL, 10);
	while (nanosleep(&ts, &ts) != 0)
		;
	return 0;
}
