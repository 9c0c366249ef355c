// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/pagemap.c - /proc/<pid>/pagemap, and pread64, which is
 * how programs read it.
 *
 * pagemap is a binary file of one 64-bit entry per virtual page: the
 * entry of the page at address A sits at offset A / 4096 * 8.  An entry
 * here says what kfork's page tables say (kf_mm_translate): bit 63, the
 * page is present, and bits 0-54 its frame number -- shown only to an
 * opener that held CAP_SYS_ADMIN, as Linux does; else 0.  Nothing is
 * ever swapped (bit 62), no page is file-backed (61), and the bits this
 * kernel has no figures for -- soft-dirty (55), exclusively mapped (56),
 * uffd write-protected (57) -- stay 0.  Reads are computed when made, at
 * offsets and in sizes that are multiples of 8 (else EINVAL, as Linux);
 * a process that has exited reads as empty.  Opening another process's
 * pagemap needs CAP_SYS_PTRACE (Linux's ptrace read check, without the
 * same-user case).
 */
#include <kf/kf.h>
#include <kf/mm.h>
#include <mk/file.h>
#include <mk/proc.h>

#define MK_RW_MAX	0x7ffff000ul	/* Linux's MAX_RW_COUNT, as file.c */
#define PM_ENTRY	8
#define PM_PRESENT	(1ull << 63)
#define PM_PFN_MASK	((1ull << 55) - 1)
#define PM_USER_END	(1ull << 48)	/* past every arch's user space (aarch64: 48 bits) */
#define PM_CHUNK	64		/* entries made per copy */
#define CAP_SYS_PTRACE	19
#define PAGEMAP_INO(pid) (((uint64_t)(pid) << 8) | 5)

struct pagemap {
	struct kf_task *task;		/* with a reference */
	bool show_pfn;			/* the opener held CAP_SYS_ADMIN */
	int pid;			/* as the opener saw it */
};

/* entry - the pagemap entry of the page at @va in @mm. */
static uint64_t entry(struct kf_mm *mm, uintptr_t va, bool show_pfn)
{
	kf_paddr_t pa;
	unsigned prot;

	if (kf_mm_translate(mm, va, &pa, &prot))
		return 0;
	return PM_PRESENT | (show_pfn ? (pa / MK_PAGE_SIZE) & PM_PFN_MASK : 0);
}

static long pagemap_read(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	struct pagemap *pm = f->priv;
	uint64_t buf[PM_CHUNK], pos = f->pos, end = PM_USER_END / MK_PAGE_SIZE * PM_ENTRY;
	struct kf_mm *mm;
	size_t done = 0;

	if (pos % PM_ENTRY || n % PM_ENTRY)
		return -KF_EINVAL;
	mm = kf_task_get_mm(pm->task);
	if (!mm)
		return 0;		/* the process has gone: nothing */
	if (n > end - pos || pos >= end)
		n = pos >= end ? 0 : (size_t)(end - pos);
	while (done < n) {
		size_t i, k = (n - done) / PM_ENTRY;

		if (k > PM_CHUNK)
			k = PM_CHUNK;
		for (i = 0; i < k; i++)
			buf[i] = entry(mm, (uintptr_t)((pos + done) / PM_ENTRY + i) *
				       MK_PAGE_SIZE, pm->show_pfn);
		if (kf_os_copy_to_user(ubuf + done, buf, k * PM_ENTRY)) {
			kf_mm_put(mm);
			return done ? (long)done : -KF_EFAULT;
		}
		done += k * PM_ENTRY;
	}
	kf_mm_put(mm);
	f->pos = pos + done;
	return (long)done;
}

static long pagemap_write(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	(void)f;
	(void)ubuf;
	(void)n;
	return -KF_EINVAL;
}

