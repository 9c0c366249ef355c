// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/file.c - open files and the system calls
 * that work on any fd: read/write and their vector forms, close, dup,
 * fcntl, ioctl, lseek, fstat, poll.
 *
 * The fd table is kfork's (kf_fd_*): it is shared or copied by CLONE_FILES
 * like Linux's, and holds struct mk_file references (kf_os_file_get/put).
 */
#include <kf/kf.h>
#include <kf/hal/irq.h>
#include <mk/board.h>
#include <mk/file.h>
#include <mk/proc.h>
#include <mk/arch/abi.h>

#define MK_IOV_MAX 1024
#define MK_RW_MAX 0x7ffff000ul		/* Linux's MAX_RW_COUNT */
#define MK_SEEK_SET 0
#define MK_SEEK_CUR 1
#define MK_SEEK_END 2
#define MK_F_DUPFD 0
#define MK_F_GETFD 1
#define MK_F_SETFD 2
#define MK_F_GETFL 3
#define MK_F_SETFL 4
#define MK_F_DUPFD_CLOEXEC 1030
#define MK_FD_CLOEXEC 1
#define MK_SETFL_MASK (MK_O_APPEND | MK_O_NONBLOCK)

struct mk_iovec {
	uint64_t base, len;
};

struct mk_waitq mk_poll_wq = { MK_LIST_INIT(mk_poll_wq.sleepers) };

uint64_t mk_poll_gen;

void mk_poll_wake(void)
{
	mk_poll_gen++;
	mk_wake_all(&mk_poll_wq);
}

/* ---- Objects -------------------------------------------------------------------- */

struct mk_file *mk_file_new(const struct mk_file_ops *ops, unsigned flags,
			    void *priv)
{
	struct mk_file *f = mk_alloc(sizeof(*f));

	if (!f)
		return NULL;
	f->refs = 1;
	f->ops = ops;
	f->flags = flags;
	f->priv = priv;
	return f;
}

void mk_file_get(struct mk_file *f)
{
	unsigned long flags = kf_arch_irq_save();

	if (f->refs <= 0)
		mk_panic("mk_file_get(%p): count %d", (void *)f, f->refs);
	f->refs++;
	kf_arch_irq_restore(flags);
}

void mk_file_put(struct mk_file *f)
{
	unsigned long flags = kf_arch_irq_save();
	int left = --f->refs;

	kf_arch_irq_restore(flags);
	if (left < 0)
		mk_panic("mk_file_put(%p): count %d", (void *)f, left);
	if (left)
		return;
	if (f->epolls)
		mk_epoll_forget(f);
	if (f->ops->release)
		f->ops->release(f);
	if (f->path)
		mk_free((void *)f->path, strlen(f->path) + 1);
	mk_free(f, sizeof(*f));
}

void kf_os_file_get(void *file)
{
	mk_file_get(file);
}

void kf_os_file_put(void *file)
{
	mk_file_put(file);
}

struct mk_file *mk_fd_file(int fd)
{
	return kf_fd_get(fd);
}

int mk_file_mnt_id(struct mk_file *f)
{
	if (f->path)
		return mk_mount_id_of(f->path);
	return f->ops->mnt_id;
}

/* ---- read and write ---------------------------------------------------------------- */

static bool may_read(const struct mk_file *f)
{
	return (f->flags & MK_O_ACCMODE) != MK_O_WRONLY;
}

static bool may_write(const struct mk_file *f)
{
	return (f->flags & MK_O_ACCMODE) != MK_O_RDONLY;
}

static long file_read(struct mk_file *f, uintptr_t buf, size_t n)
{
	if (!may_read(f))
		return -KF_EBADF;
	if (mk_file_is_dir(f))
		return -MK_EISDIR;
	if (!f->ops->read)
		return -KF_EINVAL;
	return f->ops->read(f, buf, n > MK_RW_MAX ? MK_RW_MAX : n);
}

static long file_write(struct mk_file *f, uintptr_t buf, size_t n)
{
	if (!may_write(f) || !f->ops->write)
		return -KF_EBADF;
	return f->ops->write(f, buf, n > MK_RW_MAX ? MK_RW_MAX : n);
}

long mk_sys_read(const long *a)
{
	struct mk_file *f = mk_fd_file((int)a[0]);
	long r;

	if (!f)
		return -KF_EBADF;
	r = file_read(f, (uintptr_t)a[1], (size_t)a[2]);
	mk_file_put(f);
	return r;
}

