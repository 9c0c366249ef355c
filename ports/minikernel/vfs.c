// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/vfs.c - the read-only file system: the initramfs.
 *
 * Paths are resolved against the working directory (kf_fs_get_pwd, a
 * directory mk_file, NULL meaning "/") or a dirfd into canonical names:
 * no leading '/', no "." or ".." components, "" for the root.  A directory
 * is an archive entry of type directory, or a name other entries live
 * under.  Anything that would write gives EROFS, as Linux does on a
 * read-only mount.  Names under "proc" are /proc's (procfs.c), whose
 * "self" is the only symbolic link; names under "dev" are /dev's (dev.c).
 */
#include <kf/kf.h>
#include <mk/file.h>
#include <mk/proc.h>
#include <mk/tty.h>
#include <mk/arch/abi.h>

#define AT_FDCWD (-100)
#define AT_EMPTY_PATH 0x1000
#define AT_SYMLINK_NOFOLLOW 0x100
#define MK_R_OK 4
#define MK_W_OK 2
#define MK_X_OK 1
#define DT_DIR 4
#define DT_REG 8

/* ---- Paths ------------------------------------------------------------------------ */

/* mk_copy_string - the NUL-terminated user string @ustr into @buf (@max
 * bytes, NUL included).  Its length, or -EFAULT / -ENAMETOOLONG. */
long mk_copy_string(uintptr_t ustr, char *buf, size_t max)
{
	size_t n = 0;

	while (n < max) {
		/* up to the end of the page, so a string that ends just
		 * before an unmapped page still reads */
		size_t chunk = 4096 - ((ustr + n) & 4095), i;

		if (chunk > max - n)
			chunk = max - n;
		if (kf_os_copy_from_user(buf + n, ustr + n, chunk))
			return -KF_EFAULT;
		for (i = 0; i < chunk; i++)
			if (buf[n + i] == 0)
				return (long)(n + i);
		n += chunk;
	}
	return -MK_ENAMETOOLONG;
}

long mk_copy_path(uintptr_t upath, char *buf)
{
	return mk_copy_string(upath, buf, MK_PATH_MAX);
}

/* append - add component @c (@len bytes) to canonical @out. */
static long append(char *out, const char *c, size_t len)
{
	size_t o = strlen(out);

	if (len == 1 && c[0] == '.')
		return 0;
	if (len == 2 && c[0] == '.' && c[1] == '.') {
		while (o > 0 && out[o - 1] != '/')
			o--;
		out[o ? o - 1 : 0] = 0;
		return 0;
	}
	if (o + 1 + len + 1 > MK_PATH_MAX)
		return -MK_ENAMETOOLONG;
	if (o)
		out[o++] = '/';
	memcpy(out + o, c, len);
	out[o + len] = 0;
	return 0;
}

long mk_vfs_resolve(struct mk_file *base, const char *path, char *out)
{
	struct mk_file *pwd = NULL;
	long r = 0;

	out[0] = 0;
	if (path[0] != '/') {
		if (!base)
			base = pwd = kf_fs_get_pwd();
		if (base && base->path)
			memcpy(out, base->path, strlen(base->path) + 1);
	}
	while (*path && !r) {
		size_t len = 0;

		while (*path == '/')
			path++;
		while (path[len] && path[len] != '/')
			len++;
		if (len)
			r = append(out, path, len);
		path += len;
	}
	if (pwd)
		mk_file_put(pwd);
	return r;
}

/* ---- Nodes ------------------------------------------------------------------------ */

/* parent_is - is canonical @dir the directory @name lives in? */
static bool parent_is(const char *name, const char *dir)
{
	const char *slash = NULL, *p;
	size_t dlen = strlen(dir);

	for (p = name; *p; p++)
		if (*p == '/')
			slash = p;
	if (!slash)
		return dlen == 0 && name[0];
	return (size_t)(slash - name) == dlen && !strncmp(name, dir, dlen);
}

/* node_lookup - canonical @path as an entry; a name only implied by the
 * entries under it (or the root) is a directory without data. */
