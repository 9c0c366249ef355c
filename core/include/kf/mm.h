/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kf/mm.h - address spaces: the public mm API (mm/).
 *
 * A struct kf_mm is an address space: a set of VMAs (anonymous private or
 * shared mappings) and the page tables that map them, in the arch's format.
 * Hosts hold it as an opaque pointer.  Linux semantics throughout: the
 * mmap/munmap/mprotect/madvise/brk calls below validate in Linux's order and
 * return Linux's errnos (negative KF_E*), and fork keeps shared mappings
 * shared, makes private ones copy-on-write, leaves MADV_DONTFORK ranges out
 * of the child and gives MADV_WIPEONFORK ranges to the child empty.
 *
 * Locking (inside; callers hold nothing): every call below except
 * kf_mm_get/grab/drop/users/arch/rss takes the address space's sleeping
 * mutex, so all of them may sleep, and none may be called with a spinlock
 * held or with the same mm's mutex held (kf_mm_fault from a uaccess path
 * that itself holds the mutex would deadlock).
 */
#ifndef KF_MM_H
#define KF_MM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <kf/kf_os.h>

struct kf_mm;
struct kf_arch_mm;

/* Protections: Linux's PROT_* values (same text as <kf/hal/pte.h>). */
#define KF_PROT_NONE  0x0u
#define KF_PROT_READ  0x1u
#define KF_PROT_WRITE 0x2u
#define KF_PROT_EXEC  0x4u

/* mmap flags: Linux's MAP_* values (asm-generic). */
#define KF_MAP_SHARED          0x01
#define KF_MAP_PRIVATE         0x02
#define KF_MAP_SHARED_VALIDATE 0x03
#define KF_MAP_TYPE            0x0f
#define KF_MAP_FIXED           0x10
#define KF_MAP_ANONYMOUS       0x20
#define KF_MAP_GROWSDOWN       0x0100	/* a stack: grows down on a fault below */
#define KF_MAP_NORESERVE       0x4000
#define KF_MAP_POPULATE        0x8000
#define KF_MAP_STACK           0x20000
#define KF_MAP_FIXED_NOREPLACE 0x100000

/* madvise advice: Linux's MADV_* values. */
#define KF_MADV_NORMAL      0
#define KF_MADV_RANDOM      1
#define KF_MADV_SEQUENTIAL  2
#define KF_MADV_WILLNEED    3
#define KF_MADV_DONTNEED    4
#define KF_MADV_FREE        8
#define KF_MADV_DONTFORK    10
#define KF_MADV_DOFORK      11
#define KF_MADV_WIPEONFORK  18
#define KF_MADV_KEEPONFORK  19

/* Default limit on VMAs per address space (Linux's vm.max_map_count). */
#define KF_MM_MAX_MAP_COUNT 65530
/* Lowest address mmap hands out or accepts (vm.mmap_min_addr). */
#define KF_MM_MIN_ADDR      0x10000ul

/* kf_mm_set_max_map_count - the vm.max_map_count sysctl (all mms). */
void kf_mm_set_max_map_count(unsigned n);

/* ---- Lifetime ------------------------------------------------------------ */

/*
 * kf_mm_create - a new, empty address space (no VMAs, an empty root table,
 * an arch context from kf_arch_mm_init) with one user and one count.
 * Returns NULL when out of memory.
 */
struct kf_mm *kf_mm_create(void);

/*
 * Two counts, as in Linux: "users" are tasks using the address space
 * (CLONE_VM shares it); when the last user goes, the mappings, pages and
 * tables are released.  "count" keeps only the struct and its arch context
 * (root table, ASID) alive, e.g. while a CPU still has it loaded lazily;
 * the users together hold one count.  Get/put are atomic, never sleep
 * except kf_mm_put dropping the last user.
 */
void kf_mm_get(struct kf_mm *mm);	/* one more user */
void kf_mm_put(struct kf_mm *mm);	/* drop a user */
void kf_mm_grab(struct kf_mm *mm);	/* one more count */
void kf_mm_drop(struct kf_mm *mm);	/* drop a count */
int kf_mm_users(const struct kf_mm *mm);

/*
 * kf_mm_dup - fork's copy of @old (dup_mmap).  The child gets every VMA of
 * @old except MADV_DONTFORK ones; WIPEONFORK ones come empty; shared ones
 * map the same frames; private ones are copy-on-write (CONFIG_KF_COW: both
 * sides' PTEs write-protected, @old's TLB flushed for them) or copied at
 * once (!CONFIG_KF_COW).  Cost O(VMAs + present pages).  On success *@out
 * is the child (one user).  On failure (-KF_ENOMEM) everything of the child
 * is freed and @old is as before, except that some of its private pages may
 * have been write-protected (the next write reuses them).
 */
int kf_mm_dup(struct kf_mm *old, struct kf_mm **out);

