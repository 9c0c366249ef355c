// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/nsfs.c - namespace files and setns(2).
 *
 * A namespace file holds a reference on one of kfork's namespaces (struct
 * kf_nsref): what opening /proc/<pid>/ns/<name> or a pidfd's
 * PIDFD_GET_*_NAMESPACE ioctl gives.  As on Linux (nsfs), its inode number
 * is the namespace's, so two files name the same namespace exactly when
 * fstat gives the same st_dev and st_ino.  setns(2) takes such a file or
 * a pidfd; kfork's core makes every check and the switch.
 */
#include <kf/kf.h>
#include <mk/file.h>
#include <mk/proc.h>

#define NSFS_DEV	4		/* st_dev of every namespace file */
#define MK_MNT_ID_NSFS	14
#define SETNS_FLAGS	(KF_CLONE_NEWNS | KF_CLONE_NEWUTS | KF_CLONE_NEWIPC | \
			 KF_CLONE_NEWNET | KF_CLONE_NEWUSER | KF_CLONE_NEWPID | \
			 KF_CLONE_NEWCGROUP | KF_CLONE_NEWTIME)

static void ns_stat(struct mk_file *f, struct mk_stat *st)
{
	const struct kf_nsref *r = f->priv;

	st->dev = NSFS_DEV;
	st->ino = r->inum;
	st->mode = MK_S_IFREG | 0444;
	st->nlink = 1;
}

static unsigned ns_poll(struct mk_file *f)
{
	(void)f;
	return MK_POLLIN | MK_POLLOUT;
}

static void ns_release(struct mk_file *f)
{
	kf_nsref_put(f->priv);
	mk_free(f->priv, sizeof(struct kf_nsref));
}

static const struct mk_file_ops ns_ops = {
	.poll = ns_poll,
	.stat = ns_stat,
	.release = ns_release,
	.mnt_id = MK_MNT_ID_NSFS,
};

const struct kf_nsref *mk_nsfs_ref(struct mk_file *f)
{
	return f->ops == &ns_ops ? f->priv : NULL;
}

struct mk_file *mk_nsfs_file(struct kf_nsref *r, unsigned flags)
{
	struct kf_nsref *copy = mk_alloc(sizeof(*copy));
	struct mk_file *f;

	if (!copy) {
		kf_nsref_put(r);
		return NULL;
	}
	*copy = *r;
	f = mk_file_new(&ns_ops, flags, copy);
	if (!f) {
		kf_nsref_put(copy);
		mk_free(copy, sizeof(*copy));
	}
	return f;
}

long mk_nsfs_install(struct kf_nsref *r)
{
	struct mk_file *f = mk_nsfs_file(r, MK_O_RDONLY);
	int fd;

	if (!f)
		return -KF_ENOMEM;
	fd = kf_fd_install(f, true);	/* open_namespace's O_CLOEXEC */
	if (fd < 0)
		mk_file_put(f);
	return fd;
}

void mk_nsfs_stat(const struct kf_nsref *r, struct mk_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = NSFS_DEV;
	st->ino = r->inum;
	st->mode = MK_S_IFREG | 0444;
	st->nlink = 1;
}

/*
 * setns(fd, nstype): EBADF; a namespace file enters its namespace (EINVAL
 * for another @nstype), a pidfd its process's namespaces that @nstype
 * names; any other file is EINVAL.
 */
long mk_sys_setns(const long *a)
{
	struct mk_file *f = mk_fd_file((int)a[0]);
	uint64_t nstype = (uint64_t)(uint32_t)a[1];
	const struct kf_nsref *r;
	struct kf_task *t;
	long err;

	if (!f)
		return -KF_EBADF;
	r = mk_nsfs_ref(f);
	t = mk_pidfd_task(f);
	if (r)
		err = kf_setns(r, nstype);
	else if (t)
		err = kf_setns_task(t, nstype);
	else if (mk_is_pidfd(f))	/* reaped: only the flags are checked */
		err = (!nstype || (nstype & ~(uint64_t)SETNS_FLAGS)) ? -KF_EINVAL :
		      -KF_ESRCH;
	else
		err = -KF_EINVAL;
	if (t)
		kf_task_put(t);
	mk_file_put(f);
	return err;
}
