// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/fs.c - the filesystem context: umask, root and working directory.
 * Shared by CLONE_FS, copied otherwise.  root and pwd are host objects,
 * counted with kf_os_file_get/put like open files; both may be NULL.
 */
#include "clone.h"

#define KF_S_IRWXUGO 0777

struct kf_fs kf_init_fs = {
	.ref = { 1 },			/* the boot task's, never dropped */
	.umask = 0022,			/* Linux's init_fs */
};

void kf_fs_boot(void)
{
	kf_os_spin_init(&kf_init_fs.lock);
}

/* kf_fs_share - CLONE_FS: one more user, unless an exec is replacing the
 * fs of a task that shares it (-EAGAIN, as copy_fs). */
int kf_fs_share(struct kf_fs *fs)
{
	unsigned long irq = kf_os_spin_lock(&fs->lock);

	if (fs->in_exec) {
		kf_os_spin_unlock(&fs->lock, irq);
		return -KF_EAGAIN;
	}
	kf_ref_get(&fs->ref);
	kf_os_spin_unlock(&fs->lock, irq);
	return 0;
}

int kf_fs_users(struct kf_fs *fs)
{
	return kf_ref_read(&fs->ref);
}

struct kf_fs *kf_fs_dup(struct kf_fs *old)
{
	struct kf_fs *fs = kf_os_alloc(sizeof(*fs), KF_SITE("clone.fs"));
	unsigned long irq;

	if (!fs)
		return NULL;
	kf_ref_init(&fs->ref, 1);
	kf_os_spin_init(&fs->lock);
	irq = kf_os_spin_lock(&old->lock);
	fs->umask = old->umask;
	fs->root = old->root;
	fs->pwd = old->pwd;
	if (fs->root)
		kf_os_file_get(fs->root);
	if (fs->pwd)
		kf_os_file_get(fs->pwd);
	kf_os_spin_unlock(&old->lock, irq);
	return fs;
}

void kf_fs_put(struct kf_fs *fs)
{
	if (!fs || !kf_ref_put(&fs->ref))
		return;
	if (fs == &kf_init_fs)
		kf_os_panic("kf_fs_put: initial fs released");
	if (fs->root)
		kf_os_file_put(fs->root);
	if (fs->pwd)
		kf_os_file_put(fs->pwd);
	kf_os_free(fs, sizeof(*fs));
}

/* kf_umask - umask(2): set the mask (permission bits only), return the
 * old one. */
long kf_umask(unsigned mask)
{
	struct kf_fs *fs = kf_current()->fs;
	unsigned long irq = kf_os_spin_lock(&fs->lock);
	unsigned old = fs->umask;

	fs->umask = mask & KF_S_IRWXUGO;
	kf_os_spin_unlock(&fs->lock, irq);
	return old;
}

/* kf_fs_get_pwd - current's working directory (a host object) with a
 * reference taken (kf_os_file_get), or NULL when none was set. */
void *kf_fs_get_pwd(void)
{
	struct kf_fs *fs = kf_current()->fs;
	unsigned long irq = kf_os_spin_lock(&fs->lock);
	void *pwd = fs->pwd;

	if (pwd)
		kf_os_file_get(pwd);
	kf_os_spin_unlock(&fs->lock, irq);
	return pwd;
}

/* kf_fs_set_pwd - chdir: @dir (may be NULL) becomes current's working
 * directory, for every task sharing its fs (CLONE_FS).  Takes over the
 * caller's reference; the old directory's is dropped. */
void kf_fs_set_pwd(void *dir)
{
	struct kf_fs *fs = kf_current()->fs;
	unsigned long irq = kf_os_spin_lock(&fs->lock);
	void *old = fs->pwd;

	fs->pwd = dir;
	kf_os_spin_unlock(&fs->lock, irq);
	if (old)
		kf_os_file_put(old);
}
