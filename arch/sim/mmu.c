// SPDX-License-Identifier: BSD-2-Clause
/*
 * arch/sim/mmu.c - the software MMU: a set-associative TLB tagged by ASID,
 * the ASID allocator, the HAL flush calls and user-memory access.
 *
 * Locking: one spinlock (sim.lock) protects the TLB, the ASID bitmap and the
 * counters.  It is a leaf: nothing else is taken under it, and it is never
 * held across the page-table walk or the fault handler (which flushes).
 */
#include <kf/kf.h>
#include <kf/hal/pte.h>
#include <kf/hal/tlb.h>
#include <kf/hal/pgwalk.h>
#include <kf/hal/irq.h>
#include <kf/hal/uaccess.h>
#include <kf/arch/sim.h>

struct sim_tlbe {
	uintptr_t vpn;
	kf_paddr_t pa;		/* frame */
	unsigned asid;
	unsigned prot;		/* KF_PROT_* */
	bool valid;
};

#define ASID_WORDS (KF_SIM_MAX_ASIDS / 64)

static struct {
	kf_os_spinlock_t lock;
	int init;		/* 0, 1 = initialising, 2 = ready */
	struct kf_arch_mm *active;
	kf_paddr_t shared_root;	/* root last activated with ASID 0 */
	struct sim_tlbe tlb[KF_SIM_TLB_SETS][KF_SIM_TLB_WAYS];
	unsigned victim[KF_SIM_TLB_SETS];	/* round-robin replacement */
	uint64_t asid_used[ASID_WORDS];		/* owned by a live mm */
	uint64_t asid_seen[ASID_WORDS];		/* ever handed out */
	unsigned asid_limit;
	unsigned asid_next;			/* rotation cursor (0-based) */
	kf_sim_fault_fn fault_fn;
	struct kf_sim_stats st;
} sim;

/* sim_lock - take the sim lock, initialising it on first use (the host may
 * touch the MMU before anything else runs). */
