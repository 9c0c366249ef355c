// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/host/host_mem.c - kernel objects and page frames on the host heap,
 * tracked per allocation site, with fail-the-n-th-call fault injection.
 *
 * Objects carry a header (site, size) so kf_os_free can check the size the
 * core passes.  Frames live in a frame table: "physical address" = frame
 * number << 12 (frame 0 is never used), each entry pointing at a 4 KiB
 * host block with a reference count.  Freed frame numbers are reused oldest
 * first, so a stale translation to a just-freed frame hits a free entry
 * (and kf_os_phys_to_virt panics) instead of someone else's page.
 *
 * Locking: mem_lock protects the site list, counters and the frame table.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kf/hal/pte.h>
#include <kf/arch/sim.h>
#include "host.h"

_Static_assert(KF_PAGE_SIZE == 4096, "the host frame table assumes 4 KiB pages");

#define OBJ_MAGIC 0x6b666f626a656374ull	/* "kfobject" */
#define FRAME_SHIFT 12
#define CHUNK_BITS 12
#define CHUNK_FRAMES (1u << CHUNK_BITS)
#define MAX_CHUNKS 1024u			/* 4 Mi frames, 16 GiB */

struct site {
	const char *name;
	long objs, pages;		/* live */
	long base_objs, base_pages;	/* at the last baseline */
	struct site *next;
};

struct obj_hdr {			/* 32 bytes: keeps 16-byte alignment */
	uint64_t magic;
	size_t size;
	struct site *site;
	uint64_t pad;
};

struct frame {
	void *mem;
	unsigned refs;			/* 0 = free */
	uint32_t next_free;
	struct site *site;
};

static pthread_mutex_t mem_lock = PTHREAD_MUTEX_INITIALIZER;
static struct site *sites;
static long live_objs, live_pages, base_objs, base_pages;
static long alloc_calls, fail_at;
static bool fail_fired;
static const char *failed_site;

static struct frame *chunks[MAX_CHUNKS];
static uint32_t frame_top = 1;		/* next never-used frame number */
static uint32_t free_head, free_tail;	/* FIFO of freed frame numbers */

/* ---- sites and injection (mem_lock held) ------------------------------- */

static struct site *site_get(const char *name)
{
	struct site *s;

	if (!name)
		name = "(unnamed)";
	for (s = sites; s; s = s->next)
		if (s->name == name || strcmp(s->name, name) == 0)
			return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		kf_os_panic("host: out of memory for site %s", name);
	s->name = name;
	s->next = sites;
	sites = s;
	return s;
}

/* inject_fail - count one allocation call; true if it must fail. */
static bool inject_fail(const char *site)
{
	alloc_calls++;
	if (!fail_at || alloc_calls != fail_at)
		return false;
	fail_at = 0;
	fail_fired = true;
	failed_site = site;
	return true;
}

/* ---- objects ----------------------------------------------------------- */

void *host_alloc(size_t size, const char *site, bool inject)
{
	struct obj_hdr *h;
	struct site *s;

	pthread_mutex_lock(&mem_lock);
	if (inject && inject_fail(site)) {
		pthread_mutex_unlock(&mem_lock);
		return NULL;
	}
	s = site_get(site);
	pthread_mutex_unlock(&mem_lock);

	h = calloc(1, sizeof(*h) + size);
	if (!h)
		return NULL;
	h->magic = OBJ_MAGIC;
	h->size = size;
	h->site = s;

	pthread_mutex_lock(&mem_lock);
	s->objs++;
	live_objs++;
	pthread_mutex_unlock(&mem_lock);
	return h + 1;
}

void host_free(void *p, size_t size)
{
	struct obj_hdr *h;

	if (!p)
		return;
	h = (struct obj_hdr *)p - 1;
	if (h->magic != OBJ_MAGIC)
		kf_os_panic("kf_os_free(%p): not a live kf_os_alloc object", p);
	if (size != h->size)
		kf_os_panic("kf_os_free(%p, %lu): allocated at %s with size %lu",
			    p, (unsigned long)size, h->site->name,
			    (unsigned long)h->size);
	pthread_mutex_lock(&mem_lock);
	h->site->objs--;
	live_objs--;
	pthread_mutex_unlock(&mem_lock);
	h->magic = 0;
	free(h);
}

void *kf_os_alloc(size_t size, const char *site)
{
	host_assert_may_sleep("kf_os_alloc");
	return host_alloc(size, site, true);
}

