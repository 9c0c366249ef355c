// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/kcmp.c - kcmp(2): do two tasks share a resource?  The answer is an
 * order on the objects' addresses, scrambled (as Linux's kcmp_ptr does) so
 * that it tells nothing about the kernel's memory: 0 same, 1 and 2 the two
 * ways of differing, consistently for a boot.
 */
#include "internal.h"
#include "clone.h"

enum {
	KCMP_FILE, KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND, KCMP_IO,
	KCMP_SYSVSEM, KCMP_EPOLL_TFD, KCMP_TYPES
};

/* per-type scrambling: odd multipliers and offsets (fixed: one boot) */
static const uint64_t cookie[KCMP_TYPES][2] = {
	{ 0x9e3779b97f4a7c15ull, 0x5851f42d4c957f2dull },
	{ 0xbf58476d1ce4e5b9ull, 0x14057b7ef767814full },
	{ 0x94d049bb133111ebull, 0x2545f4914f6cdd1dull },
	{ 0xd6e8feb86659fd93ull, 0x9fb21c651e98df25ull },
	{ 0xa0761d6478bd642full, 0xe7037ed1a0b428dbull },
	{ 0x8ebc6af09c88c6e3ull, 0x589965cc75374cc3ull },
	{ 0x1d8e4e27c47d124full, 0xc2b2ae3d27d4eb4full },
	{ 0x165667b19e3779f9ull, 0x27d4eb2f165667c5ull },
};

static long cmp_ptr(const void *a, const void *b, int type)
{
	uint64_t x = ((uint64_t)(uintptr_t)a ^ cookie[type][1]) * cookie[type][0];
	uint64_t y = ((uint64_t)(uintptr_t)b ^ cookie[type][1]) * cookie[type][0];

	return x < y ? 1 : x > y ? 2 : 0;
}

/* resource - what @t uses of @type, for the comparison (NULL: none).  (T) */
static const void *resource(struct kf_task *t, int type)
{
	switch (type) {
	case KCMP_VM: return t->mm;
	case KCMP_FILES: return t->files;
	case KCMP_FS: return t->fs;
	case KCMP_SIGHAND: return t->sighand;
	case KCMP_IO: return t->io_context;
	default: return t->sysvsem;
	}
}

/*
 * kf_kcmp - kcmp(2) as current's pid namespace names the tasks: ESRCH,
 * EPERM without ptrace read access to both, then by type: KCMP_FILE
 * (EBADF unless both fds are open), VM, FILES, FS, SIGHAND, IO, SYSVSEM;
 * EINVAL for another type (KCMP_EPOLL_TFD is not done).
 */
long kf_kcmp(int pid1, int pid2, int type, unsigned long idx1, unsigned long idx2)
{
	struct kf_task *t1 = kf_task_find(pid1), *t2 = kf_task_find(pid2);
	unsigned long irq;
	long r;

	if (!t1 || !t2) {
		r = -KF_ESRCH;
		goto out;
	}
	if (kf_ptrace_may_access(t1, false) || kf_ptrace_may_access(t2, false)) {
		r = -KF_EPERM;
		goto out;
	}
	if (type == KCMP_FILE) {
		void *f1 = idx1 <= 0x7fffffff ? kf_task_fd_get(t1, (int)idx1, NULL) : NULL;
		void *f2 = idx2 <= 0x7fffffff ? kf_task_fd_get(t2, (int)idx2, NULL) : NULL;

		r = f1 && f2 ? cmp_ptr(f1, f2, type) : -KF_EBADF;
		if (f1)
			kf_os_file_put(f1);
		if (f2)
			kf_os_file_put(f2);
		goto out;
	}
	if (type < KCMP_VM || type > KCMP_SYSVSEM) {
		r = -KF_EINVAL;
		goto out;
	}
	irq = kf_tasklist_lock_irq();
	r = cmp_ptr(resource(t1, type), resource(t2, type), type);
	kf_tasklist_unlock_irq(irq);
out:
	if (t1)
		kf_task_put(t1);
	if (t2)
		kf_task_put(t2);
	return r;
}