/* kf_mm_dup_flags - kf_mm_dup with KF_MM_DUP_EAGER: copy private pages at
 * once even with CONFIG_KF_COW (what !CONFIG_KF_COW always does). */
#define KF_MM_DUP_EAGER 0x1u
int kf_mm_dup_flags(struct kf_mm *old, unsigned flags, struct kf_mm **out);

/* kf_mm_arch - the arch context: kf_arch_mm_activate() it to run in @mm. */
struct kf_arch_mm *kf_mm_arch(struct kf_mm *mm);

/*
 * kf_mm_activate - make @mm this CPU's user address space (NULL: none),
 * leaving the one it had: the host's context switch calls it for the
 * incoming task.  kf_mm_deactivate - if @mm is this CPU's address space,
 * leave it for none.  A host may drop the last user of the address space
 * its CPU runs (an exiting task: the tables are detached and flushed
 * before they are freed), but must leave it before the last count goes
 * (kf_mm_drop frees the root the CPU would still walk): hold a count
 * across the exit (kf_mm_grab), deactivate, then kf_mm_drop.  Both run
 * with preemption off and never sleep.
 */
void kf_mm_activate(struct kf_mm *mm);
void kf_mm_deactivate(struct kf_mm *mm);

/* ---- Mappings (the syscalls) ---------------------------------------------- */

/*
 * kf_mm_map - mmap(2) of anonymous memory (KF_MAP_ANONYMOUS is implied;
 * file mappings are the host's business).  @flags: KF_MAP_PRIVATE or
 * KF_MAP_SHARED plus KF_MAP_FIXED, KF_MAP_FIXED_NOREPLACE, KF_MAP_POPULATE
 * (others accepted and ignored).  Without FIXED, @addr is a hint used when
 * the range is free, else the highest free range below the mmap base.
 * Returns the address, or -KF_EINVAL (len 0, FIXED address unaligned, bad
 * map type), -KF_ENOMEM (no room, too many VMAs, out of memory), -KF_EPERM
 * (FIXED below KF_MM_MIN_ADDR), -KF_EEXIST (FIXED_NOREPLACE overlap).
 */
long kf_mm_map(struct kf_mm *mm, uintptr_t addr, size_t len, unsigned prot,
	       unsigned flags);

/* kf_mm_unmap - munmap(2): splits VMAs at the ends; 0 or -KF_EINVAL
 * (unaligned, len 0, out of range) or -KF_ENOMEM (a split would exceed
 * the map count limit or memory ran out). */
int kf_mm_unmap(struct kf_mm *mm, uintptr_t addr, size_t len);

/* kf_mm_protect - mprotect(2): 0, -KF_EINVAL (unaligned, unknown bits),
 * -KF_ENOMEM (range not fully mapped: VMAs before the hole are changed, as
 * on Linux).  Present PTEs are changed at once (TLB flushed); private
 * pages never become writable while they may be shared (the write fault
 * reuses or copies them). */
int kf_mm_protect(struct kf_mm *mm, uintptr_t addr, size_t len,
		  unsigned prot);

/* kf_mm_advise - madvise(2) for the KF_MADV_* above (NORMAL, RANDOM,
 * SEQUENTIAL, WILLNEED are accepted no-ops).  0, -KF_EINVAL, -KF_ENOMEM
 * (a hole in the range: the mapped parts are still advised). */
int kf_mm_advise(struct kf_mm *mm, uintptr_t addr, size_t len, int advice);

/* kf_mm_brk - brk(2): returns the new break, or the old one when @brk is
 * below the start, collides with a mapping or memory runs out. */
uintptr_t kf_mm_brk(struct kf_mm *mm, uintptr_t brk);

/* kf_mm_set_brk_base - the loader sets where the heap starts (page-aligned
 * up); the break starts there.  Call before the mm runs. */
void kf_mm_set_brk_base(struct kf_mm *mm, uintptr_t start);

/*
 * struct kf_mm_layout - where the loader put the program (Linux's mm
 * fields of the same names): brk's RLIMIT_DATA check counts the data
 * segment [start_data, end_data) beside the heap, and a host's /proc shows
 * the rest (cmdline reads [arg_start, arg_end)).  Zero until the loader
 * sets it with kf_mm_set_layout (before the mm runs); fork copies it.
 */
struct kf_mm_layout {
	uintptr_t start_code, end_code, start_data, end_data;
	uintptr_t start_stack, arg_start, arg_end, env_start, env_end;
};
void kf_mm_set_layout(struct kf_mm *mm, const struct kf_mm_layout *l);