static bool node_lookup(const char *path, struct mk_initrd_ent *e)
{
	size_t off = 0, len = strlen(path);

	if (len && mk_initrd_lookup(path, e))
		return true;
	memset(e, 0, sizeof(*e));
	e->name = path;
	e->mode = MK_S_IFDIR | 0755;
	e->ino = 1;
	/* the root, and the mount points /proc and /dev always exist */
	if (!len || !strcmp(path, "proc") || !strcmp(path, "dev"))
		return true;
	while (mk_initrd_next(&off, e)) {
		if (!strncmp(e->name, path, len) && e->name[len] == '/') {
			e->name = path;
			e->data = NULL;
			e->size = 0;
			e->mode = MK_S_IFDIR | 0755;
			return true;
		}
	}
	return false;
}

static bool is_dir(uint32_t mode)
{
	return (mode & MK_S_IFMT) == MK_S_IFDIR;
}

/* node_find - @path must exist, and every component before the last must
 * be a directory: 0, -ENOENT or -ENOTDIR. */
static long node_find(const char *path, struct mk_initrd_ent *e)
{
	char prefix[MK_PATH_MAX];
	size_t i;

	if (mk_procfs_owns(path)) {
		/* /proc: only its mode matters to the callers below */
		memset(e, 0, sizeof(*e));
		e->name = path;
		return mk_procfs_mode(path, &e->mode);
	}
	if (mk_dev_owns(path)) {
		memset(e, 0, sizeof(*e));
		e->name = path;
		return mk_dev_mode(path, &e->mode);
	}

	for (i = 0; path[i]; i++) {
		if (path[i] != '/')
			continue;
		memcpy(prefix, path, i);
		prefix[i] = 0;
		if (!node_lookup(prefix, e))
			return -KF_ENOENT;
		if (!is_dir(e->mode))
			return -MK_ENOTDIR;
	}
	return node_lookup(path, e) ? 0 : -KF_ENOENT;
}

bool mk_file_is_dir(const struct mk_file *f)
{
	return f->path && is_dir(f->mode);
}

/* ---- Files of the archive ------------------------------------------------------------ */

static long reg_read(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	uint64_t pos = f->pos;

	if (pos >= f->size)
		return 0;
	if (n > f->size - pos)
		n = f->size - pos;
	if (kf_os_copy_to_user(ubuf, (const char *)f->data + pos, n))
		return -KF_EFAULT;
	f->pos = pos + n;
	return (long)n;
}

static void node_stat(struct mk_file *f, struct mk_stat *st)
{
	st->dev = 1;
	st->ino = f->ino;
	st->mode = f->mode;
	st->size = f->size;
	st->nlink = is_dir(f->mode) ? 2 : 1;
}

static uint64_t node_size(struct mk_file *f)
{
	return f->size;
}

static unsigned node_poll(struct mk_file *f)
{
	(void)f;
	return MK_POLLIN | MK_POLLOUT;
}

/* One linux_dirent64: ino, off, reclen, type, name, padded to 8. */
static long put_dirent(uintptr_t ubuf, size_t room, uint64_t ino, int64_t off,
		       unsigned char type, const char *name, size_t len)
{
	char rec[8 + 8 + 2 + 1 + MK_PATH_MAX + 8];
	size_t reclen = MK_ALIGN_UP(19 + len + 1, 8);
	uint16_t rl = (uint16_t)reclen;

	if (reclen > room)
		return 0;
	memset(rec, 0, reclen);
	memcpy(rec, &ino, 8);
	memcpy(rec + 8, &off, 8);
	memcpy(rec + 16, &rl, 2);
	rec[18] = (char)type;
	memcpy(rec + 19, name, len);
	if (kf_os_copy_to_user(ubuf, rec, reclen))
		return -KF_EFAULT;
	return (long)reclen;
}

static const char *base_name(const char *name)
{
	const char *b = name, *p;

	for (p = name; *p; p++)
		if (*p == '/')
			b = p + 1;
	return b;
}

/*
 * dir_getdents - entries from index f->pos on: "." and "..", then the
 * archive's entries directly in this directory, in archive order.  The
 * first entry that does not fit: EINVAL if it is the first of the call.
 */
