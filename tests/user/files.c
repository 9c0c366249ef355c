/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/files.c - the file side: pipes (blocking, EOF, EPIPE,
 * O_NONBLOCK, a transfer larger than the pipe), dup/dup2/dup3, fcntl,
 * ioctl, reading this program's own file (open, fstat, stat, lseek,
 * getdents64 of its directory), chdir/getcwd, umask, access and poll.
 * Only read-only file operations, on paths that exist on Linux and on
 * the mini-kernel alike (argv[0], its directory, "/").
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

#define BIG_XFER (200 * 1024)

static char *self;

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* ---- pipes ------------------------------------------------------------------------ */

static void test_pipes(void)
{
	int p[2], st = -1;
	char buf[64];
	pid_t pid;

	utap_eq(pipe(p), 0, "user.files.pipe");
	utap_eq(write(p[1], "hello", 5), 5, "user.files.pipe_write");
	utap_eq(read(p[0], buf, sizeof(buf)), 5, "user.files.pipe_read_what_is_there");
	utap_ok(!memcmp(buf, "hello", 5), "user.files.pipe_data");
	utap_errno(write(p[0], "x", 1), EBADF, "user.files.pipe_write_read_end_ebadf");
	close(p[1]);
	utap_eq(read(p[0], buf, sizeof(buf)), 0, "user.files.pipe_eof_without_writers");
	close(p[0]);

	/* no reader: EPIPE (SIGPIPE ignored) */
	pipe(p);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	utap_errno(write(p[1], "x", 1), EPIPE, "user.files.pipe_epipe");
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);

	/* ... and SIGPIPE kills by default */
	pipe(p);
	close(p[0]);
	pid = ufork();
	if (pid == 0) {
		if (write(p[1], "x", 1) < 0)
			_exit(1);
		_exit(2);
	}
	waitpid(pid, &st, 0);
	utap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE,
		"user.files.pipe_sigpipe_kills");
	close(p[1]);

	/* O_NONBLOCK */
	utap_eq(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0, "user.files.pipe2");
	utap_errno(read(p[0], buf, 1), EAGAIN, "user.files.pipe_nonblock_eagain");
	utap_eq(fcntl(p[0], F_GETFD), FD_CLOEXEC, "user.files.pipe2_cloexec");
	utap_eq(fcntl(p[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK),
		O_RDONLY | O_NONBLOCK, "user.files.pipe2_getfl");
	utap_eq(fcntl(p[0], F_SETFL, 0), 0, "user.files.setfl_clear_nonblock");
	utap_eq(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0, "user.files.getfl_after_setfl");
	utap_errno(pipe2(p, 0x1), EINVAL, "user.files.pipe2_bad_flags_einval");
	close(p[0]);
	close(p[1]);

	/* room for one fd only: EMFILE, and the one free slot stays free */
	{
		struct rlimit old, one;
		int next = dup(0);

		close(next);
		getrlimit(RLIMIT_NOFILE, &old);
		one = old;
		one.rlim_cur = (rlim_t)next + 1;
		setrlimit(RLIMIT_NOFILE, &one);
		utap_errno(pipe(p), EMFILE, "user.files.pipe_emfile");
		utap_eq(dup(0), next, "user.files.pipe_emfile_no_fd_left");
		close(next);
		setrlimit(RLIMIT_NOFILE, &old);
	}

	/* a blocked reader wakes when a writer in another process writes */
	pipe(p);
	pid = ufork();
	if (pid == 0) {
		nap_ms(30);
		_exit(write(p[1], "later", 5) == 5 ? 0 : 1);
	}
	utap_eq(read(p[0], buf, sizeof(buf)), 5, "user.files.pipe_blocking_read");
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);

	/* more than the pipe holds: the writer blocks until read */
	pipe(p);
	pid = ufork();
	if (pid == 0) {
		char *b = malloc(BIG_XFER);
		size_t i;

		close(p[0]);
		for (i = 0; i < BIG_XFER; i++)
			b[i] = (char)(i * 7);
		_exit(write(p[1], b, BIG_XFER) == BIG_XFER ? 0 : 1);
	}
	close(p[1]);
	{
		char *b = malloc(BIG_XFER);
		size_t got = 0, i, bad = 0;
		ssize_t r;

		while (got < BIG_XFER && (r = read(p[0], b + got, BIG_XFER - got)) > 0)
			got += (size_t)r;
		for (i = 0; i < got; i++)
			bad += b[i] != (char)(i * 7);
		utap_eq((long)got, BIG_XFER, "user.files.pipe_big_transfer_length");
		utap_eq((long)bad, 0, "user.files.pipe_big_transfer_data");
		free(b);
	}
	waitpid(pid, &st, 0);
	utap_eq(st, 0, "user.files.pipe_big_writer_status");
	close(p[0]);
}