long mk_sys_write(const long *a)
{
	struct mk_file *f = mk_fd_file((int)a[0]);
	long r;

	if (!f)
		return -KF_EBADF;
	r = file_write(f, (uintptr_t)a[1], (size_t)a[2]);
	mk_file_put(f);
	return r;
}

/*
 * pwrite64(fd, buf, n, off): at @off, leaving the file position alone
 * (pread64 is pagemap.c's).  ESPIPE for what cannot seek (pipes...), EINVAL for a negative
 * offset.  (One CPU: the position is borrowed for the call.)
 */
static long rw_at(const long *a, bool write)
{
	struct mk_file *f = mk_fd_file((int)a[0]);
	uint64_t saved;
	long r;

	if (!f)
		return -KF_EBADF;
	if (!(write ? may_write(f) : may_read(f)))
		r = -KF_EBADF;
	else if (!f->ops->size)
		r = -MK_ESPIPE;
	else if (a[3] < 0)
		r = -KF_EINVAL;
	else {
		saved = f->pos;
		f->pos = (uint64_t)a[3];
		r = write ? file_write(f, (uintptr_t)a[1], (size_t)a[2]) :
			    file_read(f, (uintptr_t)a[1], (size_t)a[2]);
		f->pos = saved;
	}
	mk_file_put(f);
	return r;
}

long mk_sys_pwrite64(const long *a)
{
	return rw_at(a, true);
}

/*
 * rw_vector - readv/writev: each iovec in turn; a short transfer or an
 * error after some bytes ends the call with the bytes done so far.
 */
static long rw_vector(const long *a, bool write)
{
	struct mk_file *f = mk_fd_file((int)a[0]);
	long cnt = a[2], total = 0, r = 0, i;
	struct mk_iovec iov;

	if (!f)
		return -KF_EBADF;
	if (cnt < 0 || cnt > MK_IOV_MAX) {
		mk_file_put(f);
		return -KF_EINVAL;
	}
	for (i = 0; i < cnt; i++) {
		if (kf_os_copy_from_user(&iov, (uintptr_t)a[1] + i * sizeof(iov),
					 sizeof(iov))) {
			r = -KF_EFAULT;
			break;
		}
		if ((long)iov.len < 0) {
			r = -KF_EINVAL;
			break;
		}
		if (!iov.len)
			continue;
		r = write ? file_write(f, iov.base, iov.len) :
			    file_read(f, iov.base, iov.len);
		if (r < 0)
			break;
		total += r;
		if ((uint64_t)r < iov.len)
			break;
	}
	mk_file_put(f);
	return total ? total : (r < 0 ? r : 0);
}

long mk_sys_readv(const long *a)
{
	return rw_vector(a, false);
}

long mk_sys_writev(const long *a)
{
	return rw_vector(a, true);
}

/* ---- fd table ---------------------------------------------------------------------- */

long mk_sys_close(const long *a)
{
	return kf_fd_close((int)a[0]);
}

long mk_sys_dup(const long *a)
{
	struct mk_file *f = mk_fd_file((int)a[0]);
	int fd;

	if (!f)
		return -KF_EBADF;
	fd = kf_fd_install(f, false);
	if (fd < 0)
		mk_file_put(f);
	return fd;
}

static long do_dup3(int oldfd, int newfd, bool cloexec)
{
	struct mk_file *f;
	long r;

	if (newfd < 0 || (uint64_t)newfd >= mk_rlimit_cur(KF_RLIMIT_NOFILE))
		return -KF_EBADF;
	f = mk_fd_file(oldfd);
	if (!f)
		return -KF_EBADF;
	r = kf_fd_install_at(newfd, f, cloexec);
	if (r < 0)
		mk_file_put(f);
	return r;
}

long mk_sys_dup2(const long *a)
{
	struct mk_file *f;

	if (a[0] == a[1]) {	/* only checks that the fd is open */
		f = mk_fd_file((int)a[0]);
		if (!f)
			return -KF_EBADF;
		mk_file_put(f);
		return a[1];
	}
	return do_dup3((int)a[0], (int)a[1], false);
}

long mk_sys_dup3(const long *a)
{
	if ((unsigned long)a[2] & ~(unsigned long)MK_O_CLOEXEC)
		return -KF_EINVAL;
	if (a[0] == a[1])
		return -KF_EINVAL;
	return do_dup3((int)a[0], (int)a[1], a[2] & MK_O_CLOEXEC);
}

