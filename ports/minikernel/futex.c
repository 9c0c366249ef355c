// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/futex.c - futex(2): WAIT, WAKE, REQUEUE, CMP_REQUEUE,
 * private or shared, with relative timeouts; and kfork's
 * kf_os_futex_wake (CLONE_CHILD_CLEARTID).
 *
 * A waiter is keyed by (address space, address).  A shared op on a
 * MAP_SHARED page also records the frame (physical address), so waiters
 * in other processes that map the same page meet there; a private page
 * is only ever one process's.  Waiters live on one list (few of them at a
 * time here) and sleep interruptibly.
 */
#include <kf/kf.h>
#include <kf/mm.h>
#include <kf/hal/irq.h>
#include <mk/proc.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define MK_ETIMEDOUT 110

struct futex_key {
	struct kf_mm *mm;
	uintptr_t va;
	uint64_t pa;		/* shared mapping: the frame + offset, else 0 */
};

struct futex_waiter {
	struct mk_list node;
	struct futex_key key;
	struct mk_thread *t;
	bool woken;
};

static struct mk_list futex_waiters = MK_LIST_INIT(futex_waiters);

static bool key_match(const struct futex_key *w, const struct futex_key *k)
{
	return (w->mm == k->mm && w->va == k->va) || (k->pa && w->pa == k->pa);
}

/* vma_shared - does a MAP_SHARED mapping of @mm cover @va? */
static bool vma_shared(struct kf_mm *mm, uintptr_t va)
{
	struct kf_mm_vma_info vi;
	unsigned i;

	for (i = 0; kf_mm_vma_info(mm, i, &vi) == 0; i++)
		if (va >= vi.start && va < vi.end)
			return vi.shared;
	return false;
}

/*
 * get_key - the key of the u32 at @uaddr, after reading it into *@val
 * (which faults the page in).  0, -EINVAL (misaligned), -EFAULT.
 */
static long get_key(uintptr_t uaddr, bool private, uint32_t *val,
		    struct futex_key *k)
{
	kf_paddr_t pa;
	unsigned prot;

	if (uaddr & 3)
		return -KF_EINVAL;
	if (kf_os_copy_from_user(val, uaddr, sizeof(*val)))
		return -KF_EFAULT;
	k->mm = mk_current_mm();
	k->va = uaddr;
	k->pa = 0;
	if (!private && vma_shared(k->mm, uaddr) &&
	    kf_mm_translate(k->mm, uaddr & ~4095ul, &pa, &prot) == 0)
		k->pa = pa + (uaddr & 4095);
	return 0;
}

/* wake_key - wake up to @n waiters on @k; with @to, requeue up to
 * @nreq of the rest there instead.  Returns the number woken (plus
 * requeued, for REQUEUE's result). */
static long wake_key(const struct futex_key *k, int n,
		     const struct futex_key *to, int nreq)
{
	unsigned long flags = kf_arch_irq_save();
	struct mk_list *pos = futex_waiters.next, *next;
	long woken = 0, moved = 0;

	for (; pos != &futex_waiters; pos = next) {
		struct futex_waiter *w = mk_container_of(pos, struct futex_waiter,
							 node);

		next = pos->next;
		if (!key_match(&w->key, k))
			continue;
		if (woken < n) {
			mk_list_del(&w->node);
			w->woken = true;
			mk_thread_wake(w->t);
			woken++;
		} else if (to && moved < nreq) {
			w->key = *to;
			moved++;
		} else {
			break;
		}
	}
	kf_arch_irq_restore(flags);
	return woken + moved;
}

void kf_os_futex_wake(kf_uptr_t uaddr, int n)
{
	struct futex_key k = { mk_current_mm(), uaddr, 0 };

	wake_key(&k, n, NULL, 0);
}

/* futex_wait - sleep while *uaddr == @val: 0 when woken, -EAGAIN,
 * -ETIMEDOUT, -ERESTARTSYS (a signal), -EFAULT, -EINVAL. */
static long futex_wait(uintptr_t uaddr, bool private, uint32_t val,
		       uintptr_t utimeout)
{
	struct futex_waiter w = { .t = mk_current() };
	uint64_t deadline = 0;
	unsigned long flags;
	int64_t ts[2];
	uint32_t cur;
	long r;

	if (utimeout) {
		if (kf_os_copy_from_user(ts, utimeout, sizeof(ts)))
			return -KF_EFAULT;
		if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
			return -KF_EINVAL;
		deadline = mk_deadline_ns(ts[0], ts[1]);
	}
	r = get_key(uaddr, private, &cur, &w.key);
	if (r)
		return r;
	if (cur != val)
		return -KF_EAGAIN;
	/* no sleep between the read and here: no wake can be missed */
	flags = kf_arch_irq_save();
	mk_list_add_tail(&w.node, &futex_waiters);
	for (;;) {
		if (w.woken) {
			r = 0;
			break;
		}
		if (mk_deadline_passed(deadline)) {
			r = -MK_ETIMEDOUT;
			break;
		}
		if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE)) {
			r = -MK_ERESTARTSYS;
			break;
		}
		mk_sleep(NULL, KF_WAIT_INTERRUPTIBLE, deadline);
	}
	if (!w.woken)
		mk_list_del(&w.node);
	kf_arch_irq_restore(flags);
	return r;
}

static long futex_requeue(const long *a, bool private, bool cmp)
{
	struct futex_key k, to;
	uint32_t cur, cur2;
	long r;

	r = get_key((uintptr_t)a[0], private, &cur, &k);
	if (!r)
		r = get_key((uintptr_t)a[4], private, &cur2, &to);
	if (r)
		return r;
	if (cmp && cur != (uint32_t)a[5])
		return -KF_EAGAIN;
	if ((int)a[2] < 0 || (int)a[3] < 0)
		return -KF_EINVAL;
	return wake_key(&k, (int)a[2], &to, (int)a[3]);
}

/* futex(uaddr, op, val, timeout | val2, uaddr2, val3) */
long mk_sys_futex(const long *a)
{
	int op = (int)a[1];
	bool private = op & FUTEX_PRIVATE_FLAG;
	int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	struct futex_key k;
	uint32_t cur;
	long r;

	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT)
		return -KF_ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		if (op & FUTEX_CLOCK_REALTIME)
			return -KF_ENOSYS;
		return futex_wait((uintptr_t)a[0], private, (uint32_t)a[2],
				  (uintptr_t)a[3]);
	case FUTEX_WAKE:
		/* a private key needs no look at the memory */
		k = (struct futex_key){ mk_current_mm(), (uintptr_t)a[0], 0 };
		r = (a[0] & 3) ? -KF_EINVAL :
		    private ? 0 : get_key((uintptr_t)a[0], false, &cur, &k);
		if (r)
			return r;
		return wake_key(&k, (int)a[2] > 0 ? (int)a[2] : 1, NULL, 0);
	case FUTEX_REQUEUE:
		return futex_requeue(a, private, false);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(a, private, true);
	default:
		return -KF_ENOSYS;
	}
}