static long dir_getdents(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	struct mk_initrd_ent e;
	size_t off = 0, done = 0;
	uint64_t idx = 0;
	long r;

	for (;;) {
		const char *name;
		uint64_t ino = f->ino;
		unsigned char type = DT_DIR;

		if (idx == 0) {
			name = ".";
		} else if (idx == 1) {
			name = "..";
		} else {
			do {
				if (!mk_initrd_next(&off, &e))
					return (long)done;
			} while (!parent_is(e.name, f->path));
			name = base_name(e.name);
			ino = e.ino;
			type = is_dir(e.mode) ? DT_DIR : DT_REG;
		}
		if (idx++ < f->pos)
			continue;
		r = put_dirent(ubuf + done, n - done, ino, (int64_t)idx, type,
			       name, strlen(name));
		if (r < 0)
			return done ? (long)done : r;
		if (r == 0)
			return done ? (long)done : -KF_EINVAL;
		done += (size_t)r;
		f->pos = idx;
	}
}

static const struct mk_file_ops reg_ops = {
	.read = reg_read,
	.poll = node_poll,
	.stat = node_stat,
	.size = node_size,
};

static const struct mk_file_ops dir_ops = {
	.poll = node_poll,
	.stat = node_stat,
	.getdents = dir_getdents,
	.size = node_size,
};

/* node_open - an open file for entry @e at canonical @path. */
static struct mk_file *node_open(const char *path, const struct mk_initrd_ent *e,
				 unsigned flags)
{
	struct mk_file *f = mk_file_new(is_dir(e->mode) ? &dir_ops : &reg_ops,
					flags, NULL);
	char *p;

	if (!f)
		return NULL;
	p = mk_alloc(strlen(path) + 1);
	if (!p) {
		mk_file_put(f);
		return NULL;
	}
	memcpy(p, path, strlen(path) + 1);
	f->path = p;
	f->data = e->data;
	f->size = e->size;
	f->ino = e->ino;
	f->mode = e->mode;
	return f;
}

/* lookup_at - resolve @upath against @dirfd and find it. */
static long lookup_at(int dirfd, uintptr_t upath, char *canon,
		      struct mk_initrd_ent *e, bool empty_ok)
{
	char path[MK_PATH_MAX];
	struct mk_file *base = NULL;
	long r = mk_copy_path(upath, path);

	if (r < 0)
		return r;
	if (r == 0 && !empty_ok)
		return -KF_ENOENT;
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		base = mk_fd_file(dirfd);
		if (!base)
			return -KF_EBADF;
		if (!mk_file_is_dir(base)) {
			mk_file_put(base);
			return -MK_ENOTDIR;
		}
	}
	r = mk_vfs_resolve(base, path, canon);
	if (base)
		mk_file_put(base);
	return r ? r : node_find(canon, e);
}

/* ---- The system calls ------------------------------------------------------------------ */

#define MK_O_DIRECTORY_FLAG MK_O_DIRECTORY

static long do_openat(int dirfd, uintptr_t upath, unsigned flags)
{
	char canon[MK_PATH_MAX];
	struct mk_initrd_ent e;
	struct mk_file *f;
	long r = lookup_at(dirfd, upath, canon, &e, false);
	int fd;

	if (r == -KF_ENOENT && (flags & MK_O_CREAT))
		return -MK_EROFS;
	if (r)
		return r;
	if ((flags & (MK_O_CREAT | MK_O_EXCL)) == (MK_O_CREAT | MK_O_EXCL))
		return -KF_EEXIST;
	if ((flags & MK_O_DIRECTORY_FLAG) && !is_dir(e.mode))
		return -MK_ENOTDIR;
	if (mk_procfs_owns(canon)) {
		f = mk_procfs_open(canon, flags & (MK_O_ACCMODE | MK_O_NONBLOCK |
						   MK_O_APPEND | MK_O_TRUNC), &r);
		if (!f)
			return r;
		f->flags &= ~(unsigned)MK_O_TRUNC;
		goto install;
	}
	if (mk_dev_owns(canon)) {
		f = mk_dev_open(canon, flags & (MK_O_ACCMODE | MK_O_NONBLOCK |
						MK_O_APPEND | MK_O_NOCTTY), &r);
		if (!f)
			return r;
		f->flags &= ~(unsigned)MK_O_NOCTTY;
		goto install;
	}
	if ((flags & MK_O_ACCMODE) != MK_O_RDONLY || (flags & MK_O_TRUNC))
		return is_dir(e.mode) ? -MK_EISDIR : -MK_EROFS;
	f = node_open(canon, &e, flags & (MK_O_ACCMODE | MK_O_NONBLOCK |
					  MK_O_APPEND));
	if (!f)
		return -KF_ENOMEM;
install:
	f->flags |= MK_O_LARGEFILE;	/* a 64-bit open always has it */
	fd = kf_fd_install(f, flags & MK_O_CLOEXEC);
	if (fd < 0)
		mk_file_put(f);
	return fd;
}

