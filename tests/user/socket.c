// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/user/socket.c - socketpair(AF_UNIX) streams and records between
 * processes, end of file and EPIPE, memfd_create's in-memory files,
 * pread/pwrite, and kcmp(2) -- what the pidfd selftests build on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utap.h"

#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
#define KCMP_FILE 0
#define KCMP_VM 1
#define KCMP_FILES 2

static void test_stream(void)
{
	int sv[2], n;
	char buf[16];
	pid_t pid;

	utap_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0,
		"user.socket.pair_stream");
	utap_eq(fcntl(sv[0], F_GETFD), FD_CLOEXEC, "user.socket.cloexec");
	pid = ufork();
	if (pid == 0) {
		close(sv[0]);
		if (write(sv[1], "ab", 2) != 2 || send(sv[1], "cd", 2, 0) != 2)
			_exit(1);
		n = (int)read(sv[1], buf, sizeof(buf));
		_exit(n == 3 && !memcmp(buf, "xyz", 3) ? 0 : 2);
	}
	close(sv[1]);
	usleep(50000);
	n = (int)recv(sv[0], buf, sizeof(buf), 0);
	utap_ok(n == 4 && !memcmp(buf, "abcd", 4), "user.socket.stream_joins");
	utap_eq(write(sv[0], "xyz", 3), 3, "user.socket.stream_back");
	utap_eq(wait_status(pid), 0, "user.socket.stream_peer");
	utap_eq(read(sv[0], buf, sizeof(buf)), 0, "user.socket.stream_eof");
	signal(SIGPIPE, SIG_IGN);
	utap_errno(write(sv[0], "x", 1), EPIPE, "user.socket.stream_epipe");
	utap_errno(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE, "user.socket.send_nosignal");
	signal(SIGPIPE, SIG_DFL);
	close(sv[0]);
}

static void test_records(void)
{
	int sv[2], v = 0;
	char buf[8];
	struct pollfd p;

	utap_eq(socketpair(PF_LOCAL, SOCK_SEQPACKET, 0, sv), 0, "user.socket.pair_seqpacket");
	send(sv[0], "12345", 5, 0);
	send(sv[0], "ab", 2, 0);
	utap_eq(recv(sv[1], buf, 3, 0), 3, "user.socket.record_cut");
	utap_eq(recv(sv[1], buf, sizeof(buf), 0), 2, "user.socket.record_next");
	utap_ok(!memcmp(buf, "ab", 2), "user.socket.record_data");
	utap_errno(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN,
		   "user.socket.dontwait_eagain");
	p.fd = sv[1];
	p.events = POLLIN;
	utap_eq(poll(&p, 1, 0), 0, "user.socket.poll_empty");
	send(sv[0], &v, sizeof(v), 0);
	utap_eq(poll(&p, 1, 0), 1, "user.socket.poll_ready");
	close(sv[0]);
	utap_eq(recv(sv[1], &v, sizeof(v), 0), 4, "user.socket.data_before_eof");
	utap_eq(recv(sv[1], &v, sizeof(v), 0), 0, "user.socket.record_eof");
	close(sv[1]);

	utap_errno(socketpair(200, SOCK_STREAM, 0, sv), EAFNOSUPPORT,
		   "user.socket.unknown_family");
	utap_errno(socketpair(AF_UNIX, 9, 0, sv), ESOCKTNOSUPPORT, "user.socket.bad_type");
	utap_errno(send(1, "x", 1, 0), ENOTSOCK, "user.socket.notsock");
}

