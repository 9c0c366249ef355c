// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/unshare.c - unshare(2): the current task stops sharing some of its
 * resources.  Built from the same copy primitives as the clone stages:
 * every new object is prepared first (each step can fail and undo), then
 * committed by swapping the task's pointers, which cannot fail.
 */
#include <kf/mm.h>
#include "clone.h"

/* Flags unshare knows. */
#define KF_UNSHARE_KNOWN (KF_CLONE_THREAD | KF_CLONE_FS | KF_CLONE_NEWNS | \
			  KF_CLONE_SIGHAND | KF_CLONE_VM | KF_CLONE_FILES | \
			  KF_CLONE_SYSVSEM | KF_CLONE_NEWUTS | KF_CLONE_NEWIPC | \
			  KF_CLONE_NEWNET | KF_CLONE_NEWUSER | KF_CLONE_NEWPID | \
			  KF_CLONE_NEWCGROUP | KF_CLONE_NEWTIME)

#if !CONFIG_KF_NAMESPACES
#define KF_UNSHARE_NOT_BUILT (KF_CLONE_NEWNS_ALL | KF_CLONE_NEWUSER)
#elif !CONFIG_KF_PID_NS
#define KF_UNSHARE_NOT_BUILT KF_CLONE_NEWPID
#else
#define KF_UNSHARE_NOT_BUILT 0
#endif

/* What unshare prepares before committing. */
struct unshare_new {
	struct kf_fs *fs;
	struct kf_files *files;
	struct kf_cred *cred;
	struct kf_nsproxy *ns;
};

/* unshare_implied - the flags each flag drags along (ksys_unshare). */
static uint64_t unshare_implied(uint64_t f)
{
	/* a new user namespace needs its own thread group and fs */
	if (f & KF_CLONE_NEWUSER)
		f |= KF_CLONE_THREAD | KF_CLONE_FS;
	/* unsharing the mm means unsharing the handlers */
	if (f & KF_CLONE_VM)
		f |= KF_CLONE_SIGHAND;
	/* ... and unsharing handlers means leaving the thread group */
	if (f & KF_CLONE_SIGHAND)
		f |= KF_CLONE_THREAD;
	/* a new mount namespace needs its own root and cwd */
	if (f & KF_CLONE_NEWNS)
		f |= KF_CLONE_FS;
	return f;
}

/* single_threaded - no other task uses current's mm or thread group. */
static bool single_threaded(struct kf_task *cur)
{
	if (kf_atomic_read(&cur->signal->live) != 1)
		return false;
	return !cur->mm || kf_mm_users(cur->mm) == 1;
}

/*
 * check_unshare_flags - Linux's rules.  Leaving a thread group, unsharing
 * handlers or the mm are not implemented, only accepted when there is
 * nothing to unshare.
 */
static int check_unshare_flags(struct kf_task *cur, uint64_t f)
{
	/* unknown flags */
	if (f & ~(uint64_t)KF_UNSHARE_KNOWN)
		return -KF_EINVAL;
	/* a feature this build leaves out */
	if (f & KF_UNSHARE_NOT_BUILT)
		return -KF_ENOSYS;
	/* cannot leave a thread group that has other threads */
	if ((f & (KF_CLONE_THREAD | KF_CLONE_SIGHAND | KF_CLONE_VM)) &&
	    !kf_thread_group_empty(cur))
		return -KF_EINVAL;
	/* cannot unshare handlers another task shares */
	if ((f & (KF_CLONE_SIGHAND | KF_CLONE_VM)) &&
	    kf_sighand_users(cur->sighand) > 1)
		return -KF_EINVAL;
	/* cannot unshare an mm another task shares */
	if ((f & KF_CLONE_VM) && !single_threaded(cur))
		return -KF_EINVAL;
	return 0;
}

/* unshare_fs - CLONE_FS: a private copy when the fs is shared. */
static int unshare_fs(struct kf_task *cur, uint64_t f, struct unshare_new *n)
{
	if (!(f & KF_CLONE_FS) || !cur->fs || kf_fs_users(cur->fs) == 1)
		return 0;
	n->fs = kf_fs_dup(cur->fs);
	return n->fs ? 0 : -KF_ENOMEM;
}

