// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/pipe.c - pipes: a 64 KiB ring shared by a read end and
 * a write end, with Linux's blocking rules.
 *
 *   read   waits while the pipe is empty and a writer exists; returns what
 *          is there (up to the request); 0 at end of file (no writers).
 *   write  waits for room; writes of at most PIPE_BUF (4096) bytes are
 *          atomic; with no reader left: EPIPE and SIGPIPE.
 *   O_NONBLOCK turns each wait into EAGAIN.  A signal interrupts a wait
 *   (-ERESTARTSYS, or the bytes moved so far).
 *
 * One CPU and a non-preemptive kernel: the ring needs no lock, only the
 * user copies may sleep (page faults), which is why data moves through a
 * small kernel bounce buffer before the ring is touched.
 */
#include <kf/kf.h>
#include <kf/hal/irq.h>
#include <mk/file.h>
#include <mk/proc.h>

#define PIPE_SIZE (64u * 1024u)
#define PIPE_BUF 4096u
#define PIPE_CHUNK 512u

struct mk_pipe {
	char *buf;
	unsigned head, len;		/* read position, bytes stored */
	int readers, writers;
	struct mk_waitq rd_wq, wr_wq;
	uint64_t gen;			/* moves at every change (EPOLLET) */
};

static void pipe_wake(struct mk_pipe *p)
{
	p->gen++;
	mk_wake_all(&p->rd_wq);
	mk_wake_all(&p->wr_wq);
	mk_poll_wake();
}

/* pipe_take - move up to @n bytes out of the ring into @dst. */
static unsigned pipe_take(struct mk_pipe *p, char *dst, unsigned n)
{
	unsigned i;

	if (n > p->len)
		n = p->len;
	for (i = 0; i < n; i++)
		dst[i] = p->buf[(p->head + i) % PIPE_SIZE];
	p->head = (p->head + n) % PIPE_SIZE;
	p->len -= n;
	return n;
}

static void pipe_put(struct mk_pipe *p, const char *src, unsigned n)
{
	unsigned i, tail = (p->head + p->len) % PIPE_SIZE;

	for (i = 0; i < n; i++)
		p->buf[(tail + i) % PIPE_SIZE] = src[i];
	p->len += n;
}

/* pipe_wait - sleep on @q until woken; -ERESTARTSYS when a signal came.
 * Called with interrupts off, so no wake-up is lost. */
static long pipe_wait(struct mk_waitq *q)
{
	if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE))
		return -MK_ERESTARTSYS;
	mk_sleep(q, KF_WAIT_INTERRUPTIBLE, 0);
	return 0;
}

static long pipe_read(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	struct mk_pipe *p = f->priv;
	char chunk[PIPE_CHUNK];
	size_t done = 0;
	unsigned long flags;
	long err = 0;

	if (n == 0)
		return 0;
	flags = kf_arch_irq_save();
	while (p->len == 0 && p->writers > 0) {
		if (f->flags & MK_O_NONBLOCK) {
			err = -KF_EAGAIN;
			break;
		}
		err = pipe_wait(&p->rd_wq);
		if (err)
			break;
	}
	kf_arch_irq_restore(flags);
	if (err)
		return err;
	/* what is there now; copies may sleep, but nobody else reads */
	while (done < n && p->len > 0) {
		unsigned want = n - done < PIPE_CHUNK ? (unsigned)(n - done) : PIPE_CHUNK;
		unsigned got;

		flags = kf_arch_irq_save();
		got = pipe_take(p, chunk, want);
		kf_arch_irq_restore(flags);
		if (kf_os_copy_to_user(ubuf + done, chunk, got)) {
			if (!done)
				err = -KF_EFAULT;
			break;
		}
		done += got;
	}
	pipe_wake(p);
	return done ? (long)done : err;
}

/* pipe_write_room - wait until @want bytes fit (or the readers left). */
static long pipe_write_room(struct mk_file *f, struct mk_pipe *p, unsigned want)
{
	unsigned long flags = kf_arch_irq_save();
	long err = 0;

	while (p->readers > 0 && PIPE_SIZE - p->len < want) {
		if (f->flags & MK_O_NONBLOCK) {
			err = -KF_EAGAIN;
			break;
		}
		err = pipe_wait(&p->wr_wq);
		if (err)
			break;
	}
	if (!err && p->readers == 0)
		err = -MK_EPIPE;
	kf_arch_irq_restore(flags);
	return err;
}

