// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/socket.c - socketpair(AF_UNIX): two connected ends, each
 * with a 64 KiB receive ring the other end writes into, and the calls that
 * move data on them (read, write, sendto, recvfrom).
 *
 *   SOCK_STREAM     bytes, as a pipe in each direction.
 *   SOCK_SEQPACKET  records: a send is one record (EMSGSIZE past the
 *   SOCK_DGRAM      ring), a receive takes one and drops what did not fit.
 *
 * Reads wait while the ring is empty and the peer is open (0 once it
 * closed); writes wait for room, and with the peer closed fail with EPIPE
 * and SIGPIPE (not with MSG_NOSIGNAL).  O_NONBLOCK or MSG_DONTWAIT turn a
 * wait into EAGAIN; a signal interrupts one (-ERESTARTSYS).  No addresses,
 * no listening sockets, no fd passing.
 */
#include <kf/kf.h>
#include <kf/hal/irq.h>
#include <mk/file.h>
#include <mk/proc.h>

#define AF_UNIX		1
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_SEQPACKET	5
#define SOCK_TYPE_MASK	0xf
#define SOCK_CLOEXEC	MK_O_CLOEXEC
#define SOCK_NONBLOCK	MK_O_NONBLOCK
#define MSG_DONTWAIT	0x40
#define MSG_NOSIGNAL	0x4000
#define MK_S_IFSOCK	0140000
#define MK_ENOTSOCK	88
#define MK_EMSGSIZE	90
#define MK_EPROTONOSUPPORT 93
#define MK_ESOCKTNOSUPPORT 94
#define MK_EAFNOSUPPORT	97
#define MK_EISCONN	106
#define RING		(64u * 1024u)
#define CHUNK		512u

/* one direction: what an end receives */
struct ring {
	char *buf;
	unsigned head, len;
};

struct sockpair {
	int type;
	struct ring rx[2];		/* rx[e]: what end e reads */
	bool open[2];
	struct mk_waitq wq;		/* readers and writers of both ends */
	uint64_t gen;			/* moves at every change (EPOLLET) */
};

struct sock {
	struct sockpair *pair;
	int end;
};

static const struct mk_file_ops sock_ops;

static bool records(const struct sockpair *p)
{
	return p->type != SOCK_STREAM;
}

static void pair_wake(struct sockpair *p)
{
	p->gen++;
	mk_wake_all(&p->wq);
	mk_poll_wake();
}

/* ---- The rings (interrupts off) ------------------------------------------------- */

static void ring_take(struct ring *r, char *dst, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (dst)
			dst[i] = r->buf[(r->head + i) % RING];
	r->head = (r->head + n) % RING;
	r->len -= n;
}

static void ring_put(struct ring *r, const char *src, unsigned n)
{
	unsigned i, tail = (r->head + r->len) % RING;

	for (i = 0; i < n; i++)
		r->buf[(tail + i) % RING] = src[i];
	r->len += n;
}

/* wait - sleep on the pair's queue; -ERESTARTSYS when a signal came, or
 * -EAGAIN when not to block.  Interrupts off, so no wake-up is lost. */
static long wait(struct sockpair *p, bool nonblock)
{
	if (nonblock)
		return -KF_EAGAIN;
	if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE))
		return -MK_ERESTARTSYS;
	mk_sleep(&p->wq, KF_WAIT_INTERRUPTIBLE, 0);
	return 0;
}

/* ---- Receiving ------------------------------------------------------------------------ */

/* recv_stream - what is there, up to @n, once something is. */
static long recv_stream(struct sockpair *p, struct ring *r, uintptr_t ubuf,
			size_t n, bool nonblock)
{
	char chunk[CHUNK];
	size_t done = 0;
	unsigned long flags;
	long err = 0;

	flags = kf_arch_irq_save();
	while (!r->len && p->open[0] && p->open[1] && !err)
		err = wait(p, nonblock);
	kf_arch_irq_restore(flags);
	if (err)
		return err;
	while (done < n && r->len) {
		unsigned k = n - done < CHUNK ? (unsigned)(n - done) : CHUNK;

		flags = kf_arch_irq_save();
		if (k > r->len)
			k = r->len;
		ring_take(r, chunk, k);
		kf_arch_irq_restore(flags);
		if (kf_os_copy_to_user(ubuf + done, chunk, k)) {
			if (!done)
				err = -KF_EFAULT;
			break;
		}
		done += k;
	}
	pair_wake(p);
	return done ? (long)done : err;
}

