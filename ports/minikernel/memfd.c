// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/memfd.c - memfd_create(2): an anonymous file in kernel
 * memory that read, write, lseek, pread/pwrite, ftruncate and fstat work
 * on.  Its data is one buffer that grows by doubling, up to MEMFD_MAX
 * (past it: EFBIG).  It cannot be mmap'd (mmap maps anonymous memory
 * only) and takes no seals (F_ADD_SEALS is not done).
 */
#include <kf/kf.h>
#include <mk/file.h>
#include <mk/proc.h>
#include <mk/arch/abi.h>

#define MFD_CLOEXEC		0x1u
#define MFD_ALLOW_SEALING	0x2u
#define MFD_HUGETLB		0x4u
#define MFD_NOEXEC_SEAL		0x8u
#define MFD_EXEC		0x10u
#define MFD_NAME_MAX		249	/* NAME_MAX minus "memfd:" */
#define MEMFD_MAX		(16ul << 20)
#define MK_EFBIG		27

struct memfd {
	char *data;
	size_t size, cap;
};

/* grow - room for @size bytes (new bytes read as zeros). */
static long grow(struct memfd *m, size_t size)
{
	size_t cap = m->cap ? m->cap : 4096;
	char *d;

	if (size > MEMFD_MAX)
		return -MK_EFBIG;
	if (size <= m->cap)
		return 0;
	while (cap < size)
		cap *= 2;
	d = mk_alloc(cap);
	if (!d)
		return -KF_ENOMEM;
	memset(d, 0, cap);
	if (m->data) {
		memcpy(d, m->data, m->size);
		mk_free(m->data, m->cap);
	}
	m->data = d;
	m->cap = cap;
	return 0;
}

static long memfd_read(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	struct memfd *m = f->priv;

	if (f->pos >= m->size)
		return 0;
	if (n > m->size - f->pos)
		n = m->size - f->pos;
	if (kf_os_copy_to_user(ubuf, m->data + f->pos, n))
		return -KF_EFAULT;
	f->pos += n;
	return (long)n;
}

static long memfd_write(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	struct memfd *m = f->priv;
	uint64_t pos = (f->flags & MK_O_APPEND) ? m->size : f->pos;
	long r;

	if (!n)
		return 0;
	r = grow(m, pos + n);
	if (r)
		return r;
	if (kf_os_copy_from_user(m->data + pos, ubuf, n))
		return -KF_EFAULT;
	f->pos = pos + n;
	if (f->pos > m->size)
		m->size = f->pos;
	return (long)n;
}

static uint64_t memfd_size(struct mk_file *f)
{
	return ((struct memfd *)f->priv)->size;
}

static void memfd_stat(struct mk_file *f, struct mk_stat *st)
{
	st->mode = MK_S_IFREG | 0777;
	st->ino = (uintptr_t)f->priv >> 4;
	st->dev = 1 << 8;	/* tmpfs-like */
	st->size = memfd_size(f);
}

static unsigned memfd_poll(struct mk_file *f)
{
	(void)f;
	return MK_POLLIN | MK_POLLOUT;
}

static void memfd_release(struct mk_file *f)
{
	struct memfd *m = f->priv;

	if (m->data)
		mk_free(m->data, m->cap);
	mk_free(m, sizeof(*m));
}

static const struct mk_file_ops memfd_ops = {
	.read = memfd_read,
	.write = memfd_write,
	.poll = memfd_poll,
	.stat = memfd_stat,
	.size = memfd_size,
	.release = memfd_release,
	.mnt_id = MK_MNT_ID_ANON,
};

/*
 * memfd_create(name, flags): EINVAL for unknown flags, MFD_HUGETLB (no huge
 * pages here) or both MFD_EXEC and MFD_NOEXEC_SEAL; EFAULT, then EINVAL
 * for a name over 249 bytes; EMFILE.
 */
long mk_sys_memfd_create(const long *a)
{
	unsigned flags = (unsigned)a[1];
	char name[MFD_NAME_MAX + 1];
	struct memfd *m;
	struct mk_file *f;
	long r;
	int fd;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB |
		      MFD_NOEXEC_SEAL | MFD_EXEC))
		return -KF_EINVAL;
	if ((flags & MFD_HUGETLB) ||
	    (flags & (MFD_EXEC | MFD_NOEXEC_SEAL)) == (MFD_EXEC | MFD_NOEXEC_SEAL))
		return -KF_EINVAL;
	r = mk_copy_string((uintptr_t)a[0], name, sizeof(name));
	if (r == -MK_ENAMETOOLONG)
		return -KF_EINVAL;
	if (r < 0)
		return r;
	m = mk_alloc(sizeof(*m));
	if (!m)
		return -KF_ENOMEM;
	memset(m, 0, sizeof(*m));
	f = mk_file_new(&memfd_ops, MK_O_RDWR | MK_O_LARGEFILE, m);
	if (!f) {
		mk_free(m, sizeof(*m));
		return -KF_ENOMEM;
	}
	fd = kf_fd_install(f, flags & MFD_CLOEXEC);
	if (fd < 0)
		mk_file_put(f);
	return fd;
}

/* ftruncate(fd, length): a memfd's size; EINVAL for anything else (the
 * initramfs is read-only: EINVAL as Linux's for a file not open for
 * writing, which every one of them is). */
long mk_sys_ftruncate(const long *a)
{
	struct mk_file *f = mk_fd_file((int)a[0]);
	struct memfd *m;
	long r;

	if (!f)
		return -KF_EBADF;
	if (f->ops != &memfd_ops || a[1] < 0) {
		mk_file_put(f);
		return -KF_EINVAL;
	}
	m = f->priv;
	r = grow(m, (size_t)a[1]);
	if (!r) {
		if ((size_t)a[1] < m->size)
			memset(m->data + a[1], 0, m->size - (size_t)a[1]);
		m->size = (size_t)a[1];
	}
	mk_file_put(f);
	return r;
}
