/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/caps.c - capget and capset as Linux has them: the header's
 * version dance (an unknown version: the preferred one written back and
 * EINVAL, or 0 when there is no data), the pid rules, the v1 header's
 * single word, capset's EPERM rules (permitted only shrinks, effective
 * within permitted, inheritable within the bounding set), what the set*id
 * calls and execve do to the sets, KEEP_CAPS and the bounding set
 * (prctl), and that the sets are what the kernel checks: root without
 * CAP_SETUID in its effective set cannot setuid, a non-root process with
 * it can.  Needs root; expectations are relative to the sets it starts
 * with (a machine's bounding set may lack some).  Every case runs in a
 * child, so what it drops does not leak into the next.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "utap.h"

#define V1 0x19980330u
#define V2 0x20071026u
#define V3 0x20080522u
#define BAD ((void *)8)
#define LAST_CAP 40
#define CAP_KILL 5
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_LINUX_IMMUTABLE 9
#define CAP_CHECKPOINT_RESTORE 40
#define FS_MASK (0x1full | 1ull << 9 | 1ull << 27 | 1ull << 32)
#define BIT(c) (1ull << (c))

struct hdr {
	uint32_t version;
	int pid;
};

struct data {
	uint32_t effective, permitted, inheritable;
};

struct sets {
	uint64_t eff, perm, inh;
};

static long capget_(struct hdr *h, void *d)
{
	return syscall(SYS_capget, h, d);
}

static long capset_(struct hdr *h, const void *d)
{
	return syscall(SYS_capset, h, d);
}

/* get - @pid's sets (v3); all ones on failure. */
static struct sets get(int pid)
{
	struct hdr h = { V3, pid };
	struct data d[2];
	struct sets s = { ~0ull, ~0ull, ~0ull };

	if (capget_(&h, d) == 0) {
		s.eff = (uint64_t)d[1].effective << 32 | d[0].effective;
		s.perm = (uint64_t)d[1].permitted << 32 | d[0].permitted;
		s.inh = (uint64_t)d[1].inheritable << 32 | d[0].inheritable;
	}
	return s;
}

/* set - capset with v3; 0 or errno. */
static int set(uint64_t eff, uint64_t perm, uint64_t inh)
{
	struct hdr h = { V3, 0 };
	struct data d[2] = {
		{ (uint32_t)eff, (uint32_t)perm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(perm >> 32), (uint32_t)(inh >> 32) },
	};

	return capset_(&h, d) ? errno : 0;
}

/* bset - the bounding set, read with PR_CAPBSET_READ. */
static uint64_t bset(void)
{
	uint64_t b = 0;
	int c;

	for (c = 0; c <= LAST_CAP; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			b |= BIT(c);
	return b;
}

/* in_child - @fn in a child; its exit status 0 is the check @id. */
static void in_child(int (*fn)(void), const char *id)
{
	pid_t pid = ufork();
	int st;

	if (pid == 0)
		_exit(fn());
	st = wait_status(pid);
	utap_ok(st == 0, id);
	if (st)
		printf("# %s: wait status %#x (check %d)\n", id, st, st >> 8);
}

/* ---- capget ------------------------------------------------------------------ */

static volatile long thread_id;
static int thread_hold[2];

/* a thread that says its tid and waits until told to end */
static void *thread_tid(void *arg)
{
	char c;

	(void)arg;
	thread_id = syscall(SYS_gettid);
	read(thread_hold[0], &c, 1);
	return NULL;
}

static void test_capget(struct sets start)
{
	struct hdr h = { 0x12345678, 0 };
	struct data d[2];
	pthread_t th;
	pid_t pid;

	utap_errno(capget_(&h, d), EINVAL, "capget: an unknown version is EINVAL");
	utap_eq(h.version, V3, "capget: ... and the preferred version is written back");
	h.version = 0x12345678;
	utap_eq(capget_(&h, NULL), 0, "capget: an unknown version with no data is 0");
	utap_eq(h.version, V3, "capget: ... with the version written back");
	h.pid = -1;
	utap_eq(capget_(&h, NULL), 0, "capget: no data: the pid is not looked at");
	utap_errno(capget_(&h, d), EINVAL, "capget: pid -1 is EINVAL");
	utap_errno(capget_(BAD, d), EFAULT, "capget: a bad header is EFAULT");
	h.pid = 0;
	utap_errno(capget_(&h, BAD), EFAULT, "capget: bad data is EFAULT");
	pid = ufork();
	if (pid == 0)
		_exit(0);
	wait_status(pid);
	h.pid = pid;
	utap_errno(capget_(&h, d), ESRCH, "capget: a pid that is gone is ESRCH");
	utap_ok(start.eff == start.perm && start.inh == 0 && start.perm != 0,
		"capget: root's effective set is its permitted one");
	utap_ok(get(getpid()).perm == start.perm, "capget: its own pid is pid 0");
	if (pipe(thread_hold) == 0 && pthread_create(&th, NULL, thread_tid, NULL) == 0) {
		while (!thread_id)
			sched_yield();
		utap_ok(get((int)thread_id).perm == start.perm,
			"capget: a thread's tid names that thread");
		write(thread_hold[1], "x", 1);
		pthread_join(th, NULL);
	}
	memset(d, 0x5a, sizeof(d));
	h.version = V1;
	h.pid = 0;
	utap_ok(capget_(&h, d) == 0 && d[0].permitted == (uint32_t)start.perm &&
		d[1].permitted == 0x5a5a5a5a, "capget: v1 writes one word per set");
	h.version = V2;
	utap_ok(capget_(&h, d) == 0 && d[1].permitted == (uint32_t)(start.perm >> 32),
		"capget: v2 writes two");
}

/* another process's sets: a child that gave up root */
static void test_capget_other(void)
{
	int go[2], done[2];
	struct sets s;
	pid_t pid;
	char c;

	if (pipe(go) || pipe(done)) {
		utap_ok(0, "capget: pipes");
		return;
	}
	pid = ufork();
	if (pid == 0) {
		if (setresuid(12345, 12345, 12345))
			_exit(1);
		write(done[1], "x", 1);
		read(go[0], &c, 1);
		_exit(0);
	}
	read(done[0], &c, 1);
	s = get(pid);
	utap_ok(s.eff == 0 && s.perm == 0 && s.inh == 0,
		"capget: another process's sets (a uid 12345 one: none)");
	write(go[1], "x", 1);
	wait_status(pid);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
}

/* ---- capset ----------------------------------------------------------------- */

static int c_capset_errors(void)
{
	struct hdr h = { 0x12345678, 0 };
	struct data d[2];
	struct sets s = get(0);

	memset(d, 0, sizeof(d));
	if (capset_(&h, d) != -1 || errno != EINVAL || h.version != V3)
		return 1;
	h.pid = getppid();
	if (capset_(&h, BAD) != -1 || errno != EPERM)
		return 2;	/* another pid: EPERM, before the data */
	h.pid = -1;
	if (capset_(&h, d) != -1 || errno != EPERM)
		return 3;
	h.pid = 0;
	if (capset_(&h, NULL) != -1 || errno != EFAULT)
		return 4;
	h.pid = getpid();
	d[0].effective = (uint32_t)s.eff;
	d[0].permitted = (uint32_t)s.perm;
	d[1].effective = (uint32_t)(s.eff >> 32);
	d[1].permitted = (uint32_t)(s.perm >> 32);
	if (capset_(&h, d))
		return 5;	/* its own pid is allowed */
	return 0;
}

static int c_capset_rules(void)
{
	struct sets s = get(0);
	uint64_t perm = s.perm & ~BIT(CAP_KILL), b;

	if (set(s.eff & ~BIT(CAP_KILL), s.perm, 0) || get(0).eff != (s.eff & ~BIT(CAP_KILL)))
		return 1;	/* drop from effective */
	if (set(s.eff, s.perm, 0))
		return 2;	/* and take it back: still permitted */
	if (set(perm, perm, 0) || get(0).perm != perm)
		return 3;	/* drop from permitted */
	if (set(perm, s.perm, 0) != EPERM)
		return 4;	/* permitted never grows */
	if (set(s.perm, perm, 0) != EPERM)
		return 5;	/* effective within permitted */
	if (set(perm, perm, perm))
		return 6;	/* inheritable = permitted */
	if (set(perm, perm, BIT(CAP_KILL)))
		return 7;	/* outside permitted: CAP_SETPCAP allows it */
	if (prctl(PR_CAPBSET_DROP, CAP_LINUX_IMMUTABLE, 0, 0, 0))
		return 8;
	b = bset();
	if (b & BIT(CAP_LINUX_IMMUTABLE))
		return 9;
	if (set(perm, perm, BIT(CAP_LINUX_IMMUTABLE)) != EPERM)
		return 10;	/* outside the bounding set: never */
	if (set(perm & ~BIT(CAP_SETPCAP), perm, BIT(CAP_KILL)))
		return 11;	/* SETPCAP leaves effective; KILL stays inheritable */
	if (set(perm & ~BIT(CAP_SETPCAP), perm, BIT(CAP_KILL) | BIT(CAP_SETGID)))
		return 12;	/* without SETPCAP: within permitted */
	if (set(perm & ~BIT(CAP_SETPCAP), perm & ~BIT(CAP_SETUID),
		BIT(CAP_KILL) | BIT(CAP_SETGID) | BIT(CAP_SETUID)) != EPERM)
		return 13;	/* SETUID: permitted no more, not inheritable */
	if (prctl(PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0) != -1 || errno != EPERM)
		return 14;	/* the bounding set needs SETPCAP */
	return 0;
}

static int c_capset_v1(void)
{
	struct hdr h = { V1, 0 };
	struct data d[2];
	struct sets s;

	if (capget_(&h, d) || capset_(&h, d))
		return 1;
	s = get(0);
	return s.perm >> 32 || s.eff >> 32 ? 2 : 0;	/* 32..40 are gone */
}

/* past the last capability: dropped, not refused */
static int c_capset_high_bits(void)
{
	struct sets s = get(0);

	if (set(s.eff | BIT(63), s.perm | BIT(63), 0))
		return 1;
	return get(0).perm != s.perm ? 2 : 0;
}

/* ---- set*id, prctl, execve ------------------------------------------------------- */

static int c_setuid_fixups(void)
{
	struct sets s = get(0);

	if (setresuid(-1, 1000, -1) || get(0).eff != 0 || get(0).perm != s.perm)
		return 1;	/* effective uid leaves 0 */
	if (setresuid(-1, 0, -1) || get(0).eff != s.perm)
		return 2;	/* and back: the permitted set */
	if (setfsuid(1000) != 0 || get(0).eff != (s.perm & ~FS_MASK))
		return 3;	/* fs uid leaves 0: the fs capabilities go */
	if (setfsuid(0) != 1000 || get(0).eff != s.perm)
		return 4;
	if (setresuid(1000, 1000, 1000) || get(0).eff || get(0).perm)
		return 5;	/* every uid leaves 0: everything goes */
	return 0;
}

static int c_keepcaps(void)
{
	struct sets s = get(0);

	if (prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 0)
		return 1;
	if (prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0) != -1 || errno != EINVAL)
		return 2;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 1)
		return 3;
	if (setresuid(1000, 1000, 1000) || get(0).eff != 0 || get(0).perm != s.perm)
		return 4;	/* permitted kept, effective not */
	if (prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 1)
		return 5;
	/* the sets are what the kernel checks: CAP_SETUID from permitted */
	if (setresuid(2000, 2000, 2000) != -1 || errno != EPERM)
		return 6;
	if (set(BIT(CAP_SETUID), s.perm, 0))
		return 7;
	if (setresuid(2000, 2000, 2000))
		return 8;
	return 0;
}

