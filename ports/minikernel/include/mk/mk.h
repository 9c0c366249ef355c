/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mk/mk.h - the mini-kernel's own services: log and panic, strings, lists,
 * the page-frame allocator and the kernel heap.  kfork's OS-services layer
 * (kf_os_*, ports/minikernel/os.c) is a thin skin over these.
 */
#ifndef MK_MK_H
#define MK_MK_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>
#include <kf/uapi.h>

#define MK_PAGE_SIZE 4096ul
#define MK_PAGE_MASK (~(MK_PAGE_SIZE - 1))
#define MK_ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define MK_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MK_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Log and panic (printk.c) ------------------------------------------ */

/* printf subset: %d %i %u %x %X %p %s %c %%, l/ll/z sizes, width, '0', '-'. */
int mk_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int mk_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void mk_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mk_vprintk(const char *fmt, va_list ap);

/* mk_panic - report a broken invariant on the log and halt with the panic
 * status; the board prints its own backtrace first when it has one. */
void mk_panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

#define MK_BUG_ON(c) do { \
	if (c) \
		mk_panic("%s:%d: BUG_ON(%s)", __FILE__, __LINE__, #c); \
} while (0)

/* ---- Strings (lib.c); the compiler may also call memcpy/memset -------- */

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* mk_cmdline_get - the value of "@key=value" on the kernel command line
 * (copied into @buf), or NULL. */
const char *mk_cmdline_get(const char *key, char *buf, size_t size);
unsigned long mk_strtoul(const char *s, const char **end, int base);

/* ---- Lists ------------------------------------------------------------------- */

struct mk_list {
	struct mk_list *next, *prev;
};

#define MK_LIST_INIT(name) { &(name), &(name) }
#define mk_container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

static inline void mk_list_init(struct mk_list *h) { h->next = h->prev = h; }
static inline bool mk_list_empty(const struct mk_list *h) { return h->next == h; }

static inline void mk_list_add_tail(struct mk_list *n, struct mk_list *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void mk_list_del(struct mk_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

/* ---- Physical pages (pmm.c) ------------------------------------------------ */

struct mk_bootinfo;

/*
 * Every frame of RAM has a reference count.  Free frames count 0; frames
 * the allocator never owned (kernel image, boot tables, firmware data, the
 * count array itself) are "reserved": get/put ignore them and count
 * reports MK_PAGE_RESERVED_COUNT, so no path can ever free them.
 */
#define MK_PAGE_RESERVED_COUNT 0x40000000u

void mk_pmm_init(const struct mk_bootinfo *bi);
/* mk_page_alloc - one zeroed frame with count 1, or 0 when none is left. */
uint64_t mk_page_alloc(void);
/* mk_pages_alloc - @n physically contiguous zeroed frames, each count 1. */
uint64_t mk_pages_alloc(size_t n);
void mk_page_get(uint64_t pa);
void mk_page_put(uint64_t pa);
unsigned mk_page_count(uint64_t pa);
size_t mk_pmm_free_pages(void);	/* frames free now */
size_t mk_pmm_total_pages(void);	/* frames free at boot */
/* frame numbers of RAM: first_frame .. first_frame + nr_frames - 1 */
size_t mk_pmm_nr_frames(void);
uint64_t mk_pmm_first_frame(void);

/* ---- Kernel heap (heap.c) ---------------------------------------------------- */

/* mk_heap_init - after mk_pmm_init: the slab descriptors. */
void mk_heap_init(void);
/* mk_alloc - @size zeroed bytes, or NULL; mk_free needs the same size.
 * Pages of the heap go back to the page allocator when emptied. */
void *mk_alloc(size_t size);
void mk_free(void *p, size_t size);
size_t mk_heap_in_use(void);	/* bytes handed out and not freed */

/* ---- Kernel stacks (kstack.c) ------------------------------------------------ */

/* mk_kstack_alloc - a KF_ARCH_KSTACK_SIZE stack in the kmap window with an
 * unmapped guard page below it; returns its base (lowest address) or NULL. */
void *mk_kstack_alloc(void);
void mk_kstack_free(void *base);
/* mk_kstack_guard_hit - does @addr lie in a kernel stack's guard page? */
bool mk_kstack_guard_hit(uintptr_t addr);

/* ---- Initramfs (cpio.c) ------------------------------------------------------- */

struct mk_initrd_ent {
	const char *name;	/* canonical: no leading '/' or "./" */
	const void *data;
	uint32_t size, mode, ino, nlink;
};

/* mk_initrd_find - the data of file @path in the newc archive, or NULL. */
const void *mk_initrd_find(const char *path, size_t *size);
/* mk_initrd_lookup - the entry named @path (canonical or not), symbolic
 * links followed. */
bool mk_initrd_lookup(const char *path, struct mk_initrd_ent *e);
/* mk_initrd_next - iterate: *@off starts at 0. */
bool mk_initrd_next(size_t *off, struct mk_initrd_ent *e);
void mk_initrd_init(const void *base, size_t size);

/* ---- Ticks --------------------------------------------------------------------- */

#define MK_HZ 100
extern volatile uint64_t mk_ticks;

#endif /* MK_MK_H */