static long pipe_write(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	struct mk_pipe *p = f->priv;
	char chunk[PIPE_CHUNK];
	size_t done = 0;
	long err = 0;

	while (done < n) {
		unsigned len = n - done < PIPE_CHUNK ? (unsigned)(n - done) : PIPE_CHUNK;
		/* a write of up to PIPE_BUF goes in as one piece */
		unsigned need = n <= PIPE_BUF ? (unsigned)n : 1;

		if (kf_os_copy_from_user(chunk, ubuf + done, len)) {
			err = -KF_EFAULT;
			break;
		}
		err = pipe_write_room(f, p, done ? 1 : need);
		if (err)
			break;
		if (len > PIPE_SIZE - p->len)
			len = PIPE_SIZE - p->len;
		pipe_put(p, chunk, len);
		done += len;
		pipe_wake(p);
	}
	if (err == -MK_EPIPE) {
		/* Linux's send_sig(SIGPIPE, current, 0): SI_USER from itself */
		struct kf_siginfo si = { .signo = KF_SIGPIPE, .code = KF_SI_USER,
					 .pid = kf_getpid(), .uid = (int)kf_getuid() };

		kf_signal_send(mk_current_task(), KF_SIGPIPE, &si, false);
	}
	return done ? (long)done : err;
}

static unsigned pipe_poll(struct mk_file *f)
{
	struct mk_pipe *p = f->priv;
	unsigned ev = 0;

	if ((f->flags & MK_O_ACCMODE) == MK_O_RDONLY) {
		if (p->len)
			ev |= MK_POLLIN;
		if (!p->writers)
			ev |= MK_POLLHUP;
	} else {
		if (p->len < PIPE_SIZE)
			ev |= MK_POLLOUT;
		if (!p->readers)
			ev |= MK_POLLERR;
	}
	return ev;
}

static uint64_t pipe_gen(struct mk_file *f)
{
	return ((struct mk_pipe *)f->priv)->gen;
}

static void pipe_stat(struct mk_file *f, struct mk_stat *st)
{
	st->mode = MK_S_IFIFO | 0600;
	st->ino = (uintptr_t)f->priv >> 4;
	st->dev = 12;		/* pipefs */
}

static void pipe_free(struct mk_pipe *p)
{
	mk_free(p->buf, PIPE_SIZE);
	mk_free(p, sizeof(*p));
}

static void pipe_release(struct mk_file *f)
{
	struct mk_pipe *p = f->priv;
	unsigned long flags = kf_arch_irq_save();
	bool last;

	if ((f->flags & MK_O_ACCMODE) == MK_O_RDONLY)
		p->readers--;
	else
		p->writers--;
	last = !p->readers && !p->writers;
	kf_arch_irq_restore(flags);
	if (last)
		pipe_free(p);
	else
		pipe_wake(p);
}

static const struct mk_file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.wake_gen = pipe_gen,
	.stat = pipe_stat,
	.release = pipe_release,
	.mnt_id = MK_MNT_ID_PIPEFS,
};

long mk_pipe_create(struct mk_file **rd, struct mk_file **wr, unsigned flags)
{
	struct mk_pipe *p = mk_alloc(sizeof(*p));

	if (!p)
		return -KF_ENOMEM;
	p->buf = mk_alloc(PIPE_SIZE);
	if (!p->buf) {
		mk_free(p, sizeof(*p));
		return -KF_ENOMEM;
	}
	mk_waitq_init(&p->rd_wq);
	mk_waitq_init(&p->wr_wq);
	*rd = mk_file_new(&pipe_ops, MK_O_RDONLY | flags, p);
	*wr = mk_file_new(&pipe_ops, MK_O_WRONLY | flags, p);
	if (!*rd || !*wr) {
		if (*rd)
			mk_free(*rd, sizeof(**rd));
		if (*wr)
			mk_free(*wr, sizeof(**wr));
		pipe_free(p);
		return -KF_ENOMEM;
	}
	p->readers = p->writers = 1;
	return 0;
}

/* ---- vmsplice ------------------------------------------------------------------------ */

#define SPLICE_F_ALL 0xfu	/* MOVE, NONBLOCK, MORE, GIFT */
#define SPLICE_F_NONBLOCK 0x2u
#define MK_IOV_MAX 1024

