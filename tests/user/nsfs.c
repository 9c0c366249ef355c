// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/user/nsfs.c - namespaces as files: /proc/<pid>/ns/<name> links
 * and the files they open, setns(2) with a namespace file or a pidfd
 * (uts, pid, mnt, user, time), the pidfd ioctls that give namespace files,
 * and pidfd_getfd(2) -- with their errnos and permission checks.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utap.h"

#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#define PIDFD_GET_IOC(n) _IO(0xFF, n)
#define PIDFD_GET_MNT_NAMESPACE PIDFD_GET_IOC(3)
#define PIDFD_GET_PID_NAMESPACE PIDFD_GET_IOC(5)
#define PIDFD_GET_USER_NAMESPACE PIDFD_GET_IOC(9)
#define PIDFD_GET_UTS_NAMESPACE PIDFD_GET_IOC(10)

static int pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static ino_t ns_ino(pid_t pid, const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, name);
	return stat(path, &st) ? 0 : st.st_ino;
}

static ino_t fd_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

/* parked - a child (made with clone @flags) that runs @setup, tells us,
 * and waits for SIGKILL; its pid, or -1. */
static pid_t parked_flags(int (*setup)(void), long flags)
{
	int p[2];
	char c = 0;
	pid_t pid;

	if (pipe(p))
		return -1;
	fflush(stdout);
	pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		close(p[0]);
		c = setup() ? 'x' : 'k';
		write(p[1], &c, 1);
		for (;;)
			pause();
	}
	close(p[1]);
	read(p[0], &c, 1);
	close(p[0]);
	return c == 'k' ? pid : -1;
}

static pid_t parked(int (*setup)(void))
{
	return parked_flags(setup, 0);
}

static void unpark(pid_t pid)
{
	kill(pid, SIGKILL);
	wait_status(pid);
}

static int setup_uts(void)
{
	return unshare(CLONE_NEWUTS) || sethostname("nsfs-child", 10);
}

static int setup_mnt(void)
{
	return unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	       umount2("/proc", MNT_DETACH);
}

static int setup_pid(void)
{
	return getpid() != 1;
}

static void test_links(void)
{
	char buf[64], want[64];
	struct stat st, lst;
	struct dirent *de;
	int n = 0, seen = 0;
	ssize_t len;
	DIR *d;

	len = readlink("/proc/self/ns/uts", buf, sizeof(buf) - 1);
	utap_ok(len > 0, "user.nsfs.readlink_uts");
	buf[len > 0 ? len : 0] = 0;
	utap_ok(stat("/proc/self/ns/uts", &st) == 0 && S_ISREG(st.st_mode),
		"user.nsfs.stat_follows_to_file");
	snprintf(want, sizeof(want), "uts:[%lu]", (unsigned long)st.st_ino);
	utap_ok(!strcmp(buf, want), "user.nsfs.link_names_inode");
	if (strcmp(buf, want))
		printf("# '%s' vs '%s'\n", buf, want);
	utap_ok(lstat("/proc/self/ns/uts", &lst) == 0 && S_ISLNK(lst.st_mode),
		"user.nsfs.lstat_link");
	len = readlink("/proc/self/ns/pid_for_children", buf, sizeof(buf) - 1);
	buf[len > 0 ? len : 0] = 0;
	utap_ok(len > 0 && !strncmp(buf, "pid:[", 5), "user.nsfs.pid_for_children_is_pid");
	utap_eq(ns_ino(getpid(), "pid"), ns_ino(getpid(), "pid_for_children"),
		"user.nsfs.pid_for_children_same");
	d = opendir("/proc/self/ns");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		n++;
		if (!strcmp(de->d_name, "time_for_children"))
			seen = 1;
	}
	if (d)
		closedir(d);
	utap_ok(n >= 10 && seen, "user.nsfs.ns_dir_lists");
	utap_errno(open("/proc/self/ns/nosuch", O_RDONLY), ENOENT, "user.nsfs.no_such_ns");
	/* relative to the directory, as the pidfd selftests open them */
	n = open("/proc/self/ns", O_DIRECTORY | O_CLOEXEC);
	seen = openat(n, "uts", O_RDONLY | O_CLOEXEC);
	utap_ok(seen >= 0 && fd_ino(seen) == st.st_ino, "user.nsfs.openat_in_ns_dir");
	close(seen);
	close(n);
}