/* ---- dup and fcntl ------------------------------------------------------------------- */

static void test_dup(void)
{
	int p[2], d, e;

	pipe(p);
	d = dup(p[1]);
	utap_ok(d > p[1], "user.files.dup_lowest_free");
	utap_eq(write(d, "z", 1), 1, "user.files.dup_shares_file");
	utap_eq(dup2(p[1], 60), 60, "user.files.dup2_target");
	utap_eq(dup2(60, 60), 60, "user.files.dup2_same_fd");
	utap_eq(fcntl(60, F_GETFD), 0, "user.files.dup2_clears_cloexec");
	utap_errno(dup2(200000, 61), EBADF, "user.files.dup2_bad_old_ebadf");
	utap_errno(dup2(p[1], -1), EBADF, "user.files.dup2_bad_new_ebadf");
	utap_eq(dup3(p[1], 61, O_CLOEXEC), 61, "user.files.dup3_cloexec");
	utap_eq(fcntl(61, F_GETFD), FD_CLOEXEC, "user.files.dup3_cloexec_set");
	utap_errno(dup3(61, 61, 0), EINVAL, "user.files.dup3_same_fd_einval");
	utap_errno(dup3(p[1], 62, O_NONBLOCK), EINVAL, "user.files.dup3_bad_flags_einval");
	e = fcntl(p[1], F_DUPFD, 70);
	utap_eq(e, 70, "user.files.fcntl_dupfd_min");
	utap_eq(fcntl(p[1], F_DUPFD, 70), 71, "user.files.fcntl_dupfd_next_free");
	utap_eq(fcntl(p[1], F_DUPFD_CLOEXEC, 70), 72, "user.files.fcntl_dupfd_cloexec");
	utap_eq(fcntl(72, F_GETFD), FD_CLOEXEC, "user.files.fcntl_dupfd_cloexec_set");
	utap_eq(fcntl(72, F_SETFD, 0), 0, "user.files.fcntl_setfd");
	utap_eq(fcntl(72, F_GETFD), 0, "user.files.fcntl_setfd_cleared");
	utap_errno(fcntl(p[1], F_DUPFD, -1), EINVAL, "user.files.fcntl_dupfd_negative_einval");
	/* past the first 64 slots: the table grows */
	utap_eq(dup2(p[1], 300), 300, "user.files.dup2_grows_table");
	utap_eq(fcntl(p[1], F_DUPFD_CLOEXEC, 500), 500, "user.files.dupfd_grows_table");
	utap_eq(fcntl(500, F_GETFD), FD_CLOEXEC, "user.files.grown_table_cloexec");
	utap_eq(close(300) | close(500), 0, "user.files.close_grown_fds");
	utap_errno(fcntl(300000, F_GETFD), EBADF, "user.files.fcntl_bad_fd_ebadf");
	/* the dups share one open file: one read sees what d wrote */
	{
		char c = 0;

		utap_ok(read(p[0], &c, 1) == 1 && c == 'z', "user.files.dup_same_pipe");
	}
	utap_errno(ioctl(p[0], TIOCGWINSZ, &(struct winsize){ 0 }), ENOTTY,
		   "user.files.ioctl_pipe_enotty");
	utap_errno(ioctl(300000, TIOCGWINSZ, NULL), EBADF, "user.files.ioctl_bad_fd_ebadf");
	close(d);
	close(60);
	close(61);
	close(70);
	close(71);
	close(72);
	close(p[0]);
	close(p[1]);
	utap_errno(close(p[1]), EBADF, "user.files.close_twice_ebadf");
}

/* ---- the program's own file ------------------------------------------------------------ */