void kf_os_free(void *p, size_t size)
{
	host_free(p, size);
}

void *host_alloc_stack(size_t size)
{
	const char *site = "host.kstack";
	struct site *s;
	void *p;

	pthread_mutex_lock(&mem_lock);
	if (inject_fail(site)) {
		pthread_mutex_unlock(&mem_lock);
		return NULL;
	}
	s = site_get(site);
	pthread_mutex_unlock(&mem_lock);

	p = aligned_alloc(4096, size);
	if (!p)
		return NULL;
	pthread_mutex_lock(&mem_lock);
	s->objs++;
	live_objs++;
	pthread_mutex_unlock(&mem_lock);
	return p;
}

void host_free_stack(void *p, size_t size)
{
	(void)size;
	if (!p)
		return;
	pthread_mutex_lock(&mem_lock);
	site_get("host.kstack")->objs--;
	live_objs--;
	pthread_mutex_unlock(&mem_lock);
	free(p);
}

/* ---- frames ------------------------------------------------------------ */

/* frame_at - the table entry of frame number @n, or NULL.  mem_lock held. */
static struct frame *frame_at(uint32_t n)
{
	struct frame *c;

	if (n == 0 || n >= frame_top)
		return NULL;
	c = chunks[n >> CHUNK_BITS];
	return c ? &c[n & (CHUNK_FRAMES - 1)] : NULL;
}

/* frame_of - the live frame at @pa, or panic (@what names the caller). */
static struct frame *frame_of(kf_paddr_t pa, const char *what)
{
	struct frame *f = NULL;

	if (pa >> FRAME_SHIFT < UINT32_MAX)
		f = frame_at((uint32_t)(pa >> FRAME_SHIFT));
	if (!f || !f->refs)
		kf_os_panic("%s(%#lx): not an allocated frame", what,
			    (unsigned long)pa);
	return f;
}

/* frame_number - a free frame number (oldest freed first), or 0. */
static uint32_t frame_number(void)
{
	uint32_t n = free_head;

	if (n) {
		free_head = frame_at(n)->next_free;
		if (!free_head)
			free_tail = 0;
		return n;
	}
	if (frame_top >= MAX_CHUNKS * CHUNK_FRAMES)
		return 0;
	if (!chunks[frame_top >> CHUNK_BITS]) {
		chunks[frame_top >> CHUNK_BITS] =
			calloc(CHUNK_FRAMES, sizeof(struct frame));
		if (!chunks[frame_top >> CHUNK_BITS])
			return 0;
	}
	return frame_top++;
}

kf_paddr_t kf_os_page_alloc(const char *site)
{
	void *mem;
	uint32_t n;
	struct frame *f;

	host_assert_may_sleep("kf_os_page_alloc");
	pthread_mutex_lock(&mem_lock);
	if (inject_fail(site)) {
		pthread_mutex_unlock(&mem_lock);
		return 0;
	}
	pthread_mutex_unlock(&mem_lock);

	mem = aligned_alloc(4096, 4096);
	if (!mem)
		return 0;
	memset(mem, 0, 4096);

	pthread_mutex_lock(&mem_lock);
	n = frame_number();
	if (!n) {
		pthread_mutex_unlock(&mem_lock);
		free(mem);
		return 0;
	}
	f = frame_at(n);
	f->mem = mem;
	f->refs = 1;
	f->next_free = 0;
	f->site = site_get(site);
	f->site->pages++;
	live_pages++;
	pthread_mutex_unlock(&mem_lock);
	return (kf_paddr_t)n << FRAME_SHIFT;
}

void kf_os_page_get(kf_paddr_t pa)
{
	pthread_mutex_lock(&mem_lock);
	frame_of(pa, "kf_os_page_get")->refs++;
	pthread_mutex_unlock(&mem_lock);
}

void kf_os_page_put(kf_paddr_t pa)
{
	struct frame *f;
	void *mem = NULL;
	uint32_t n = (uint32_t)(pa >> FRAME_SHIFT);

	pthread_mutex_lock(&mem_lock);
	f = frame_of(pa, "kf_os_page_put");
	if (--f->refs == 0) {
		mem = f->mem;
		f->mem = NULL;
		f->site->pages--;
		live_pages--;
		if (free_tail)
			frame_at(free_tail)->next_free = n;
		else
			free_head = n;
		free_tail = n;
	}
	pthread_mutex_unlock(&mem_lock);
	free(mem);
}