static void test_memfd(void)
{
	int fd = memfd_create("test", MFD_CLOEXEC), d;
	char buf[8] = "";
	struct stat st;

	utap_ok(fd >= 0, "user.socket.memfd_create");
	utap_eq(fcntl(fd, F_GETFD), FD_CLOEXEC, "user.socket.memfd_cloexec");
	utap_eq(write(fd, "hello", 5), 5, "user.socket.memfd_write");
	utap_eq(pread(fd, buf, 3, 1), 3, "user.socket.memfd_pread");
	utap_ok(!memcmp(buf, "ell", 3), "user.socket.memfd_data");
	utap_eq(lseek(fd, 0, SEEK_CUR), 5, "user.socket.memfd_pos");
	utap_eq(pwrite(fd, "J", 1, 0), 1, "user.socket.memfd_pwrite");
	utap_eq(ftruncate(fd, 2), 0, "user.socket.memfd_truncate");
	utap_ok(!fstat(fd, &st) && st.st_size == 2 && S_ISREG(st.st_mode),
		"user.socket.memfd_fstat");
	utap_eq(pread(fd, buf, 8, 0), 2, "user.socket.memfd_shorter");
	utap_ok(!memcmp(buf, "Je", 2), "user.socket.memfd_truncated_data");
	utap_errno(memfd_create("x", 0x100), EINVAL, "user.socket.memfd_bad_flags");

	/* kcmp: the same open file through two fds, another file */
	d = dup(fd);
	utap_eq(syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, fd, d), 0,
		"user.socket.kcmp_same_file");
	utap_ok(syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, fd, 1) > 0,
		"user.socket.kcmp_other_file");
	utap_errno(syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, fd, 999), EBADF,
		   "user.socket.kcmp_ebadf");
	utap_errno(syscall(SYS_kcmp, getpid(), 999999, KCMP_VM, 0, 0), ESRCH,
		   "user.socket.kcmp_esrch");
	utap_errno(syscall(SYS_kcmp, getpid(), getpid(), 99, 0, 0), EINVAL,
		   "user.socket.kcmp_einval");
	close(d);
	close(fd);
}

static void test_kcmp_fork(void)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe(p))
		return;
	pid = ufork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	/* a forked child has copies: another mm, another fd table, the same
	 * open files */
	utap_ok(syscall(SYS_kcmp, getpid(), pid, KCMP_VM, 0, 0) > 0, "user.socket.kcmp_vm_differs");
	utap_ok(syscall(SYS_kcmp, getpid(), pid, KCMP_FILES, 0, 0) > 0,
		"user.socket.kcmp_files_differ");
	utap_eq(syscall(SYS_kcmp, getpid(), pid, KCMP_FILE, p[0], p[0]), 0,
		"user.socket.kcmp_inherited_file");
	{
		long a = syscall(SYS_kcmp, getpid(), pid, KCMP_VM, 0, 0);
		long b = syscall(SYS_kcmp, pid, getpid(), KCMP_VM, 0, 0);

		utap_ok(a + b == 3, "user.socket.kcmp_order_flips");
	}
	close(p[1]);
	wait_status(pid);
	close(p[0]);
}

/* test_vmsplice - memory into a pipe: a region larger than the pipe goes
 * in partly, without blocking, and reads back; the read end gives to
 * memory.  (Linux lends the pages, so a write to them before the read
 * would show; the mini-kernel copies: not checked.) */
static void test_vmsplice(void)
{
	static char big[256 * 1024], back[256 * 1024];
	struct iovec iov = { .iov_base = big, .iov_len = sizeof(big) };
	ssize_t n, got = 0, r;
	int p[2];

	if (pipe(p))
		return;
	memset(big, 'v', sizeof(big));
	n = vmsplice(p[1], &iov, 1, 0);
	utap_ok(n > 0 && n < (ssize_t)sizeof(big), "user.socket.vmsplice_partial");
	while (got < n && (r = read(p[0], back + got, (size_t)(n - got))) > 0)
		got += r;
	utap_ok(got == n && back[0] == 'v' && back[n - 1] == 'v',
		"user.socket.vmsplice_contents");
	write(p[1], "xy", 2);
	iov.iov_base = back;
	iov.iov_len = 8;
	utap_eq(vmsplice(p[0], &iov, 1, 0), 2, "user.socket.vmsplice_read_end");
	utap_errno(vmsplice(p[0], &iov, 1, SPLICE_F_NONBLOCK), EAGAIN,
		   "user.socket.vmsplice_nonblock");
	n = open("/dev/null", O_WRONLY);
	utap_errno(vmsplice((int)n, &iov, 1, 0), EBADF, "user.socket.vmsplice_not_pipe");
	close((int)n);
	utap_errno(vmsplice(p[1], &iov, 1, 0x100), EINVAL, "user.socket.vmsplice_flags");
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	test_stream();
	test_records();
	test_memfd();
	test_kcmp_fork();
	test_vmsplice();
	return utap_done();
}
