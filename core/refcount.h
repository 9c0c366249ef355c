/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * core/refcount.h - reference counts and atomic counters on compiler
 * builtins, so the core needs nothing from the host for them.  A count
 * that would go below zero or wrap is a broken invariant: panic.
 */
#ifndef KF_CORE_REFCOUNT_H
#define KF_CORE_REFCOUNT_H

#include <stdbool.h>
#include <kf/kf_os.h>

typedef struct { int v; } kf_refcount_t;
typedef struct { long v; } kf_atomic_t;

static inline void kf_ref_init(kf_refcount_t *r, int v) { __atomic_store_n(&r->v, v, __ATOMIC_RELAXED); }
static inline int kf_ref_read(const kf_refcount_t *r) { return __atomic_load_n(&r->v, __ATOMIC_RELAXED); }

static inline void kf_ref_get(kf_refcount_t *r)
{
	int old = __atomic_fetch_add(&r->v, 1, __ATOMIC_RELAXED);
	if (old <= 0)
		kf_os_panic("kf_ref_get: count %d", old);
}

/* kf_ref_put - drop a reference; true when it was the last one. */
static inline bool kf_ref_put(kf_refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->v, 1, __ATOMIC_ACQ_REL);
	if (old <= 0)
		kf_os_panic("kf_ref_put: count %d", old);
	return old == 1;
}

static inline long kf_atomic_read(const kf_atomic_t *a) { return __atomic_load_n(&a->v, __ATOMIC_RELAXED); }
static inline void kf_atomic_set(kf_atomic_t *a, long v) { __atomic_store_n(&a->v, v, __ATOMIC_RELAXED); }
static inline long kf_atomic_add(kf_atomic_t *a, long d) { return __atomic_add_fetch(&a->v, d, __ATOMIC_ACQ_REL); }

#endif