/* recv_record - the next record: up to @n of it, the rest dropped. */
static long recv_record(struct sockpair *p, struct ring *r, uintptr_t ubuf,
			size_t n, bool nonblock)
{
	char chunk[CHUNK];
	uint32_t len = 0;
	size_t done = 0;
	unsigned long flags;
	long err = 0;

	flags = kf_arch_irq_save();
	while (!r->len && p->open[0] && p->open[1] && !err)
		err = wait(p, nonblock);
	if (!err && r->len)
		ring_take(r, (char *)&len, sizeof(len));
	kf_arch_irq_restore(flags);
	if (err)
		return err;
	while (done < len) {
		unsigned k = len - done < CHUNK ? (unsigned)(len - done) : CHUNK;

		flags = kf_arch_irq_save();
		ring_take(r, chunk, k);
		kf_arch_irq_restore(flags);
		if (done < n && kf_os_copy_to_user(ubuf + done, chunk,
						   n - done < k ? n - done : k))
			err = -KF_EFAULT;
		done += k;
	}
	pair_wake(p);
	if (err)
		return err;
	return (long)(len < n ? len : n);
}

static long do_recv(struct mk_file *f, uintptr_t ubuf, size_t n, bool nonblock)
{
	struct sock *s = f->priv;
	struct sockpair *p = s->pair;
	struct ring *r = &p->rx[s->end];

	if (records(p))
		return recv_record(p, r, ubuf, n, nonblock);
	if (!n)
		return 0;
	return recv_stream(p, r, ubuf, n, nonblock);
}

/* ---- Sending ------------------------------------------------------------------------------ */

/* room - wait until @want bytes fit in the peer's ring (or it closed:
 * EPIPE). */
static long room(struct sockpair *p, int peer, unsigned want, bool nonblock)
{
	unsigned long flags = kf_arch_irq_save();
	long err = 0;

	while (!err && p->open[peer] && RING - p->rx[peer].len < want)
		err = wait(p, nonblock);
	if (!err && !p->open[peer])
		err = -MK_EPIPE;
	kf_arch_irq_restore(flags);
	return err;
}

static long send_stream(struct sockpair *p, int peer, uintptr_t ubuf, size_t n,
			bool nonblock)
{
	char chunk[CHUNK];
	size_t done = 0;
	long err = 0;

	while (done < n) {
		unsigned k = n - done < CHUNK ? (unsigned)(n - done) : CHUNK;
		unsigned long flags;

		if (kf_os_copy_from_user(chunk, ubuf + done, k)) {
			err = -KF_EFAULT;
			break;
		}
		err = room(p, peer, 1, nonblock && !done);
		if (err == -KF_EAGAIN && done)
			err = 0;
		if (err)
			break;
		flags = kf_arch_irq_save();
		if (k > RING - p->rx[peer].len)
			k = RING - p->rx[peer].len;
		ring_put(&p->rx[peer], chunk, k);
		kf_arch_irq_restore(flags);
		done += k;
		pair_wake(p);
	}
	return done ? (long)done : err;
}

/* send_record - the whole record goes in at once: the user's bytes are
 * copied into a kernel buffer first, since a copy may sleep. */
static long send_record(struct sockpair *p, int peer, uintptr_t ubuf, size_t n,
			bool nonblock)
{
	uint32_t len = (uint32_t)n;
	unsigned long flags;
	char *buf;
	long err;

	if (n + sizeof(len) > RING)
		return -MK_EMSGSIZE;
	buf = mk_alloc(n ? n : 1);
	if (!buf)
		return -KF_ENOMEM;
	err = kf_os_copy_from_user(buf, ubuf, n) ? -KF_EFAULT : 0;
	if (!err)
		err = room(p, peer, (unsigned)(n + sizeof(len)), nonblock);
	if (!err) {
		flags = kf_arch_irq_save();
		ring_put(&p->rx[peer], (char *)&len, sizeof(len));
		ring_put(&p->rx[peer], buf, (unsigned)n);
		kf_arch_irq_restore(flags);
		pair_wake(p);
	}
	mk_free(buf, n ? n : 1);
	return err ? err : (long)n;
}

