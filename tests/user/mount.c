// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/user/mount.c - mount namespaces with their own mount tables:
 * unshare(CLONE_NEWNS), mount(2)'s propagation changes (MS_PRIVATE,
 * MS_SHARED, MS_SLAVE, MS_UNBINDABLE, MS_REC) and their errnos, procfs
 * unmounted and mounted again at /proc, /proc/self/mountinfo, and a
 * namespace's changes staying in it.  Everything runs in a child that
 * first made "/" private in a new mount namespace, so that on Linux
 * nothing reaches the machine's own mounts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utap.h"

/* root_opt - the optional fields of "/"'s line in mountinfo (what follows
 * the mount options, up to " - "), or NULL. */
static const char *root_opt(char *buf, size_t size)
{
	int fd = open("/proc/self/mountinfo", O_RDONLY);
	ssize_t n;
	char *line, *next;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = 0;
	for (line = buf; line && *line; line = next) {
		char *f[6], *p = line, *dash;
		int i;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		for (i = 0; i < 6 && p; i++) {
			f[i] = p;
			p = strchr(p, ' ');
			if (p)
				*p++ = 0;
		}
		if (i < 6 || strcmp(f[4], "/") || !p)
			continue;
		dash = strstr(p, "- ");
		if (dash)
			*dash = 0;
		return p;	/* e.g. "shared:1 " or "" */
	}
	return NULL;
}

static int opens(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static void test_errors(void)
{
	utap_errno(mount(NULL, "/", NULL, MS_PRIVATE | MS_SHARED, NULL), EINVAL,
		   "user.mount.two_types");
	utap_errno(mount(NULL, "/", NULL, MS_PRIVATE | MS_NOSUID, NULL), EINVAL,
		   "user.mount.type_and_other_flag");
	utap_errno(mount(NULL, "/etc", NULL, MS_PRIVATE, NULL), EINVAL,
		   "user.mount.not_a_mount_point");
	utap_errno(mount(NULL, "/nonexistent", NULL, MS_PRIVATE, NULL), ENOENT,
		   "user.mount.no_target");
	utap_errno(mount("x", "/proc", "nosuchfs", 0, NULL), ENODEV,
		   "user.mount.unknown_fs");
	utap_errno(mount("x", "/proc", NULL, 0, NULL), EINVAL, "user.mount.no_type");
	utap_errno(mount(NULL, "/", NULL, MS_PRIVATE | MS_NOUSER, NULL), EINVAL,
		   "user.mount.nouser");
	utap_errno(umount2("/proc", 0x100), EINVAL, "user.mount.umount_bad_flags");
	utap_errno(umount2("/etc", 0), EINVAL, "user.mount.umount_not_mount_point");
	utap_errno(umount2("/nonexistent", 0), ENOENT, "user.mount.umount_no_target");
}

/* test_slave_of_peer - a child copies the shared "/" (a peer of ours)
 * and makes its copy a slave: its master is our group. */
static void test_slave_of_peer(void)
{
	char buf[16384];
	const char *o;
	pid_t pid = ufork();

	if (pid == 0) {
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_SLAVE, NULL))
			_exit(1);
		o = root_opt(buf, sizeof(buf));
		_exit(o && !strncmp(o, "master:", 7) ? 0 : 2);
	}
	utap_eq(wait_status(pid), 0, "user.mount.slave_of_peer");
}

static void test_types(void)
{
	char buf[16384];
	const char *o;

	utap_eq(mount(NULL, "/", NULL, MS_SHARED, NULL), 0, "user.mount.make_shared");
	o = root_opt(buf, sizeof(buf));
	utap_ok(o && !strncmp(o, "shared:", 7), "user.mount.mountinfo_shared");
	/* a shared mount alone in its peer group has no master to follow */
	utap_eq(mount(NULL, "/", NULL, MS_SLAVE, NULL), 0, "user.mount.make_slave");
	o = root_opt(buf, sizeof(buf));
	utap_ok(o && !*o, "user.mount.lone_slave_is_private");
	/* with a peer in a child's namespace, it follows that peer */
	mount(NULL, "/", NULL, MS_SHARED, NULL);
	test_slave_of_peer();
	utap_eq(mount(NULL, "/", NULL, MS_UNBINDABLE | MS_SILENT, NULL), 0,
		"user.mount.make_unbindable");
	o = root_opt(buf, sizeof(buf));
	utap_ok(o && !strncmp(o, "unbindable", 10), "user.mount.mountinfo_unbindable");
	utap_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0,
		"user.mount.make_private_rec");
	o = root_opt(buf, sizeof(buf));
	utap_ok(o && !*o, "user.mount.mountinfo_private");
	/* a private mount made a slave has no master: it stays private */
	utap_eq(mount(NULL, "/", NULL, MS_SLAVE, NULL), 0, "user.mount.private_slave");
	o = root_opt(buf, sizeof(buf));
	utap_ok(o && !*o, "user.mount.private_slave_is_private");
}

static void test_proc_remount(void)
{
	pid_t pid;

	utap_eq(umount2("/proc", MNT_DETACH), 0, "user.mount.umount_proc");
	utap_ok(!opens("/proc/self/status"), "user.mount.proc_gone");
	utap_eq(mount("proc", "/proc", "proc", 0, NULL), 0, "user.mount.mount_proc");
	utap_ok(opens("/proc/self/status"), "user.mount.proc_back");
	/* a child's own namespace: its unmount stays there */
	pid = ufork();
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) || umount2("/proc", MNT_DETACH))
			_exit(1);
		_exit(opens("/proc/self/status") ? 2 : 0);
	}
	utap_eq(wait_status(pid), 0, "user.mount.child_ns_umount");
	utap_ok(opens("/proc/self/status"), "user.mount.parent_ns_unchanged");
}

static void test_eperm(void)
{
	pid_t pid = ufork();

	if (pid == 0) {
		if (setresuid(12345, 12345, 12345))
			_exit(1);
		if (mount(NULL, "/", NULL, MS_PRIVATE, NULL) != -1 || errno != EPERM)
			_exit(2);
		if (umount2("/proc", MNT_DETACH) != -1 || errno != EPERM)
			_exit(3);
		/* the lookup's errno comes first */
		if (mount(NULL, "/nonexistent", NULL, MS_PRIVATE, NULL) != -1 ||
		    errno != ENOENT)
			_exit(4);
		_exit(0);
	}
	utap_eq(wait_status(pid), 0, "user.mount.unprivileged_eperm");
}

int main(void)
{
	pid_t pid;
	int st;

	if (geteuid() != 0) {
		utap_skip("user.mount.all", "not root");
		return utap_done();
	}
	pid = ufork();
	if (pid == 0) {
		utap_eq(unshare(CLONE_NEWNS), 0, "user.mount.unshare_newns");
		utap_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0,
			"user.mount.root_private");
		test_errors();
		test_types();
		test_proc_remount();
		test_eperm();
		exit(utap_done());
	}
	/* the child printed everything, its plan too */
	st = wait_status(pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
