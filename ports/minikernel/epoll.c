// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/epoll.c - epoll_create1, epoll_ctl, epoll_wait and
 * epoll_pwait, on the poll machinery every kind of file already has.
 *
 * An epoll instance is a list of items, one per (fd, open file) added, each
 * with the events it asks for and the user's data.  Waiting scans the
 * items with each file's ->poll, as poll(2) does, and sleeps on the one
 * queue every readiness change wakes (mk_poll_wq: pipes, exits); the scan
 * and the sleep happen with interrupts off, so no wake-up falls between
 * them.  As on Linux an item follows its open file, not its fd: closing
 * one fd of a file still open elsewhere keeps the item, and the file's
 * last close removes it from every instance (mk_epoll_forget).
 *
 *   EPOLLONESHOT  an item reports once, then waits for EPOLL_CTL_MOD.
 *   EPOLLET       an item reports when it is ready and its file changed
 *                 since its last report (the file's wake_gen count; for
 *                 kinds without one any wake-up counts).
 * An epoll fd polls readable when one of its items would report.
 */
#include <kf/kf.h>
#include <kf/hal/irq.h>
#include <mk/file.h>
#include <mk/proc.h>
#include <mk/arch/abi.h>

#define EPOLL_CLOEXEC	MK_O_CLOEXEC
#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3
#define EPOLLIN		0x001u
#define EPOLLERR	0x008u
#define EPOLLHUP	0x010u
#define EPOLLEXCLUSIVE	(1u << 28)
#define EPOLLWAKEUP	(1u << 29)
#define EPOLLONESHOT	(1u << 30)
#define EPOLLET		(1u << 31)
/* what EPOLLEXCLUSIVE may come with (Linux's EPOLLEXCLUSIVE_OK_BITS) */
#define EPOLLEXCLUSIVE_OK (EPOLLIN | 0x004u | EPOLLERR | EPOLLHUP | 0x040u | \
			   0x100u | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)
#define EP_MAX_NESTS	4
#define EP_MAX_EVENTS	(0x7fffffff / MK_EPOLL_EVENT_SIZE)
#define MK_ELOOP	40

struct epitem {
	struct epitem *next;
	int fd;
	struct mk_file *file;		/* no reference: the file's release
					 * removes the item */
	uint32_t events;		/* asked for, with EPOLLERR|EPOLLHUP */
	uint64_t data;
	uint64_t gen;			/* EPOLLET: the file's count when reported */
	bool reported;			/* EPOLLET: gen is valid */
	bool disarmed;			/* EPOLLONESHOT: reported, until MOD */
};

struct eventpoll {
	struct eventpoll *next;		/* every instance (mk_epoll_forget) */
	struct mk_file *file;
	struct epitem *items;
};

static struct eventpoll *all_eps;
static const struct mk_file_ops epoll_ops;

static bool is_epoll(const struct mk_file *f)
{
	return f->ops == &epoll_ops;
}

/* ---- Readiness ------------------------------------------------------------------- */

static unsigned file_ready(struct mk_file *f, int depth);

static uint64_t file_gen(struct mk_file *f)
{
	return f->ops->wake_gen ? f->ops->wake_gen(f) : mk_poll_gen;
}

/* item_ready - what @it would report now (0: nothing). */
static uint32_t item_ready(struct epitem *it, int depth)
{
	uint32_t ev;

	if (it->disarmed)
		return 0;
	ev = file_ready(it->file, depth) & it->events;
	if ((it->events & EPOLLET) && it->reported && it->gen == file_gen(it->file))
		return 0;
	return ev;
}

/* ep_any_ready - would any item report?  (the epoll fd's own poll) */
static bool ep_any_ready(struct eventpoll *ep, int depth)
{
	struct epitem *it;

	if (depth > EP_MAX_NESTS)
		return false;
	for (it = ep->items; it; it = it->next)
		if (item_ready(it, depth + 1))
			return true;
	return false;
}

static unsigned file_ready(struct mk_file *f, int depth)
{
	if (is_epoll(f))
		return ep_any_ready(f->priv, depth) ? EPOLLIN : 0;
	return f->ops->poll ? f->ops->poll(f) : EPOLLIN | 0x004u;
}

static unsigned epoll_poll(struct mk_file *f)
{
	return ep_any_ready(f->priv, 0) ? EPOLLIN : 0;
}

/* ---- The file ------------------------------------------------------------------------ */

static void epoll_stat(struct mk_file *f, struct mk_stat *st)
{
	st->mode = 0600;
	st->ino = (uintptr_t)f->priv >> 4;
	st->dev = 13;		/* anon_inode */
}