static long do_send(struct mk_file *f, uintptr_t ubuf, size_t n, bool nonblock,
		    bool nosignal)
{
	struct sock *s = f->priv;
	struct sockpair *p = s->pair;
	long r = records(p) ? send_record(p, !s->end, ubuf, n, nonblock) :
			      send_stream(p, !s->end, ubuf, n, nonblock);

	if (r == -MK_EPIPE && !nosignal) {
		struct kf_siginfo si = { .signo = KF_SIGPIPE, .code = KF_SI_USER,
					 .pid = kf_getpid(), .uid = (int)kf_getuid() };

		kf_signal_send(mk_current_task(), KF_SIGPIPE, &si, false);
	}
	return r;
}

/* ---- The file ---------------------------------------------------------------------------- */

static long sock_read(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	return do_recv(f, ubuf, n, f->flags & MK_O_NONBLOCK);
}

static long sock_write(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	return do_send(f, ubuf, n, f->flags & MK_O_NONBLOCK, false);
}

static unsigned sock_poll(struct mk_file *f)
{
	struct sock *s = f->priv;
	struct sockpair *p = s->pair;
	unsigned ev = 0;

	if (p->rx[s->end].len || !p->open[!s->end])
		ev |= MK_POLLIN;
	if (!p->open[!s->end])
		ev |= MK_POLLHUP;
	else if (RING - p->rx[!s->end].len >= (records(p) ? 4u + 1u : 1u))
		ev |= MK_POLLOUT;
	return ev;
}

static uint64_t sock_gen(struct mk_file *f)
{
	return ((struct sock *)f->priv)->pair->gen;
}

static void sock_stat(struct mk_file *f, struct mk_stat *st)
{
	st->mode = MK_S_IFSOCK | 0777;
	st->ino = (uintptr_t)f->priv >> 4;
	st->dev = 8;		/* sockfs */
}

static void pair_free(struct sockpair *p)
{
	mk_free(p->rx[0].buf, RING);
	mk_free(p->rx[1].buf, RING);
	mk_free(p, sizeof(*p));
}

static void sock_release(struct mk_file *f)
{
	struct sock *s = f->priv;
	struct sockpair *p = s->pair;
	unsigned long flags = kf_arch_irq_save();
	bool last;

	p->open[s->end] = false;
	last = !p->open[!s->end];
	kf_arch_irq_restore(flags);
	mk_free(s, sizeof(*s));
	if (last)
		pair_free(p);
	else
		pair_wake(p);
}

static const struct mk_file_ops sock_ops = {
	.read = sock_read,
	.write = sock_write,
	.poll = sock_poll,
	.wake_gen = sock_gen,
	.stat = sock_stat,
	.release = sock_release,
	.mnt_id = MK_MNT_ID_ANON,
};

/* ---- The system calls ------------------------------------------------------------------- */

static struct mk_file *end_new(struct sockpair *p, int end, unsigned flags)
{
	struct sock *s = mk_alloc(sizeof(*s));
	struct mk_file *f;

	if (!s)
		return NULL;
	s->pair = p;
	s->end = end;
	f = mk_file_new(&sock_ops, MK_O_RDWR | flags, s);
	if (!f)
		mk_free(s, sizeof(*s));
	return f;
}

/* pair_new - the two ends; on failure nothing is left. */
static long pair_new(int type, unsigned flags, struct mk_file **a,
		     struct mk_file **b)
{
	struct sockpair *p = mk_alloc(sizeof(*p));

	if (!p)
		return -KF_ENOMEM;
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->rx[0].buf = mk_alloc(RING);
	p->rx[1].buf = mk_alloc(RING);
	mk_waitq_init(&p->wq);
	if (!p->rx[0].buf || !p->rx[1].buf)
		goto fail;
	*a = end_new(p, 0, flags);
	if (!*a)
		goto fail;
	*b = end_new(p, 1, flags);
	if (!*b) {
		mk_free((*a)->priv, sizeof(struct sock));
		mk_free(*a, sizeof(**a));
		goto fail;
	}
	p->open[0] = p->open[1] = true;
	return 0;
fail:
	if (p->rx[0].buf)
		mk_free(p->rx[0].buf, RING);
	if (p->rx[1].buf)
		mk_free(p->rx[1].buf, RING);
	mk_free(p, sizeof(*p));
	return -KF_ENOMEM;
}