static unsigned long sim_lock(void)
{
	int s = __atomic_load_n(&sim.init, __ATOMIC_ACQUIRE);

	if (s != 2) {
		int zero = 0;

		if (__atomic_compare_exchange_n(&sim.init, &zero, 1, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			kf_os_spin_init(&sim.lock);
			sim.asid_limit = KF_SIM_MAX_ASIDS;
			__atomic_store_n(&sim.init, 2, __ATOMIC_RELEASE);
		}
		while (__atomic_load_n(&sim.init, __ATOMIC_ACQUIRE) != 2)
			kf_arch_cpu_relax();
	}
	return kf_os_spin_lock(&sim.lock);
}

static void sim_unlock(unsigned long f)
{
	kf_os_spin_unlock(&sim.lock, f);
}

/* ---- TLB (sim.lock held) ---------------------------------------------- */

static unsigned tlb_set(unsigned asid, uintptr_t vpn)
{
	return (unsigned)(vpn ^ (vpn >> 8) ^ ((uintptr_t)asid * 37u)) &
	       (KF_SIM_TLB_SETS - 1);
}

static struct sim_tlbe *tlb_find(unsigned asid, uintptr_t vpn)
{
	struct sim_tlbe *set = sim.tlb[tlb_set(asid, vpn)];

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

static void tlb_insert(unsigned asid, uintptr_t vpn, kf_paddr_t pa,
		       unsigned prot)
{
	unsigned s = tlb_set(asid, vpn);
	struct sim_tlbe *e = tlb_find(asid, vpn);

	if (!e) {
		for (int w = 0; w < KF_SIM_TLB_WAYS && !e; w++)
			if (!sim.tlb[s][w].valid)
				e = &sim.tlb[s][w];
	}
	if (!e) {
		e = &sim.tlb[s][sim.victim[s]];
		sim.victim[s] = (sim.victim[s] + 1) % KF_SIM_TLB_WAYS;
		sim.st.evictions++;
	}
	e->asid = asid;
	e->vpn = vpn;
	e->pa = pa;
	e->prot = prot;
	e->valid = true;
}

/* tlb_drop_asid_range - drop @asid's entries for pages [first, last]. */
static void tlb_drop_asid_range(unsigned asid, uintptr_t first, uintptr_t last)
{
	for (int s = 0; s < KF_SIM_TLB_SETS; s++)
		for (int w = 0; w < KF_SIM_TLB_WAYS; w++) {
			struct sim_tlbe *e = &sim.tlb[s][w];

			if (e->valid && e->asid == asid &&
			    e->vpn >= first && e->vpn <= last)
				tlb_drop(e);
		}
}

static void tlb_drop_asid(unsigned asid)
{
	tlb_drop_asid_range(asid, 0, UINTPTR_MAX);
}

/* ---- ASIDs (sim.lock held) --------------------------------------------- */

static bool asid_test(const uint64_t *map, unsigned a)
{
	return map[a / 64] >> (a % 64) & 1;
}

/* asid_alloc - the next free ASID after the last one handed out (as real
 * kernels rotate, so an ASID is reused, and its stale entries dropped, only
 * after the others), flushed if it was used before; 0 (the shared ASID) when
 * none is free. */
static unsigned asid_alloc(void)
{
	unsigned n = sim.asid_limit - 1;	/* ASIDs 1 .. limit-1 */

	for (unsigned i = 0; i < n; i++) {
		unsigned a = 1 + (sim.asid_next + i) % n;

		if (asid_test(sim.asid_used, a))
			continue;
		sim.asid_next = a;	/* a % n + 1 is tried next */
		sim.asid_used[a / 64] |= 1ull << (a % 64);
		if (asid_test(sim.asid_seen, a)) {
			/* a dead mm's entries must never serve the new one */
			tlb_drop_asid(a);
			sim.st.asid_recycles++;
		}
		sim.asid_seen[a / 64] |= 1ull << (a % 64);
		sim.st.asid_allocs++;
		return a;
	}
	sim.st.asid_shared++;
	return 0;
}

static void asid_free(unsigned a)
{
	if (a)
		sim.asid_used[a / 64] &= ~(1ull << (a % 64));
}

/* ---- the HAL contract (kf/hal/tlb.h) ----------------------------------- */

void kf_arch_mm_init(struct kf_arch_mm *amm, kf_paddr_t root)
{
	unsigned long f = sim_lock();

	amm->root = root;
	amm->asid = asid_alloc();
	sim_unlock(f);
}

void kf_arch_mm_fini(struct kf_arch_mm *amm)
{
	unsigned long f = sim_lock();

	tlb_drop_asid(amm->asid);
	asid_free(amm->asid);
	if (sim.active == amm)
		sim.active = NULL;
	if (amm->asid == 0 && sim.shared_root == amm->root)
		sim.shared_root = 0;
	amm->asid = 0;
	amm->root = 0;
	sim_unlock(f);
}

void kf_arch_mm_activate(struct kf_arch_mm *amm)
{
	unsigned long f = sim_lock();

	sim.st.activates++;
	/* ASID 0 is shared by every mm that found no ASID of its own: its
	 * entries belong to whichever of them was activated last. */
	if (amm && amm->asid == 0 && sim.shared_root != amm->root) {
		tlb_drop_asid(0);
		sim.shared_root = amm->root;
	}
	sim.active = amm;
	sim_unlock(f);
}

void kf_arch_tlb_flush_page(struct kf_arch_mm *amm, uintptr_t va)
{
	unsigned long f = sim_lock();
	struct sim_tlbe *e = tlb_find(amm->asid, va >> KF_PAGE_SHIFT);

	sim.st.flushes++;
	sim.st.flush_page++;
	if (e)
		tlb_drop(e);
	sim_unlock(f);
}

void kf_arch_tlb_flush_range(struct kf_arch_mm *amm, uintptr_t start,
			     uintptr_t end)
{
	unsigned long f = sim_lock();

	sim.st.flushes++;
	sim.st.flush_range++;
	if (end > start) {
		uintptr_t first = start >> KF_PAGE_SHIFT;
		uintptr_t last = (end - 1) >> KF_PAGE_SHIFT;

		if (last - first < KF_SIM_TLB_SETS) {
			for (uintptr_t v = first; v <= last; v++) {
				struct sim_tlbe *e = tlb_find(amm->asid, v);

				if (e)
					tlb_drop(e);
			}
		} else {
			tlb_drop_asid_range(amm->asid, first, last);
		}
	}
	sim_unlock(f);
}

void kf_arch_tlb_flush_mm(struct kf_arch_mm *amm)
{
	unsigned long f = sim_lock();

	sim.st.flushes++;
	sim.st.flush_mm++;
	tlb_drop_asid(amm->asid);
	sim_unlock(f);
}

/* ---- translation ------------------------------------------------------- */

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

/*
 * tlb_translate - one attempt at translating @va for @access in @amm.
 * Returns true with the frame in *@pa, or false when the access faults
 * (any cached entry for the page has been dropped).
 */
static bool tlb_translate(struct kf_arch_mm *amm, uintptr_t va,
			  unsigned access, kf_paddr_t *pa)
{
	unsigned need = prot_needed(access);
	uintptr_t vpn = va >> KF_PAGE_SHIFT;
	struct sim_tlbe *e;
	kf_pte_t pte;
	unsigned prot;
	unsigned long f = sim_lock();

	sim.st.accesses++;
	e = tlb_find(amm->asid, vpn);
	if (e) {
		sim.st.hits++;
		if ((e->prot & need) == need) {
			*pa = e->pa;
			sim_unlock(f);
			return true;
		}
		tlb_drop(e);
		sim_unlock(f);
		return false;
	}
	sim.st.misses++;
	sim_unlock(f);

	if (kf_pt_lookup(amm->root, va, &pte) != 0 || !kf_arch_pte_present(pte))
		return false;
	prot = kf_arch_pte_prot(pte);
	if ((prot & need) != need)
		return false;
	*pa = kf_arch_pte_pa(pte);

	f = sim_lock();
	tlb_insert(amm->asid, vpn, *pa, prot);
	sim_unlock(f);
	return true;
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
 * sim_translate - translate @va for @access in the active address space,
 * taking faults as the CPU would.  Returns 0 with the frame in *@pa, or
 * -KF_EFAULT.
 */
static int sim_translate(uintptr_t va, unsigned access, kf_paddr_t *pa)
{
	for (int tries = 0; ; tries++) {
		struct kf_arch_mm *amm = kf_sim_active_mm();

		if (!amm || va >= KF_USER_VA_END)
			return -KF_EFAULT;
		if (tlb_translate(amm, va, access, pa))
			return 0;
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

/* ---- inspection and test knobs ----------------------------------------- */

struct kf_arch_mm *kf_sim_active_mm(void)
{
	unsigned long f = sim_lock();
	struct kf_arch_mm *amm = sim.active;

	sim_unlock(f);
	return amm;
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

bool kf_sim_tlb_probe(unsigned asid, uintptr_t va, kf_paddr_t *pa,
		      unsigned *prot)
{
	unsigned long f = sim_lock();
	struct sim_tlbe *e = tlb_find(asid, va >> KF_PAGE_SHIFT);

	if (e && pa)
		*pa = e->pa;
	if (e && prot)
		*prot = e->prot;
	sim_unlock(f);
	return e != NULL;
}

unsigned kf_sim_tlb_entries(unsigned asid)
{
	unsigned n = 0;
	unsigned long f = sim_lock();

	for (int s = 0; s < KF_SIM_TLB_SETS; s++)
		for (int w = 0; w < KF_SIM_TLB_WAYS; w++)
			n += sim.tlb[s][w].valid && sim.tlb[s][w].asid == asid;
	sim_unlock(f);
	return n;
}

void kf_sim_tlb_flush_all(void)
{
	unsigned long f = sim_lock();

	for (int s = 0; s < KF_SIM_TLB_SETS; s++)
		for (int w = 0; w < KF_SIM_TLB_WAYS; w++)
			sim.tlb[s][w].valid = false;
	sim.shared_root = 0;
	sim_unlock(f);
}

void kf_sim_set_asid_limit(unsigned n)
{
	unsigned long f = sim_lock();

	if (n < 2)
		n = 2;
	if (n > KF_SIM_MAX_ASIDS)
		n = KF_SIM_MAX_ASIDS;
	sim.asid_limit = n;
	sim.asid_next = 0;
	sim_unlock(f);
}

unsigned kf_sim_asids_in_use(void)
{
	unsigned n = 0;
	unsigned long f = sim_lock();

	for (int i = 0; i < ASID_WORDS; i++)
		n += (unsigned)__builtin_popcountll(sim.asid_used[i]);
	sim_unlock(f);
	return n;
}

kf_sim_fault_fn kf_sim_set_fault_handler(kf_sim_fault_fn fn)
{
	kf_sim_fault_fn old = __atomic_exchange_n(&sim.fault_fn, fn,
						  __ATOMIC_ACQ_REL);

	return old ? old : kf_fault;
}

/* ---- uaccess (kf/hal/uaccess.h) ---------------------------------------- */

size_t kf_arch_copy_from_user(void *dst, uintptr_t src, size_t n)
{
	return kf_sim_copy(src, dst, n, KF_FAULT_READ);
}

size_t kf_arch_copy_to_user(uintptr_t dst, const void *src, size_t n)
{
	return kf_sim_copy(dst, (void *)(uintptr_t)src, n, KF_FAULT_WRITE);
}

bool kf_arch_user_range_ok(uintptr_t addr, size_t n)
{
	return addr <= KF_USER_VA_END && n <= KF_USER_VA_END - addr;
}