static void ep_free_items(struct eventpoll *ep)
{
	while (ep->items) {
		struct epitem *it = ep->items;

		ep->items = it->next;
		it->file->epolls--;
		mk_free(it, sizeof(*it));
	}
}

static void epoll_release(struct mk_file *f)
{
	struct eventpoll *ep = f->priv, **pp;
	unsigned long flags = kf_arch_irq_save();

	for (pp = &all_eps; *pp; pp = &(*pp)->next) {
		if (*pp == ep) {
			*pp = ep->next;
			break;
		}
	}
	ep_free_items(ep);
	kf_arch_irq_restore(flags);
	mk_free(ep, sizeof(*ep));
}

/* Linux's ep_show_fdinfo: one line per item. */
static size_t epoll_fdinfo(struct mk_file *f, char *buf, size_t room)
{
	struct eventpoll *ep = f->priv;
	struct epitem *it;
	size_t len = 0;

	for (it = ep->items; it && len + 1 < room; it = it->next) {
		struct mk_stat st;

		memset(&st, 0, sizeof(st));
		if (it->file->ops->stat)
			it->file->ops->stat(it->file, &st);
		len += (size_t)mk_snprintf(buf + len, room - len,
			"tfd: %8d events: %8x data: %16lx  pos:%lu ino:%lx sdev:%lx\n",
			it->fd, it->disarmed ? 0 : it->events,
			(unsigned long)it->data, (unsigned long)it->file->pos,
			(unsigned long)st.ino, (unsigned long)st.dev);
		if (len >= room)
			len = room - 1;
	}
	return len;
}

static const struct mk_file_ops epoll_ops = {
	.poll = epoll_poll,
	.stat = epoll_stat,
	.release = epoll_release,
	.fdinfo = epoll_fdinfo,
	.mnt_id = MK_MNT_ID_ANON,
};

/* mk_epoll_forget - @f's last reference is going: no instance watches it
 * any more. */
void mk_epoll_forget(struct mk_file *f)
{
	unsigned long flags = kf_arch_irq_save();
	struct eventpoll *ep;

	for (ep = all_eps; ep && f->epolls; ep = ep->next) {
		struct epitem **pp = &ep->items;

		while (*pp) {
			struct epitem *it = *pp;

			if (it->file != f) {
				pp = &it->next;
				continue;
			}
			*pp = it->next;
			f->epolls--;
			mk_free(it, sizeof(*it));
		}
	}
	kf_arch_irq_restore(flags);
}

/* ---- epoll_create ----------------------------------------------------------------------- */

