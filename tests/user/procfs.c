/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/procfs.c - the /proc a ps(1) reads: /proc/self, a directory
 * per process in /proc's listing, and /proc/<pid>/stat (Linux's fields, as
 * ps parses them: the name in parentheses, then space-separated numbers),
 * status ("Key:\tvalue" lines) and cmdline (NUL-separated arguments) --
 * checked against what the calls themselves say (getpid, getppid,
 * getrusage, the ids), for this process, a sleeping child, a zombie and
 * a child with other ids.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utap.h"

static char **args;

/* slurp - a /proc file's contents (NUL-terminated), its length, or -1. */
static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = 0;
	return (long)n;
}

/*
 * stat_fields - /proc/<pid>/stat split as ps does: the name between the
 * first '(' and the last ')', then the fields after it.  Returns how many
 * fields there are in all (Linux has 52), fills @f[1..] (f[2] unused).
 */
static int stat_fields(pid_t pid, char *name, long long *f, int max)
{
	char path[64], buf[2048], *p, *q;
	int n = 2;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (slurp(path, buf, sizeof(buf)) <= 0)
		return -1;
	f[1] = strtoll(buf, NULL, 10);
	p = strchr(buf, '(');
	q = strrchr(buf, ')');
	if (!p || !q)
		return -1;
	memcpy(name, p + 1, (size_t)(q - p - 1));
	name[q - p - 1] = 0;
	p = q + 2;
	f[3] = *p;		/* the state letter */
	p += 1;
	n = 3;
	while (*p == ' ' && n < max - 1) {
		f[++n] = strtoll(p + 1, &q, 10);
		p = q;
	}
	return n;
}

/* status_val - the value of "Key:" in /proc/<pid>/status, or NULL. */
static const char *status_val(pid_t pid, const char *key, char *buf, size_t size)
{
	char path[64], *p, *e;
	size_t klen = strlen(key);

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (slurp(path, buf, size) <= 0)
		return NULL;
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			e = strchr(p, '\n');
			if (e)
				*e = 0;
			return p + klen + 2;
		}
	}
	return NULL;
}

static const char *base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* ---- /proc/self ------------------------------------------------------------------- */

static void test_self_link(void)
{
	char buf[64], want[32];
	struct stat st;
	ssize_t n;

	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	snprintf(want, sizeof(want), "%d", getpid());
	utap_ok(n > 0 && (buf[n] = 0, !strcmp(buf, want)), "user.procfs.self_link");
	utap_eq(readlink("/proc/self", buf, 1), 1, "user.procfs.self_link_cut");
	utap_ok(lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode),
		"user.procfs.self_lstat_link");
	utap_ok(stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode),
		"user.procfs.self_stat_dir");
	utap_ok(stat("/proc/self/stat", &st) == 0 && S_ISREG(st.st_mode),
		"user.procfs.stat_file");
	utap_errno(readlink("/proc/self/stat", buf, sizeof(buf)), EINVAL,
		   "user.procfs.readlink_not_link");
	utap_errno(open("/proc/999999/stat", O_RDONLY), ENOENT, "user.procfs.no_such_pid");
	utap_errno(open("/proc/self/nonexistent", O_RDONLY), ENOENT,
		   "user.procfs.no_such_file");
	{	/* writing: root may open, nobody may write */
		int fd = open("/proc/self/stat", O_WRONLY);

		utap_ok(fd >= 0 || getuid() != 0, "user.procfs.root_opens_for_write");
		utap_errno(write(fd, "x", 1), fd >= 0 ? EINVAL : EBADF,
			   "user.procfs.write_einval");
		if (fd >= 0)
			close(fd);
		utap_errno(open("/proc/self", O_WRONLY), EISDIR, "user.procfs.dir_eisdir");
	}
	utap_errno(open("/proc/self/stat/x", O_RDONLY), ENOTDIR, "user.procfs.file_not_dir");
}