static void pagemap_stat(struct mk_file *f, struct mk_stat *st)
{
	struct pagemap *pm = f->priv;
	struct kf_task_info ti;

	memset(st, 0, sizeof(*st));
	st->dev = 3;			/* /proc's, as procfs.c gives it */
	st->ino = PAGEMAP_INO(pm->pid);
	st->mode = MK_S_IFREG | 0400;
	st->nlink = 1;
	if (!kf_task_info(pm->task, &ti)) {
		st->uid = ti.euid;
		st->gid = ti.egid;
	}
}

/* seekable, with Linux's proc size of 0 */
static uint64_t pagemap_size(struct mk_file *f)
{
	(void)f;
	return 0;
}

static unsigned pagemap_poll(struct mk_file *f)
{
	(void)f;
	return MK_POLLIN;
}

static void pagemap_release(struct mk_file *f)
{
	struct pagemap *pm = f->priv;

	kf_task_put(pm->task);
	mk_free(pm, sizeof(*pm));
}

static const struct mk_file_ops pagemap_ops = {
	.read = pagemap_read,
	.write = pagemap_write,
	.poll = pagemap_poll,
	.stat = pagemap_stat,
	.size = pagemap_size,
	.release = pagemap_release,
};

/*
 * mk_pagemap_open - /proc/@pid/pagemap (@pid as the caller sees it, and
 * visible), opened with @flags.  NULL with *@err: ESRCH (gone), EACCES
 * (another process, no CAP_SYS_PTRACE), ENOMEM.
 */
struct mk_file *mk_pagemap_open(int pid, const char *canon, unsigned flags,
				long *err)
{
	struct kf_task *t = kf_task_find(pid);
	struct pagemap *pm = NULL;
	struct mk_file *f = NULL;
	size_t len = strlen(canon) + 1;
	char *path = NULL;

	*err = -KF_ESRCH;
	if (!t)
		return NULL;
	*err = -MK_EACCES;
	if (kf_task_vtgid(t) != kf_getpid() &&
	    !kf_os_capable(mk_current_task(), CAP_SYS_PTRACE))
		goto fail;
	*err = -KF_ENOMEM;
	pm = mk_alloc(sizeof(*pm));
	path = mk_alloc(len);
	if (!pm || !path)
		goto fail;
	f = mk_file_new(&pagemap_ops, flags, pm);
	if (!f)
		goto fail;
	pm->task = t;
	pm->pid = pid;
	pm->show_pfn = kf_os_capable(mk_current_task(), KF_CAP_SYS_ADMIN);
	memcpy(path, canon, len);
	f->path = path;
	f->mode = MK_S_IFREG | 0400;
	f->ino = PAGEMAP_INO(pid);
	*err = 0;
	return f;

fail:
	mk_free(path, len);
	if (pm)
		mk_free(pm, sizeof(*pm));
	kf_task_put(t);
	return NULL;
}

/*
 * pread64(fd, buf, count, offset) in Linux's order: a negative offset is
 * EINVAL before the fd is looked at; a file that cannot seek (pipe,
 * console, pidfd) is ESPIPE; then read's checks.  The file's own position
 * is left as it was.  A read here never sleeps, so no other thread of the
 * process can see the borrowed position.
 */
long mk_sys_pread64(const long *a)
{
	int64_t off = a[3];
	size_t n = (size_t)a[2];
	struct mk_file *f;
	uint64_t saved;
	long r;

	if (off < 0)
		return -KF_EINVAL;
	f = mk_fd_file((int)a[0]);
	if (!f)
		return -KF_EBADF;
	if (!f->ops->size)
		r = -MK_ESPIPE;
	else if ((f->flags & MK_O_ACCMODE) == MK_O_WRONLY)
		r = -KF_EBADF;
	else if (mk_file_is_dir(f))
		r = -MK_EISDIR;
	else if (!f->ops->read)
		r = -KF_EINVAL;
	else {
		saved = f->pos;
		f->pos = (uint64_t)off;
		r = f->ops->read(f, (uintptr_t)a[1], n > MK_RW_MAX ? MK_RW_MAX : n);
		f->pos = saved;
	}
	mk_file_put(f);
	return r;
}
