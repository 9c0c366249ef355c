// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/core/test_cred.c - the set*id family and getres[ug]id, the
 * per-user process count they move and the RLIMIT_NPROC mark an execve
 * checks, prlimit on another process (its permission check, its order of
 * errors), the RLIMIT_SIGPENDING count, and the capability sets
 * (capget, capset, what set*id and execve do to them, prctl's KEEP_CAPS
 * and bounding set).  Capabilities come from the
 * host port's rule (every one while the effective uid is 0) or from a
 * mask set for a test (kf_host_set_caps).  Each case runs in a child of
 * init, so ids never leak from one case to the next.
 */
#include "core_test.h"

#define NO (uint32_t)-1

static kf_uptr_t ubuf;

static bool uids(uint32_t r, uint32_t e, uint32_t s, uint32_t fs)
{
	const struct kf_cred *c = cur()->cred;

	return c->uid == r && c->euid == e && c->suid == s && c->fsuid == fs;
}

static bool gids(uint32_t r, uint32_t e, uint32_t s, uint32_t fs)
{
	const struct kf_cred *c = cur()->cred;

	return c->gid == r && c->egid == e && c->sgid == s && c->fsgid == fs;
}

static long procs(uint32_t uid)
{
	struct kf_user *u = kf_user_lookup(uid);
	long n = u ? kf_atomic_read(&u->processes) : -1;

	if (u)
		kf_user_put(u);
	return n;
}

/* in_child - @fn(arg) in a fresh child of init; its result is the check. */
static void in_child(int (*fn)(void *), const char *id)
{
	int r = run_child(0, fn, NULL);

	tap_ok(r == 0, id, "check %d failed", r);
}

/* ---- setresuid, setreuid, setfsuid -------------------------------------------- */

static int c_setresuid(void *arg)
{
	(void)arg;
	if (kf_setresuid(1000, 2000, 3000) || !uids(1000, 2000, 3000, 2000))
		return 1;
	if (procs(1000) != 1)		/* the real uid carries the count */
		return 2;
	/* a permutation of its own ids is allowed without privilege */
	if (kf_setresuid(3000, 1000, 2000) || !uids(3000, 1000, 2000, 1000))
		return 3;
	if (kf_setresuid(4000, NO, NO) != -KF_EPERM)
		return 4;
	if (kf_setresuid(NO, NO, NO) || kf_setresuid(3000, NO, NO))
		return 5;
	if (kf_setresuid(0, 0, 0) != -KF_EPERM)
		return 6;
	return 0;
}

static int c_setreuid(void *arg)
{
	(void)arg;
	if (kf_setreuid(100, 200) || !uids(100, 200, 200, 200))
		return 1;
	/* the effective uid back to the real one: the saved one stays */
	if (kf_setreuid(NO, 100) || !uids(100, 100, 200, 100))
		return 2;
	if (kf_setreuid(NO, 200) || !uids(100, 200, 200, 200))
		return 3;
	if (kf_setreuid(200, NO) || !uids(200, 200, 200, 200))
		return 4;
	if (kf_setreuid(100, NO) != -KF_EPERM || kf_setreuid(NO, 100) != -KF_EPERM)
		return 5;
	return 0;
}

static int c_setreuid_saved(void *arg)
{
	(void)arg;
	if (kf_setresuid(100, 200, 300))
		return 1;
	/* the real uid takes the real or effective uid, not the saved one */
	if (kf_setreuid(300, NO) != -KF_EPERM)
		return 2;
	if (kf_setreuid(200, NO) || !uids(200, 200, 200, 200))
		return 3;
	return 0;
}

static int c_setfsuid(void *arg)
{
	(void)arg;
	if (kf_setfsuid(NO) != 0 || kf_setfsuid(4242) != 0 || !uids(0, 0, 0, 4242))
		return 1;
	if (kf_setresuid(10, 20, 30) || kf_setfsuid(NO) != 20)
		return 2;
	if (kf_setfsuid(30) != 20 || kf_setfsuid(99) != 30 || !uids(10, 20, 30, 30))
		return 3;
	return 0;
}