static int c_root_without_setuid(void)
{
	struct sets s = get(0);

	if (set(s.eff & ~BIT(CAP_SETUID), s.perm, 0))
		return 1;
	if (setresuid(1000, 1000, 1000) != -1 || errno != EPERM)
		return 2;	/* uid 0 is not enough */
	if (set(s.eff, s.perm, 0) || setresuid(1000, 1000, 1000))
		return 3;
	return 0;
}

static int c_bset(void)
{
	if (prctl(PR_CAPBSET_READ, LAST_CAP + 1, 0, 0, 0) != -1 || errno != EINVAL)
		return 1;
	if (prctl(PR_CAPBSET_READ, -1, 0, 0, 0) != -1 || errno != EINVAL)
		return 2;
	if (prctl(PR_CAPBSET_DROP, LAST_CAP + 1, 0, 0, 0) != -1 || errno != EINVAL)
		return 3;
	if (prctl(PR_CAPBSET_READ, CAP_CHECKPOINT_RESTORE, 0, 0, 0) != 1)
		return 4;
	return 0;
}

static const char *self;

/* execve as root: inheritable | bounding, KEEP_CAPS cleared */
static int c_exec_root(void)
{
	char *argv[] = { (char *)self, "exec-root", NULL };

	prctl(PR_CAPBSET_DROP, CAP_LINUX_IMMUTABLE, 0, 0, 0);
	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	set(get(0).eff & ~BIT(CAP_KILL), get(0).perm & ~BIT(CAP_KILL), 0);
	execv(self, argv);
	return 99;
}