static long do_epoll_create(unsigned flags)
{
	struct eventpoll *ep;
	struct mk_file *f;
	unsigned long irq;
	int fd;

	if (flags & ~(unsigned)EPOLL_CLOEXEC)
		return -KF_EINVAL;
	ep = mk_alloc(sizeof(*ep));
	if (!ep)
		return -KF_ENOMEM;
	memset(ep, 0, sizeof(*ep));
	f = mk_file_new(&epoll_ops, MK_O_RDWR, ep);
	if (!f) {
		mk_free(ep, sizeof(*ep));
		return -KF_ENOMEM;
	}
	ep->file = f;
	irq = kf_arch_irq_save();
	ep->next = all_eps;
	all_eps = ep;
	kf_arch_irq_restore(irq);
	fd = kf_fd_install(f, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		mk_file_put(f);
	return fd;
}

long mk_sys_epoll_create1(const long *a)
{
	return do_epoll_create((unsigned)a[0]);
}

/* epoll_create(size): size is a hint that must be positive. */
long mk_sys_epoll_create(const long *a)
{
	if ((int)a[0] <= 0)
		return -KF_EINVAL;
	return do_epoll_create(0);
}

/* ---- epoll_ctl --------------------------------------------------------------------------- */

static struct epitem *ep_find(struct eventpoll *ep, int fd, struct mk_file *f)
{
	struct epitem *it;

	for (it = ep->items; it; it = it->next)
		if (it->fd == fd && it->file == f)
			return it;
	return NULL;
}

/* reaches - does epoll file @from watch @to, itself or through nested
 * instances, within @depth levels?  Deeper than that counts as a loop. */
static bool reaches(struct mk_file *from, struct mk_file *to, int depth)
{
	struct epitem *it;

	if (depth > EP_MAX_NESTS)
		return true;
	for (it = ((struct eventpoll *)from->priv)->items; it; it = it->next) {
		if (it->file == to)
			return true;
		if (is_epoll(it->file) && reaches(it->file, to, depth + 1))
			return true;
	}
	return false;
}

/* read_event - struct epoll_event, as the arch lays it out. */
static long read_event(uintptr_t u, uint32_t *events, uint64_t *data)
{
	char ev[16];

	if (kf_os_copy_from_user(ev, u, MK_EPOLL_EVENT_SIZE))
		return -KF_EFAULT;
	memcpy(events, ev, 4);
	memcpy(data, ev + MK_EPOLL_EVENT_SIZE - 8, 8);
	return 0;
}

static long ep_add(struct eventpoll *ep, int fd, struct mk_file *tf,
		   uint32_t events, uint64_t data)
{
	struct epitem *it;

	if (ep_find(ep, fd, tf))
		return -KF_EEXIST;
	if (is_epoll(tf) && reaches(tf, ep->file, 1))
		return -MK_ELOOP;
	it = mk_alloc(sizeof(*it));
	if (!it)
		return -KF_ENOMEM;
	memset(it, 0, sizeof(*it));
	it->fd = fd;
	it->file = tf;
	it->events = events | EPOLLERR | EPOLLHUP;
	it->data = data;
	tf->epolls++;
	/* at the end: a wait reports items in the order they were added */
	{
		struct epitem **pp = &ep->items;

		while (*pp)
			pp = &(*pp)->next;
		*pp = it;
	}
	mk_poll_wake();		/* a waiter may have something to report now */
	return 0;
}

static long ep_del(struct eventpoll *ep, int fd, struct mk_file *tf)
{
	struct epitem **pp, *it;

	for (pp = &ep->items; (it = *pp); pp = &it->next) {
		if (it->fd == fd && it->file == tf) {
			*pp = it->next;
			tf->epolls--;
			mk_free(it, sizeof(*it));
			return 0;
		}
	}
	return -KF_ENOENT;
}

static long ep_mod(struct eventpoll *ep, int fd, struct mk_file *tf,
		   uint32_t events, uint64_t data)
{
	struct epitem *it = ep_find(ep, fd, tf);

	if (!it)
		return -KF_ENOENT;
	if (it->events & EPOLLEXCLUSIVE)
		return -KF_EINVAL;
	it->events = events | EPOLLERR | EPOLLHUP;
	it->data = data;
	it->disarmed = false;
	it->reported = false;
	mk_poll_wake();
	return 0;
}

/*
 * epoll_ctl(epfd, op, fd, event) in Linux's order: the event is read
 * (EFAULT; not for DEL), both fds looked up (EBADF), EPERM for a file
 * that cannot be polled (the initramfs' and /proc's files), EINVAL for
 * EPOLLEXCLUSIVE misuse, for epfd not an epoll fd or fd being epfd, then
 * the operation: EEXIST, ELOOP, ENOENT, or EINVAL for an unknown op.
 */
long mk_sys_epoll_ctl(const long *a)
{
	int epfd = (int)a[0], op = (int)a[1], fd = (int)a[2];
	struct mk_file *f = NULL, *tf = NULL;
	uint32_t events = 0;
	uint64_t data = 0;
	unsigned long irq;
	long r;

	if (op != EPOLL_CTL_DEL) {
		r = read_event((uintptr_t)a[3], &events, &data);
		if (r)
			return r;
	}
	f = mk_fd_file(epfd);
	if (!f)
		return -KF_EBADF;
	tf = mk_fd_file(fd);
	r = -KF_EBADF;
	if (!tf)
		goto out;
	r = -KF_EPERM;
	if (tf->path && (tf->mode & MK_S_IFMT) != MK_S_IFCHR)
		goto out;
	r = -KF_EINVAL;
	if (op != EPOLL_CTL_DEL && (events & EPOLLEXCLUSIVE) &&
	    (op == EPOLL_CTL_MOD || is_epoll(tf) || (events & ~EPOLLEXCLUSIVE_OK)))
		goto out;
	if (f == tf || !is_epoll(f))
		goto out;
	irq = kf_arch_irq_save();
	switch (op) {
	case EPOLL_CTL_ADD:
		r = ep_add(f->priv, fd, tf, events, data);
		break;
	case EPOLL_CTL_DEL:
		r = ep_del(f->priv, fd, tf);
		break;
	case EPOLL_CTL_MOD:
		r = ep_mod(f->priv, fd, tf, events, data);
		break;
	default:
		r = -KF_EINVAL;
		break;
	}
	kf_arch_irq_restore(irq);
out:
	if (tf)
		mk_file_put(tf);
	mk_file_put(f);
	return r;
}

/* ---- epoll_wait ------------------------------------------------------------------------- */

/*
 * ep_collect - up to @max ready items into @out (event, data pairs);
 * consumes their EPOLLONESHOT and EPOLLET state.  Interrupts off.
 */
static int ep_collect(struct eventpoll *ep, uint32_t *ev, uint64_t *data, int max)
{
	struct epitem *it;
	int n = 0;

	for (it = ep->items; it && n < max; it = it->next) {
		uint32_t r = item_ready(it, 0);

		if (!r)
			continue;
		if (it->events & EPOLLET) {
			it->gen = file_gen(it->file);
			it->reported = true;
		}
		ev[n] = r;
		data[n] = it->data;
		n++;
		if (it->events & EPOLLONESHOT)
			it->disarmed = true;
	}
	return n;
}

/* ep_put_events - the collected events to user space, in the arch's
 * struct epoll_event. */
static long ep_put_events(uintptr_t u, const uint32_t *ev, const uint64_t *data,
			  int n)
{
	char rec[16];
	int i;

	for (i = 0; i < n; i++) {
		memset(rec, 0, sizeof(rec));
		memcpy(rec, &ev[i], 4);
		memcpy(rec + MK_EPOLL_EVENT_SIZE - 8, &data[i], 8);
		if (kf_os_copy_to_user(u + (uintptr_t)i * MK_EPOLL_EVENT_SIZE, rec,
				       MK_EPOLL_EVENT_SIZE))
			return -KF_EFAULT;
	}
	return n;
}

#define EP_BATCH 64	/* events taken per scan */

/*
 * do_epoll_wait - Linux's ep_poll: what is ready now, else sleep until
 * something is, @deadline (0: none) passes (0 events) or a signal comes
 * (EINTR: epoll_wait is never restarted).
 */
static long do_epoll_wait(int epfd, uintptr_t uev, int max, bool nowait,
			  uint64_t deadline)
{
	uint32_t ev[EP_BATCH];
	uint64_t data[EP_BATCH];
	struct mk_file *f;
	long r;
	int n;

	if (max <= 0 || max > EP_MAX_EVENTS)
		return -KF_EINVAL;
	f = mk_fd_file(epfd);
	if (!f)
		return -KF_EBADF;
	if (!is_epoll(f)) {
		mk_file_put(f);
		return -KF_EINVAL;
	}
	for (;;) {
		unsigned long flags = kf_arch_irq_save();

		n = ep_collect(f->priv, ev, data, max < EP_BATCH ? max : EP_BATCH);
		if (n || nowait || mk_deadline_passed(deadline)) {
			kf_arch_irq_restore(flags);
			r = n;
			break;
		}
		if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE)) {
			kf_arch_irq_restore(flags);
			r = -KF_EINTR;
			break;
		}
		mk_sleep(&mk_poll_wq, KF_WAIT_INTERRUPTIBLE, deadline);
		kf_arch_irq_restore(flags);
	}
	if (r > 0)
		r = ep_put_events(uev, ev, data, n);
	mk_file_put(f);
	return r;
}