static void test_setns_uts(void)
{
	pid_t c = parked(setup_uts), d;
	char path[64];
	int fd, pfd;

	utap_ok(c > 0, "user.nsfs.uts_child");
	utap_ok(ns_ino(c, "uts") != ns_ino(getpid(), "uts"), "user.nsfs.uts_differs");
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", c);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	pfd = pidfd_open(c);
	utap_eq(fd_ino(fd), ns_ino(c, "uts"), "user.nsfs.open_gives_ns");
	utap_errno(setns(fd, CLONE_NEWPID), EINVAL, "user.nsfs.setns_wrong_type");
	utap_errno(setns(99, 0), EBADF, "user.nsfs.setns_ebadf");
	utap_errno(setns(1, 0), EINVAL, "user.nsfs.setns_not_ns");
	utap_errno(setns(pfd, 0), EINVAL, "user.nsfs.setns_pidfd_no_flags");
	utap_errno(setns(pfd, CLONE_VM), EINVAL, "user.nsfs.setns_pidfd_clone_vm");
	d = ufork();
	if (d == 0) {
		char name[64] = "";

		if (setns(fd, 0))
			_exit(1);
		gethostname(name, sizeof(name));
		_exit(strcmp(name, "nsfs-child") ? 2 : 0);
	}
	utap_eq(wait_status(d), 0, "user.nsfs.setns_nsfd_uts");
	d = ufork();
	if (d == 0) {
		char name[64] = "";

		if (setns(pfd, CLONE_NEWUTS))
			_exit(1);
		gethostname(name, sizeof(name));
		_exit(strcmp(name, "nsfs-child") ? 2 : 0);
	}
	utap_eq(wait_status(d), 0, "user.nsfs.setns_pidfd_uts");
	d = ufork();
	if (d == 0) {
		if (setresuid(12345, 12345, 12345))
			_exit(1);
		if (setns(fd, CLONE_NEWUTS) != -1 || errno != EPERM)
			_exit(2);
		_exit(0);
	}
	utap_eq(wait_status(d), 0, "user.nsfs.setns_unprivileged_eperm");
	close(fd);

	/* the pidfd's namespace ioctls */
	fd = ioctl(pfd, PIDFD_GET_UTS_NAMESPACE, 0);
	utap_ok(fd >= 0 && fd_ino(fd) == ns_ino(c, "uts"), "user.nsfs.ioctl_uts");
	utap_eq(fcntl(fd, F_GETFD), FD_CLOEXEC, "user.nsfs.ioctl_cloexec");
	close(fd);
	fd = ioctl(pfd, PIDFD_GET_PID_NAMESPACE, 0);
	utap_ok(fd >= 0 && fd_ino(fd) == ns_ino(c, "pid"), "user.nsfs.ioctl_pid");
	close(fd);
	utap_errno(ioctl(pfd, PIDFD_GET_UTS_NAMESPACE, 1), EINVAL, "user.nsfs.ioctl_arg");
	utap_errno(ioctl(pfd, PIDFD_GET_IOC(99), 0), ENOTTY, "user.nsfs.ioctl_unknown");
	unpark(c);
	utap_errno(ioctl(pfd, PIDFD_GET_UTS_NAMESPACE, 0), ESRCH, "user.nsfs.ioctl_reaped");
	utap_errno(setns(pfd, CLONE_NEWUTS), ESRCH, "user.nsfs.setns_reaped");
	close(pfd);
}

static void test_setns_exited(void)
{
	siginfo_t si;
	pid_t c = ufork();
	int pfd;

	if (c == 0)
		_exit(0);
	pfd = pidfd_open(c);
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	utap_errno(setns(pfd, CLONE_NEWUTS), ESRCH, "user.nsfs.setns_zombie");
	utap_errno(ioctl(pfd, PIDFD_GET_UTS_NAMESPACE, 0), ESRCH, "user.nsfs.ioctl_zombie");
	wait_status(c);
	close(pfd);
}

static void test_setns_pid(void)
{
	pid_t c = parked_flags(setup_pid, CLONE_NEWPID), d;
	int pfd = pidfd_open(c);
	ino_t ns = ns_ino(c, "pid");

	d = ufork();
	if (d == 0) {
		struct stat st;
		pid_t g;

		if (setns(pfd, CLONE_NEWPID))
			_exit(1);
		/* our own pid stays; our children's namespace changed */
		if (ns_ino(getpid(), "pid") == ns_ino(getpid(), "pid_for_children") ||
		    ns_ino(getpid(), "pid_for_children") != ns)
			_exit(2);
		g = fork();
		if (g == 0)
			_exit(getpid() == 2 && !stat("/proc/self/ns/pid", &st) &&
			      st.st_ino == ns ? 0 : 9);
		_exit(wait_status(g) == 0 ? 0 : 3);
	}
	utap_eq(wait_status(d), 0, "user.nsfs.setns_pid_for_children");
	unpark(c);
	close(pfd);
}