/* ---- stat --------------------------------------------------------------------------- */

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void test_self_stat(void)
{
	long long f[64];
	char name[64], want[16];
	struct rusage ru;
	pthread_t th;
	int n;

	n = stat_fields(getpid(), name, f, 64);
	utap_eq(n, 52, "user.procfs.stat_52_fields");
	utap_eq(f[1], getpid(), "user.procfs.stat_pid");
	snprintf(want, sizeof(want), "%.15s", base(args[0]));
	utap_ok(!strcmp(name, want), "user.procfs.stat_comm");
	if (strcmp(name, want))
		printf("# comm '%s', want '%s'\n", name, want);
	utap_eq(f[3], 'R', "user.procfs.stat_running");
	utap_eq(f[4], getppid(), "user.procfs.stat_ppid");
	{	/* (musl's getpgrp hands back a raw -ENOSYS) */
		long pgrp = syscall(SYS_getpgid, 0);

		if (pgrp == -1 && errno == ENOSYS)
			utap_skip("user.procfs.stat_pgrp", "no getpgid(2) to compare with");
		else
			utap_eq(f[5], pgrp, "user.procfs.stat_pgrp");
	}
	utap_eq(f[20], 1, "user.procfs.stat_one_thread");
	getrusage(RUSAGE_SELF, &ru);
	utap_ok(f[10] > 0 && f[10] <= ru.ru_minflt, "user.procfs.stat_minflt");
	utap_ok(f[23] > 0 && f[24] > 0, "user.procfs.stat_vsize_rss");
	utap_ok(f[48] != 0 && f[48] < f[49], "user.procfs.stat_arg_range");
	pthread_create(&th, NULL, idle_thread, NULL);
	stat_fields(getpid(), name, f, 64);
	utap_eq(f[20], 2, "user.procfs.stat_two_threads");
}

/* ---- status ------------------------------------------------------------------------------ */

static void test_self_status(void)
{
	char buf[4096], want[64];
	const char *v;
	struct rusage ru;

	v = status_val(getpid(), "Pid", buf, sizeof(buf));
	snprintf(want, sizeof(want), "%d", getpid());
	utap_ok(v && !strcmp(v, want), "user.procfs.status_pid");
	v = status_val(getpid(), "PPid", buf, sizeof(buf));
	snprintf(want, sizeof(want), "%d", getppid());
	utap_ok(v && !strcmp(v, want), "user.procfs.status_ppid");
	v = status_val(getpid(), "Name", buf, sizeof(buf));
	utap_ok(v && !strncmp(v, base(args[0]), 15), "user.procfs.status_name");
	v = status_val(getpid(), "State", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, "R (running)"), "user.procfs.status_state");
	v = status_val(getpid(), "Uid", buf, sizeof(buf));
	snprintf(want, sizeof(want), "%d\t%d\t%d\t%d", getuid(), geteuid(), geteuid(),
		 geteuid());
	utap_ok(v && !strcmp(v, want), "user.procfs.status_uid");
	v = status_val(getpid(), "Threads", buf, sizeof(buf));
	utap_ok(v && atoi(v) == 2, "user.procfs.status_threads");
	/* the peak RSS getrusage reports, in the same unit -- in a forked
	 * child, whose peak is its own mm's (ours may be the one of the
	 * program we were exec'd from); Linux's RSS counters are per-CPU
	 * batches, so the two readings may differ by a few hundred KiB */
	{
		pid_t pid = ufork();

		if (pid == 0) {
			v = status_val(getpid(), "VmHWM", buf, sizeof(buf));
			getrusage(RUSAGE_SELF, &ru);
			_exit(v && labs(atol(v) - ru.ru_maxrss) <= 512 ? 0 : 1);
		}
		utap_eq(wait_status(pid), 0, "user.procfs.status_vmhwm_is_maxrss");
	}
	v = status_val(getpid(), "VmSize", buf, sizeof(buf));
	utap_ok(v && atol(v) > 0, "user.procfs.status_vmsize");
}

/* ---- cmdline --------------------------------------------------------------------------- */

static void test_cmdline(void)
{
	char buf[1024], want[1024];
	size_t n = 0;
	long got;
	int i;

	for (i = 0; args[i]; i++) {
		size_t len = strlen(args[i]) + 1;

		memcpy(want + n, args[i], len);
		n += len;
	}
	got = slurp("/proc/self/cmdline", buf, sizeof(buf));
	utap_ok(got == (long)n && !memcmp(buf, want, n), "user.procfs.cmdline");
}

/* ---- other processes ------------------------------------------------------------------ */

static int listed(pid_t pid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0, self = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (atoi(e->d_name) == pid && e->d_type == DT_DIR)
			found = 1;
		if (!strcmp(e->d_name, "self"))
			self = 1;
	}
	closedir(d);
	return found && self;
}