/* setuid from a task with CAP_SETGID alone: no CAP_SETUID */
static int c_setuid_caps(void *arg)
{
	(void)arg;
	kf_host_set_caps(cur(), 1ull << KF_CAP_SETGID);
	if (kf_setresuid(5, NO, NO) != -KF_EPERM || kf_setreuid(5, NO) != -KF_EPERM)
		return 1;
	if (kf_setresgid(5, 6, 7) || !gids(5, 6, 7, 6))
		return 2;
	kf_host_set_caps(cur(), 0);
	if (kf_setresgid(8, NO, NO) != -KF_EPERM || kf_setregid(NO, 8) != -KF_EPERM)
		return 3;
	if (kf_setregid(6, NO) || !gids(6, 6, 6, 6))
		return 4;
	if (kf_setfsgid(8) != 6 || kf_setfsgid(NO) != 6)
		return 5;
	return 0;
}

/* ---- getresuid ----------------------------------------------------------------------- */

static int c_getres(void *arg)
{
	uint32_t v[3];

	(void)arg;
	if (kf_setresgid(44, 55, 66) || kf_setresuid(11, 22, 33))
		return 1;
	if (kf_getresuid(ubuf, ubuf + 4, ubuf + 8))
		return 2;
	kf_host_read(ubuf, v, sizeof(v));
	if (v[0] != 11 || v[1] != 22 || v[2] != 33)
		return 3;
	if (kf_getresgid(ubuf, ubuf + 4, ubuf + 8))
		return 4;
	kf_host_read(ubuf, v, sizeof(v));
	if (v[0] != 44 || v[1] != 55 || v[2] != 66)
		return 5;
	/* in order: the first id is stored before the bad pointer fails */
	uput32(ubuf, -1);
	if (kf_getresuid(ubuf, BAD_UPTR, ubuf + 8) != -KF_EFAULT || uget32(ubuf) != 11)
		return 6;
	return 0;
}

/* ---- a user namespace without id maps ------------------------------------------------- */

/*
 * A new user namespace maps no id until its uid_map/gid_map is written:
 * every kernel id reads as the overflow id 65534, every id given to a
 * set*id call is invalid there (EINVAL, "unchanged" excepted), and the
 * kernel ids themselves stay what they were.
 */
static int c_unmapped_ns(void *arg)
{
	uint32_t v[3];

	(void)arg;
	if (kf_setresuid(1000, 1000, 1000) || kf_unshare(FL(NEWUSER)))
		return 1;
	if (kf_getuid() != 65534 || kf_geteuid() != 65534 ||
	    kf_getgid() != 65534 || kf_getegid() != 65534)
		return 2;
	if (kf_getresuid(ubuf, ubuf + 4, ubuf + 8))
		return 3;
	kf_host_read(ubuf, v, sizeof(v));
	if (v[0] != 65534 || v[1] != 65534 || v[2] != 65534)
		return 4;
	/* every capability in the namespace, yet no id to become */
	if (kf_setuid(0) != -KF_EINVAL || kf_setuid(65534) != -KF_EINVAL ||
	    kf_setgid(0) != -KF_EINVAL)
		return 5;
	if (kf_setreuid(NO, 0) != -KF_EINVAL || kf_setresuid(NO, NO, 0) != -KF_EINVAL ||
	    kf_setresgid(0, NO, NO) != -KF_EINVAL || kf_setregid(0, NO) != -KF_EINVAL)
		return 6;
	if (kf_setresuid(NO, NO, NO) || kf_setreuid(NO, NO))
		return 7;
	/* setfsuid names the old fs id in the namespace and changes nothing */
	if (kf_setfsuid(0) != 65534 || kf_setfsgid(0) != 65534)
		return 8;
	if (!uids(1000, 1000, 1000, 1000))
		return 9;
	/* no namespace below one that names nobody */
	if (kf_unshare(FL(NEWUSER)) != -KF_EPERM)
		return 10;
	return 0;
}

/*
 * Writing the maps (kf_user_ns_write_map, map_write's rules): an
 * unprivileged owner may name its own euid and egid once; another id, an
 * empty or overlapping range, a second write are refused; then the ids
 * read back through the map, and set*id takes the mapped ones.
 */