long mk_sys_open(const long *a)
{
	return do_openat(AT_FDCWD, (uintptr_t)a[0], (unsigned)a[1]);
}

long mk_sys_openat(const long *a)
{
	return do_openat((int)a[0], (uintptr_t)a[1], (unsigned)a[2]);
}

static long do_fstatat(int dirfd, uintptr_t upath, uintptr_t ubuf, int flags)
{
	char canon[MK_PATH_MAX];
	struct mk_initrd_ent e;
	struct mk_stat st;
	long r;

	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -KF_EINVAL;
	r = lookup_at(dirfd, upath, canon, &e, flags & AT_EMPTY_PATH);
	if (r == 0 && !canon[0] && (flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		/* "" with AT_EMPTY_PATH: the dirfd itself */
		struct mk_file *f = mk_fd_file(dirfd);

		if (!f)
			return -KF_EBADF;
		r = mk_file_stat(f, ubuf);
		mk_file_put(f);
		return r;
	}
	if (r)
		return r;
	if (mk_procfs_owns(canon)) {
		r = mk_procfs_stat(canon, !(flags & AT_SYMLINK_NOFOLLOW), &st);
		return r ? r : mk_stat_copyout(ubuf, &st);
	}
	if (mk_dev_owns(canon)) {
		r = mk_dev_stat(canon, &st);
		return r ? r : mk_stat_copyout(ubuf, &st);
	}
	memset(&st, 0, sizeof(st));
	st.dev = 1;
	st.ino = e.ino;
	st.mode = e.mode;
	st.size = e.size;
	st.nlink = is_dir(e.mode) ? 2 : 1;
	return mk_stat_copyout(ubuf, &st);
}

long mk_sys_stat(const long *a)
{
	return do_fstatat(AT_FDCWD, (uintptr_t)a[0], (uintptr_t)a[1], 0);
}

long mk_sys_lstat(const long *a)
{
	return do_fstatat(AT_FDCWD, (uintptr_t)a[0], (uintptr_t)a[1],
			  AT_SYMLINK_NOFOLLOW);
}

long mk_sys_newfstatat(const long *a)
{
	return do_fstatat((int)a[0], (uintptr_t)a[1], (uintptr_t)a[2], (int)a[3]);
}

long mk_sys_getdents64(const long *a)
{
	struct mk_file *f = mk_fd_file((int)a[0]);
	long r;

	if (!f)
		return -KF_EBADF;
	r = f->ops->getdents ? f->ops->getdents(f, (uintptr_t)a[1], (size_t)a[2])
			     : -MK_ENOTDIR;
	mk_file_put(f);
	return r;
}

long mk_sys_chdir(const long *a)
{
	char canon[MK_PATH_MAX];
	struct mk_initrd_ent e;
	struct mk_file *f;
	long r = lookup_at(AT_FDCWD, (uintptr_t)a[0], canon, &e, false);

	if (r)
		return r;
	if (!is_dir(e.mode))
		return -MK_ENOTDIR;
	f = mk_procfs_owns(canon) ? mk_procfs_open(canon, MK_O_RDONLY, &r) :
	    mk_dev_owns(canon) ? mk_dev_open(canon, MK_O_RDONLY, &r) :
				    node_open(canon, &e, MK_O_RDONLY);
	if (!f)
		return mk_procfs_owns(canon) || mk_dev_owns(canon) ? r : -KF_ENOMEM;
	kf_fs_set_pwd(f);
	return 0;
}

long mk_sys_fchdir(const long *a)
{
	struct mk_file *f = mk_fd_file((int)a[0]);

	if (!f)
		return -KF_EBADF;
	if (!mk_file_is_dir(f)) {
		mk_file_put(f);
		return -MK_ENOTDIR;
	}
	kf_fs_set_pwd(f);
	return 0;
}

/* getcwd(buf, size): the length stored, NUL included. */
long mk_sys_getcwd(const long *a)
{
	struct mk_file *pwd = kf_fs_get_pwd();
	char buf[MK_PATH_MAX + 1];
	size_t len;

	buf[0] = '/';
	buf[1] = 0;
	if (pwd && pwd->path)
		memcpy(buf + 1, pwd->path, strlen(pwd->path) + 1);
	if (pwd)
		mk_file_put(pwd);
	len = strlen(buf) + 1;
	if ((size_t)a[1] < len)
		return -MK_ERANGE;
	if (kf_os_copy_to_user((uintptr_t)a[0], buf, len))
		return -KF_EFAULT;
	return (long)len;
}

static long do_faccessat(int dirfd, uintptr_t upath, int mode)
{
	char canon[MK_PATH_MAX];
	struct mk_initrd_ent e;
	long r;

	if (mode & ~(MK_R_OK | MK_W_OK | MK_X_OK))
		return -KF_EINVAL;
	r = lookup_at(dirfd, upath, canon, &e, false);
	if (r)
		return r;
	if ((mode & MK_W_OK) && !mk_dev_owns(canon))
		return -MK_EROFS;
	if ((mode & MK_X_OK) && !is_dir(e.mode) && !(e.mode & 0111))
		return -MK_EACCES;
	return 0;
}

long mk_sys_access(const long *a)
{
	return do_faccessat(AT_FDCWD, (uintptr_t)a[0], (int)a[1]);
}

long mk_sys_faccessat(const long *a)
{
	return do_faccessat((int)a[0], (uintptr_t)a[1], (int)a[2]);
}

/*
 * The only symbolic link is /proc/self: readlink of anything else that
 * exists is EINVAL.  As on Linux, a buffer size that is not positive is
 * EINVAL before the lookup; the target is cut to the buffer, unterminated.
 */
static long do_readlinkat(int dirfd, uintptr_t upath, uintptr_t ubuf,
			  int bufsiz)
{
	char canon[MK_PATH_MAX], target[32];
	struct mk_initrd_ent e;
	long r;

	if (bufsiz <= 0)
		return -KF_EINVAL;
	r = lookup_at(dirfd, upath, canon, &e, false);
	if (r)
		return r;
	if (!mk_procfs_owns(canon))
		return -KF_EINVAL;
	r = mk_procfs_readlink(canon, target, sizeof(target));
	if (r < 0)
		return r;
	if (r > bufsiz)
		r = bufsiz;
	return kf_os_copy_to_user(ubuf, target, (size_t)r) ? -KF_EFAULT : r;
}

long mk_sys_readlink(const long *a)
{
	return do_readlinkat(AT_FDCWD, (uintptr_t)a[0], (uintptr_t)a[1],
			     (int)a[2]);
}

long mk_sys_readlinkat(const long *a)
{
	return do_readlinkat((int)a[0], (uintptr_t)a[1], (uintptr_t)a[2],
			     (int)a[3]);
}

long mk_vfs_lookup(uintptr_t upath, char *canon, uint32_t *mode)
{
	struct mk_initrd_ent e;
	long r = lookup_at(AT_FDCWD, upath, canon, &e, false);

	if (!r)
		*mode = e.mode;
	return r;
}

/* mk_vfs_open_node - exec's lookup: the regular file at @path. */
struct mk_file *mk_vfs_open_node(const char *path, long *err)
{
	char canon[MK_PATH_MAX];
	struct mk_initrd_ent e;
	struct mk_file *f;

	*err = mk_vfs_resolve(NULL, path, canon);
	if (!*err && !canon[0] && !path[0])
		*err = -KF_ENOENT;
	if (!*err)
		*err = node_find(canon, &e);
	if (*err)
		return NULL;
	if (is_dir(e.mode)) {
		*err = -MK_EACCES;
		return NULL;
	}
	if (!(e.mode & 0111)) {
		*err = -MK_EACCES;
		return NULL;
	}
	f = node_open(canon, &e, MK_O_RDONLY);
	if (!f)
		*err = -KF_ENOMEM;
	return f;
}