unsigned kf_os_page_count(kf_paddr_t pa)
{
	unsigned r;

	pthread_mutex_lock(&mem_lock);
	r = frame_of(pa, "kf_os_page_count")->refs;
	pthread_mutex_unlock(&mem_lock);
	return r;
}

void *kf_os_phys_to_virt(kf_paddr_t pa)
{
	void *mem;

	pthread_mutex_lock(&mem_lock);
	mem = (char *)frame_of(pa, "kf_os_phys_to_virt")->mem +
	      (pa & ((1u << FRAME_SHIFT) - 1));
	pthread_mutex_unlock(&mem_lock);
	return mem;
}

unsigned kf_host_page_refs(kf_paddr_t pa)
{
	struct frame *f = NULL;
	unsigned r;

	pthread_mutex_lock(&mem_lock);
	if (pa >> FRAME_SHIFT < UINT32_MAX)
		f = frame_at((uint32_t)(pa >> FRAME_SHIFT));
	r = f ? f->refs : 0;
	pthread_mutex_unlock(&mem_lock);
	return r;
}

/* ---- accounting API (kf_host.h) ---------------------------------------- */

static long locked_read(const long *v)
{
	long r;

	pthread_mutex_lock(&mem_lock);
	r = *v;
	pthread_mutex_unlock(&mem_lock);
	return r;
}

long kf_host_live_objects(void) { return locked_read(&live_objs); }
long kf_host_live_pages(void) { return locked_read(&live_pages); }
long kf_host_alloc_calls(void) { return locked_read(&alloc_calls); }

static long site_count(const char *name, bool pages)
{
	long r = 0;

	pthread_mutex_lock(&mem_lock);
	for (struct site *s = sites; s; s = s->next)
		if (strcmp(s->name, name) == 0)
			r = pages ? s->pages : s->objs;
	pthread_mutex_unlock(&mem_lock);
	return r;
}

long kf_host_site_objects(const char *site) { return site_count(site, false); }
long kf_host_site_pages(const char *site) { return site_count(site, true); }

void kf_host_mark_baseline(void)
{
	pthread_mutex_lock(&mem_lock);
	for (struct site *s = sites; s; s = s->next) {
		s->base_objs = s->objs;
		s->base_pages = s->pages;
	}
	base_objs = live_objs;
	base_pages = live_pages;
	pthread_mutex_unlock(&mem_lock);
}

long kf_host_leaked_objects(void)
{
	long r;

	pthread_mutex_lock(&mem_lock);
	r = live_objs - base_objs;
	pthread_mutex_unlock(&mem_lock);
	return r;
}

long kf_host_leaked_pages(void)
{
	long r;

	pthread_mutex_lock(&mem_lock);
	r = live_pages - base_pages;
	pthread_mutex_unlock(&mem_lock);
	return r;
}

long kf_host_dump_leaks(void)
{
	long total = 0;

	pthread_mutex_lock(&mem_lock);
	for (struct site *s = sites; s; s = s->next) {
		long o = s->objs - s->base_objs, p = s->pages - s->base_pages;

		if (!o && !p)
			continue;
		fprintf(stderr, "kfork leak: %-24s %ld object(s), %ld page(s)\n",
			s->name, o, p);
		total += (o > 0 ? o : -o) + (p > 0 ? p : -p);
	}
	pthread_mutex_unlock(&mem_lock);
	return total;
}

void kf_host_fail_nth(long n)
{
	pthread_mutex_lock(&mem_lock);
	fail_at = n > 0 ? alloc_calls + n : 0;
	fail_fired = false;
	pthread_mutex_unlock(&mem_lock);
}

bool kf_host_fail_fired(void)
{
	bool r;

	pthread_mutex_lock(&mem_lock);
	r = fail_fired;
	pthread_mutex_unlock(&mem_lock);
	return r;
}

const char *kf_host_failed_site(void)
{
	const char *r;

	pthread_mutex_lock(&mem_lock);
	r = failed_site;
	pthread_mutex_unlock(&mem_lock);
	return r;
}

/* ---- the sim's view of frames -------------------------------------------- */

static bool frame_live(kf_paddr_t pa)
{
	return kf_host_page_refs(pa) != 0;
}

/* The sim reports a stale TLB or walk-cache entry that reaches a freed
 * frame (freed before the flush that made it unreachable) instead of
 * letting kf_os_phys_to_virt panic on it. */
__attribute__((constructor)) static void host_mem_register(void)
{
	kf_sim_set_frame_live(frame_live);
}