static void test_setns_mnt(void)
{
	pid_t c = parked(setup_mnt), d;
	int pfd = pidfd_open(c), fd;

	d = ufork();
	if (d == 0) {
		char cwd[64];

		if (chdir("/etc") || setns(pfd, CLONE_NEWNS))
			_exit(1);
		if (open("/proc/self/status", O_RDONLY) >= 0)
			_exit(2);	/* that namespace has no /proc */
		if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/"))
			_exit(3);	/* entering it went to its root */
		_exit(0);
	}
	utap_eq(wait_status(d), 0, "user.nsfs.setns_mnt");
	fd = ioctl(pfd, PIDFD_GET_MNT_NAMESPACE, 0);
	utap_ok(fd >= 0 && fd_ino(fd) != ns_ino(getpid(), "mnt"), "user.nsfs.ioctl_mnt");
	close(fd);
	unpark(c);
	close(pfd);
}

static void test_getfd(void)
{
	int p[2], pfd, fd, keep;
	struct stat a, b;
	pid_t c, d;

	if (pipe(p))
		return;
	keep = dup2(p[0], 42);
	c = parked(setup_uts);	/* any child that holds fd 42 */
	close(keep);
	pfd = pidfd_open(c);
	fd = (int)syscall(SYS_pidfd_getfd, pfd, 42, 0);
	utap_ok(fd >= 0, "user.nsfs.getfd");
	utap_ok(!fstat(fd, &a) && !fstat(p[0], &b) && a.st_ino == b.st_ino,
		"user.nsfs.getfd_same_file");
	utap_eq(fcntl(fd, F_GETFD), FD_CLOEXEC, "user.nsfs.getfd_cloexec");
	close(fd);
	utap_errno(syscall(SYS_pidfd_getfd, pfd, 42, 1), EINVAL, "user.nsfs.getfd_flags");
	utap_errno(syscall(SYS_pidfd_getfd, pfd, 999, 0), EBADF, "user.nsfs.getfd_no_fd");
	utap_errno(syscall(SYS_pidfd_getfd, p[0], 42, 0), EBADF, "user.nsfs.getfd_not_pidfd");
	utap_errno(syscall(SYS_pidfd_getfd, 999, 42, 0), EBADF, "user.nsfs.getfd_ebadf");
	d = ufork();
	if (d == 0) {
		if (setresuid(12345, 12345, 12345))
			_exit(1);
		if (syscall(SYS_pidfd_getfd, pfd, 42, 0) != -1 || errno != EPERM)
			_exit(2);
		_exit(0);
	}
	utap_eq(wait_status(d), 0, "user.nsfs.getfd_eperm");
	unpark(c);
	utap_errno(syscall(SYS_pidfd_getfd, pfd, 42, 0), ESRCH, "user.nsfs.getfd_reaped");
	close(pfd);
	close(p[0]);
	close(p[1]);
}

static int setup_user(void)
{
	return unshare(CLONE_NEWUSER);
}

static void test_setns_user(void)
{
	pid_t c = parked(setup_user), d;
	int pfd = pidfd_open(c), fd;

	fd = ioctl(pfd, PIDFD_GET_USER_NAMESPACE, 0);
	utap_ok(fd >= 0 && fd_ino(fd) == ns_ino(c, "user"), "user.nsfs.ioctl_user");
	d = ufork();
	if (d == 0) {
		char path[64];
		int own;

		snprintf(path, sizeof(path), "/proc/%d/ns/user", getpid());
		own = open(path, O_RDONLY);
		if (setns(own, CLONE_NEWUSER) != -1 || errno != EINVAL)
			_exit(1);	/* one's own user namespace */
		if (setns(fd, CLONE_NEWUSER))
			_exit(2);
		if (ns_ino(getpid(), "user") != fd_ino(fd))
			_exit(3);
		/* our old namespace is not ours any more */
		if (setns(own, CLONE_NEWUSER) != -1 || errno != EPERM)
			_exit(4);
		_exit(0);
	}
	utap_eq(wait_status(d), 0, "user.nsfs.setns_user");
	close(fd);
	unpark(c);
	close(pfd);
}