static void test_children(void)
{
	long long f[64];
	char name[64], buf[4096];
	const char *v;
	pid_t pid, z;
	int fds[2];

	/* a child asleep in pause(), with ids of its own */
	pipe(fds);
	pid = ufork();
	if (pid == 0) {
		if (syscall(SYS_setresuid, 1001, 1002, 1003))
			_exit(1);
		close(fds[0]);
		close(fds[1]);
		for (;;)
			pause();
	}
	close(fds[1]);
	read(fds[0], buf, 1);		/* it closed its end: ids are set */
	close(fds[0]);
	usleep(20000);
	utap_ok(listed(pid), "user.procfs.listing_has_child");
	utap_ok(listed(getpid()), "user.procfs.listing_has_self");
	utap_eq(stat_fields(pid, name, f, 64), 52, "user.procfs.child_stat");
	utap_eq(f[3], 'S', "user.procfs.child_sleeping");
	utap_eq(f[4], getpid(), "user.procfs.child_ppid");
	v = status_val(pid, "Uid", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, "1001\t1002\t1003\t1002"), "user.procfs.child_uids");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	/* a zombie: state Z, its name still there */
	z = ufork();
	if (z == 0)
		_exit(3);
	waitid(P_PID, z, NULL, WEXITED | WNOWAIT);
	utap_ok(stat_fields(z, name, f, 64) == 52 && f[3] == 'Z', "user.procfs.zombie_state");
	v = status_val(z, "State", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, "Z (zombie)"), "user.procfs.zombie_status");
	waitpid(z, NULL, 0);
	snprintf(buf, sizeof(buf), "/proc/%d/stat", z);
	utap_errno(open(buf, O_RDONLY), ENOENT, "user.procfs.reaped_gone");
}

/* fdinfo_line - the value after "@key:\t" in /proc/self/fdinfo/@fd, or
 * NULL. */
static const char *fdinfo_line(int fd, const char *key, char *buf, size_t size)
{
	char path[64], *p;
	size_t len = strlen(key);

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (slurp(path, buf, size) < 0)
		return NULL;
	for (p = buf; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, len) && p[len] == ':' && p[len + 1] == '\t') {
			char *end = strchr(p, '\n');

			if (end)
				*end = 0;
			return p + len + 2;
		}
	}
	return NULL;
}

static void test_pid_max(void)
{
	char buf[64];
	struct stat st;
	long max;

	utap_ok(slurp("/proc/sys/kernel/pid_max", buf, sizeof(buf)) > 0,
		"user.procfs.pid_max_reads");
	max = strtol(buf, NULL, 10);
	utap_ok(max >= 301 && getpid() < max && buf[strlen(buf) - 1] == '\n',
		"user.procfs.pid_max_value");
	utap_ok(stat("/proc/sys/kernel/pid_max", &st) == 0 && S_ISREG(st.st_mode) &&
		(st.st_mode & 0777) == 0644, "user.procfs.pid_max_mode");
	utap_ok(stat("/proc/sys/kernel", &st) == 0 && S_ISDIR(st.st_mode),
		"user.procfs.sys_kernel_dir");
	utap_errno(open("/proc/sys/kernel/nonexistent", O_RDONLY), ENOENT,
		   "user.procfs.sys_kernel_enoent");
}

static void test_fdinfo(void)
{
	char buf[1024], want[64];
	const char *v;
	int p[2], pfd, fd;
	struct dirent *de;
	DIR *d;
	pid_t pid;
	int seen = 0;

	if (pipe2(p, O_CLOEXEC))
		return;
	v = fdinfo_line(p[0], "pos", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, "0"), "user.procfs.fdinfo_pos");
	v = fdinfo_line(p[0], "flags", buf, sizeof(buf));
	utap_ok(v && v[0] == '0' && strtol(v, NULL, 8) == O_CLOEXEC,
		"user.procfs.fdinfo_flags_cloexec");
	v = fdinfo_line(p[1], "flags", buf, sizeof(buf));
	utap_ok(v && strtol(v, NULL, 8) == (O_CLOEXEC | O_WRONLY),
		"user.procfs.fdinfo_flags_wronly");
	utap_ok(fdinfo_line(p[0], "mnt_id", buf, sizeof(buf)) != NULL,
		"user.procfs.fdinfo_mnt_id");
	utap_ok(fdinfo_line(p[0], "ino", buf, sizeof(buf)) != NULL,
		"user.procfs.fdinfo_ino");
	utap_ok(fdinfo_line(p[0], "Pid", buf, sizeof(buf)) == NULL,
		"user.procfs.fdinfo_pipe_no_pid");
	fd = open("/proc/self/stat", O_RDONLY);
	read(fd, buf, 10);
	v = fdinfo_line(fd, "pos", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, "10"), "user.procfs.fdinfo_pos_moves");
	utap_errno(open("/proc/self/fdinfo/999", O_RDONLY), ENOENT,
		   "user.procfs.fdinfo_closed_fd");
	d = opendir("/proc/self/fdinfo");
	while (d && (de = readdir(d)))
		if (atoi(de->d_name) == p[1])
			seen = 1;
	if (d)
		closedir(d);
	utap_ok(seen, "user.procfs.fdinfo_listed");
	close(fd);

	pid = ufork();
	if (pid == 0) {
		char c;

		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	snprintf(want, sizeof(want), "%d", pid);
	v = fdinfo_line(pfd, "Pid", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, want), "user.procfs.fdinfo_pidfd_pid");
	v = fdinfo_line(pfd, "NSpid", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, want), "user.procfs.fdinfo_pidfd_nspid");
	v = fdinfo_line(pfd, "flags", buf, sizeof(buf));
	utap_ok(v && strtol(v, NULL, 8) == (O_RDWR | O_CLOEXEC),
		"user.procfs.fdinfo_pidfd_flags");
	close(p[1]);
	close(p[0]);
	/* a zombie still has its pid; a reaped process has none: -1 */
	{
		siginfo_t si;

		waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	}
	v = fdinfo_line(pfd, "Pid", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, want), "user.procfs.fdinfo_zombie_pid");
	wait_status(pid);
	v = fdinfo_line(pfd, "Pid", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, "-1"), "user.procfs.fdinfo_reaped_pid");
	v = fdinfo_line(pfd, "NSpid", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, "-1"), "user.procfs.fdinfo_reaped_nspid");
	close(pfd);
}