static long epoll_wait_ms(const long *a)
{
	long ms = (int)a[3];

	if (ms < 0)
		return do_epoll_wait((int)a[0], (uintptr_t)a[1], (int)a[2], false, 0);
	return do_epoll_wait((int)a[0], (uintptr_t)a[1], (int)a[2], ms == 0,
			     mk_deadline_ns(ms / 1000, (ms % 1000) * 1000000));
}

long mk_sys_epoll_wait(const long *a)
{
	return epoll_wait_ms(a);
}

/*
 * epoll_pwait(epfd, events, max, timeout, sigmask, sigsetsize): the wait
 * runs with @sigmask as the blocked set; interrupted, the signal is taken
 * with it and the old mask comes back after the handler (as sigsuspend),
 * else the old mask comes back at once.
 */
long mk_sys_epoll_pwait(const long *a)
{
	struct mk_thread *t = mk_current();
	uint64_t mask;
	unsigned long flags;
	long r;

	if (!a[4])
		return epoll_wait_ms(a);
	if (a[5] != 8)
		return -KF_EINVAL;
	if (kf_os_copy_from_user(&mask, (uintptr_t)a[4], sizeof(mask)))
		return -KF_EFAULT;
	flags = kf_arch_irq_save();
	t->saved_mask = t->blocked;
	t->restore_mask = true;
	t->blocked = mask & ~(uint64_t)((1ull << (KF_SIGKILL - 1)) |
					(1ull << (KF_SIGSTOP - 1)));
	kf_arch_irq_restore(flags);
	r = epoll_wait_ms(a);
	if (r != -KF_EINTR) {
		flags = kf_arch_irq_save();
		t->blocked = t->saved_mask;
		t->restore_mask = false;
		kf_arch_irq_restore(flags);
	}
	return r;
}