/*
 * Limits.  kf_mm_map and kf_mm_brk (and a MAP_FIXED over old mappings, net
 * of what it replaces), kf_mm_protect making a mapping writable, and the
 * growth of a KF_MAP_GROWSDOWN stack check the current task's RLIMIT_AS
 * (every page mapped, PROT_NONE included) and RLIMIT_DATA (private
 * writable non-stack pages; a soft limit of 0 means the hard one, as
 * Linux's Valgrind workaround) with kf_rlimit_cur, and fail with
 * -KF_ENOMEM (brk: returns the old break).  A stack grows on a fault in
 * the gap below it, one page at a time or many, while it stays within
 * RLIMIT_STACK and RLIMIT_AS and 1 MiB (Linux's stack_guard_gap) above the
 * next accessible mapping; otherwise the fault is -KF_EFAULT (SIGSEGV).
 */

/* ---- Faults and kernel access --------------------------------------------- */

/*
 * kf_mm_fault - resolve a fault at @va with KF_FAULT_* @access: demand-zero
 * (private) or the shared object's page (shared), copy-on-write copy, or
 * reuse of a write-protected private page nobody else maps.  Returns 0 when
 * the access can be retried, -KF_EFAULT when no VMA covers @va or the VMA
 * forbids the access (the host delivers SIGSEGV), -KF_ENOMEM when a frame
 * or table could not be allocated (the host kills the task, as Linux's
 * out-of-memory fault does; kf_fault passes it through).
 */
int kf_mm_fault(struct kf_mm *mm, uintptr_t va, unsigned access);

/*
 * kf_mm_copy_in / kf_mm_copy_out - the kernel poke: the kernel writes to /
 * reads from @mm at user address @va, ignoring the protections of private
 * VMAs (loaders, ptrace-like access, tests) but not COW: a write to a
 * shared private page copies it first.  A read-only shared mapping is never
 * written (-KF_EFAULT), as Linux's FOLL_FORCE refuses.  Pages are faulted
 * in as needed; a page that becomes or is executable gets the I-cache hook.
 * 0, -KF_EFAULT (part of the range has no VMA; bytes before it were
 * copied) or -KF_ENOMEM.
 */
int kf_mm_copy_in(struct kf_mm *mm, uintptr_t va, const void *src, size_t n);
int kf_mm_copy_out(struct kf_mm *mm, void *dst, uintptr_t va, size_t n);

/*
 * kf_mm_write_user - store @n bytes at @va of @mm as a user store of a
 * task running in @mm would: protections apply (-KF_EFAULT for an address
 * without a VMA, or a read-only or PROT_NONE one, and nothing is copied
 * or written there), a private writable page is COW-broken first.  What
 * the core uses for a child's CLONE_CHILD_SETTID when the child has its
 * own address space (Linux's put_user from the child).  0, -KF_EFAULT or
 * -KF_ENOMEM.
 */
int kf_mm_write_user(struct kf_mm *mm, uintptr_t va, const void *src,
		     size_t n);

/* ---- Inspection ------------------------------------------------------------ */

unsigned kf_mm_nr_vmas(struct kf_mm *mm);
unsigned long kf_mm_rss(struct kf_mm *mm);	/* pages with a PTE */
/* kf_mm_hiwater_rss - the most pages @mm ever had mapped at once (Linux's
 * hiwater_rss, getrusage's ru_maxrss).  Atomic, no lock. */
unsigned long kf_mm_hiwater_rss(struct kf_mm *mm);

/* kf_mm_stats - sizes in pages, Linux's way of counting them (a host's
 * /proc: VmSize, VmData, VmStk, VmExe, VmRSS, VmHWM), the break and the
 * layout.  Takes the lock. */
struct kf_mm_stats {
	unsigned long total_vm;		/* every page mapped */
	unsigned long data_vm;		/* private, writable, not a stack */
	unsigned long stack_vm;		/* growsdown mappings */
	unsigned long exec_vm;		/* executable, not writable */
	unsigned long rss, hiwater_rss;
	uintptr_t start_brk, brk;
	struct kf_mm_layout layout;
};
void kf_mm_stats(struct kf_mm *mm, struct kf_mm_stats *out);

/* kf_mm_vma_info - the @i-th VMA in address order: 0, or -KF_ENOENT. */
struct kf_mm_vma_info {
	uintptr_t start, end;
	unsigned prot;		/* KF_PROT_* */
	bool shared, dontfork, wipeonfork, growsdown;
};
int kf_mm_vma_info(struct kf_mm *mm, unsigned i, struct kf_mm_vma_info *out);

/*
 * kf_mm_translate - the frame and KF_PROT_* (the PTE's view, with
 * KF_PROT_USER, and WRITE only if the PTE is writable now) mapped at @va,
 * without faulting: 0, or -KF_EFAULT when no PTE exists.  A PROT_NONE
 * page reports its frame and no READ/WRITE/EXEC.
 */
int kf_mm_translate(struct kf_mm *mm, uintptr_t va, kf_paddr_t *pa,
		    unsigned *prot);

#endif /* KF_MM_H */
