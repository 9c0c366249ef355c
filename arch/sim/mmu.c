// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/sim/mmu.c - the software MMU: per-CPU TLBs, walk caches and
 * I-caches, ASIDs from the generic allocator, the HAL's flush and
 * I-cache calls, the checks, and user-memory access (see <kf/arch/sim.h>).
 *
 * Locking: one spinlock (sim.lock) protects every CPU's caches and the
 * counters.  It is held across a translation (the walk reads tables with
 * atomic loads) but never across the fault handler, and the ASID
 * allocator's own lock is never taken under it.
 */
#include <kf/kf.h>
#include <kf/hal/pte.h>
#include <kf/hal/tlb.h>
#include <kf/hal/asid.h>
#include <kf/hal/pgwalk.h>
#include <kf/hal/irq.h>
#include <kf/hal/uaccess.h>
#include <kf/arch/sim.h>

/* A walk-cache entry covers the span of one leaf table. */
#define LEAF_SPAN_SHIFT (KF_PAGE_SHIFT + KF_PT_INDEX_BITS)

struct sim_tlbe {
	uintptr_t vpn;
	kf_paddr_t pa;		/* frame */
	unsigned asid;
	unsigned prot;		/* KF_PROT_* */
	bool valid;
};

struct sim_walke {
	uintptr_t span;		/* va >> LEAF_SPAN_SHIFT */
	kf_paddr_t table;	/* the leaf table mapping it */
	unsigned asid;
	bool valid;
};

struct sim_icline {
	kf_paddr_t pa;
	bool valid;
	unsigned char snap[KF_PAGE_SIZE];
};

struct sim_cpu {
	struct kf_arch_mm *active;
	unsigned asid;
	struct sim_tlbe tlb[KF_SIM_TLB_SETS][KF_SIM_TLB_WAYS];
	unsigned victim[KF_SIM_TLB_SETS];	/* round-robin replacement */
	struct sim_walke walk[KF_SIM_WALK_ENTRIES];
	struct sim_icline ic[KF_SIM_ICACHE_LINES];
	unsigned ic_victim;
};

static struct {
	kf_os_spinlock_t lock;
	int init;		/* 0, 1 = initialising, 2 = ready */
	bool lax;		/* violations are counted, not fatal */
	struct sim_cpu cpu[KF_SIM_NR_CPUS];
	struct kf_asid_space asids;
	kf_sim_fault_fn fault_fn;
	kf_sim_frame_live_fn live_fn;
	struct kf_sim_stats st;
} sim;

/* sim_init - set up on first use (the host may touch the MMU before
 * anything else runs). */