static void test_self(void)
{
	struct stat st, st2;
	char buf[8], *dir, *base, tmp[512], tmp2[512];
	int fd, dfd, found = 0;
	off_t end;

	fd = open(self, O_RDONLY);
	utap_ok(fd >= 0, "user.files.open_self");
	utap_ok(read(fd, buf, 4) == 4 && !memcmp(buf, "\177ELF", 4),
		"user.files.read_self_elf_magic");
	utap_eq(fstat(fd, &st), 0, "user.files.fstat_self");
	utap_ok(S_ISREG(st.st_mode) && st.st_size > 1000, "user.files.fstat_regular");
	utap_eq(stat(self, &st2), 0, "user.files.stat_self");
	utap_ok(st2.st_ino == st.st_ino && st2.st_size == st.st_size,
		"user.files.stat_matches_fstat");
	end = lseek(fd, 0, SEEK_END);
	utap_eq((long)end, (long)st.st_size, "user.files.lseek_end");
	utap_eq((long)lseek(fd, 1, SEEK_SET), 1, "user.files.lseek_set");
	utap_ok(read(fd, buf, 3) == 3 && !memcmp(buf, "ELF", 3),
		"user.files.read_after_lseek");
	utap_eq((long)lseek(fd, -2, SEEK_CUR), 2, "user.files.lseek_cur");
	utap_errno(lseek(fd, -100, SEEK_SET), EINVAL, "user.files.lseek_negative_einval");
	utap_eq(read(fd, buf, 0), 0, "user.files.read_zero_bytes");
	lseek(fd, 0, SEEK_END);
	utap_eq(read(fd, buf, 1), 0, "user.files.read_at_end");
	utap_errno(open(self, O_RDONLY | O_DIRECTORY), ENOTDIR,
		   "user.files.open_file_as_directory_enotdir");
	close(fd);
	utap_errno(open("/nonexistent-kfork/x", O_RDONLY), ENOENT,
		   "user.files.open_missing_enoent");
	snprintf(tmp, sizeof(tmp), "%s/x", self);
	utap_errno(open(tmp, O_RDONLY), ENOTDIR, "user.files.open_through_file_enotdir");
	{
		int p[2];

		pipe(p);
		utap_errno(lseek(p[0], 0, SEEK_SET), ESPIPE, "user.files.lseek_pipe_espipe");
		close(p[0]);
		close(p[1]);
	}

	/* the directory: it lists us */
	snprintf(tmp, sizeof(tmp), "%s", self);
	dir = dirname(tmp);
	snprintf(tmp2, sizeof(tmp2), "%s", self);
	base = basename(tmp2);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	utap_ok(dfd >= 0, "user.files.open_directory");
	utap_eq(fstat(dfd, &st), 0, "user.files.fstat_directory");
	utap_ok(S_ISDIR(st.st_mode), "user.files.fstat_is_dir");
	utap_errno(read(dfd, buf, 1), EISDIR, "user.files.read_directory_eisdir");
	for (;;) {
		char dents[1024];
		long n = syscall(SYS_getdents64, dfd, dents, sizeof(dents)), off;

		if (n <= 0)
			break;
		for (off = 0; off < n;) {
			uint16_t reclen;

			memcpy(&reclen, dents + off + 16, 2);
			if (!strcmp(dents + off + 19, base))
				found++;
			if (!strcmp(dents + off + 19, ".."))
				found += 100;
			off += reclen;
		}
	}
	utap_eq(found, 101, "user.files.getdents_lists_self_and_dotdot");
	lseek(dfd, 0, SEEK_SET);	/* rewinddir */
	utap_errno(syscall(SYS_getdents64, dfd, buf, 4), EINVAL,
		   "user.files.getdents_small_buffer_einval");
	fd = open(self, O_RDONLY);
	utap_errno(syscall(SYS_getdents64, fd, tmp, sizeof(tmp)), ENOTDIR,
		   "user.files.getdents_file_enotdir");
	close(fd);

	/* openat relative to the directory fd */
	fd = openat(dfd, base, O_RDONLY);
	utap_ok(fd >= 0, "user.files.openat_dirfd");
	close(fd);
	utap_eq(fstatat(dfd, base, &st, 0), 0, "user.files.fstatat_dirfd");
	utap_eq(fstatat(dfd, "", &st2, AT_EMPTY_PATH), 0, "user.files.fstatat_empty_path");
	utap_ok(S_ISDIR(st2.st_mode), "user.files.fstatat_empty_path_is_dirfd");
	close(dfd);
}

/* ---- cwd, umask, access ---------------------------------------------------------------- */