long mk_sys_fcntl(const long *a)
{
	int fd = (int)a[0];
	struct mk_file *f = mk_fd_file(fd);
	long r;

	if (!f)
		return -KF_EBADF;
	switch (a[1]) {
	case MK_F_DUPFD:
	case MK_F_DUPFD_CLOEXEC:
		r = kf_fd_install_min(f, (int)a[2], a[1] == MK_F_DUPFD_CLOEXEC);
		if (r >= 0)
			return r;	/* the table has our reference */
		break;
	case MK_F_GETFD:
		r = kf_fd_get_cloexec(fd) > 0 ? MK_FD_CLOEXEC : 0;
		break;
	case MK_F_SETFD:
		r = kf_fd_set_cloexec(fd, a[2] & MK_FD_CLOEXEC);
		break;
	case MK_F_GETFL:
		r = f->flags;
		break;
	case MK_F_SETFL:
		f->flags = (f->flags & ~(unsigned)MK_SETFL_MASK) |
			   ((unsigned)a[2] & MK_SETFL_MASK);
		r = 0;
		break;
	default:
		r = -KF_EINVAL;
		break;
	}
	mk_file_put(f);
	return r;
}

/* No terminals: an ioctl is the file kind's (pidfds have some), else
 * ENOTTY. */
long mk_sys_ioctl(const long *a)
{
	struct mk_file *f = mk_fd_file((int)a[0]);
	long r;

	if (!f)
		return -KF_EBADF;
	r = f->ops->ioctl ? f->ops->ioctl(f, (unsigned)a[1], (unsigned long)a[2]) :
			    -MK_ENOTTY;
	mk_file_put(f);
	return r;
}

long mk_sys_lseek(const long *a)
{
	struct mk_file *f = mk_fd_file((int)a[0]);
	int64_t base, off = a[1];
	long r;

	if (!f)
		return -KF_EBADF;
	if (!f->ops->size) {
		mk_file_put(f);
		return -MK_ESPIPE;
	}
	switch (a[2]) {
	case MK_SEEK_SET: base = 0; break;
	case MK_SEEK_CUR: base = (int64_t)f->pos; break;
	case MK_SEEK_END: base = (int64_t)f->ops->size(f); break;
	default: base = -1; break;
	}
	if (base < 0 || base + off < 0) {
		r = -KF_EINVAL;
	} else {
		f->pos = (uint64_t)(base + off);
		r = (long)f->pos;
	}
	mk_file_put(f);
	return r;
}

/* mk_stat_copyout - @st in the arch's struct stat at @ubuf. */
long mk_stat_copyout(uintptr_t ubuf, const struct mk_stat *st)
{
	struct mk_abi_stat s;

	memset(&s, 0, sizeof(s));
	s.st_dev = st->dev;
	s.st_ino = st->ino;
	s.st_nlink = st->nlink;
	s.st_mode = st->mode;
	s.st_uid = st->uid;
	s.st_gid = st->gid;
	s.st_rdev = st->rdev;
	s.st_size = (int64_t)st->size;
	s.st_blksize = 4096;
	s.st_blocks = (int64_t)((st->size + 511) / 512);
	return kf_os_copy_to_user(ubuf, &s, sizeof(s)) ? -KF_EFAULT : 0;
}

long mk_file_stat(struct mk_file *f, uintptr_t ubuf)
{
	struct mk_stat st;

	memset(&st, 0, sizeof(st));
	st.nlink = 1;
	f->ops->stat(f, &st);
	return mk_stat_copyout(ubuf, &st);
}

long mk_sys_fstat(const long *a)
{
	struct mk_file *f = mk_fd_file((int)a[0]);
	long r;

	if (!f)
		return -KF_EBADF;
	r = mk_file_stat(f, (uintptr_t)a[1]);
	mk_file_put(f);
	return r;
}

/* ---- pipe ---------------------------------------------------------------------------- */

/*
 * do_pipe - Linux's do_pipe2 order: both fds are reserved (EMFILE), the
 * numbers stored (EFAULT), and only then are the files installed, so a
 * failure closes nothing another thread sharing the table could have seen.
 */
