// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/host/host_lock.c - spinlocks with owner tracking, and the
 * "may this caller sleep?" check the other hooks use.
 *
 * A spinlock is an atomic flag plus the id of the holding host thread.
 * Under the baton only one task runs, so a spinlock is never contended by
 * another task unless one went to sleep holding it, which host_assert_may_
 * sleep turns into a panic first.  Locking a spinlock twice from one thread
 * (self-deadlock) and unlocking one the caller does not hold also panic.
 */
#include <sched.h>
#include <string.h>
#include <kf/hal/irq.h>
#include "host.h"

struct host_spin {
	uint32_t locked;
	uintptr_t owner;		/* host_thread_id() of the holder, or 0 */
};
_Static_assert(sizeof(struct host_spin) <= sizeof(kf_os_spinlock_t),
	       "kf_os_spinlock_t too small");

static __thread int spin_depth;		/* spinlocks held by this thread */
static __thread char thread_id;		/* its address names the thread */

uintptr_t host_thread_id(void)
{
	return (uintptr_t)&thread_id;
}

void host_assert_may_sleep(const char *what)
{
	if (spin_depth)
		kf_os_panic("%s called with %d spinlock(s) held", what, spin_depth);
	if (kf_arch_irqs_disabled())
		kf_os_panic("%s called with IRQs disabled", what);
}

void kf_os_spin_init(kf_os_spinlock_t *l)
{
	memset(l, 0, sizeof(*l));
}

unsigned long kf_os_spin_lock(kf_os_spinlock_t *l)
{
	struct host_spin *s = (struct host_spin *)l;
	uintptr_t me = host_thread_id();
	unsigned long flags = kf_arch_irq_save();
	unsigned spins = 0;

	if (__atomic_load_n(&s->owner, __ATOMIC_RELAXED) == me)
		kf_os_panic("kf_os_spin_lock(%p): already held by the caller",
			    (void *)l);
	while (__atomic_exchange_n(&s->locked, 1, __ATOMIC_ACQUIRE)) {
		if (++spins % 1024 == 0)
			sched_yield();
		else
			kf_arch_cpu_relax();
	}
	__atomic_store_n(&s->owner, me, __ATOMIC_RELAXED);
	spin_depth++;
	return flags;
}

void kf_os_spin_unlock(kf_os_spinlock_t *l, unsigned long irqstate)
{
	struct host_spin *s = (struct host_spin *)l;

	if (__atomic_load_n(&s->owner, __ATOMIC_RELAXED) != host_thread_id())
		kf_os_panic("kf_os_spin_unlock(%p): not held by the caller",
			    (void *)l);
	__atomic_store_n(&s->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&s->locked, 0, __ATOMIC_RELEASE);
	spin_depth--;
	kf_arch_irq_restore(irqstate);
}

bool kf_os_spin_held(kf_os_spinlock_t *l)
{
	struct host_spin *s = (struct host_spin *)l;

	return __atomic_load_n(&s->owner, __ATOMIC_RELAXED) == host_thread_id();
}