static int c_write_map(void *arg)
{
	struct kf_id_map own = { 1, { { 0, 1000, 1 } } };
	struct kf_id_map other = { 1, { { 0, 2000, 1 } } };
	struct kf_id_map two = { 2, { { 0, 1000, 1 }, { 0, 1001, 1 } } };
	struct kf_id_map empty = { 1, { { 0, 1000, 0 } } };
	struct kf_user_ns *ns;

	(void)arg;
	if (kf_setresgid(1000, 1000, 1000) || kf_setresuid(1000, 1000, 1000) ||
	    kf_unshare(FL(NEWUSER)))
		return 1;
	ns = cur()->cred->user_ns;
	if (kf_user_ns_write_map(ns, false, &other) != -KF_EPERM ||
	    kf_user_ns_write_map(ns, false, &two) != -KF_EINVAL ||
	    kf_user_ns_write_map(ns, false, &empty) != -KF_EINVAL)
		return 2;
	if (kf_user_ns_write_map(ns, false, &own) ||
	    kf_user_ns_write_map(ns, false, &own) != -KF_EPERM)
		return 3;
	if (kf_getuid() != 0 || kf_geteuid() != 0 || kf_getgid() != 65534)
		return 4;
	if (kf_user_ns_write_map(ns, true, &own) || kf_getgid() != 0)
		return 5;
	/* 0 names kernel id 1000 here; 1 names nothing */
	if (kf_setuid(0) || !uids(1000, 1000, 1000, 1000) ||
	    kf_setuid(1) != -KF_EINVAL)
		return 6;
	/* a namespace below is allowed now that the owner has a name */
	if (kf_unshare(FL(NEWUSER)) || kf_getuid() != 65534)
		return 7;
	return 0;
}

/* ---- RLIMIT_NPROC ------------------------------------------------------------------- */

static int park(void *arg)
{
	uint32_t uid = (uint32_t)(uintptr_t)arg;

	kf_setresuid(uid, uid, uid);
	for (;;)
		kf_host_yield();
	return 0;
}

/* with @held tasks of uid 700, an unprivileged move to uid 700 under an
 * RLIMIT_NPROC of 3 marks the task only when 700 already has more than 3;
 * the mark makes exec fail while that lasts */
static int nproc_case(int held)
{
	struct kf_waitinfo wi;
	long pids[8];
	int i, r = 0;

	for (i = 0; i < held; i++) {
		kf_host_set_child_entry(park, (void *)(uintptr_t)700);
		pids[i] = kf_fork();
	}
	for (i = 0; i < 20; i++)
		kf_host_yield();
	kf_setrlimit(KF_RLIMIT_NPROC, 3, 3);
	if (kf_setresuid(700, 700, 700))
		r = 1;
	else if (held <= 3 && kf_exec_nproc_check() != 0)
		r = 2;
	else if (held > 3 && kf_exec_nproc_check() != -KF_EAGAIN)
		r = 3;
	for (i = 0; i < held; i++) {
		struct kf_task *t = task_of(pids[i]);

		if (t)
			kf_os_signal(t, KF_SIGKILL, NULL, true);
	}
	for (i = 0; i < held; i++)
		wait_pid(pids[i], &wi, KF_WEXITED);
	/* under the limit again: the mark is lifted */
	if (!r && held > 3 && kf_exec_nproc_check() != 0)
		r = 4;
	return r;
}

static int c_nproc_at(void *arg)
{
	(void)arg;
	return nproc_case(3);
}

static int c_nproc_over(void *arg)
{
	(void)arg;
	return nproc_case(4);
}

/* ---- prlimit --------------------------------------------------------------------------- */

static int c_prlimit(void *arg)
{
	struct kf_rlimit64 nw = { 64, 128 }, old;
	long other = clone_flags(0, KF_SIGCHLD), mine;
	struct kf_task *t = task_of(other);
	int r = 0;

	(void)arg;
	/* root (every capability) on another root task: read and write */
	if (kf_prlimit((int)other, KF_RLIMIT_NOFILE, &nw, &old) ||
	    old.cur != 1024 || t->signal->rlim[KF_RLIMIT_NOFILE].cur != 64)
		r = 1;
	/* errors: ESRCH before EINVAL, EINVAL for the resource, cur > max */
	else if (kf_prlimit(99999, 99, NULL, &old) != -KF_ESRCH ||
		 kf_prlimit((int)other, 99, NULL, &old) != -KF_EINVAL)
		r = 2;
	else if (kf_prlimit((int)other, KF_RLIMIT_NOFILE,
			    &(struct kf_rlimit64){ 2, 1 }, NULL) != -KF_EINVAL)
		r = 3;
	/* without CAP_SYS_RESOURCE: only a task whose ids are all ours, for
	 * reading too */
	kf_host_set_caps(cur(), 0);
	if (!r && kf_prlimit((int)other, KF_RLIMIT_NOFILE, NULL, &old))
		r = 4;	/* both root: the ids match */
	mine = clone_flags(0, KF_SIGCHLD);
	if (!r) {
		struct kf_cred *c = (struct kf_cred *)task_of(mine)->cred;

		c->suid = 5;	/* a saved uid that is not ours */
		if (kf_prlimit((int)mine, KF_RLIMIT_NOFILE, NULL, &old) != -KF_EPERM)
			r = 5;
		c->suid = 0;
	}
	/* pid 0: the caller; raising the hard limit needs the capability */
	if (!r && kf_prlimit(0, KF_RLIMIT_NOFILE, &(struct kf_rlimit64){ 10, 5000 },
			     NULL) != -KF_EPERM)
		r = 6;
	kf_host_clear_caps(cur());
	reap(other);
	reap(mine);
	return r;
}

