/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mm/fault.c - page faults (demand-zero, shared object pages, copy-on-write
 * copy or reuse) and the kernel's own access to an address space: the user
 * path, where page protections apply as to a user store, and the explicit
 * kernel poke of loaders and debuggers, where they do not.
 *
 * Invariant this file keeps: a writable PTE of a private VMA maps a frame
 * no other PTE maps (fork write-protects before sharing, and only the
 * write fault below makes a private PTE writable again).
 */
#include "mm_internal.h"

/* Does @v let user space make @access (KF_FAULT_*)?  Write/exec imply read. */
static bool vma_allows(const struct kf_vma *v, unsigned access)
{
	if ((access & KF_FAULT_WRITE) && !(v->prot & KF_PROT_WRITE))
		return false;
	if ((access & KF_FAULT_EXEC) && !(v->prot & KF_PROT_EXEC))
		return false;
	return (v->prot & MM_PROT_RWX) != 0;
}

static bool pte_writable(kf_pte_t e)
{
	return (kf_arch_pte_prot(e) & KF_PROT_WRITE) != 0;
}

/* Does the present entry @e already let @access through? */
static bool pte_allows(kf_pte_t e, unsigned access)
{
	unsigned p = kf_arch_pte_prot(e);

	if (!kf_arch_pte_present(e))
		return false;
	if ((access & KF_FAULT_WRITE) && !(p & KF_PROT_WRITE))
		return false;
	if ((access & KF_FAULT_EXEC) && !(p & KF_PROT_EXEC))
		return false;
	return true;
}

/* Install a first frame at the empty @slot: the shared object's page or a
 * fresh zeroed one. */
static int fault_missing(struct kf_mm *mm, const struct kf_vma *v,
			 kf_pte_t *slot, uintptr_t va, kf_paddr_t *frame)
{
	kf_paddr_t pa;

	if (v->flags & KF_VM_SHARED)
		pa = kf_shm_page(v->shm,
			      v->pgoff + ((va - v->start) >> KF_PAGE_SHIFT));
	else
		pa = kf_os_page_alloc(MM_SITE("mm.anon"));
	if (!pa)
		return -KF_ENOMEM;
	kf_mm_pte_install(mm, slot, va, pa, kf_mm_pte_prot(v), true);
	*frame = pa;
	return 0;
}

/*
 * fault_cow - make the private page at @slot exclusively ours: reuse the
 * frame when our PTE holds its only reference, else copy it to a new frame
 * (the install breaks the old entry before making the new one, and drops
 * our reference on the old frame after the flush).
 */
static int fault_cow(struct kf_mm *mm, const struct kf_vma *v,
		     kf_pte_t *slot, uintptr_t va, kf_pte_t old,
		     kf_paddr_t *frame)
{
	kf_paddr_t pa = kf_arch_pte_pa(old), copy;

	if (kf_os_page_count(pa) == 1) {
		kf_mm_pte_install(mm, slot, va, pa, kf_mm_pte_prot(v), false);
		*frame = pa;
		return 0;
	}
	copy = kf_os_page_alloc(MM_SITE("mm.cow"));
	if (!copy)
		return -KF_ENOMEM;
	__builtin_memcpy(kf_os_phys_to_virt(copy), kf_os_phys_to_virt(pa),
			 KF_PAGE_SIZE);
	kf_mm_pte_install(mm, slot, va, copy, kf_mm_pte_prot(v), true);
	*frame = copy;
	return 0;
}

/*
 * fault_present - a PTE exists but did not allow the access.  Private and
 * not writable with a write wanted: COW.  Otherwise rebuild the entry the
 * VMA calls for; if that is what is there, the fault was spurious (a stale
 * TLB entry from a widening change, which is not flushed): flush the page
 * so the retry walks.
 */
static int fault_present(struct kf_mm *mm, const struct kf_vma *v,
			 kf_pte_t *slot, uintptr_t va, kf_pte_t old,
			 unsigned access, kf_paddr_t *frame)
{
	bool private = !(v->flags & KF_VM_SHARED);
	unsigned prot = kf_mm_pte_prot(v);
	kf_pte_t new;

	if (private && (access & KF_FAULT_WRITE) && !pte_writable(old))
		return fault_cow(mm, v, slot, va, old, frame);
	if (private && !pte_writable(old))
		prot &= ~KF_PROT_WRITE;
	new = kf_arch_pte_mk_page(kf_arch_pte_pa(old), prot);
	if (new == old) {
		kf_arch_tlb_flush_page(&mm->arch, va);
	} else {
		if ((prot & KF_PROT_EXEC) &&
		    !(kf_arch_pte_prot(old) & KF_PROT_EXEC))
			kf_arch_icache_sync(&mm->arch, va, kf_arch_pte_pa(old));
		kf_mm_pte_set(mm, NULL, slot, va, new);
	}
	*frame = kf_arch_pte_pa(old);
	return 0;
}

/* What to do with a page whose PTE exists: the user path or the poke. */
typedef int (*fault_present_fn)(struct kf_mm *mm, const struct kf_vma *v,
				kf_pte_t *slot, uintptr_t va, kf_pte_t old,
				unsigned access, kf_paddr_t *frame);

/* fault_page - the leaf slot of @va in @v, filled on first touch, then
 * @present for a PTE that exists. */
static int fault_page(struct kf_mm *mm, const struct kf_vma *v, uintptr_t va,
		      unsigned access, fault_present_fn present,
		      kf_paddr_t *frame)
{
	kf_pte_t *slot, old;

	va &= KF_PAGE_MASK;
	slot = kf_mm_pte_alloc(mm, va, MM_SITE("mm.fault.pt"));
	if (!slot)
		return -KF_ENOMEM;
	old = kf_pt_read(slot);
	if (!old)
		return fault_missing(mm, v, slot, va, frame);
	return present(mm, v, slot, va, old, access, frame);
}

