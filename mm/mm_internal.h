/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm/mm_internal.h - the address space, its VMAs and the helpers mm/'s
 * files share.
 *
 * Lock key (one letter on every field):
 *   (A) atomic, no lock
 *   (M) mm->lock, the sleeping mutex: the VMA array, brk, the page tables
 *       (which tables exist and every leaf entry) and the TLB work paired
 *       with their changes.  Every mm call takes it.  Flushes run under it
 *       with interrupts on and no spinlock held, as the HAL contract asks
 *       (<kf/hal/tlb.h>), so a shootdown may wait for other CPUs.
 *   (C) set at creation, constant afterwards
 * The MMUs read the tables concurrently with (M)'s holder: entries are
 * stored with single atomic writes (kf_arch_pte_set, kf_pt_write).
 * Lock order: mm->lock, then a shared object's lock (kf_shm.lock).
 * Fork takes the parent's mm->lock only: the child is not yet visible.
 */
#ifndef KF_MM_INTERNAL_H
#define KF_MM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <kf/kf.h>
#include <kf/mm.h>
#include <kf/hal/pte.h>
#include <kf/hal/tlb.h>
#include <kf/hal/pgwalk.h>

#if CONFIG_KF_DEBUG
#define MM_ASSERT(c) do { if (!(c)) kf_os_panic("%s: assertion '%s' failed", __func__, #c); } while (0)
#else
#define MM_ASSERT(c) do { } while (0)
#endif

#if CONFIG_KF_FAULT_INJECT
#define MM_SITE(s) (s)
#else
#define MM_SITE(s) ((const char *)0)
#endif

#define MM_PROT_RWX      (KF_PROT_READ | KF_PROT_WRITE | KF_PROT_EXEC)
#define MM_PAGE_ALIGN(x) (((x) + KF_PAGE_SIZE - 1) & KF_PAGE_MASK)
#define MM_TASK_SIZE     ((uintptr_t)KF_TASK_SIZE)
/* Room kept above the mmap area for the stack (Linux's minimum gap). */
#define MM_STACK_GAP     (128ul << 20)
/* Free space a growing stack keeps below it (Linux's stack_guard_gap). */
#define MM_STACK_GUARD_GAP (256ul * KF_PAGE_SIZE)

/*
 * struct kf_shm - the backing of a shared anonymous mapping (Linux's shmem
 * object): one frame slot per page, shared by every VMA cut from the
 * mapping, in every address space fork copied it to, so a page first
 * touched after fork is still shared.  Holds one frame reference per
 * filled slot; each PTE holds its own.  The slots are a sparse radix tree
 * on the generic walk (see shm.c).
 */
struct kf_shm {
	int refs;			/* (A) VMAs pointing here */
	kf_os_spinlock_t lock;		/* filling a slot */
	size_t npages;			/* (C) */
	kf_paddr_t root;		/* (C) root of the slot tree */
};

/* VMA flags */
#define KF_VM_SHARED     0x1u
#define KF_VM_DONTCOPY   0x2u	/* MADV_DONTFORK */
#define KF_VM_WIPEONFORK 0x4u	/* MADV_WIPEONFORK */
#define KF_VM_GROWSDOWN  0x8u	/* a stack (MAP_GROWSDOWN): grows on a fault below */

/* struct kf_vma - one mapping, [start, end), page-aligned. */
struct kf_vma {
	uintptr_t start, end;
	unsigned prot;			/* KF_PROT_READ|WRITE|EXEC */
	unsigned flags;			/* KF_VM_* */
	struct kf_shm *shm;		/* shared: the backing, else NULL */
	size_t pgoff;			/* shared: slot of @start in shm */
};

/*
 * struct kf_mm.  The VMAs live in one array sorted by address (and never
 * overlapping): lookup is a binary search, and fork copies the whole set
 * with one allocation and one pass -- 1,000 VMAs are one 40 KiB copy,
 * where a tree would allocate 1,000 nodes that each could fail.  Inserts
 * and removals move the tail (memmove), which is cheap at the sizes
 * processes have (map_count is capped at 65530 anyway).  Entries are held
 * by value, so pointers into the array are valid only until the next
 * insert or removal: code keeps indices across those.
 */
struct kf_mm {
	int users;			/* (A) tasks using it */
	int count;			/* (A) struct references; users hold one */
	kf_os_mutex_t lock;
	struct kf_vma *vmas;		/* (M) sorted, non-overlapping */
	unsigned nr_vmas, cap_vmas;	/* (M) */
	uintptr_t start_brk, brk;	/* (M) */
	uintptr_t mmap_base;		/* (M) top of the top-down mmap area */
	unsigned long rss;		/* (M), read atomically: non-empty leaves */
	unsigned long hiwater_rss;	/* (M), read atomically: rss's peak */
	/* pages mapped, as Linux's vm_stat_account sorts them (M) */
	unsigned long total_vm, data_vm, stack_vm, exec_vm;
	struct kf_mm_layout layout;	/* (M) the loader's */
	kf_paddr_t root;		/* (C) root table; (M) its entries */
	struct kf_arch_mm arch;		/* (C) bound to root, ASID */
};

extern unsigned kf_mm_max_map_count;

/* ---- vma.c: the sorted VMA array (all with mm->lock held) ----------------- */