/* ---- RLIMIT_SIGPENDING -------------------------------------------------------------------- */

static int c_sigpending(void *arg)
{
	void *h[3];
	int i;

	(void)arg;
	kf_setrlimit(KF_RLIMIT_SIGPENDING, 2, 2);
	kf_setresuid(800, 800, 800);
	for (i = 0; i < 2; i++)
		if (!(h[i] = kf_sigpending_charge(cur(), false)))
			return 1;
	if (kf_sigpending_charge(cur(), false))
		return 2;
	h[2] = kf_sigpending_charge(cur(), true);	/* forced: over it */
	if (!h[2])
		return 3;
	for (i = 0; i < 3; i++)
		kf_sigpending_uncharge(h[i]);
	if (!(h[0] = kf_sigpending_charge(cur(), false)))
		return 4;
	kf_sigpending_uncharge(h[0]);
	return 0;
}

/* ---- capabilities ------------------------------------------------------------------------------ */

#define V1 0x19980330
#define V3 0x20080522
#define FULL KF_CAP_FULL
#define FS_MASK (0x1full | 1ull << 9 | 1ull << 27 | 1ull << 32)

static bool caps(uint64_t eff, uint64_t perm, uint64_t inh)
{
	const struct kf_cred *c = cur()->cred;

	return c->cap_effective == eff && c->cap_permitted == perm &&
	       c->cap_inheritable == inh;
}

/* the set*id calls move the sets as Linux's do */
static int c_caps_setuid(void *arg)
{
	(void)arg;
	if (!caps(FULL, FULL, 0) || cur()->cred->cap_bset != FULL)
		return 1;
	if (kf_setresuid(NO, 1000, NO) || !caps(0, FULL, 0))
		return 2;	/* effective uid leaves 0: no effective caps */
	if (kf_setresuid(NO, 0, NO) || !caps(FULL, FULL, 0))
		return 3;	/* and back: the permitted set */
	if (kf_setfsuid(1000) != 0 || !caps(FULL & ~FS_MASK, FULL, 0))
		return 4;	/* fs uid leaves 0: the fs capabilities go */
	if (kf_setfsuid(0) != 1000 || !caps(FULL, FULL, 0))
		return 5;
	if (kf_set_keepcaps(2) != -KF_EINVAL || kf_get_keepcaps() != 0)
		return 6;
	if (kf_set_keepcaps(1) || kf_get_keepcaps() != 1)
		return 7;
	if (kf_setresuid(1000, 1000, 1000) || !caps(0, FULL, 0))
		return 8;	/* KEEP_CAPS: permitted kept, effective not */
	if (kf_get_keepcaps() != 1)
		return 9;	/* the set*id calls leave KEEP_CAPS alone */
	return 0;
}

static int c_caps_setuid_drop(void *arg)
{
	(void)arg;
	if (kf_setuid(1000) || !caps(0, 0, 0))
		return 1;	/* every uid leaves 0: all gone */
	return 0;
}