static char **args;

/* test_nonblock_wait - waitid on a PIDFD_NONBLOCK pidfd does not block:
 * EAGAIN while the child runs, 0 with WNOHANG, ECHILD for a non-child. */
static void test_nonblock_wait(void)
{
	siginfo_t si;
	int p[2], pfd;
	pid_t pid;
	char c;

	if (pipe(p))
		return;
	pfd = (int)syscall(SYS_pidfd_open, getpid(), O_NONBLOCK);
	utap_errno(waitid(P_PIDFD, pfd, &si, WEXITED), ECHILD, "user.nsfs.nonblock_not_child");
	close(pfd);
	pid = ufork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(5);
	}
	close(p[0]);
	pfd = (int)syscall(SYS_pidfd_open, pid, O_NONBLOCK);
	utap_errno(waitid(P_PIDFD, pfd, &si, WEXITED), EAGAIN, "user.nsfs.nonblock_eagain");
	si.si_pid = 1;
	utap_eq(waitid(P_PIDFD, pfd, &si, WEXITED | WNOHANG), 0, "user.nsfs.nonblock_wnohang");
	utap_eq(si.si_pid, 0, "user.nsfs.nonblock_nothing");
	close(p[1]);
	fcntl(pfd, F_SETFL, 0);
	utap_eq(waitid(P_PIDFD, pfd, &si, WEXITED), 0, "user.nsfs.blocking_again");
	utap_eq(si.si_status, 5, "user.nsfs.blocking_status");
	close(pfd);
}

static void *exec_thread(void *arg)
{
	char *argv[] = { args[0], "--exec-child", NULL };

	(void)arg;
	execv(args[0], argv);
	_exit(99);
}

static int polls_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

/* test_pidfd_follows_exec - a thread that is not the leader execs: the
 * process keeps its pid, and its pidfd still names it (Linux's pidfds
 * hold a pid, not a task). */
static void test_pidfd_follows_exec(void)
{
	pthread_t t;
	pid_t pid;
	int pfd, i;

	pid = ufork();
	if (pid == 0) {
		pthread_create(&t, NULL, exec_thread, NULL);
		for (;;)
			pause();
	}
	pfd = pidfd_open(pid);
	for (i = 0; i < 10; i++)
		usleep(10000);
	utap_ok(!polls_readable(pfd), "user.nsfs.pidfd_exec_not_readable");
	utap_eq(syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0), 0,
		"user.nsfs.pidfd_exec_still_signals");
	utap_eq(wait_status(pid), 7 << 8, "user.nsfs.pidfd_exec_status");
	utap_ok(polls_readable(pfd), "user.nsfs.pidfd_exec_reaped_readable");
	close(pfd);
}

/* test_proc_dir_pidfd - pidfd_send_signal takes a /proc/<pid> directory
 * as a pidfd; it names that process, not whoever gets its number. */
static void test_proc_dir_pidfd(void)
{
	char path[64];
	pid_t pid = ufork();
	int dfd;

	if (pid == 0) {
		usleep(50000);
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d", pid);
	dfd = open(path, O_DIRECTORY | O_CLOEXEC);
	utap_eq(syscall(SYS_pidfd_send_signal, dfd, 0, NULL, 0), 0,
		"user.nsfs.proc_dir_signals");
	wait_status(pid);
	utap_errno(syscall(SYS_pidfd_send_signal, dfd, 0, NULL, 0), ESRCH,
		   "user.nsfs.proc_dir_reaped_esrch");
	close(dfd);
	dfd = open("/proc/self/ns", O_DIRECTORY | O_CLOEXEC);
	utap_errno(syscall(SYS_pidfd_send_signal, dfd, 0, NULL, 0), EBADF,
		   "user.nsfs.other_proc_dir_ebadf");
	close(dfd);
}

int main(int argc, char **argv)
{
	args = argv;
	if (argc > 1 && !strcmp(argv[1], "--exec-child")) {
		usleep(300000);
		return 7;
	}
	test_links();
	test_nonblock_wait();
	test_pidfd_follows_exec();
	test_proc_dir_pidfd();
	if (geteuid() != 0) {
		utap_skip("user.nsfs.setns", "not root");
		return utap_done();
	}
	test_setns_uts();
	test_setns_exited();
	test_setns_pid();
	test_setns_mnt();
	test_getfd();
	test_setns_user();
	return utap_done();
}