static void sim_init(void)
{
	int zero = 0;

	if (__atomic_load_n(&sim.init, __ATOMIC_ACQUIRE) == 2)
		return;
	if (__atomic_compare_exchange_n(&sim.init, &zero, 1, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		kf_os_spin_init(&sim.lock);
		kf_asid_space_init(&sim.asids, KF_SIM_MAX_ASIDS);
		__atomic_store_n(&sim.init, 2, __ATOMIC_RELEASE);
	}
	while (__atomic_load_n(&sim.init, __ATOMIC_ACQUIRE) != 2)
		kf_arch_cpu_relax();
}

static unsigned long sim_lock(void)
{
	sim_init();
	return kf_os_spin_lock(&sim.lock);
}

static void sim_unlock(unsigned long f)
{
	kf_os_spin_unlock(&sim.lock, f);
}

static struct sim_cpu *this_cpu(void)
{
	unsigned cpu = kf_os_cpu_id();

	if (cpu >= KF_SIM_NR_CPUS)
		kf_os_panic("sim: CPU %u does not exist", cpu);
	return &sim.cpu[cpu];
}

static unsigned cpu_no(const struct sim_cpu *c)
{
	return (unsigned)(c - sim.cpu);
}

/* A check failed: count it, and unless a test asked for lax mode, stop. */
#define SIM_VIOLATION(field, ...)					\
	do {								\
		sim.st.field++;						\
		if (!sim.lax)						\
			kf_os_panic(__VA_ARGS__);			\
		kf_os_log(KF_LOG_INFO, __VA_ARGS__);			\
	} while (0)

static bool frame_live(kf_paddr_t pa)
{
	return !sim.live_fn || sim.live_fn(pa);
}

/* ---- TLB and walk cache (sim.lock held) -------------------------------- */

static unsigned tlb_set(unsigned asid, uintptr_t vpn)
{
	return (unsigned)(vpn ^ (vpn >> 8) ^ ((uintptr_t)asid * 37u)) &
	       (KF_SIM_TLB_SETS - 1);
}

static struct sim_tlbe *tlb_find(struct sim_cpu *c, unsigned asid,
				 uintptr_t vpn)
{
	struct sim_tlbe *set = c->tlb[tlb_set(asid, vpn)];

	for (int w = 0; w < KF_SIM_TLB_WAYS; w++)
		if (set[w].valid && set[w].asid == asid && set[w].vpn == vpn)
			return &set[w];
	return NULL;
}

static void tlb_drop(struct sim_tlbe *e)
{
	e->valid = false;
	sim.st.dropped++;
}

static void tlb_insert(struct sim_cpu *c, unsigned asid, uintptr_t vpn,
		       kf_paddr_t pa, unsigned prot)
{
	unsigned s = tlb_set(asid, vpn);
	struct sim_tlbe *e = tlb_find(c, asid, vpn);

	for (int w = 0; w < KF_SIM_TLB_WAYS && !e; w++)
		if (!c->tlb[s][w].valid)
			e = &c->tlb[s][w];
	if (!e) {
		e = &c->tlb[s][c->victim[s]];
		c->victim[s] = (c->victim[s] + 1) % KF_SIM_TLB_WAYS;
		sim.st.evictions++;
	}
	*e = (struct sim_tlbe){ vpn, pa, asid, prot, true };
}

static struct sim_walke *walk_slot(struct sim_cpu *c, unsigned asid,
				   uintptr_t span)
{
	return &c->walk[(span ^ (span >> 6) ^ asid * 11u) %
			KF_SIM_WALK_ENTRIES];
}

/*
 * cpu_drop - drop @asid's entries on @c: leaves of pages [first, last],
 * and with @tables the walk-cache entries whose span meets them.
 */
static void cpu_drop(struct sim_cpu *c, unsigned asid, uintptr_t first,
		     uintptr_t last, bool tables)
{
	if (last - first < KF_SIM_TLB_SETS) {
		for (uintptr_t v = first; v <= last; v++) {
			struct sim_tlbe *e = tlb_find(c, asid, v);

			if (e)
				tlb_drop(e);
		}
	} else {
		for (int s = 0; s < KF_SIM_TLB_SETS; s++)
			for (int w = 0; w < KF_SIM_TLB_WAYS; w++) {
				struct sim_tlbe *e = &c->tlb[s][w];

				if (e->valid && e->asid == asid &&
				    e->vpn >= first && e->vpn <= last)
					tlb_drop(e);
			}
	}
	if (!tables)
		return;
	for (int i = 0; i < KF_SIM_WALK_ENTRIES; i++) {
		struct sim_walke *w = &c->walk[i];
		uintptr_t lo = w->span << (LEAF_SPAN_SHIFT - KF_PAGE_SHIFT);
		uintptr_t hi = lo + (1ul << KF_PT_INDEX_BITS) - 1;

		if (w->valid && w->asid == asid && lo <= last && hi >= first) {
			w->valid = false;
			sim.st.dropped++;
		}
	}
}

/* cpu_drop_all - everything on @c, every ASID (a rollover's local flush). */
static void cpu_drop_all(struct sim_cpu *c)
{
	__builtin_memset(c->tlb, 0, sizeof(c->tlb));
	__builtin_memset(c->walk, 0, sizeof(c->walk));
}

/*
 * flush_cpus - what a flush of @amm does on every CPU in its set (the
 * broadcast, IPI or remote fence of real hardware).  An address space
 * that never got an ASID was never active, so nothing is cached.
 */
static void flush_cpus(struct kf_arch_mm *amm, uintptr_t first,
		       uintptr_t last, bool tables)
{
	uint64_t ctx = __atomic_load_n(&amm->ctx, __ATOMIC_ACQUIRE);

	if (!ctx)
		return;
	for (unsigned i = 0; i < KF_SIM_NR_CPUS; i++) {
		if (!kf_cpumask_test(&amm->cpus, i))
			continue;
		sim.st.cpu_flushes++;
		cpu_drop(&sim.cpu[i], kf_asid_of(ctx), first, last, tables);
	}
}

/* ---- break-before-make bookkeeping (sim.lock held) --------------------- */

static void bbm_forget(struct kf_arch_mm *amm, uintptr_t first,
		       uintptr_t last)
{
	unsigned i = 0;

	while (i < amm->nr_bbm) {
		if (amm->bbm[i].vpn >= first && amm->bbm[i].vpn <= last)
			amm->bbm[i] = amm->bbm[--amm->nr_bbm];
		else
			i++;
	}
	if (amm->bbm_hi > amm->bbm_lo && first <= amm->bbm_lo &&
	    last + 1 >= amm->bbm_hi)
		amm->bbm_lo = amm->bbm_hi = 0;
}

static void bbm_remember(struct kf_arch_mm *amm, uintptr_t vpn, kf_paddr_t pa)
{
	for (unsigned i = 0; i < amm->nr_bbm; i++) {
		if (amm->bbm[i].vpn == vpn) {	/* the latest frame counts */
			amm->bbm[i].pa = pa;
			return;
		}
	}
	if (amm->nr_bbm < KF_SIM_BBM_PENDING) {
		amm->bbm[amm->nr_bbm++] = (struct kf_sim_bbm_rec){ vpn, pa };
		return;
	}
	if (amm->bbm_hi == amm->bbm_lo) {
		amm->bbm_lo = vpn;
		amm->bbm_hi = vpn + 1;
	}
	if (vpn < amm->bbm_lo)
		amm->bbm_lo = vpn;
	if (vpn >= amm->bbm_hi)
		amm->bbm_hi = vpn + 1;
}

/* bbm_unflushed - was the leaf at @vpn invalidated and not flushed since?
 * *@old gets its frame when known (0 when only the span is known). */
static bool bbm_unflushed(const struct kf_arch_mm *amm, uintptr_t vpn,
			  kf_paddr_t *old)
{
	for (unsigned i = 0; i < amm->nr_bbm; i++) {
		if (amm->bbm[i].vpn == vpn) {
			*old = amm->bbm[i].pa;
			return true;
		}
	}
	*old = 0;
	return vpn >= amm->bbm_lo && vpn < amm->bbm_hi;
}

void kf_sim_pte_check(struct kf_arch_mm *amm, kf_pte_t *slot, uintptr_t va,
		      kf_pte_t e)
{
	kf_pte_t old = kf_pt_read(slot);
	uintptr_t vpn = va >> KF_PAGE_SHIFT;
	bool was = kf_arch_pte_present(old), now = kf_arch_pte_present(e);
	kf_paddr_t prev;
	unsigned long f = sim_lock();

	sim.st.pte_sets++;
	if (was && now && kf_arch_pte_pa(old) != kf_arch_pte_pa(e))
		SIM_VIOLATION(bbm_violations, "sim: break-before-make: %lx "
			      "changed from frame %lx to %lx while valid",
			      (unsigned long)va,
			      (unsigned long)kf_arch_pte_pa(old),
			      (unsigned long)kf_arch_pte_pa(e));
	else if (was && !now)
		bbm_remember(amm, vpn, kf_arch_pte_pa(old));
	else if (!was && now && bbm_unflushed(amm, vpn, &prev) &&
		 prev != kf_arch_pte_pa(e))
		SIM_VIOLATION(bbm_violations, "sim: break-before-make: %lx "
			      "made valid with frame %lx before the flush of "
			      "its invalidation (frame %lx)", (unsigned long)va,
			      (unsigned long)kf_arch_pte_pa(e),
			      (unsigned long)prev);
	sim_unlock(f);
}

/* ---- the HAL contract (kf/hal/tlb.h) ----------------------------------- */

/* The sim has no kernel half in its roots: kernel memory is the host's. */
void kf_arch_set_kernel_root(kf_paddr_t root)
{
	(void)root;
}

void kf_arch_pgd_init(kf_paddr_t root)
{
	(void)root;
}

void kf_arch_mm_init(struct kf_arch_mm *amm, kf_paddr_t root)
{
	__builtin_memset(amm, 0, sizeof(*amm));
	amm->root = root;
}

void kf_arch_mm_fini(struct kf_arch_mm *amm)
{
	unsigned long f = sim_lock();

	for (unsigned i = 0; i < KF_SIM_NR_CPUS; i++) {
		if (sim.cpu[i].active != amm)
			continue;
		sim.cpu[i].active = NULL;
		SIM_VIOLATION(fini_while_active, "sim: address space %lx "
			      "finished while CPU %u runs it",
			      (unsigned long)amm->root, i);
	}
	amm->root = 0;
	sim_unlock(f);
}

void kf_arch_mm_activate(struct kf_arch_mm *amm)
{
	unsigned cpu = kf_os_cpu_id();
	bool flush = false;
	unsigned asid = 0;
	struct sim_cpu *c;
	unsigned long f;

	sim_init();
	if (amm)
		asid = kf_asid_activate(&sim.asids, &amm->ctx, cpu, &flush);
	f = sim_lock();
	c = this_cpu();
	sim.st.activates++;
	if (flush) {
		cpu_drop_all(c);
		sim.st.local_full_flushes++;
	}
	if (amm)
		kf_cpumask_set(&amm->cpus, cpu);	/* before it is loaded */
	c->active = amm;
	c->asid = asid;
	sim_unlock(f);
}

void kf_arch_mm_deactivate(struct kf_arch_mm *amm)
{
	unsigned long f = sim_lock();
	struct sim_cpu *c = this_cpu();

	if (amm && c->active == amm)
		c->active = NULL;
	sim_unlock(f);
}

void kf_arch_tlb_flush_page(struct kf_arch_mm *amm, uintptr_t va)
{
	uintptr_t vpn = va >> KF_PAGE_SHIFT;
	unsigned long f = sim_lock();

	sim.st.flushes++;
	sim.st.flush_page++;
	flush_cpus(amm, vpn, vpn, false);
	bbm_forget(amm, vpn, vpn);
	sim_unlock(f);
}

void kf_arch_tlb_flush_range(struct kf_arch_mm *amm, uintptr_t start,
			     uintptr_t end, unsigned flags)
{
	unsigned long f = sim_lock();

	sim.st.flushes++;
	sim.st.flush_range++;
	if (flags & KF_TLB_TABLES)
		sim.st.flush_tables++;
	if (end > start) {
		uintptr_t first = start >> KF_PAGE_SHIFT;
		uintptr_t last = (end - 1) >> KF_PAGE_SHIFT;

		flush_cpus(amm, first, last, (flags & KF_TLB_TABLES) != 0);
		bbm_forget(amm, first, last);
	}
	sim_unlock(f);
}

void kf_arch_tlb_flush_mm(struct kf_arch_mm *amm)
{
	unsigned long f = sim_lock();

	sim.st.flushes++;
	sim.st.flush_mm++;
	flush_cpus(amm, 0, UINTPTR_MAX, true);
	bbm_forget(amm, 0, UINTPTR_MAX);
	sim_unlock(f);
}

/* The sim's I-cache is physically tagged: drop the frame everywhere (as
 * Arm's ic ivau broadcast does; a riscv64 port reaches the same CPUs with
 * remote fence.i to the address space's set and a fence.i at switch). */
void kf_arch_icache_sync(struct kf_arch_mm *amm, uintptr_t va, kf_paddr_t pa)
{
	unsigned long f = sim_lock();

	(void)amm;
	(void)va;
	sim.st.icache_syncs++;
	for (unsigned i = 0; i < KF_SIM_NR_CPUS; i++)
		for (unsigned l = 0; l < KF_SIM_ICACHE_LINES; l++)
			if (sim.cpu[i].ic[l].valid && sim.cpu[i].ic[l].pa == pa)
				sim.cpu[i].ic[l].valid = false;
	sim_unlock(f);
}

/* ---- translation -------------------------------------------------------- */

static unsigned prot_needed(unsigned access)
{
	unsigned need = KF_PROT_USER;

	if (access & KF_FAULT_WRITE)
		need |= KF_PROT_WRITE;
	if (access & KF_FAULT_EXEC)
		need |= KF_PROT_EXEC;
	if (!(access & (KF_FAULT_WRITE | KF_FAULT_EXEC)))
		need |= KF_PROT_READ;
	return need;
}

/* walk_tables - the leaf table for @va from @root, or 0 if a level is
 * missing (hardware caches no invalid entry, so nothing is cached). */
static kf_paddr_t walk_tables(kf_paddr_t root, uintptr_t va)
{
	kf_paddr_t table = root;

	for (int level = KF_PT_LEVELS - 1; level > 0; level--) {
		kf_pte_t e = kf_pt_read(&kf_pt_table(table)[kf_pt_index(va, level)]);

		if (!kf_arch_pte_is_table(e, level))
			return 0;
		table = kf_arch_pte_pa(e);
	}
	return table;
}

/*
 * walk - the leaf entry for @va on @c, through the walk cache when it
 * holds the span (reading a table the cache still names even if the tree
 * no longer links it: that is what a missing KF_TLB_TABLES flush does on
 * hardware).  False when there is no present leaf.
 */
static bool walk(struct sim_cpu *c, struct kf_arch_mm *amm, uintptr_t va,
		 kf_pte_t *out)
{
	uintptr_t span = va >> LEAF_SPAN_SHIFT;
	struct sim_walke *w = walk_slot(c, c->asid, span);
	kf_paddr_t table;

	if (w->valid && w->asid == c->asid && w->span == span) {
		sim.st.walk_hits++;
		table = w->table;
		if (!frame_live(table)) {
			w->valid = false;
			SIM_VIOLATION(stale_frame_uses, "sim: CPU %u walked "
				      "%lx through leaf table %lx, freed "
				      "before a flush", cpu_no(c),
				      (unsigned long)va, (unsigned long)table);
			return false;
		}
	} else {
		sim.st.walk_misses++;
		table = walk_tables(amm->root, va);
		if (!table)
			return false;
		*w = (struct sim_walke){ span, table, c->asid, true };
	}
	*out = kf_pt_read(&kf_pt_table(table)[kf_pt_index(va, 0)]);
	return kf_arch_pte_present(*out);
}

/*
 * tlb_translate - one attempt at translating @va for @access on the
 * calling CPU.  True with the frame in *@pa, false when the access faults
 * (any cached entry for the page has been dropped).
 */
static bool tlb_translate(uintptr_t va, unsigned access, kf_paddr_t *pa)
{
	unsigned need = prot_needed(access);
	uintptr_t vpn = va >> KF_PAGE_SHIFT;
	unsigned long f = sim_lock();
	struct sim_cpu *c = this_cpu();
	struct sim_tlbe *e;
	kf_pte_t pte;
	bool ok = false;

	sim.st.accesses++;
	if (!c->active || va >= KF_USER_VA_END)
		goto out;
	e = tlb_find(c, c->asid, vpn);
	if (e) {
		sim.st.hits++;
		if ((e->prot & need) != need) {
			tlb_drop(e);
			goto out;
		}
		if (!frame_live(e->pa)) {
			tlb_drop(e);
			SIM_VIOLATION(stale_frame_uses, "sim: CPU %u's TLB maps "
				      "%lx to frame %lx, freed before a flush",
				      cpu_no(c), (unsigned long)va,
				      (unsigned long)e->pa);
			goto out;
		}
		*pa = e->pa;
		ok = true;
		goto out;
	}
	sim.st.misses++;
	if (!walk(c, c->active, va, &pte) ||
	    (kf_arch_pte_prot(pte) & need) != need)
		goto out;
	*pa = kf_arch_pte_pa(pte);
	tlb_insert(c, c->asid, vpn, *pa, kf_arch_pte_prot(pte));
	ok = true;
out:
	sim_unlock(f);
	return ok;
}

static int call_fault(uintptr_t va, unsigned access)
{
	kf_sim_fault_fn fn = __atomic_load_n(&sim.fault_fn, __ATOMIC_ACQUIRE);
	unsigned long f = sim_lock();

	sim.st.faults++;
	sim_unlock(f);
	return fn ? fn(va, access) : kf_fault(va, access);
}

/*
 * sim_translate - translate @va for @access on the calling CPU, taking
 * faults as the CPU would.  0 with the frame in *@pa, or -KF_EFAULT.
 */
static int sim_translate(uintptr_t va, unsigned access, kf_paddr_t *pa)
{
	for (int tries = 0; ; tries++) {
		if (tlb_translate(va, access, pa))
			return 0;
		if (!kf_sim_active_mm() || va >= KF_USER_VA_END)
			return -KF_EFAULT;
		if (tries == KF_SIM_MAX_FAULT_RETRIES) {
			unsigned long f = sim_lock();

			sim.st.fault_loops++;
			sim_unlock(f);
			kf_os_log(KF_LOG_WARN, "sim: fault at %lx (access %u) "
				  "still unresolved after %d retries",
				  (unsigned long)va, access, tries);
			return -KF_EFAULT;
		}
		if (call_fault(va, access) != 0)
			return -KF_EFAULT;
	}
}

size_t kf_sim_copy(uintptr_t va, void *buf, size_t n, unsigned access)
{
	char *p = buf;

	while (n) {
		size_t off = va & (KF_PAGE_SIZE - 1);
		size_t chunk = KF_PAGE_SIZE - off;
		kf_paddr_t pa;
		char *frame;

		if (chunk > n)
			chunk = n;
		if (sim_translate(va, access, &pa) != 0)
			break;
		frame = kf_os_phys_to_virt(pa);
		if (access & KF_FAULT_WRITE)
			__builtin_memcpy(frame + off, p, chunk);
		else
			__builtin_memcpy(p, frame + off, chunk);
		p += chunk;
		va += chunk;
		n -= chunk;
	}
	return n;
}

int kf_sim_access(uintptr_t va, void *buf, size_t n, unsigned access)
{
	return kf_sim_copy(va, buf, n, access) ? -KF_EFAULT : 0;
}

/* ic_line - the calling CPU's line for @pa, filled from memory on a miss;
 * a hit on a line that no longer matches memory is a stale fetch. */
static struct sim_icline *ic_line(struct sim_cpu *c, kf_paddr_t pa)
{
	const unsigned char *mem = kf_os_phys_to_virt(pa);
	struct sim_icline *l;

	for (unsigned i = 0; i < KF_SIM_ICACHE_LINES; i++) {
		l = &c->ic[i];
		if (!l->valid || l->pa != pa)
			continue;
		sim.st.icache_hits++;
		if (__builtin_memcmp(l->snap, mem, KF_PAGE_SIZE))
			SIM_VIOLATION(icache_stale, "sim: CPU %u fetched stale "
				      "instructions from frame %lx (written "
				      "without kf_arch_icache_sync)", cpu_no(c),
				      (unsigned long)pa);
		return l;
	}
	l = &c->ic[c->ic_victim];
	c->ic_victim = (c->ic_victim + 1) % KF_SIM_ICACHE_LINES;
	l->pa = pa;
	l->valid = true;
	__builtin_memcpy(l->snap, mem, KF_PAGE_SIZE);
	return l;
}

int kf_sim_fetch(uintptr_t va, void *buf, size_t n)
{
	size_t off = va & (KF_PAGE_SIZE - 1);
	kf_paddr_t pa;
	unsigned long f;

	if (n > KF_PAGE_SIZE - off)
		return -KF_EFAULT;
	if (sim_translate(va, KF_FAULT_EXEC | KF_FAULT_USER, &pa))
		return -KF_EFAULT;
	f = sim_lock();
	sim.st.fetches++;
	__builtin_memcpy(buf, ic_line(this_cpu(), pa)->snap + off, n);
	sim_unlock(f);
	return 0;
}

/* ---- inspection and test knobs ----------------------------------------- */

struct kf_arch_mm *kf_sim_active_mm(void)
{
	unsigned long f = sim_lock();
	struct kf_arch_mm *amm = this_cpu()->active;

	sim_unlock(f);
	return amm;
}

struct kf_arch_mm *kf_sim_cpu_mm(unsigned cpu)
{
	unsigned long f = sim_lock();
	struct kf_arch_mm *amm = cpu < KF_SIM_NR_CPUS ? sim.cpu[cpu].active
						      : NULL;

	sim_unlock(f);
	return amm;
}

unsigned kf_sim_asid(const struct kf_arch_mm *amm)
{
	return kf_asid_of(__atomic_load_n(&amm->ctx, __ATOMIC_ACQUIRE));
}

void kf_sim_get_stats(struct kf_sim_stats *out)
{
	unsigned long f = sim_lock();

	*out = sim.st;
	sim_unlock(f);
}

void kf_sim_reset_stats(void)
{
	unsigned long f = sim_lock();

	__builtin_memset(&sim.st, 0, sizeof(sim.st));
	sim_unlock(f);
}

uint64_t kf_sim_violations(void)
{
	struct kf_sim_stats st;

	kf_sim_get_stats(&st);
	return st.bbm_violations + st.stale_frame_uses + st.icache_stale +
	       st.fini_while_active;
}

bool kf_sim_set_strict(bool strict)
{
	unsigned long f = sim_lock();
	bool old = !sim.lax;

	sim.lax = !strict;
	sim_unlock(f);
	return old;
}

bool kf_sim_tlb_probe(unsigned cpu, unsigned asid, uintptr_t va,
		      kf_paddr_t *pa, unsigned *prot)
{
	unsigned long f = sim_lock();
	struct sim_tlbe *e = NULL;

	if (cpu < KF_SIM_NR_CPUS)
		e = tlb_find(&sim.cpu[cpu], asid, va >> KF_PAGE_SHIFT);
	if (e && pa)
		*pa = e->pa;
	if (e && prot)
		*prot = e->prot;
	sim_unlock(f);
	return e != NULL;
}

static bool cpu_selected(unsigned want, unsigned cpu)
{
	return want == KF_SIM_ALL_CPUS || want == cpu;
}

unsigned kf_sim_tlb_entries(unsigned cpu, unsigned asid)
{
	unsigned n = 0;
	unsigned long f = sim_lock();

	for (unsigned i = 0; i < KF_SIM_NR_CPUS; i++) {
		if (!cpu_selected(cpu, i))
			continue;
		for (int s = 0; s < KF_SIM_TLB_SETS; s++)
			for (int w = 0; w < KF_SIM_TLB_WAYS; w++)
				n += sim.cpu[i].tlb[s][w].valid &&
				     sim.cpu[i].tlb[s][w].asid == asid;
	}
	sim_unlock(f);
	return n;
}

unsigned kf_sim_walk_entries(unsigned cpu, unsigned asid)
{
	unsigned n = 0;
	unsigned long f = sim_lock();

	for (unsigned i = 0; i < KF_SIM_NR_CPUS; i++) {
		if (!cpu_selected(cpu, i))
			continue;
		for (int w = 0; w < KF_SIM_WALK_ENTRIES; w++)
			n += sim.cpu[i].walk[w].valid &&
			     sim.cpu[i].walk[w].asid == asid;
	}
	sim_unlock(f);
	return n;
}

void kf_sim_tlb_flush_all(void)
{
	unsigned long f = sim_lock();

	for (unsigned i = 0; i < KF_SIM_NR_CPUS; i++) {
		cpu_drop_all(&sim.cpu[i]);
		for (unsigned l = 0; l < KF_SIM_ICACHE_LINES; l++)
			sim.cpu[i].ic[l].valid = false;
	}
	sim_unlock(f);
}

void kf_sim_tlb_flush_local_page(struct kf_arch_mm *amm, uintptr_t va)
{
	uintptr_t vpn = va >> KF_PAGE_SHIFT;
	unsigned long f = sim_lock();

	if (amm->ctx)
		cpu_drop(this_cpu(), kf_asid_of(amm->ctx), vpn, vpn, false);
	sim_unlock(f);
}

/*
 * kf_sim_set_asid_limit - a fresh allocator whose generation continues
 * the old one's (so no context of the old generations looks current), and
 * every CPU flushed and idle, as after a reboot of the MMU.
 */
void kf_sim_set_asid_limit(unsigned n)
{
	uint64_t gen;
	unsigned long f;

	sim_init();
	if (n < CONFIG_KF_NR_CPUS + 2)
		n = CONFIG_KF_NR_CPUS + 2;
	if (n > KF_SIM_MAX_ASIDS)
		n = KF_SIM_MAX_ASIDS;
	f = sim_lock();
	gen = sim.asids.generation;
	kf_asid_space_init(&sim.asids, n);
	sim.asids.generation = gen + (1ull << KF_ASID_GEN_SHIFT);
	for (unsigned i = 0; i < KF_SIM_NR_CPUS; i++) {
		cpu_drop_all(&sim.cpu[i]);
		sim.cpu[i].active = NULL;
		sim.cpu[i].asid = 0;
	}
	sim_unlock(f);
}

unsigned long kf_sim_asid_rollovers(void)
{
	sim_init();
	return __atomic_load_n(&sim.asids.rollovers, __ATOMIC_RELAXED);
}

kf_sim_fault_fn kf_sim_set_fault_handler(kf_sim_fault_fn fn)
{
	kf_sim_fault_fn old = __atomic_exchange_n(&sim.fault_fn, fn,
						  __ATOMIC_ACQ_REL);

	return old ? old : kf_fault;
}

void kf_sim_set_frame_live(kf_sim_frame_live_fn fn)
{
	sim_init();
	__atomic_store_n(&sim.live_fn, fn, __ATOMIC_RELEASE);
}

/* ---- uaccess (kf/hal/uaccess.h) ---------------------------------------- */

size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n)
{
	if (!kf_user_range_ok(src, n))
		return n;
	return kf_sim_copy(src, dst, n, KF_FAULT_READ);
}

size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n)
{
	if (!kf_user_range_ok(dst, n))
		return n;
	return kf_sim_copy(dst, (void *)(uintptr_t)src, n, KF_FAULT_WRITE);
}