/*
 * socketpair(domain, type, protocol, sv): EAFNOSUPPORT for a domain other
 * than AF_UNIX, EINVAL for unknown type flags, ESOCKTNOSUPPORT for a type,
 * EPROTONOSUPPORT for a protocol; then as pipe2: both fds reserved
 * (EMFILE), stored (EFAULT), and only then installed.
 */
long mk_sys_socketpair(const long *a)
{
	int type = (int)a[1] & SOCK_TYPE_MASK;
	unsigned flags = (unsigned)a[1] & ~(unsigned)SOCK_TYPE_MASK;
	bool cloexec = flags & SOCK_CLOEXEC;
	struct mk_file *s0, *s1;
	int fds[2];
	long r;

	if ((int)a[0] != AF_UNIX)
		return -MK_EAFNOSUPPORT;
	if (flags & ~(unsigned)(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -KF_EINVAL;
	if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET)
		return -MK_ESOCKTNOSUPPORT;
	if (a[2] && a[2] != AF_UNIX)
		return -MK_EPROTONOSUPPORT;
	r = pair_new(type, flags & SOCK_NONBLOCK, &s0, &s1);
	if (r)
		return r;
	fds[0] = kf_fd_reserve(cloexec);
	if (fds[0] < 0) {
		r = fds[0];
		goto put;
	}
	fds[1] = kf_fd_reserve(cloexec);
	if (fds[1] < 0) {
		r = fds[1];
		goto unreserve0;
	}
	if (kf_os_copy_to_user((uintptr_t)a[3], fds, sizeof(fds))) {
		r = -KF_EFAULT;
		goto unreserve1;
	}
	kf_fd_install_reserved(fds[0], s0);
	kf_fd_install_reserved(fds[1], s1);
	return 0;

unreserve1:
	kf_fd_unreserve(fds[1]);
unreserve0:
	kf_fd_unreserve(fds[0]);
put:
	mk_file_put(s0);
	mk_file_put(s1);
	return r;
}

/* sock_file - the socket at @fd: EBADF, ENOTSOCK. */
static struct mk_file *sock_file(int fd, long *err)
{
	struct mk_file *f = mk_fd_file(fd);

	*err = -KF_EBADF;
	if (!f)
		return NULL;
	if (f->ops != &sock_ops) {
		mk_file_put(f);
		*err = -MK_ENOTSOCK;
		return NULL;
	}
	return f;
}

/* sendto(fd, buf, len, flags, addr, addrlen): a connected pair takes no
 * address (EISCONN). */
long mk_sys_sendto(const long *a)
{
	unsigned flags = (unsigned)a[3];
	struct mk_file *f;
	long r;

	f = sock_file((int)a[0], &r);
	if (!f)
		return r;
	if (a[4])
		r = -MK_EISCONN;
	else
		r = do_send(f, (uintptr_t)a[1], (size_t)a[2],
			    (f->flags & MK_O_NONBLOCK) || (flags & MSG_DONTWAIT),
			    flags & MSG_NOSIGNAL);
	mk_file_put(f);
	return r;
}

/* recvfrom(fd, buf, len, flags, addr, addrlen): the peer has no name, so
 * an address asked for comes back empty. */
long mk_sys_recvfrom(const long *a)
{
	unsigned flags = (unsigned)a[3];
	struct mk_file *f;
	uint32_t zero = 0;
	long r;

	f = sock_file((int)a[0], &r);
	if (!f)
		return r;
	r = do_recv(f, (uintptr_t)a[1], (size_t)a[2],
		    (f->flags & MK_O_NONBLOCK) || (flags & MSG_DONTWAIT));
	if (r >= 0 && a[4] && a[5] &&
	    kf_os_copy_to_user((uintptr_t)a[5], &zero, sizeof(zero)))
		r = -KF_EFAULT;
	mk_file_put(f);
	return r;
}