/* capget: the version dance, the pid, the data words */
static int c_capget(void *arg)
{
	kf_uptr_t h = ubuf, d = ubuf + 64;
	int other = (int)clone_flags(0, KF_SIGCHLD), r = 0;

	(void)arg;
	uput32(h, 0x12345678);
	uput32(h + 4, 0);
	if (kf_capget(h, d) != -KF_EINVAL || uget32(h) != V3)
		r = 1;	/* unknown: EINVAL, the preferred version written */
	uput32(h, 0x12345678);
	if (!r && (kf_capget(h, 0) != 0 || uget32(h) != V3))
		r = 2;	/* ... or 0 with no data: how to ask for it */
	uput32(h + 4, -1);
	if (!r && kf_capget(h, 0) != 0)
		r = 3;	/* no data: no pid check either */
	if (!r && kf_capget(h, d) != -KF_EINVAL)
		r = 4;
	uput32(h + 4, 99999);
	if (!r && kf_capget(h, d) != -KF_ESRCH)
		r = 5;
	uput32(h + 4, other);
	uput32(d + 12, 0x5a5a);
	if (!r && (kf_capget(h, d) || uget32(d) != (int32_t)0xffffffff ||
		   uget32(d + 12) != (int32_t)(FULL >> 32)))
		r = 6;	/* another task's sets */
	uput32(h, V1);
	uput32(d + 12, 0x5a5a);
	if (!r && (kf_capget(h, d) || uget32(d + 12) != 0x5a5a))
		r = 7;	/* v1 writes one word per set */
	if (!r && kf_capget(0, d) != -KF_EFAULT)
		r = 8;
	uput32(h, V3);
	uput32(h + 4, 0);
	if (!r && kf_capget(h, 8) != -KF_EFAULT)
		r = 9;
	reap(other);
	return r;
}

/* capset: EINVAL, EPERM for another pid, EFAULT, then the rules */
static int c_capset(void *arg)
{
	kf_uptr_t h = ubuf, d = ubuf + 64;

	(void)arg;
	uput32(h, 0x12345678);
	uput32(h + 4, 0);
	if (kf_capset(h, d) != -KF_EINVAL || uget32(h) != V3)
		return 1;
	uput32(h + 4, 1);	/* init: not us */
	if (kf_capset(h, 8) != -KF_EPERM)
		return 2;	/* the pid before the data */
	uput32(h + 4, 0);
	if (kf_capset(h, 8) != -KF_EFAULT)
		return 3;
	/* drop CAP_KILL from permitted and effective */
	kf_capget(h, d);
	uput32(d, (int32_t)(0xffffffffu & ~(1u << 5)));
	uput32(d + 4, (int32_t)(0xffffffffu & ~(1u << 5)));
	if (kf_capset(h, d) || !caps(FULL & ~(1ull << 5), FULL & ~(1ull << 5), 0))
		return 4;
	uput32(d + 4, -1);	/* permitted may not grow */
	if (kf_capset(h, d) != -KF_EPERM)
		return 5;
	uput32(d + 4, (int32_t)(0xffffffffu & ~(1u << 5)));
	uput32(d, -1);		/* effective within permitted */
	if (kf_capset(h, d) != -KF_EPERM)
		return 6;
	uput32(d, (int32_t)(0xffffffffu & ~(1u << 5)));
	uput32(d + 8, 1 << 5);	/* inheritable outside permitted: SETPCAP */
	if (kf_capset(h, d) || cur()->cred->cap_inheritable != 1ull << 5)
		return 7;
	if (kf_capbset_drop(6) || kf_capbset_read(6) != 0 || kf_capbset_read(7) != 1)
		return 8;
	if (kf_capbset_read(41) != -KF_EINVAL || kf_capbset_drop(41) != -KF_EINVAL)
		return 9;
	uput32(d + 8, 1 << 6);	/* inheritable outside the bounding set */
	if (kf_capset(h, d) != -KF_EPERM)
		return 10;
	kf_host_set_caps(cur(), 0);
	uput32(d + 8, 1 << 5 | 1 << 7);	/* without SETPCAP: within permitted */
	if (kf_capset(h, d))
		return 11;
	uput32(d + 8, 1 << 5 | 1 << 7 | 1 << 5);
	uput32(d + 4, (int32_t)(0xffffffffu & ~(1u << 5 | 1u << 7)));
	uput32(d, 0);
	uput32(d + 20, 0);	/* the high effective word: within permitted */
	if (kf_capset(h, d))	/* 7 stays inheritable: it was */
		return 12;
	uput32(d + 8, 1 << 5 | 1 << 7 | 1 << 9);
	uput32(d + 4, 0);
	if (kf_capset(h, d))	/* 9 is still permitted: allowed */
		return 13;
	uput32(d + 8, 1 << 5 | 1 << 7 | 1 << 10);
	if (kf_capset(h, d) != -KF_EPERM)
		return 14;	/* 10 neither inheritable nor permitted now */
	if (kf_capbset_drop(5) != -KF_EPERM)
		return 15;
	kf_host_clear_caps(cur());
	/* v1: capabilities 32 and up are cleared */
	uput32(h, V1);
	uput32(d, 0);
	uput32(d + 4, 0);
	uput32(d + 8, 0);
	if (kf_capset(h, d) || !caps(0, 0, 0))
		return 16;
	return 0;
}

