// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/user/runas.c - runas UID PROGRAM [ARGS...]: run PROGRAM (looked
 * up in PATH) with real, effective and saved uid and gid UID and no
 * supplementary groups.  tests/shell/suite.sh uses it where root would be
 * exempt (RLIMIT_NPROC): Debian's busybox setpriv cannot change uids.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned id;

	if (argc < 3) {
		fprintf(stderr, "usage: runas UID PROGRAM [ARGS...]\n");
		return 2;
	}
	id = (unsigned)strtoul(argv[1], NULL, 10);
	/* a kernel without supplementary groups has no setgroups (ENOSYS) */
	if ((setgroups(0, NULL) && errno != ENOSYS) ||
	    setresgid(id, id, id) || setresuid(id, id, id)) {
		perror("runas");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror("runas: exec");
	return 127;
}
