// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/riscv64/fdt.c - what the kernel takes from the
 * flattened device tree OpenSBI passes in a1 (the devicetree
 * specification's format: a big-endian header, a memory reservation
 * block, a structure block of tokens and a strings block).
 *
 * One walk over the structure block collects, per node, its reg,
 * compatible, device_type and riscv,isa, and acts when the node ends
 * (properties may come in any order):
 *   /memory*        device_type "memory": RAM
 *   /reserved-memory/...  reserved ranges (OpenSBI's own region is one)
 *   /chosen         bootargs; linux,initrd-start/-end (4- or 8-byte cells)
 *   /cpus           timebase-frequency (the time CSR's rate)
 *   /cpus/cpu@N     riscv,isa of the boot hart (reg = its hart id): Sstc?
 *   ns16550a, sifive,test0   the console UART and the finisher
 * reg is read with the parent's #address-cells / #size-cells.
 */
#include <mk/board.h>
#include <mk/mk.h>
#include "riscv.h"

#define FDT_MAGIC	0xd00dfeedu
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9
#define MAX_DEPTH	16

struct rv_machine rv_mach;

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings;
	uint32_t off_mem_rsvmap, version, last_comp_version;
	uint32_t boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

/* What one node said about itself, acted on at its end. */
struct fdt_node {
	const char *name;
	const uint8_t *reg, *compat, *isa, *dtype;
	uint32_t reg_len, compat_len, isa_len, dtype_len;
	uint32_t addr_cells, size_cells;	/* for its children */
};

struct fdt_walk {
	struct mk_bootinfo *bi;
	uint64_t hartid;
	struct fdt_node node[MAX_DEPTH];
	int depth;			/* of the node being read; root 0 */
};

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/* cells - @n big-endian 32-bit cells as one number (n = 1 or 2). */
static uint64_t cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;

	while (n--) {
		v = v << 32 | be32(p);
		p += 4;
	}
	return v;
}

/* A 4- or 8-byte property (linux,initrd-*: both are in use). */
static uint64_t prop_u(const uint8_t *v, uint32_t len)
{
	return len == 8 ? cells(v, 2) : len == 4 ? cells(v, 1) : 0;
}

/* has_string - does the string list @list (@len bytes) hold @s? */
static bool has_string(const uint8_t *list, uint32_t len, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t i = 0;

	while (list && i < len) {
		size_t l = strnlen((const char *)list + i, len - i) + 1;

		if (l == n && memcmp(list + i, s, n) == 0)
			return true;
		i += (uint32_t)l;
	}
	return false;
}

static bool name_is(const char *name, const char *base)
{
	size_t n = strlen(base);

	return strncmp(name, base, n) == 0 && (name[n] == 0 || name[n] == '@');
}

static void add_region(struct mk_mem_region *r, unsigned *nr,
		       uint64_t base, uint64_t size)
{
	if (!size)
		return;
	if (*nr == MK_MAX_MEM_REGIONS) {
		mk_printk("fdt: too many regions, %lx+%lx ignored\n",
			  (unsigned long)base, (unsigned long)size);
		return;
	}
	r[*nr].base = base;
	r[*nr].size = size;
	(*nr)++;
}

/* first_reg - the first (address, size) of @n's reg, read with its
 * parent @p's cells; false when it has none. */
static bool first_reg(const struct fdt_node *n, const struct fdt_node *p,
		      uint64_t *base, uint64_t *size)
{
	uint32_t step = 4 * (p->addr_cells + p->size_cells);

	if (!n->reg || n->reg_len < step || p->addr_cells > 2 ||
	    p->size_cells > 2)
		return false;
	*base = cells(n->reg, p->addr_cells);
	*size = cells(n->reg + 4 * p->addr_cells, p->size_cells);
	return true;
}

/* every_reg - each (address, size) pair of @n's reg into @r. */
static void every_reg(const struct fdt_node *n, const struct fdt_node *p,
		      struct mk_mem_region *r, unsigned *nr)
{
	uint32_t step = 4 * (p->addr_cells + p->size_cells), off;

	if (!n->reg || !step || p->addr_cells > 2 || p->size_cells > 2)
		return;
	for (off = 0; off + step <= n->reg_len; off += step)
		add_region(r, nr, cells(n->reg + off, p->addr_cells),
			   cells(n->reg + off + 4 * p->addr_cells, p->size_cells));
}

/* node_end - act on the node at w->depth (whose parent is depth - 1). */
static void node_end(struct fdt_walk *w)
{
	const struct fdt_node *n = &w->node[w->depth];
	const struct fdt_node *p = &w->node[w->depth > 0 ? w->depth - 1 : 0];
	struct mk_bootinfo *bi = w->bi;
	uint64_t base, size;

	if (w->depth == 0)
		return;
	if (w->depth == 1 && n->dtype && has_string(n->dtype, n->dtype_len, "memory"))
		every_reg(n, p, bi->ram, &bi->nr_ram);
	if (w->depth == 2 && name_is(p->name, "reserved-memory"))
		every_reg(n, p, bi->reserved, &bi->nr_reserved);
	if (w->depth == 2 && name_is(p->name, "cpus") && n->isa &&
	    first_reg(n, p, &base, &size) && base == w->hartid) {
		size_t l = strnlen((const char *)n->isa, n->isa_len);

		if (l >= sizeof(rv_mach.isa))
			l = sizeof(rv_mach.isa) - 1;
		memcpy(rv_mach.isa, n->isa, l);
		rv_mach.isa[l] = 0;
	}
	if (has_string(n->compat, n->compat_len, "ns16550a") && !rv_mach.uart_pa &&
	    first_reg(n, p, &base, &size))
		rv_mach.uart_pa = base;
	if ((has_string(n->compat, n->compat_len, "riscv,plic0") ||
	     has_string(n->compat, n->compat_len, "sifive,plic-1.0.0")) &&
	    !rv_mach.plic_pa && first_reg(n, p, &base, &size))
		rv_mach.plic_pa = base;
	if (has_string(n->compat, n->compat_len, "sifive,test0") &&
	    first_reg(n, p, &base, &size))
		rv_mach.test_pa = base;
}

static void node_prop(struct fdt_walk *w, const char *name,
		      const uint8_t *v, uint32_t len)
{
	struct fdt_node *n = &w->node[w->depth];
	struct mk_bootinfo *bi = w->bi;

	if (!strcmp(name, "#address-cells") && len == 4)
		n->addr_cells = be32(v);
	else if (!strcmp(name, "#size-cells") && len == 4)
		n->size_cells = be32(v);
	else if (!strcmp(name, "reg"))
		n->reg = v, n->reg_len = len;
	else if (!strcmp(name, "compatible"))
		n->compat = v, n->compat_len = len;
	else if (!strcmp(name, "device_type"))
		n->dtype = v, n->dtype_len = len;
	else if (!strcmp(name, "riscv,isa"))
		n->isa = v, n->isa_len = len;
	if (w->depth == 1 && name_is(n->name, "chosen")) {
		if (!strcmp(name, "bootargs")) {
			size_t l = strnlen((const char *)v, len);

			if (l >= MK_CMDLINE_MAX)
				l = MK_CMDLINE_MAX - 1;
			memcpy(bi->cmdline, v, l);
			bi->cmdline[l] = 0;
		} else if (!strcmp(name, "linux,initrd-start")) {
			bi->initrd_base = prop_u(v, len);
		} else if (!strcmp(name, "linux,initrd-end")) {
			bi->initrd_size = prop_u(v, len);	/* the end, for now */
		}
	}
	if (w->depth == 1 && name_is(n->name, "cpus") &&
	    !strcmp(name, "timebase-frequency"))
		rv_mach.timebase_hz = prop_u(v, len);
}

/* The header's own reservations (address, size pairs up to a 0, 0). */
static void read_rsvmap(const uint8_t *fdt, const struct fdt_header *h,
			struct mk_bootinfo *bi)
{
	const uint8_t *e = fdt + be32(&h->off_mem_rsvmap);

	for (; cells(e, 2) || cells(e + 8, 2); e += 16)
		add_region(bi->reserved, &bi->nr_reserved, cells(e, 2),
			   cells(e + 8, 2));
}

static void walk(const uint8_t *fdt, const struct fdt_header *h,
		 struct fdt_walk *w)
{
	const uint8_t *p = fdt + be32(&h->off_dt_struct);
	const uint8_t *end = p + be32(&h->size_dt_struct);
	const char *strings = (const char *)fdt + be32(&h->off_dt_strings);

	w->depth = -1;
	while (p < end) {
		uint32_t tok = be32(p), len;

		p += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			if (++w->depth >= MAX_DEPTH)
				mk_panic("fdt: nodes nested too deep");
			memset(&w->node[w->depth], 0, sizeof(w->node[0]));
			w->node[w->depth].name = (const char *)p;
			w->node[w->depth].addr_cells = 2;	/* the defaults */
			w->node[w->depth].size_cells = 1;
			p += MK_ALIGN_UP(strlen((const char *)p) + 1, 4);
			break;
		case FDT_END_NODE:
			if (w->depth < 0)
				mk_panic("fdt: unbalanced nodes");
			node_end(w);
			w->depth--;
			break;
		case FDT_PROP:
			len = be32(p);
			if (w->depth >= 0)
				node_prop(w, strings + be32(p + 4), p + 8, len);
			p += 8 + MK_ALIGN_UP(len, 4);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return;
		default:
			mk_panic("fdt: bad token %x", tok);
		}
	}
}