static void test_cwd(void)
{
	char old[512], cwd[512], tmp[512], *dir, *base;
	int fd;

	if (!getcwd(old, sizeof(old)))
		old[0] = 0;
	utap_eq(chdir("/"), 0, "user.files.chdir_root");
	utap_ok(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/"), "user.files.getcwd_root");
	utap_eq(syscall(SYS_getcwd, cwd, sizeof(cwd)), 2, "user.files.getcwd_returns_length");
	utap_errno(syscall(SYS_getcwd, cwd, 1), ERANGE, "user.files.getcwd_erange");
	utap_errno(syscall(SYS_getcwd, (void *)8, sizeof(cwd)), EFAULT,
		   "user.files.getcwd_efault");
	utap_errno(chdir(self), ENOTDIR, "user.files.chdir_file_enotdir");
	utap_errno(chdir("/nonexistent-kfork"), ENOENT, "user.files.chdir_missing_enoent");

	/* relative paths follow the cwd */
	snprintf(tmp, sizeof(tmp), "%s", self);
	dir = dirname(tmp);
	utap_eq(chdir(dir), 0, "user.files.chdir_program_dir");
	snprintf(tmp, sizeof(tmp), "%s", self);
	base = basename(tmp);
	fd = open(base, O_RDONLY);
	utap_ok(fd >= 0, "user.files.open_relative_to_cwd");
	close(fd);
	snprintf(cwd, sizeof(cwd), "./%s", base);
	utap_eq(access(cwd, R_OK | X_OK), 0, "user.files.access_relative");
	if (old[0] && chdir(old))
		utap_ok(0, "user.files.restore_cwd");

	umask(022);
	utap_eq(umask(027), 022, "user.files.umask_returns_old");
	utap_eq(umask(022), 027, "user.files.umask_value");
	utap_eq(umask(0777 | 01000), 022, "user.files.umask_masks_bits");
	utap_eq(umask(022), 0777, "user.files.umask_permission_bits_only");

	utap_eq(access(self, X_OK), 0, "user.files.access_x_ok");
	utap_eq(access("/", R_OK | X_OK), 0, "user.files.access_root_dir");
	utap_errno(access("/nonexistent-kfork", F_OK), ENOENT, "user.files.access_enoent");
	utap_errno(access(self, 0x10), EINVAL, "user.files.access_bad_mode_einval");
}

/* ---- poll ------------------------------------------------------------------------------ */

static void test_poll(void)
{
	struct pollfd pf[3];
	int p[2];
	pid_t pid;

	pipe(p);
	pf[0] = (struct pollfd){ p[0], POLLIN, 0 };
	pf[1] = (struct pollfd){ p[1], POLLOUT, 0 };
	pf[2] = (struct pollfd){ 300000, POLLIN, 0 };
	utap_eq(poll(pf, 3, 0), 2, "user.files.poll_ready_count");
	utap_ok(pf[0].revents == 0 && pf[1].revents == POLLOUT &&
		pf[2].revents == POLLNVAL, "user.files.poll_revents");
	write(p[1], "a", 1);
	utap_eq(poll(pf, 1, 0), 1, "user.files.poll_pipe_readable");
	utap_eq(pf[0].revents, POLLIN, "user.files.poll_pollin");
	{
		char c;

		(void)read(p[0], &c, 1);
	}
	/* block until another process writes */
	pid = ufork();
	if (pid == 0) {
		nap_ms(30);
		_exit(write(p[1], "b", 1) == 1 ? 0 : 1);
	}
	utap_eq(poll(pf, 1, 5000), 1, "user.files.poll_blocks_until_write");
	waitpid(pid, NULL, 0);
	utap_eq(poll(pf, 1, 20), 1, "user.files.poll_data_still_there");
	{
		char c;

		(void)read(p[0], &c, 1);
	}
	utap_eq(poll(pf, 1, 30), 0, "user.files.poll_timeout");
	close(p[1]);
	utap_eq(poll(pf, 1, 0), 1, "user.files.poll_hup_ready");
	utap_ok(pf[0].revents & POLLHUP, "user.files.poll_pollhup");
	close(p[0]);
	pf[0].fd = -1;
	utap_eq(poll(pf, 1, 0), 0, "user.files.poll_negative_fd_ignored");
}

int main(int argc, char **argv)
{
	static char path[512];

	(void)argc;
	/* an absolute path: the tests change directory */
	if (argv[0][0] != '/' && getcwd(path, sizeof(path) / 2))
		snprintf(path + strlen(path), sizeof(path) / 2, "/%s", argv[0]);
	else
		snprintf(path, sizeof(path), "%s", argv[0]);
	self = path;
	test_pipes();
	test_dup();
	test_self();
	test_cwd();
	test_poll();
	return utap_done();
}