static int c_caps_v1_high(void *arg)
{
	kf_uptr_t h = ubuf, d = ubuf + 64;

	(void)arg;
	uput32(h, V1);
	uput32(h + 4, 0);
	kf_capget(h, d);
	if (kf_capset(h, d) || !caps(FULL & 0xffffffffull, FULL & 0xffffffffull, 0))
		return 1;
	return 0;
}

/* execve's transform: root gets inheritable | bounding; others none */
static int c_caps_exec(void *arg)
{
	struct kf_cred *n;

	(void)arg;
	kf_capbset_drop(9);
	kf_set_keepcaps(1);
	n = kf_exec_cred_prepare();
	if (!n)
		return 1;
	kf_exec_cred_commit(n);
	if (!caps(FULL & ~(1ull << 9), FULL & ~(1ull << 9), 0) || kf_get_keepcaps())
		return 2;
	kf_set_keepcaps(1);
	if (kf_setresuid(1000, 1000, 1000) || !caps(0, FULL & ~(1ull << 9), 0))
		return 3;
	n = kf_exec_cred_prepare();
	if (!n)
		return 4;
	kf_exec_cred_abort(n);
	if (!caps(0, FULL & ~(1ull << 9), 0))
		return 5;	/* aborted: nothing changed */
	n = kf_exec_cred_prepare();
	kf_exec_cred_commit(n);
	if (!caps(0, 0, 0))
		return 6;
	return 0;
}

/* a user namespace that maps no uid 0 has no root: execve there gives
 * nothing, though the namespace gave every capability */
static int c_caps_exec_unmapped_ns(void *arg)
{
	struct kf_cred *n;

	(void)arg;
	if (kf_unshare(KF_CLONE_NEWUSER))
		return 1;
	if (!caps(FULL, FULL, 0))
		return 2;
	n = kf_exec_cred_prepare();
	if (!n)
		return 3;
	kf_exec_cred_commit(n);
	return caps(0, 0, 0) ? 0 : 4;
}

static int c_caps_exec_suid_root(void *arg)
{
	struct kf_cred *n;

	(void)arg;
	/* real uid 1000, effective 0: permitted, and effective too */
	if (kf_setresuid(1000, 0, 0))
		return 1;
	n = kf_exec_cred_prepare();
	kf_exec_cred_commit(n);
	if (!caps(FULL, FULL, 0))
		return 2;
	/* real 0, effective 1000: permitted only */
	if (kf_setresuid(0, 1000, 1000) || !caps(0, FULL, 0))
		return 3;
	n = kf_exec_cred_prepare();
	kf_exec_cred_commit(n);
	if (!caps(0, FULL, 0))
		return 4;
	return 0;
}

static int init_main(void *arg)
{
	(void)arg;
	ubuf = umem(4096);
	in_child(c_setresuid, "cred.setresuid");
	in_child(c_setreuid, "cred.setreuid");
	in_child(c_setreuid_saved, "cred.setreuid_saved_not_real");
	in_child(c_setfsuid, "cred.setfsuid");
	in_child(c_setuid_caps, "cred.setgid_family_caps");
	in_child(c_getres, "cred.getresuid_getresgid");
	in_child(c_unmapped_ns, "cred.user_ns_unmapped_ids");
	in_child(c_write_map, "cred.user_ns_write_map");
	in_child(c_nproc_at, "cred.nproc_at_limit_no_mark");
	in_child(c_nproc_over, "cred.nproc_over_limit_exec_eagain");
	in_child(c_prlimit, "cred.prlimit_other");
	in_child(c_sigpending, "cred.sigpending_charge");
	in_child(c_caps_setuid, "cred.caps_follow_setuid");
	in_child(c_caps_setuid_drop, "cred.caps_setuid_drops_all");
	in_child(c_capget, "cred.capget");
	in_child(c_capset, "cred.capset_rules");
	in_child(c_caps_v1_high, "cred.capset_v1_clears_high_caps");
	in_child(c_caps_exec, "cred.caps_exec");
	in_child(c_caps_exec_suid_root, "cred.caps_exec_root_ids");
	in_child(c_caps_exec_unmapped_ns, "cred.caps_exec_unmapped_user_ns");
	t_eq(procs(700), 0, "cred.nproc_counts_back");
	return 0;
}

int main(void)
{
	run_init(init_main, "cred.init");
	t_eq(kf_host_leaked_objects(), 0, "cred.end.no_leaked_objects");
	return tap_done();
}
