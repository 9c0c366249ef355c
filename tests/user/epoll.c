// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/user/epoll.c - epoll over the kinds of files the mini-kernel has:
 * pipes, pidfds, the console, other epoll fds; epoll_ctl's errnos,
 * EPOLLONESHOT, EPOLLET, timeouts, wake-ups from another process, and
 * epoll_pwait's signal mask.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utap.h"

static int pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int add(int ep, int fd, unsigned events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_errors(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2], fd;

	utap_ok(ep >= 0, "user.epoll.create1");
	utap_eq(fcntl(ep, F_GETFD), FD_CLOEXEC, "user.epoll.create1_cloexec");
	utap_errno(epoll_create1(1), EINVAL, "user.epoll.create1_bad_flags");
#ifdef SYS_epoll_create
	utap_errno(syscall(SYS_epoll_create, 0), EINVAL, "user.epoll.create_size_0");
	fd = (int)syscall(SYS_epoll_create, 1);
	utap_ok(fd >= 0, "user.epoll.create_size_1");
	close(fd);
#endif
	if (pipe(p))
		return;
	utap_errno(epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev), EBADF, "user.epoll.ctl_ebadf");
	utap_errno(epoll_ctl(99, EPOLL_CTL_ADD, p[0], &ev), EBADF, "user.epoll.ctl_bad_epfd");
	utap_errno(epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev), EINVAL,
		   "user.epoll.ctl_not_epoll");
	utap_errno(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL, "user.epoll.ctl_self");
	utap_errno(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], NULL), EFAULT,
		   "user.epoll.ctl_efault");
	utap_errno(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT, "user.epoll.del_enoent");
	utap_errno(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), ENOENT, "user.epoll.mod_enoent");
	utap_eq(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0, "user.epoll.add");
	utap_errno(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST, "user.epoll.add_eexist");
	utap_errno(epoll_ctl(ep, 42, p[0], &ev), EINVAL, "user.epoll.ctl_bad_op");
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	utap_errno(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL,
		   "user.epoll.mod_exclusive");
	utap_eq(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), 0, "user.epoll.del");
	fd = open("/init", O_RDONLY);
	if (fd < 0)
		fd = open("/proc/self/exe", O_RDONLY);
	utap_errno(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EPERM,
		   "user.epoll.regular_file_eperm");
	close(fd);
	utap_errno(epoll_wait(ep, &ev, 0, 0), EINVAL, "user.epoll.wait_maxevents_0");
	utap_errno(epoll_wait(p[0], &ev, 1, 0), EINVAL, "user.epoll.wait_not_epoll");
	utap_errno(epoll_wait(99, &ev, 1, 0), EBADF, "user.epoll.wait_ebadf");
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void test_pipe(void)
{
	struct epoll_event out[4];
	int ep = epoll_create1(0), p[2];
	long t0;

	if (pipe(p))
		return;
	add(ep, p[0], EPOLLIN, 7);
	add(ep, p[1], EPOLLOUT, 8);
	utap_eq(epoll_wait(ep, out, 4, 0), 1, "user.epoll.pipe_only_writable");
	utap_ok(out[0].events == EPOLLOUT && out[0].data.u64 == 8,
		"user.epoll.pipe_out_event_data");
	epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL);
	t0 = now_ms();
	utap_eq(epoll_wait(ep, out, 4, 100), 0, "user.epoll.timeout_nothing");
	utap_ok(now_ms() - t0 >= 90, "user.epoll.timeout_waited");
	write(p[1], "x", 1);
	utap_eq(epoll_wait(ep, out, 4, -1), 1, "user.epoll.pipe_readable");
	utap_ok(out[0].events == EPOLLIN && out[0].data.u64 == 7,
		"user.epoll.pipe_in_event_data");
	/* level-triggered: still there */
	utap_eq(epoll_wait(ep, out, 4, 0), 1, "user.epoll.level_again");
	/* the writer's close: EPOLLHUP comes unasked */
	close(p[1]);
	utap_eq(epoll_wait(ep, out, 4, 0), 1, "user.epoll.hup_count");
	utap_eq(out[0].events, EPOLLIN | EPOLLHUP, "user.epoll.hup_unasked");
	close(p[0]);
	/* the file's last close removed the item */
	utap_eq(epoll_wait(ep, out, 4, 0), 0, "user.epoll.closed_file_gone");
	close(ep);
}

