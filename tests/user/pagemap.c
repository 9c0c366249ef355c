/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/pagemap.c - /proc/<pid>/pagemap as Linux's mm/cow.c selftest
 * reads it, and pread64: an entry per page at offset page * 8, bit 63 for
 * a present page (a touched one, and a child's copy-on-write sharing of
 * it), 0 for an unmapped one, never swapped (no swap here, none on the
 * machines CI runs on), the frame number shown to root; EINVAL for
 * reads off the 8-byte grid; pread64's own errnos (EINVAL for a negative
 * offset before EBADF, ESPIPE for a pipe) and its position left alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "utap.h"

#define PM_PRESENT (1ull << 63)
#define PM_SWAPPED (1ull << 62)
#define PM_PFN ((1ull << 55) - 1)

static long page;

/* pm_entry - the entry of @addr in the pagemap open at @fd, or ~0. */
static uint64_t pm_entry(int fd, const void *addr)
{
	uint64_t e;

	if (pread(fd, &e, sizeof(e), (off_t)((uintptr_t)addr / (uintptr_t)page * 8)) !=
	    sizeof(e))
		return ~0ull;
	return e;
}

static void test_entries(int fd)
{
	char *m = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t e;
	pid_t pid;

	if (m == MAP_FAILED) {
		utap_ok(0, "pagemap: mmap");
		return;
	}
	m[0] = 1;
	munmap(m + 2 * page, page);
	e = pm_entry(fd, m);
	utap_ok(e != ~0ull && (e & PM_PRESENT), "pagemap: a touched page is present");
	utap_ok(!(e & PM_SWAPPED), "pagemap: ... and not swapped");
	utap_ok(geteuid() != 0 || (e & PM_PFN) != 0, "pagemap: root sees its frame number");
	utap_eq((long)pm_entry(fd, m + 2 * page), 0, "pagemap: an unmapped page reads 0");
	pid = ufork();
	if (pid == 0) {
		int cfd = open("/proc/self/pagemap", O_RDONLY);

		/* the child's copy-on-write view of the same page */
		_exit(cfd >= 0 && (pm_entry(cfd, m) & PM_PRESENT) ? 0 : 1);
	}
	utap_eq(wait_status(pid), 0, "pagemap: a fork child's shared page is present");
	munmap(m, 2 * page);
}

static void test_grid(int fd)
{
	uint64_t e[2];

	utap_errno(pread(fd, e, 4, 0), EINVAL, "pagemap: a read of 4 bytes is EINVAL");
	utap_errno(pread(fd, e, 8, 4), EINVAL, "pagemap: an offset off the 8-byte grid is EINVAL");
	utap_eq(pread(fd, e, 16, 8), 16, "pagemap: two entries at once");
	utap_eq(lseek(fd, 8 * 10, SEEK_SET), 80, "pagemap: lseek");
	utap_eq(read(fd, e, 8), 8, "pagemap: read at the position");
	utap_eq(lseek(fd, 0, SEEK_CUR), 88, "pagemap: ... which moves it 8 on");
	utap_errno(write(fd, e, 8), EBADF, "pagemap: read-only");
}

static void test_pread(void)
{
	int p[2], fd = open("/proc/self/stat", O_RDONLY);
	char a[8], b[8];

	utap_errno(pread(-1, a, 1, -1), EINVAL, "pread64: a negative offset before the fd");
	utap_errno(pread(-1, a, 1, 0), EBADF, "pread64: a bad fd");
	if (pipe(p) == 0) {
		utap_errno(pread(p[0], a, 1, 0), ESPIPE, "pread64: a pipe is ESPIPE");
		close(p[0]);
		close(p[1]);
	}
	utap_ok(fd >= 0 && read(fd, a, 4) == 4 && pread(fd, b, 4, 0) == 4 &&
		memcmp(a, b, 4) == 0, "pread64: reads at the offset");
	utap_ok(fd >= 0 && lseek(fd, 0, SEEK_CUR) == 4, "pread64: the position stays");
	close(fd);
}

int main(void)
{
	int fd;

	page = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open("/proc/self/pagemap", O_RDONLY);
	utap_ok(fd >= 0, "pagemap: /proc/self/pagemap opens");
	if (fd >= 0) {
		test_entries(fd);
		test_grid(fd);
		close(fd);
	}
	test_pread();
	return utap_done();
}
