// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/os.c - kfork's OS-services layer (<kf/kf_os.h>) on the
 * mini-kernel: memory, frames, locks, sleeping, user copies and the log.
 * The task hooks are in task.c, signals in signal.c, files in file.c.
 *
 * One CPU and a non-preemptive kernel: a spinlock is "interrupts off" plus
 * a flag that catches recursion; a mutex is an owner and a wait queue.
 */
#include <kf/kf.h>
#include <kf/hal/uaccess.h>
#include <kf/hal/irq.h>
#include <mk/board.h>
#include <mk/mk.h>
#include <mk/sched.h>
#include <mk/proc.h>

/* ---- CPUs -------------------------------------------------------------------- */

/* One CPU for now (SMP is a later step). */
unsigned kf_os_cpu_id(void)
{
	return 0;
}

/* ---- Memory ------------------------------------------------------------------ */

void *kf_os_alloc(size_t size, const char *site)
{
	(void)site;
	return mk_alloc(size);
}

void kf_os_free(void *p, size_t size)
{
	mk_free(p, size);
}

kf_paddr_t kf_os_page_alloc(const char *site)
{
	(void)site;
	return mk_page_alloc();
}

void kf_os_page_get(kf_paddr_t pa)
{
	mk_page_get(pa);
}

void kf_os_page_put(kf_paddr_t pa)
{
	mk_page_put(pa);
}

unsigned kf_os_page_count(kf_paddr_t pa)
{
	return mk_page_count(pa);
}

void *kf_os_phys_to_virt(kf_paddr_t pa)
{
	return board_phys_to_virt(pa);
}

/* ---- Locks -------------------------------------------------------------------- */

struct mk_spin {
	unsigned locked;
};

struct mk_mutex {
	struct mk_thread *owner;
	struct mk_waitq waiters;
};

_Static_assert(sizeof(struct mk_spin) <= sizeof(kf_os_spinlock_t), "spin");
_Static_assert(sizeof(struct mk_mutex) <= sizeof(kf_os_mutex_t), "mutex");
_Static_assert(sizeof(struct mk_waitq) <= sizeof(kf_os_waitq_t), "waitq");

static struct mk_spin *as_spin(kf_os_spinlock_t *l) { return (struct mk_spin *)l; }
static struct mk_mutex *as_mutex(kf_os_mutex_t *m) { return (struct mk_mutex *)m; }
static struct mk_waitq *as_waitq(kf_os_waitq_t *q) { return (struct mk_waitq *)q; }

void kf_os_spin_init(kf_os_spinlock_t *l)
{
	as_spin(l)->locked = 0;
}

unsigned long kf_os_spin_lock(kf_os_spinlock_t *l)
{
	unsigned long flags = kf_arch_irq_save();

	if (as_spin(l)->locked)
		mk_panic("spinlock %p taken twice", (void *)l);
	as_spin(l)->locked = 1;
	return flags;
}

void kf_os_spin_unlock(kf_os_spinlock_t *l, unsigned long irqstate)
{
	if (!as_spin(l)->locked)
		mk_panic("spinlock %p released while free", (void *)l);
	as_spin(l)->locked = 0;
	kf_arch_irq_restore(irqstate);
}

bool kf_os_spin_held(kf_os_spinlock_t *l)
{
	return as_spin(l)->locked != 0;
}

void kf_os_mutex_init(kf_os_mutex_t *m)
{
	as_mutex(m)->owner = NULL;
	mk_waitq_init(&as_mutex(m)->waiters);
}

void kf_os_mutex_lock(kf_os_mutex_t *m)
{
	struct mk_mutex *mx = as_mutex(m);

	if (mx->owner == mk_current())
		mk_panic("mutex %p taken twice by thread %d", (void *)m,
			 mk_current()->tid);
	while (mx->owner)
		mk_sleep_on(&mx->waiters);
	mx->owner = mk_current();
}

void kf_os_mutex_unlock(kf_os_mutex_t *m)
{
	struct mk_mutex *mx = as_mutex(m);

	if (mx->owner != mk_current())
		mk_panic("mutex %p released by a non-owner", (void *)m);
	mx->owner = NULL;
	mk_wake_all(&mx->waiters);
}

/* ---- Sleeping ------------------------------------------------------------------ */

void kf_os_waitq_init(kf_os_waitq_t *q)
{
	mk_waitq_init(as_waitq(q));
}

/*
 * kf_os_wait - sleep until @cond holds or a signal @mode lets through is
 * pending (-KF_EINTR).  The condition is checked first, as Linux's
 * wait_event does.  Nothing between the check and the sleep can sleep,
 * and only this CPU runs, so no wake-up is lost.
 */
int kf_os_wait(kf_os_waitq_t *q, bool (*cond)(void *arg), void *arg,
	       unsigned mode)
{
	for (;;) {
		if (cond(arg))
			return 0;
		if (mk_signal_pending(mode))
			return -KF_EINTR;
		mk_sleep(as_waitq(q), mode, 0);
	}
}

void kf_os_wake_all(kf_os_waitq_t *q)
{
	mk_wake_all(as_waitq(q));
}

/* ---- User memory ----------------------------------------------------------------- */

int kf_os_copy_from_user(void *dst, kf_uptr_t src, size_t n)
{
	return kf_arch_copy_from_user(dst, src, n) ? -KF_EFAULT : 0;
}

int kf_os_copy_to_user(kf_uptr_t dst, const void *src, size_t n)
{
	return kf_arch_copy_to_user(dst, src, n) ? -KF_EFAULT : 0;
}

/* ---- Diagnostics ------------------------------------------------------------------- */

int mk_loglevel = KF_LOG_INFO;

void kf_os_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > mk_loglevel)
		return;
	mk_printk("kf: ");
	va_start(ap, fmt);
	mk_vprintk(fmt, ap);
	va_end(ap);
	mk_printk("\n");
}

void kf_os_panic(const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	mk_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mk_panic("kf: %s", buf);
}