struct mk_iov {
	uint64_t base, len;
};

/*
 * splice_in - user memory into the pipe as Linux's vmsplice_to_pipe: wait
 * for room (EAGAIN with SPLICE_F_NONBLOCK or O_NONBLOCK), then move what
 * fits and no more -- a large region goes in partly rather than block.
 * The bytes are copied (Linux lends the pages; what a reader sees is the
 * same: the contents at the time of the call).
 */
static long splice_in(struct mk_file *f, const struct mk_iov *iov, long cnt,
		      bool nonblock)
{
	struct mk_pipe *p = f->priv;
	unsigned saved = f->flags;
	long total = 0, r = 0, i;

	if (nonblock)
		f->flags |= MK_O_NONBLOCK;
	r = pipe_write_room(f, p, 1);
	f->flags = saved;
	if (r == -MK_EPIPE) {
		struct kf_siginfo si = { .signo = KF_SIGPIPE, .code = KF_SI_USER,
					 .pid = kf_getpid(), .uid = (int)kf_getuid() };

		kf_signal_send(mk_current_task(), KF_SIGPIPE, &si, false);
	}
	for (i = 0; !r && i < cnt; i++) {
		size_t room = PIPE_SIZE - p->len, n = iov[i].len;

		if (!room)
			break;
		if (n > room)
			n = room;
		r = pipe_write(f, (uintptr_t)iov[i].base, n);
		if (r < 0)
			break;
		total += r;
		r = (size_t)r < iov[i].len ? 1 : 0;	/* full: stop */
	}
	return total ? total : (r < 0 ? r : 0);
}

/* splice_out - the pipe into user memory: readv's rules. */
static long splice_out(struct mk_file *f, const struct mk_iov *iov, long cnt,
		       bool nonblock)
{
	unsigned saved = f->flags;
	long total = 0, r = 0, i;

	if (nonblock)
		f->flags |= MK_O_NONBLOCK;
	for (i = 0; i < cnt; i++) {
		if (!iov[i].len)
			continue;
		r = pipe_read(f, (uintptr_t)iov[i].base, iov[i].len);
		if (r <= 0)
			break;
		total += r;
		if ((uint64_t)r < iov[i].len)
			break;
		f->flags |= MK_O_NONBLOCK;	/* only the first may wait */
	}
	f->flags = saved;
	if (r == -KF_EAGAIN && total)
		r = 0;
	return total ? total : r;
}

/*
 * vmsplice(fd, iov, nr_segs, flags): EINVAL for unknown flags, EBADF for
 * an fd that is not a pipe end, EINVAL for too many segments or a negative
 * length, EFAULT; the write end takes user memory, the read end gives it.
 */
long mk_sys_vmsplice(const long *a)
{
	unsigned flags = (unsigned)a[3];
	long cnt = a[2], r = 0, i;
	struct mk_iov *iov = NULL;
	struct mk_file *f;

	if (flags & ~SPLICE_F_ALL)
		return -KF_EINVAL;
	f = mk_fd_file((int)a[0]);
	if (!f)
		return -KF_EBADF;
	if (f->ops != &pipe_ops) {
		r = -KF_EBADF;
		goto out;
	}
	if (cnt < 0 || cnt > MK_IOV_MAX) {
		r = -KF_EINVAL;
		goto out;
	}
	if (!cnt)
		goto out;
	iov = mk_alloc((size_t)cnt * sizeof(*iov));
	if (!iov) {
		r = -KF_ENOMEM;
		goto out;
	}
	if (kf_os_copy_from_user(iov, (uintptr_t)a[1], (size_t)cnt * sizeof(*iov))) {
		r = -KF_EFAULT;
		goto out;
	}
	for (i = 0; i < cnt; i++)
		if ((long)iov[i].len < 0)
			r = -KF_EINVAL;
	if (!r)
		r = (f->flags & MK_O_ACCMODE) == MK_O_RDONLY ?
		    splice_out(f, iov, cnt, flags & SPLICE_F_NONBLOCK) :
		    splice_in(f, iov, cnt, flags & SPLICE_F_NONBLOCK);
out:
	if (iov)
		mk_free(iov, (size_t)cnt * sizeof(*iov));
	mk_file_put(f);
	return r;
}