unsigned kf_vma_index(struct kf_mm *mm, uintptr_t addr);	/* first with end > addr */
struct kf_vma *kf_vma_find(struct kf_mm *mm, uintptr_t addr);	/* containing addr */
bool kf_vma_overlaps(struct kf_mm *mm, uintptr_t start, uintptr_t end);
bool kf_vma_room(struct kf_mm *mm, uintptr_t start, uintptr_t end);
int kf_vma_reserve(struct kf_mm *mm, unsigned extra);
void kf_vma_insert(struct kf_mm *mm, unsigned idx, const struct kf_vma *v);
void kf_vma_split(struct kf_mm *mm, unsigned idx, uintptr_t addr);
int kf_vma_isolate(struct kf_mm *mm, uintptr_t start, uintptr_t end, bool unmap,
		unsigned *first, unsigned *last);
void kf_vma_remove(struct kf_mm *mm, unsigned first, unsigned last);
void kf_vma_merge_around(struct kf_mm *mm, unsigned first, unsigned last);
uintptr_t kf_vma_unmapped_area(struct kf_mm *mm, size_t len);
void kf_vma_put_backing(struct kf_vma *v);

/* ---- shm.c ------------------------------------------------------------------ */

struct kf_shm *kf_shm_create(size_t npages);
void kf_shm_get(struct kf_shm *shm);
void kf_shm_put(struct kf_shm *shm);
kf_paddr_t kf_shm_page(struct kf_shm *shm, size_t index);	/* with a new ref */

/* ---- pgtable.c: page tables of one mm, and their TLB work ------------------ */

/*
 * struct kf_mm_gather - the TLB work of one operation (Linux's mmu_gather):
 * the pages whose translations it narrowed or removed, the tables it
 * unlinked, and the frame references to drop once nothing can reach them.
 * kf_mm_gather_finish flushes once (the range, or the whole address space
 * for a fork) and only then frees.  On the stack; (M) held throughout.
 */
#define KF_MM_GATHER_PAGES 64

struct kf_mm_gather {
	struct kf_mm *mm;
	bool whole;			/* flush the whole mm (fork, exit) */
	uintptr_t start, end;		/* narrowed pages (start == end: none) */
	bool tables;			/* page tables were unlinked */
	kf_paddr_t chain;		/* those tables */
	unsigned nr;
	kf_paddr_t pages[KF_MM_GATHER_PAGES];	/* references to drop */
};

void kf_mm_gather_init(struct kf_mm_gather *g, struct kf_mm *mm, bool whole);
void kf_mm_gather_page(struct kf_mm_gather *g, kf_paddr_t pa);
void kf_mm_gather_finish(struct kf_mm_gather *g);

kf_pte_t kf_mm_pte_set(struct kf_mm *mm, struct kf_mm_gather *g,
		       kf_pte_t *slot, uintptr_t va, kf_pte_t new);
void kf_mm_pte_install(struct kf_mm *mm, kf_pte_t *slot, uintptr_t va,
		       kf_paddr_t pa, unsigned prot, bool written);
kf_pte_t *kf_mm_pte_alloc(struct kf_mm *mm, uintptr_t va, const char *site);
kf_pte_t *kf_mm_pte_lookup(struct kf_mm *mm, uintptr_t va);
void kf_mm_zap_range(struct kf_mm_gather *g, uintptr_t start, uintptr_t end);
void kf_mm_free_tables(struct kf_mm_gather *g, uintptr_t start, uintptr_t end,
		       uintptr_t floor, uintptr_t ceiling);
void kf_mm_protect_range(struct kf_mm_gather *g, const struct kf_vma *v,
			 uintptr_t start, uintptr_t end);
unsigned kf_mm_pte_prot(const struct kf_vma *v);

/* ---- limits.c: accounting and rlimits (mm->lock held) ---------------------- */

/* kf_mm_vm_account - @npages (negative: fewer) of a mapping with @prot
 * and KF_VM_* @flags come or go. */
void kf_mm_vm_account(struct kf_mm *mm, unsigned prot, unsigned flags,
		      long npages);
/* kf_mm_may_expand - may @npages more of such a mapping be mapped
 * (RLIMIT_AS, RLIMIT_DATA)?  Linux's may_expand_vm. */
bool kf_mm_may_expand(struct kf_mm *mm, unsigned prot, unsigned flags,
		      unsigned long npages);
/* kf_mm_pages_in - pages of mappings inside [start, end) (what a MAP_FIXED
 * there replaces). */
unsigned long kf_mm_pages_in(struct kf_mm *mm, uintptr_t start, uintptr_t end);
/* kf_mm_expand_stack - grow the stack above @va down to it: the VMA that
 * now covers @va, or NULL (no stack there, or a limit). */
struct kf_vma *kf_mm_expand_stack(struct kf_mm *mm, uintptr_t va);
/* kf_vma_start_gap - where @v's room begins: a stack keeps its guard gap. */
uintptr_t kf_vma_start_gap(const struct kf_vma *v);

/* ---- mm.c, fault.c --------------------------------------------------------- */

void kf_mm_unmap_locked(struct kf_mm *mm, unsigned first, unsigned last);
int kf_mm_fault_locked(struct kf_mm *mm, uintptr_t va, unsigned access,
		       kf_paddr_t *frame);
int kf_mm_poke_locked(struct kf_mm *mm, uintptr_t va, bool write,
		      kf_paddr_t *frame);
struct kf_mm *kf_mm_alloc(void);

#endif /* KF_MM_INTERNAL_H */