static void test_oneshot_et(void)
{
	struct epoll_event out[2], ev = { .events = EPOLLIN };
	int ep = epoll_create1(0), p[2], q[2], d;
	char c;

	if (pipe(p) || pipe(q))
		return;
	add(ep, p[0], EPOLLIN | EPOLLONESHOT, 1);
	write(p[1], "ab", 2);
	utap_eq(epoll_wait(ep, out, 2, 0), 1, "user.epoll.oneshot_first");
	utap_eq(epoll_wait(ep, out, 2, 0), 0, "user.epoll.oneshot_disarmed");
	utap_eq(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), 0, "user.epoll.oneshot_rearm");
	utap_eq(epoll_wait(ep, out, 2, 0), 1, "user.epoll.oneshot_rearmed");
	epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);

	add(ep, q[0], EPOLLIN | EPOLLET, 2);
	write(q[1], "a", 1);
	utap_eq(epoll_wait(ep, out, 2, 0), 1, "user.epoll.et_first");
	utap_eq(epoll_wait(ep, out, 2, 0), 0, "user.epoll.et_not_again");
	read(q[0], &c, 1);
	write(q[1], "b", 1);
	utap_eq(epoll_wait(ep, out, 2, 0), 1, "user.epoll.et_new_data");
	/* a dup of a watched file: a second item, same file */
	d = dup(q[0]);
	utap_eq(add(ep, d, EPOLLIN, 3), 0, "user.epoll.dup_second_item");
	close(d);	/* q[0] keeps the file open: the item stays */
	utap_eq(epoll_wait(ep, out, 2, 0), 1, "user.epoll.dup_item_stays");
	utap_eq(out[0].data.u64, 3, "user.epoll.dup_item_data");
	close(p[0]); close(p[1]); close(q[0]); close(q[1]);
	close(ep);
}

static void test_pidfd_and_nesting(void)
{
	struct epoll_event out[2];
	int ep = epoll_create1(0), outer = epoll_create1(0), pfd;
	pid_t pid;

	pid = ufork();
	if (pid == 0) {
		usleep(100000);
		_exit(3);
	}
	pfd = pidfd_open(pid);
	utap_eq(add(ep, pfd, EPOLLIN, 9), 0, "user.epoll.add_pidfd");
	utap_eq(add(outer, ep, EPOLLIN, 10), 0, "user.epoll.add_epoll");
	utap_errno(add(ep, outer, EPOLLIN, 11), ELOOP, "user.epoll.loop_eloop");
	utap_eq(epoll_wait(ep, out, 2, 0), 0, "user.epoll.pidfd_alive");
	utap_eq(epoll_wait(outer, out, 2, 5000), 1, "user.epoll.nested_wakes");
	utap_eq(out[0].data.u64, 10, "user.epoll.nested_data");
	utap_eq(epoll_wait(ep, out, 2, 0), 1, "user.epoll.pidfd_exited");
	utap_ok(out[0].events & EPOLLIN, "user.epoll.pidfd_pollin");
	utap_eq(wait_status(pid), 3 << 8, "user.epoll.pidfd_child_status");
	close(pfd);
	close(ep);
	close(outer);
}

static void test_console(void)
{
	struct epoll_event out[1];
	int ep = epoll_create1(0);

	utap_eq(add(ep, 1, EPOLLOUT, 5), 0, "user.epoll.add_stdout");
	utap_eq(epoll_wait(ep, out, 1, 1000), 1, "user.epoll.stdout_writable");
	utap_ok(out[0].events & EPOLLOUT, "user.epoll.stdout_pollout");
	close(ep);
}

static volatile int got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

static void test_pwait_mask(void)
{
	struct epoll_event out[1];
	sigset_t block, empty, now;
	int ep = epoll_create1(0), p[2];
	pid_t pid;

	if (pipe(p))
		return;
	add(ep, p[0], EPOLLIN, 1);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&empty);
	pid = ufork();
	if (pid == 0) {
		usleep(50000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	utap_errno(epoll_pwait(ep, out, 1, 5000, &empty), EINTR,
		   "user.epoll.pwait_unblocks");
	utap_eq(got_usr1, 1, "user.epoll.pwait_handler_ran");
	sigprocmask(SIG_BLOCK, NULL, &now);
	utap_ok(sigismember(&now, SIGUSR1), "user.epoll.pwait_mask_restored");
	wait_status(pid);
	/* the blocked signal stays pending through a pwait that blocks it */
	kill(getpid(), SIGUSR1);
	utap_eq(epoll_pwait(ep, out, 1, 50, &block), 0, "user.epoll.pwait_blocked_waits");
	utap_eq(got_usr1, 1, "user.epoll.pwait_blocked_pending");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	utap_eq(got_usr1, 2, "user.epoll.pwait_then_delivered");
	utap_errno(syscall(SYS_epoll_pwait, ep, out, 1, 0, &empty, 4), EINVAL,
		   "user.epoll.pwait_bad_sigsetsize");
	close(p[0]);
	close(p[1]);
	close(ep);
}

int main(void)
{
	test_errors();
	test_pipe();
	test_oneshot_et();
	test_pidfd_and_nesting();
	test_console();
	test_pwait_mask();
	return utap_done();
}