/* isa_has - is @ext one of the '_'-separated extensions of @isa? */
static bool isa_has(const char *isa, const char *ext)
{
	size_t n = strlen(ext);
	const char *p = isa;

	for (; *p; p++)
		if (*p == '_' && !strncmp(p + 1, ext, n) &&
		    (p[n + 1] == '_' || p[n + 1] == 0))
			return true;
	return false;
}

void fdt_parse(const void *fdt, uint64_t fdt_pa, uint64_t hartid,
	       struct mk_bootinfo *bi)
{
	const struct fdt_header *h = fdt;
	static struct fdt_walk w;

	if (be32(&h->magic) != FDT_MAGIC)
		mk_panic("fdt: no device tree at %lx", (unsigned long)fdt_pa);
	w.bi = bi;
	w.hartid = hartid;
	rv_mach.hartid = hartid;
	read_rsvmap(fdt, h, bi);
	walk(fdt, h, &w);
	add_region(bi->reserved, &bi->nr_reserved, fdt_pa, be32(&h->totalsize));
	if (bi->initrd_base && bi->initrd_size > bi->initrd_base) {
		bi->initrd_size -= bi->initrd_base;
		add_region(bi->reserved, &bi->nr_reserved, bi->initrd_base,
			   bi->initrd_size);
	} else {
		bi->initrd_base = bi->initrd_size = 0;
	}
	rv_mach.sstc = isa_has(rv_mach.isa, "sstc");
}