/* unshare_fd - CLONE_FILES: a private copy when the table is shared. */
static int unshare_fd(struct kf_task *cur, uint64_t f, struct unshare_new *n)
{
	if (!(f & KF_CLONE_FILES) || !cur->files ||
	    kf_ref_read(&cur->files->ref) <= 1)
		return 0;
	n->files = kf_files_dup(cur->files);
	return n->files ? 0 : -KF_ENOMEM;
}

/* unshare_userns - CLONE_NEWUSER: a cred in a new user namespace. */
static int unshare_userns(struct kf_task *cur, uint64_t f, struct unshare_new *n)
{
	struct kf_cred *c;
	int err;

	if (!(f & KF_CLONE_NEWUSER))
		return 0;
	c = kf_cred_dup(cur->cred);
	if (!c)
		return -KF_ENOMEM;
	err = kf_user_ns_create(c);
	if (err) {
		kf_cred_put(c);
		return err;
	}
	n->cred = c;
	return 0;
}

/* unshare_nsproxy - CLONE_NEW*: a new set, with CAP_SYS_ADMIN over the
 * (possibly new) user namespace. */
static int unshare_nsproxy(struct kf_task *cur, uint64_t f, struct unshare_new *n)
{
	struct kf_user_ns *user_ns;

	if (!(f & KF_CLONE_NEWNS_ALL))
		return 0;
	user_ns = n->cred ? n->cred->user_ns : cur->cred->user_ns;
	if (!kf_ns_capable(user_ns, KF_CAP_SYS_ADMIN))
		return -KF_EPERM;
	return kf_nsproxy_create(f, cur->nsproxy, user_ns, &n->ns);
}

/* unshare_commit - swap the prepared objects in; the old ones are put
 * into @n for the caller to drop (the cred is taken over).  Cannot fail. */
static void unshare_commit(struct kf_task *cur, uint64_t f, struct unshare_new *n)
{
	struct kf_cred *cred = n->cred;
	unsigned long irq;

	/* leaving the undo list (or the ipc namespace) is like exit */
	if (f & (KF_CLONE_NEWIPC | KF_CLONE_SYSVSEM))
		kf_sysvsem_exit(cur);
	irq = kf_tasklist_lock_irq();
	if (n->ns) {
		struct kf_nsproxy *old = cur->nsproxy;

		cur->nsproxy = n->ns;
		n->ns = old;
	}
	if (n->fs) {
		struct kf_fs *old = cur->fs;

		cur->fs = n->fs;
		n->fs = old;
	}
	if (n->files) {
		struct kf_files *old = cur->files;

		cur->files = n->files;
		n->files = old;
	}
	kf_tasklist_unlock_irq(irq);
	n->cred = NULL;
	if (cred)
		kf_cred_commit(cred);
}

/*
 * kf_unshare - unshare(2) with Linux's implied flags and checks; errors in
 * its order: EINVAL (flags), ENOMEM (fs, files), ENOSPC/ENOMEM (user
 * namespace), EPERM, then the namespace errors (EINVAL for a second
 * CLONE_NEWPID before a fork, ENOSPC, ENOMEM).
 */
long kf_unshare(uint64_t flags)
{
	struct kf_task *cur = kf_current();
	struct unshare_new n = { 0 };
	int err;

	flags = unshare_implied(flags);
	err = check_unshare_flags(cur, flags);
	if (err)
		return err;
	err = unshare_fs(cur, flags, &n);
	if (err)
		goto out;
	err = unshare_fd(cur, flags, &n);
	if (err)
		goto out_fs;
	err = unshare_userns(cur, flags, &n);
	if (err)
		goto out_fd;
	err = unshare_nsproxy(cur, flags, &n);
	if (err)
		goto out_cred;
	unshare_commit(cur, flags, &n);	/* @n now holds the old objects */
	kf_nsproxy_put(n.ns);
out_cred:
	kf_cred_put(n.cred);
out_fd:
	kf_files_put(n.files);
out_fs:
	kf_fs_put(n.fs);
out:
	return err;
}