/* test_nspid - a child in a new pid namespace: every level's number, in
 * status and in its pidfd's fdinfo (root only). */
static void test_nspid(void)
{
	char buf[2048], want[64];
	const char *v;
	int p[2], pfd;
	pid_t pid;

	if (geteuid() != 0) {
		utap_skip("user.procfs.status_nspid_levels", "not root");
		utap_skip("user.procfs.fdinfo_nspid_levels", "not root");
		return;
	}
	if (pipe(p))
		return;
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		char c;

		close(p[1]);
		read(p[0], &c, 1);
		_exit(getpid() == 1 ? 0 : 1);
	}
	close(p[0]);
	snprintf(want, sizeof(want), "%d\t1", pid);
	v = status_val(pid, "NSpid", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, want), "user.procfs.status_nspid_levels");
	if (!(v && !strcmp(v, want)))
		printf("# NSpid: '%s', want '%s'\n", v ? v : "(none)", want);
	v = status_val(pid, "NStgid", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, want), "user.procfs.status_nstgid_levels");
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	v = fdinfo_line(pfd, "NSpid", buf, sizeof(buf));
	utap_ok(v && !strcmp(v, want), "user.procfs.fdinfo_nspid_levels");
	close(pfd);
	close(p[1]);
	utap_eq(wait_status(pid), 0, "user.procfs.nspid_child_is_init");
}

/* test_pagemap - bit 63 for a page that is there, nothing for one that
 * never was; 8-byte granularity; pread leaves the position alone. */
static void test_pagemap(void)
{
	long psz = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open("/proc/self/pagemap", O_RDONLY), p[2];
	uint64_t e[2] = { 0, 0 };
	off_t off = (off_t)((uintptr_t)m / psz) * 8;
	char c;

	utap_ok(fd >= 0, "user.procfs.pagemap_opens");
	m[0] = 1;
	utap_eq(pread(fd, e, 16, off), 16, "user.procfs.pagemap_pread");
	utap_ok(e[0] >> 63, "user.procfs.pagemap_present");
	utap_ok(!((e[0] >> 62) & 1), "user.procfs.pagemap_not_swapped");
	utap_eq((long)(e[1] >> 62), 0, "user.procfs.pagemap_untouched_absent");
	utap_eq(lseek(fd, 0, SEEK_CUR), 0, "user.procfs.pread_keeps_pos");
	utap_errno(pread(fd, e, 8, off + 4), EINVAL, "user.procfs.pagemap_unaligned");
	utap_errno(pread(fd, e, 4, off), EINVAL, "user.procfs.pagemap_short");
	close(fd);
	munmap(m, 2 * psz);
	if (pipe(p))
		return;
	utap_errno(pread(p[0], &c, 1, 0), ESPIPE, "user.procfs.pread_pipe_espipe");
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	(void)argc;
	args = argv;
	test_self_link();
	test_self_stat();
	test_self_status();
	test_cmdline();
	test_children();
	test_pid_max();
	test_fdinfo();
	test_nspid();
	test_pagemap();
	return utap_done();
}