static long do_pipe(uintptr_t ufds, unsigned flags)
{
	bool cloexec = (flags & MK_O_CLOEXEC) != 0;
	struct mk_file *rd, *wr;
	int fds[2];
	long r;

	if (flags & ~(unsigned)(MK_O_CLOEXEC | MK_O_NONBLOCK))
		return -KF_EINVAL;
	r = mk_pipe_create(&rd, &wr, flags & MK_O_NONBLOCK);
	if (r)
		return r;
	fds[0] = kf_fd_reserve(cloexec);
	if (fds[0] < 0) {
		r = fds[0];
		goto put_files;
	}
	fds[1] = kf_fd_reserve(cloexec);
	if (fds[1] < 0) {
		r = fds[1];
		goto unreserve0;
	}
	if (kf_os_copy_to_user(ufds, fds, sizeof(fds))) {
		r = -KF_EFAULT;
		goto unreserve1;
	}
	kf_fd_install_reserved(fds[0], rd);
	kf_fd_install_reserved(fds[1], wr);
	return 0;

unreserve1:
	kf_fd_unreserve(fds[1]);
unreserve0:
	kf_fd_unreserve(fds[0]);
put_files:
	mk_file_put(rd);
	mk_file_put(wr);
	return r;
}

long mk_sys_pipe(const long *a)
{
	return do_pipe((uintptr_t)a[0], 0);
}

long mk_sys_pipe2(const long *a)
{
	return do_pipe((uintptr_t)a[0], (unsigned)a[1]);
}

/* ---- poll ------------------------------------------------------------------------------ */

struct mk_pollfd {
	int32_t fd;
	int16_t events, revents;
};

/* poll_scan - fill in revents; returns how many fds have any. */
static long poll_scan(struct mk_pollfd *p, unsigned long n)
{
	unsigned long i;
	long ready = 0;

	for (i = 0; i < n; i++) {
		struct mk_file *f;
		unsigned ev;

		p[i].revents = 0;
		if (p[i].fd < 0)
			continue;
		f = mk_fd_file(p[i].fd);
		if (!f) {
			ev = MK_POLLNVAL;
		} else {
			ev = f->ops->poll ? f->ops->poll(f) : MK_POLLIN | MK_POLLOUT;
			mk_file_put(f);
			ev &= (unsigned)(uint16_t)p[i].events | MK_POLLERR |
			      MK_POLLHUP | MK_POLLNVAL;
		}
		p[i].revents = (int16_t)ev;
		if (ev)
			ready++;
	}
	return ready;
}

/*
 * do_poll - wait until a polled fd is ready, @deadline (tick; 0 = never)
 * passes or a signal arrives (-ERESTARTNOHAND).  @nowait: just look.
 */
static long do_poll(uintptr_t ufds, unsigned long n, bool nowait,
		    uint64_t deadline)
{
	size_t size = n * sizeof(struct mk_pollfd);
	struct mk_pollfd *p;
	long r;

	if (n > mk_rlimit_cur(KF_RLIMIT_NOFILE))
		return -KF_EINVAL;
	p = mk_alloc(size ? size : 1);
	if (!p)
		return -KF_ENOMEM;
	if (kf_os_copy_from_user(p, ufds, size)) {
		r = -KF_EFAULT;
		goto out;
	}
	for (;;) {
		unsigned long flags = kf_arch_irq_save();

		r = poll_scan(p, n);
		if (r || nowait || mk_deadline_passed(deadline)) {
			kf_arch_irq_restore(flags);
			break;
		}
		if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE)) {
			kf_arch_irq_restore(flags);
			r = -MK_ERESTARTNOHAND;
			goto out;
		}
		mk_sleep(&mk_poll_wq, KF_WAIT_INTERRUPTIBLE, deadline);
		kf_arch_irq_restore(flags);
	}
	if (kf_os_copy_to_user(ufds, p, size))
		r = -KF_EFAULT;
out:
	mk_free(p, size ? size : 1);
	return r;
}

long mk_sys_poll(const long *a)
{
	long ms = (int)a[2];

	if (ms < 0)
		return do_poll((uintptr_t)a[0], (unsigned long)a[1], false, 0);
	return do_poll((uintptr_t)a[0], (unsigned long)a[1], ms == 0,
		       mk_deadline_ns(ms / 1000, (ms % 1000) * 1000000));
}

/* ppoll(fds, n, timeout, sigmask, size): the signal mask is not applied. */
long mk_sys_ppoll(const long *a)
{
	int64_t ts[2];

	if (!a[2])
		return do_poll((uintptr_t)a[0], (unsigned long)a[1], false, 0);
	if (kf_os_copy_from_user(ts, (uintptr_t)a[2], sizeof(ts)))
		return -KF_EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
		return -KF_EINVAL;
	return do_poll((uintptr_t)a[0], (unsigned long)a[1],
		       ts[0] == 0 && ts[1] == 0, mk_deadline_ns(ts[0], ts[1]));
}
