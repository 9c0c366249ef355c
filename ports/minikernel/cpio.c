// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/cpio.c - the initramfs: a cpio "newc" archive, read in
 * place.  Each entry is a 110-byte ASCII header ("070701" and 13 fields of
 * 8 hex digits), the NUL-terminated name, padding to 4 bytes, the data,
 * padding to 4 bytes; "TRAILER!!!" ends the archive.  Names are kept in
 * canonical form: no leading "./" or "/", the root itself is "".
 */
#include <mk/mk.h>

#define NEWC_HDR 110
#define NEWC_INO 0		/* field indices after the magic */
#define NEWC_MODE 1
#define NEWC_FILESIZE 6
#define NEWC_NAMESIZE 11

static const char *initrd;
static size_t initrd_size;

void mk_initrd_init(const void *base, size_t size)
{
	initrd = base;
	initrd_size = size;
}

static uint32_t newc_field(const char *hdr, unsigned i)
{
	const char *f = hdr + 6 + 8 * i;
	uint32_t v = 0;
	unsigned k;

	for (k = 0; k < 8; k++) {
		char c = f[k];
		unsigned d = c >= 'a' ? (unsigned)(c - 'a' + 10) :
			     c >= 'A' ? (unsigned)(c - 'A' + 10) :
			     (unsigned)(c - '0');
		v = (v << 4) | (d & 0xf);
	}
	return v;
}

/* Archive names may start with "./" or "/"; "." is the root. */
static const char *strip_root(const char *p)
{
	if (p[0] == '.' && p[1] == '/')
		p += 2;
	while (*p == '/')
		p++;
	if (p[0] == '.' && p[1] == 0)
		p++;
	return p;
}

/*
 * mk_initrd_next - the entry at offset *@off, which then moves to the next
 * one.  False at the end of the archive (or at a malformed header).
 */
bool mk_initrd_next(size_t *off, struct mk_initrd_ent *e)
{
	const char *h;
	uint32_t fsize, nsize;
	size_t data;

	if (!initrd || *off + NEWC_HDR > initrd_size)
		return false;
	h = initrd + *off;
	if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6))
		return false;
	fsize = newc_field(h, NEWC_FILESIZE);
	nsize = newc_field(h, NEWC_NAMESIZE);
	data = MK_ALIGN_UP(*off + NEWC_HDR + nsize, 4);
	if (nsize == 0 || data > initrd_size || fsize > initrd_size - data)
		return false;
	if (h[NEWC_HDR + nsize - 1] != 0)
		return false;
	if (!strcmp(h + NEWC_HDR, "TRAILER!!!"))
		return false;
	e->name = strip_root(h + NEWC_HDR);
	e->data = initrd + data;
	e->size = fsize;
	e->mode = newc_field(h, NEWC_MODE);
	e->ino = newc_field(h, NEWC_INO);
	*off = MK_ALIGN_UP(data + fsize, 4);
	return true;
}

bool mk_initrd_lookup(const char *path, struct mk_initrd_ent *e)
{
	size_t off = 0;

	path = strip_root(path);
	while (mk_initrd_next(&off, e))
		if (!strcmp(e->name, path))
			return true;
	return false;
}

const void *mk_initrd_find(const char *path, size_t *size)
{
	struct mk_initrd_ent e;

	if (!mk_initrd_lookup(path, &e))
		return NULL;
	*size = e.size;
	return e.data;
}
