// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/aarch64/fdt.c - what the board reads from the
 * flattened device tree QEMU hands over in x0: RAM (/memory), the
 * reserved-memory map, the command line and the initramfs (/chosen
 * bootargs, linux,initrd-start/-end), and the devices it drives (PL011,
 * GICv2, the architected timer's interrupts, the PSCI conduit).
 *
 * One pass over the structure block.  Properties are collected per node
 * and the node is looked at when it ends; only the root's children are
 * read (QEMU's virt puts everything there), with the root's
 * #address-cells and #size-cells.  The blob is big-endian and read a byte
 * at a time, so no alignment is assumed.  It is not kept: everything
 * needed is copied, and its memory goes to the page allocator.
 */
#include <mk/board.h>
#include <mk/mk.h>
#include "a64.h"

#define FDT_MAGIC	0xd00dfeedu
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

#define GIC_PPI_BASE	16	/* PPI n is INTID 16 + n */
#define VTIMER_PPI_DEFAULT 11	/* the architected timer's virtual PPI */

struct a64_devices a64_dev;

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* A value of @cells 32-bit cells (1 or 2). */
static uint64_t cells_val(const uint8_t *p, unsigned cells)
{
	return cells == 2 ? be64(p) : be32(p);
}

uint32_t a64_fdt_totalsize(const void *fdt)
{
	const uint8_t *h = fdt;

	return be32(h) == FDT_MAGIC ? be32(h + 4) : 0;
}

struct fdt_prop {
	const uint8_t *v;
	uint32_t len;
};

/* What one node said, as far as the board cares. */
struct fdt_node {
	const char *name;
	struct fdt_prop compatible, device_type, reg, interrupts, method;
	struct fdt_prop bootargs, initrd_start, initrd_end;
	struct fdt_prop address_cells, size_cells;
};

/* prop_has - does string-list property @p contain @s? */
static bool prop_has(const struct fdt_prop *p, const char *s)
{
	uint32_t off = 0, n = (uint32_t)strlen(s) + 1;

	while (p->v && off + n <= p->len) {
		const char *c = (const char *)p->v + off;

		if (!memcmp(c, s, n))
			return true;
		off += (uint32_t)strnlen(c, p->len - off) + 1;
	}
	return false;
}

static void add_region(struct mk_mem_region *r, unsigned *n, uint64_t base,
		       uint64_t size)
{
	if (size == 0)
		return;
	if (*n == MK_MAX_MEM_REGIONS) {
		mk_printk("a64: too many memory regions, %lx+%lx ignored\n",
			  (unsigned long)base, (unsigned long)size);
		return;
	}
	r[*n].base = base;
	r[*n].size = size;
	(*n)++;
}

struct fdt_ctx {
	struct mk_bootinfo *bi;
	unsigned acells, scells;	/* the root's */
};

/* reg_at - the @i-th (address, size) of a root child's reg. */
static bool reg_at(const struct fdt_ctx *c, const struct fdt_node *n,
		   unsigned i, uint64_t *base, uint64_t *size)
{
	uint32_t step = 4 * (c->acells + c->scells);

	if (!n->reg.v || (i + 1) * step > n->reg.len)
		return false;
	*base = cells_val(n->reg.v + i * step, c->acells);
	*size = cells_val(n->reg.v + i * step + 4 * c->acells, c->scells);
	return true;
}

static void chosen(struct fdt_ctx *c, const struct fdt_node *n)
{
	struct mk_bootinfo *bi = c->bi;

	if (n->bootargs.v) {
		size_t len = strnlen((const char *)n->bootargs.v, n->bootargs.len);

		if (len >= MK_CMDLINE_MAX)
			len = MK_CMDLINE_MAX - 1;
		memcpy(bi->cmdline, n->bootargs.v, len);
		bi->cmdline[len] = 0;
	}
	/* 4- or 8-byte cells, whichever the loader wrote */
	if (n->initrd_start.v && n->initrd_end.v &&
	    (n->initrd_start.len == 4 || n->initrd_start.len == 8) &&
	    (n->initrd_end.len == 4 || n->initrd_end.len == 8)) {
		uint64_t s = cells_val(n->initrd_start.v, n->initrd_start.len / 4);
		uint64_t e = cells_val(n->initrd_end.v, n->initrd_end.len / 4);

		if (e > s) {
			bi->initrd_base = s;
			bi->initrd_size = e - s;
			add_region(bi->reserved, &bi->nr_reserved, s, e - s);
		}
	}
}

/* The virtual timer is the third of the four PPIs (secure physical,
 * physical, virtual, hypervisor), 3 cells each: type, number, flags. */
static void timer(const struct fdt_node *n)
{
	if (n->interrupts.v && n->interrupts.len >= 36)
		a64_dev.vtimer_intid = GIC_PPI_BASE + be32(n->interrupts.v + 28);
}

static void node_done(struct fdt_ctx *c, const struct fdt_node *n)
{
	uint64_t base, size;
	unsigned i;

	if (n->device_type.v && prop_has(&n->device_type, "memory")) {
		for (i = 0; reg_at(c, n, i, &base, &size); i++)
			add_region(c->bi->ram, &c->bi->nr_ram, base, size);
	} else if (!strcmp(n->name, "chosen")) {
		chosen(c, n);
	} else if (prop_has(&n->compatible, "arm,pl011")) {
		if (!a64_dev.uart && reg_at(c, n, 0, &base, &size)) {
			a64_dev.uart = base;
			/* <type number flags>, type 0: SPI n is INTID 32 + n */
			if (n->interrupts.v && n->interrupts.len >= 12 &&
			    be32(n->interrupts.v) == 0)
				a64_dev.uart_intid = 32 + be32(n->interrupts.v + 4);
		}
	} else if (prop_has(&n->compatible, "arm,cortex-a15-gic") ||
		   prop_has(&n->compatible, "arm,gic-400")) {
		if (reg_at(c, n, 0, &base, &size))
			a64_dev.gicd = base;
		if (reg_at(c, n, 1, &base, &size))
			a64_dev.gicc = base;
	} else if (prop_has(&n->compatible, "arm,gic-v3")) {
		a64_dev.gic_v3 = true;
	} else if (prop_has(&n->compatible, "arm,armv8-timer")) {
		timer(n);
	} else if (prop_has(&n->compatible, "arm,psci-0.2") ||
		   prop_has(&n->compatible, "arm,psci")) {
		if (prop_has(&n->method, "hvc"))
			a64_dev.psci = A64_PSCI_HVC;
		else if (prop_has(&n->method, "smc"))
			a64_dev.psci = A64_PSCI_SMC;
	}
}

static void node_prop(struct fdt_node *n, const char *name,
		      const uint8_t *v, uint32_t len)
{
	static const struct { const char *name; size_t off; } wanted[] = {
		{ "compatible", offsetof(struct fdt_node, compatible) },
		{ "device_type", offsetof(struct fdt_node, device_type) },
		{ "reg", offsetof(struct fdt_node, reg) },
		{ "interrupts", offsetof(struct fdt_node, interrupts) },
		{ "method", offsetof(struct fdt_node, method) },
		{ "bootargs", offsetof(struct fdt_node, bootargs) },
		{ "linux,initrd-start", offsetof(struct fdt_node, initrd_start) },
		{ "linux,initrd-end", offsetof(struct fdt_node, initrd_end) },
		{ "#address-cells", offsetof(struct fdt_node, address_cells) },
		{ "#size-cells", offsetof(struct fdt_node, size_cells) },
	};
	unsigned i;

	for (i = 0; i < MK_ARRAY_SIZE(wanted); i++) {
		if (!strcmp(name, wanted[i].name)) {
			struct fdt_prop *p =
				(struct fdt_prop *)((char *)n + wanted[i].off);

			p->v = v;
			p->len = len;
		}
	}
}

/* The /memreserve/ block: (address, size) pairs up to a zero size. */
static void memreserve(const uint8_t *fdt, struct mk_bootinfo *bi)
{
	const uint8_t *p = fdt + be32(fdt + 16);
	uint64_t size;

	for (; (size = be64(p + 8)) != 0; p += 16)
		add_region(bi->reserved, &bi->nr_reserved, be64(p), size);
}

/* The root's cell sizes once its own properties are read (they precede
 * its children). */
static void root_cells(struct fdt_ctx *c, const struct fdt_node *root)
{
	if (root->address_cells.len == 4)
		c->acells = be32(root->address_cells.v);
	if (root->size_cells.len == 4)
		c->scells = be32(root->size_cells.v);
	if (c->acells < 1 || c->acells > 2 || c->scells < 1 || c->scells > 2)
		mk_panic("a64: DTB root has %u address and %u size cells",
			 c->acells, c->scells);
}

void a64_fdt_parse(const void *blob, struct mk_bootinfo *bi)
{
	const uint8_t *fdt = blob, *p, *strings;
	struct fdt_ctx c = { bi, 2, 1 };	/* the spec's defaults */
	struct fdt_node root = { 0 }, node = { 0 };
	int depth = 0;
	bool cells_read = false;

	if (be32(fdt) != FDT_MAGIC)
		mk_panic("a64: no device tree at the address in x0");
	a64_dev.vtimer_intid = GIC_PPI_BASE + VTIMER_PPI_DEFAULT;
	a64_dev.uart_intid = 33;	/* virt's PL011: SPI 1 */
	memreserve(fdt, bi);
	p = fdt + be32(fdt + 8);
	strings = fdt + be32(fdt + 12);
	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;

			p += MK_ALIGN_UP(strlen(name) + 1, 4);
			if (++depth == 1) {
				root.name = name;
			} else if (depth == 2) {
				if (!cells_read) {
					root_cells(&c, &root);
					cells_read = true;
				}
				memset(&node, 0, sizeof(node));
				node.name = name;
			}
		} else if (tok == FDT_END_NODE) {
			if (depth == 2)
				node_done(&c, &node);
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p), name = be32(p + 4);

			if (depth == 1)
				node_prop(&root, (const char *)strings + name,
					  p + 8, len);
			else if (depth == 2)
				node_prop(&node, (const char *)strings + name,
					  p + 8, len);
			p += 8 + MK_ALIGN_UP(len, 4);
		} else if (tok == FDT_END) {
			break;
		} else if (tok != FDT_NOP) {
			mk_panic("a64: bad device tree token %u", tok);
		}
	}
}