static int after_exec_root(void)
{
	struct sets s = get(0);
	uint64_t b = bset();

	if (b & BIT(CAP_LINUX_IMMUTABLE))
		return 1;
	if (s.perm != b || s.eff != b)
		return 2;	/* KILL is back: the bounding set has it */
	return prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) ? 3 : 0;
}

/* execve as a non-root user with kept capabilities: none after it */
static int c_exec_user(void)
{
	char *argv[] = { (char *)self, "exec-user", NULL };

	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	if (setresuid(1000, 1000, 1000) || get(0).perm == 0)
		return 1;
	execv(self, argv);
	return 99;
}

static int after_exec_user(void)
{
	struct sets s = get(0);

	return s.perm || s.eff || s.inh ? 1 : 0;
}

/* execve in a user namespace that maps no uid 0: no root, no capabilities */
static int c_exec_unmapped_ns(void)
{
	char *argv[] = { (char *)self, "exec-user", NULL };

	if (unshare(CLONE_NEWUSER))
		return 1;
	if (get(0).perm == 0)
		return 2;	/* the new namespace gave every capability */
	execv(self, argv);
	return 99;
}

int main(int argc, char **argv)
{
	struct sets start;

	if (argc == 2 && strcmp(argv[1], "exec-root") == 0)
		return after_exec_root();
	if (argc == 2 && strcmp(argv[1], "exec-user") == 0)
		return after_exec_user();
	self = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}
	start = get(0);
	test_capget(start);
	test_capget_other();
	in_child(c_capset_errors, "capset: EINVAL and the version, EPERM for another pid, EFAULT");
	in_child(c_capset_rules, "capset: permitted only shrinks, effective within it, inheritable within the bounding set");
	in_child(c_capset_v1, "capset: the v1 header clears capabilities 32 and up");
	in_child(c_capset_high_bits, "capset: bits past the last capability are dropped");
	in_child(c_setuid_fixups, "set*id: the sets follow the uids (effective, fs, all)");
	in_child(c_keepcaps, "PR_SET_KEEPCAPS keeps the permitted set; capset raises SETUID from it");
	in_child(c_root_without_setuid, "root without CAP_SETUID in its effective set cannot setuid");
	in_child(c_bset, "PR_CAPBSET_READ and PR_CAPBSET_DROP: EINVAL past the last capability");
	in_child(c_exec_root, "execve as root: inheritable | bounding set, KEEP_CAPS cleared");
	in_child(c_exec_user, "execve as a user: no capabilities, kept or not");
	in_child(c_exec_unmapped_ns, "execve in a user namespace without a uid 0: no capabilities");
	return utap_done();
}
