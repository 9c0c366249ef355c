/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hal/asid.c - ASID allocation with generation rollover (see
 * <kf/hal/asid.h>).  The scheme is the one Linux's arm64 and riscv64
 * ports use: a lock-free fast path when the context is of the current
 * generation, a locked slow path that allocates, and a rollover that
 * keeps the ASIDs running on CPUs and makes every CPU flush once.
 */
#include <kf/hal/asid.h>

static bool asid_test(const struct kf_asid_space *s, unsigned a)
{
	return (s->used[a / 64] >> (a % 64)) & 1;
}

static void asid_set(struct kf_asid_space *s, unsigned a)
{
	s->used[a / 64] |= 1ull << (a % 64);
}

void kf_asid_space_init(struct kf_asid_space *s, unsigned nr)
{
	if (nr > KF_ASID_MAX)
		nr = KF_ASID_MAX;
	if (nr < CONFIG_KF_NR_CPUS + 2)
		kf_os_panic("kf_asid_space_init: %u ASIDs for %d CPUs", nr,
			    CONFIG_KF_NR_CPUS);
	__builtin_memset(s, 0, sizeof(*s));
	kf_os_spin_init(&s->lock);
	s->nr = nr;
	s->generation = 1ull << KF_ASID_GEN_SHIFT;
}

/*
 * asid_rollover - a new generation: only the ASIDs some CPU runs stay
 * used (each CPU's active one, or the one it kept at the last rollover if
 * it has not activated since), and every CPU owes a full local flush.
 * Lock held.
 */
static void asid_rollover(struct kf_asid_space *s)
{
	__builtin_memset(s->used, 0, sizeof(s->used));
	for (unsigned cpu = 0; cpu < CONFIG_KF_NR_CPUS; cpu++) {
		uint64_t a = __atomic_exchange_n(&s->active[cpu], 0,
						 __ATOMIC_ACQ_REL);

		if (!a)
			a = s->reserved[cpu];
		if (a)
			asid_set(s, kf_asid_of(a));
		s->reserved[cpu] = a;
		kf_cpumask_set(&s->flush_pending, cpu);
	}
	__atomic_add_fetch(&s->generation, 1ull << KF_ASID_GEN_SHIFT,
			   __ATOMIC_RELEASE);
	s->rollovers++;
}

/* A CPU kept @ctx over the rollover: it keeps its ASID, in @newctx. */
static bool asid_keep_reserved(struct kf_asid_space *s, uint64_t ctx,
			       uint64_t newctx)
{
	bool hit = false;

	for (unsigned cpu = 0; cpu < CONFIG_KF_NR_CPUS; cpu++) {
		if (s->reserved[cpu] == ctx) {
			s->reserved[cpu] = newctx;
			hit = true;
		}
	}
	return hit;
}

/* The next free ASID after the cursor, or 0. */
static unsigned asid_find_free(struct kf_asid_space *s)
{
	unsigned n = s->nr - 1;

	for (unsigned i = 0; i < n; i++) {
		unsigned a = 1 + (s->next + i) % n;

		if (!asid_test(s, a))
			return a;
	}
	return 0;
}

/* asid_new_context - a context of the current generation for the address
 * space whose old one is @ctx.  Lock held. */
static uint64_t asid_new_context(struct kf_asid_space *s, uint64_t ctx)
{
	unsigned a;

	if (ctx) {
		uint64_t newctx = s->generation | kf_asid_of(ctx);

		/* still running somewhere: the number was kept for it */
		if (asid_keep_reserved(s, ctx, newctx))
			return newctx;
		/* free in this generation: keep the number (no flush needed,
		 * nobody else had it since our entries were flushed) */
		if (!asid_test(s, kf_asid_of(ctx))) {
			asid_set(s, kf_asid_of(ctx));
			return newctx;
		}
	}
	a = asid_find_free(s);
	if (!a) {
		asid_rollover(s);
		a = asid_find_free(s);
		if (!a)
			kf_os_panic("kf_asid: no ASID after a rollover");
	}
	asid_set(s, a);
	s->next = a;
	s->allocs++;
	return s->generation | a;
}

static bool asid_current(struct kf_asid_space *s, uint64_t ctx)
{
	return ctx && (ctx & ~(uint64_t)(KF_ASID_MAX - 1)) ==
		      __atomic_load_n(&s->generation, __ATOMIC_ACQUIRE);
}

unsigned kf_asid_activate(struct kf_asid_space *s, uint64_t *ctx,
			  unsigned cpu, bool *flush_local)
{
	uint64_t c = __atomic_load_n(ctx, __ATOMIC_ACQUIRE);
	uint64_t old = __atomic_load_n(&s->active[cpu], __ATOMIC_ACQUIRE);
	unsigned long irq;

	*flush_local = false;
	/* Fast path: the context is current and no rollover has taken this
	 * CPU's slot since (a rollover zeroes it, failing the exchange). */
	if (asid_current(s, c) && old &&
	    __atomic_compare_exchange_n(&s->active[cpu], &old, c, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return kf_asid_of(c);

	irq = kf_os_spin_lock(&s->lock);
	c = *ctx;
	if (!asid_current(s, c)) {
		c = asid_new_context(s, c);
		__atomic_store_n(ctx, c, __ATOMIC_RELEASE);
	}
	if (kf_cpumask_test(&s->flush_pending, cpu)) {
		kf_cpumask_clear(&s->flush_pending, cpu);
		*flush_local = true;
	}
	__atomic_store_n(&s->active[cpu], c, __ATOMIC_RELEASE);
	kf_os_spin_unlock(&s->lock, irq);
	return kf_asid_of(c);
}