/*
 * kf_mm_fault_locked - the user path: resolve an @access at @va as the
 * hardware fault of a user instruction would, with mm->lock held.  The
 * VMA's protection decides (-KF_EFAULT when it forbids the access).
 * *@frame (optional) gets the frame now mapped at @va.
 */
int kf_mm_fault_locked(struct kf_mm *mm, uintptr_t va, unsigned access,
		       kf_paddr_t *frame)
{
	struct kf_vma *v = kf_vma_find(mm, va);
	kf_paddr_t dummy;

	if (!v || !vma_allows(v, access))
		return -KF_EFAULT;
	return fault_page(mm, v, va, access, fault_present,
			  frame ? frame : &dummy);
}

/* The poke's present page: a write to a private page others may share is
 * copied first; anything else is the frame as it is (no PTE widened). */
static int poke_present(struct kf_mm *mm, const struct kf_vma *v,
			kf_pte_t *slot, uintptr_t va, kf_pte_t old,
			unsigned access, kf_paddr_t *frame)
{
	if ((access & KF_FAULT_WRITE) && !(v->flags & KF_VM_SHARED) &&
	    !pte_writable(old))
		return fault_cow(mm, v, slot, va, old, frame);
	*frame = kf_arch_pte_pa(old);
	return 0;
}

/*
 * kf_mm_poke_locked - the kernel poke (a loader, a debugger): the frame
 * behind @va for the kernel to read or (@write) fill, whatever the VMA's
 * protection, but never sharing a write: a shared private page is copied
 * first (the copy keeps the VMA's protection), and a shared mapping is
 * written only when it is writable (Linux's FOLL_FORCE rule).  No PTE is
 * widened.  mm->lock held.
 */
int kf_mm_poke_locked(struct kf_mm *mm, uintptr_t va, bool write,
		      kf_paddr_t *frame)
{
	struct kf_vma *v = kf_vma_find(mm, va);

	if (!v)
		return -KF_EFAULT;
	if (write && (v->flags & KF_VM_SHARED) && !(v->prot & KF_PROT_WRITE))
		return -KF_EFAULT;
	return fault_page(mm, v, va, write ? KF_FAULT_WRITE : KF_FAULT_READ,
			  poke_present, frame);
}

int kf_mm_fault(struct kf_mm *mm, uintptr_t va, unsigned access)
{
	int rc;

	kf_os_mutex_lock(&mm->lock);
	rc = kf_mm_fault_locked(mm, va, access, NULL);
	kf_os_mutex_unlock(&mm->lock);
	return rc;
}

/* The frame behind @va for a user-path access, faulting only when the PTE
 * does not already allow it (a fault on a fine PTE would flush it). */
static int user_frame(struct kf_mm *mm, uintptr_t va, unsigned access,
		      kf_paddr_t *frame)
{
	struct kf_vma *v = kf_vma_find(mm, va);
	kf_pte_t *slot = kf_mm_pte_lookup(mm, va & KF_PAGE_MASK);
	kf_pte_t e = slot ? kf_pt_read(slot) : 0;

	if (v && vma_allows(v, access) && pte_allows(e, access)) {
		*frame = kf_arch_pte_pa(e);
		return 0;
	}
	return kf_mm_fault_locked(mm, va, access, frame);
}

/*
 * mm_access - copy @n bytes between @buf and @mm at @va, page by page
 * (mm->lock held): as the user would (@user) or as a kernel poke.  Bytes
 * written to an executable page get the I-cache hook.
 */
static int mm_access(struct kf_mm *mm, uintptr_t va, void *buf, size_t n,
		     bool write, bool user)
{
	unsigned access = (write ? KF_FAULT_WRITE : KF_FAULT_READ) |
			  KF_FAULT_USER;
	char *p = buf;

	while (n) {
		size_t off = va & ~KF_PAGE_MASK;
		size_t chunk = KF_PAGE_SIZE - off < n ? KF_PAGE_SIZE - off : n;
		kf_paddr_t frame;
		char *kva;
		int rc;

		if (va >= MM_TASK_SIZE)
			return -KF_EFAULT;
		rc = user ? user_frame(mm, va, access, &frame) :
			    kf_mm_poke_locked(mm, va, write, &frame);
		if (rc)
			return rc;
		kva = (char *)kf_os_phys_to_virt(frame) + off;
		if (write)
			__builtin_memcpy(kva, p, chunk);
		else
			__builtin_memcpy(p, kva, chunk);
		if (write && (kf_vma_find(mm, va)->prot & KF_PROT_EXEC))
			kf_arch_icache_sync(&mm->arch, va & KF_PAGE_MASK, frame);
		va += chunk;
		p += chunk;
		n -= chunk;
	}
	return 0;
}

static int mm_access_locked(struct kf_mm *mm, uintptr_t va, void *buf,
			    size_t n, bool write, bool user)
{
	int rc;

	kf_os_mutex_lock(&mm->lock);
	rc = mm_access(mm, va, buf, n, write, user);
	kf_os_mutex_unlock(&mm->lock);
	return rc;
}

int kf_mm_copy_in(struct kf_mm *mm, uintptr_t va, const void *src, size_t n)
{
	return mm_access_locked(mm, va, (void *)(uintptr_t)src, n, true, false);
}

int kf_mm_copy_out(struct kf_mm *mm, void *dst, uintptr_t va, size_t n)
{
	return mm_access_locked(mm, va, dst, n, false, false);
}

int kf_mm_write_user(struct kf_mm *mm, uintptr_t va, const void *src, size_t n)
{
	return mm_access_locked(mm, va, (void *)(uintptr_t)src, n, true, true);
}
