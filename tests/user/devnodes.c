// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/user/devnodes.c - /dev's memory devices and the terminal's names:
 * what stat says (character devices, Linux's numbers), what reads and
 * writes do, and /dev/tty without a controlling terminal.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "utap.h"

static void check_node(const char *path, unsigned maj, unsigned min)
{
	struct stat st;
	char id[80];

	snprintf(id, sizeof(id), "%s is a character device %u,%u", path, maj, min);
	utap_ok(stat(path, &st) == 0 && S_ISCHR(st.st_mode) &&
		major(st.st_rdev) == maj && minor(st.st_rdev) == min, id);
}

static void check_stat(void)
{
	struct stat st;

	check_node("/dev/null", 1, 3);
	check_node("/dev/zero", 1, 5);
	check_node("/dev/full", 1, 7);
	check_node("/dev/random", 1, 8);
	check_node("/dev/urandom", 1, 9);
	check_node("/dev/tty", 5, 0);
	check_node("/dev/console", 5, 1);
	utap_ok(stat("/dev", &st) == 0 && S_ISDIR(st.st_mode), "/dev is a directory");
	utap_ok((stat("/dev/null", &st), (st.st_mode & 0777) == 0666),
		"/dev/null is rw for everyone");
	utap_errno(stat("/dev/null/x", &st), ENOTDIR, "/dev/null/x: ENOTDIR");
	utap_errno(stat("/dev/no-such-device", &st), ENOENT, "a missing node: ENOENT");
	utap_ok(access("/dev/null", W_OK) == 0, "access(/dev/null, W_OK)");
}

static void check_null_zero_full(void)
{
	char buf[300];
	int fd = open("/dev/null", O_RDWR), i, zeros;
	struct stat st;

	utap_ok(fd >= 0, "open /dev/null O_RDWR");
	utap_eq(read(fd, buf, sizeof(buf)), 0, "/dev/null reads at end of file");
	utap_eq(write(fd, buf, sizeof(buf)), sizeof(buf), "/dev/null takes every byte");
	utap_ok(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
		st.st_rdev == makedev(1, 3), "fstat of /dev/null");
	close(fd);

	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 'x', sizeof(buf));
	utap_eq(read(fd, buf, sizeof(buf)), sizeof(buf), "/dev/zero fills the buffer");
	for (i = zeros = 0; i < (int)sizeof(buf); i++)
		zeros += buf[i] == 0;
	utap_eq(zeros, sizeof(buf), "with zeros");
	close(fd);

	fd = open("/dev/full", O_RDWR);
	utap_errno(write(fd, "a", 1), ENOSPC, "/dev/full: write ENOSPC");
	buf[0] = 1;
	utap_ok(read(fd, buf, 1) == 1 && buf[0] == 0, "/dev/full reads zeros");
	close(fd);
}

static void check_random(void)
{
	unsigned char a[64], b[64];
	int fd = open("/dev/urandom", O_RDONLY), differ, seen = 0, i;

	utap_ok(fd >= 0 && read(fd, a, sizeof(a)) == sizeof(a) &&
		read(fd, b, sizeof(b)) == sizeof(b), "/dev/urandom reads");
	differ = memcmp(a, b, sizeof(a)) != 0;
	for (i = 0; i < (int)sizeof(a); i++)
		seen |= a[i];
	utap_ok(differ && seen, "two reads differ and are not all zero");
	close(fd);
	fd = open("/dev/random", O_RDONLY);
	utap_eq(read(fd, a, 16), 16, "/dev/random reads");
	close(fd);
}

/* A new session has no controlling terminal: /dev/tty is ENXIO. */
static void check_tty_without_ctty(void)
{
	pid_t pid = ufork();

	if (pid == 0) {
		setsid();
		_exit(open("/dev/tty", O_RDWR) < 0 && errno == ENXIO ? 0 : 1);
	}
	utap_eq(wait_status(pid), 0, "/dev/tty without a controlling terminal: ENXIO");
}

int main(void)
{
	check_stat();
	check_null_zero_full();
	check_random();
	check_tty_without_ctty();
	return utap_done();
}
