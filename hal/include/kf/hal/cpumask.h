/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/hal/cpumask.h - sets of CPU numbers (0 .. CONFIG_KF_NR_CPUS-1), as the
 * host numbers them (kf_os_cpu_id).  An address space's set says which CPUs
 * may hold its translations, so a flush reaches those and no others.
 * Updates are atomic: a CPU adds itself in activate while another CPU
 * reads the set to flush.
 */
#ifndef KF_HAL_CPUMASK_H
#define KF_HAL_CPUMASK_H

#include <stdbool.h>
#include <kf/kf_config.h>

#define KF_CPUMASK_WORDS ((CONFIG_KF_NR_CPUS + 63) / 64)

struct kf_cpumask {
	unsigned long long bits[KF_CPUMASK_WORDS];
};

static inline void kf_cpumask_set(struct kf_cpumask *m, unsigned cpu)
{
	__atomic_fetch_or(&m->bits[cpu / 64], 1ull << (cpu % 64),
			  __ATOMIC_SEQ_CST);
}

static inline void kf_cpumask_clear(struct kf_cpumask *m, unsigned cpu)
{
	__atomic_fetch_and(&m->bits[cpu / 64], ~(1ull << (cpu % 64)),
			   __ATOMIC_SEQ_CST);
}

static inline bool kf_cpumask_test(const struct kf_cpumask *m, unsigned cpu)
{
	return (__atomic_load_n(&m->bits[cpu / 64], __ATOMIC_SEQ_CST) >>
		(cpu % 64)) & 1;
}

static inline void kf_cpumask_zero(struct kf_cpumask *m)
{
	for (unsigned i = 0; i < KF_CPUMASK_WORDS; i++)
		__atomic_store_n(&m->bits[i], 0, __ATOMIC_SEQ_CST);
}

static inline bool kf_cpumask_empty(const struct kf_cpumask *m)
{
	for (unsigned i = 0; i < KF_CPUMASK_WORDS; i++)
		if (__atomic_load_n(&m->bits[i], __ATOMIC_SEQ_CST))
			return false;
	return true;
}

/*
 * kf_cpumask_split - is @cpu in @m, and the first other CPU in it (-1 when
 * none): what a flush must decide, the local part done here and the rest
 * sent elsewhere (or, on a uniprocessor HAL, refused).
 */
static inline bool kf_cpumask_split(const struct kf_cpumask *m, unsigned cpu,
				    int *other)
{
	bool here = false;

	*other = -1;
	for (unsigned w = 0; w < KF_CPUMASK_WORDS; w++) {
		unsigned long long bits =
			__atomic_load_n(&m->bits[w], __ATOMIC_ACQUIRE);

		if (w == cpu / 64) {
			here = (bits >> (cpu % 64)) & 1;
			bits &= ~(1ull << (cpu % 64));
		}
		if (bits && *other < 0)
			*other = (int)(w * 64 + (unsigned)__builtin_ctzll(bits));
	}
	return here;
}

#endif /* KF_HAL_CPUMASK_H */
