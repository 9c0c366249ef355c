// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/cpio.c - the initramfs: a cpio "newc" archive, read in
 * place.  Each entry is a 110-byte ASCII header ("070701" and 13 fields of
 * 8 hex digits), the NUL-terminated name, padding to 4 bytes, the data,
 * padding to 4 bytes; "TRAILER!!!" ends the archive.  Names are kept in
 * canonical form: no leading "./" or "/", the root itself is "".
 *
 * Lookups follow symbolic links (an entry of type link whose data is the
 * target) in every component, so a tree packed with `cpio -o` works as it
 * would on Linux; and hard links (cpio stores the data once, in the last
 * entry of an inode) read the data of the entry that holds it.
 */
#include <mk/mk.h>

#define NEWC_HDR 110
#define NEWC_INO 0		/* field indices after the magic */
#define NEWC_MODE 1
#define NEWC_NLINK 4
#define NEWC_FILESIZE 6
#define NEWC_NAMESIZE 11
#define INITRD_PATH_MAX 256
#define INITRD_LINK_HOPS 16	/* Linux's ELOOP limit is 40; a tree needs few */
#define S_IFMT 0170000
#define S_IFLNK 0120000
#define S_IFREG 0100000

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
	e->nlink = newc_field(h, NEWC_NLINK);
	*off = MK_ALIGN_UP(data + fsize, 4);
	return true;
}

/* find_exact - the entry named exactly the first @len bytes of @name. */
static bool find_exact(const char *name, size_t len, struct mk_initrd_ent *e)
{
	size_t off = 0;

	while (mk_initrd_next(&off, e))
		if (!strncmp(e->name, name, len) && e->name[len] == 0)
			return true;
	return false;
}

/* push - add component @c (@len bytes) to canonical @out ("." and ".."
 * handled); false if the result would not fit. */
static bool push(char *out, const char *c, size_t len)
{
	size_t o = strlen(out);

	if (len == 0 || (len == 1 && c[0] == '.'))
		return true;
	if (len == 2 && c[0] == '.' && c[1] == '.') {
		while (o > 0 && out[o - 1] != '/')
			o--;
		out[o ? o - 1 : 0] = 0;
		return true;
	}
	if (o + 1 + len + 1 > INITRD_PATH_MAX)
		return false;
	if (o)
		out[o++] = '/';
	memcpy(out + o, c, len);
	out[o + len] = 0;
	return true;
}

/* push_path - every component of @p onto @out. */
static bool push_path(char *out, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t len = 0;

		while (i < n && p[i] == '/')
			i++;
		while (i + len < n && p[i + len] != '/')
			len++;
		if (!push(out, p + i, len))
			return false;
		i += len;
	}
	return true;
}

/*
 * follow - @path's first @end bytes name link @l: the path becomes the
 * link's directory, its target, then what followed the link in @path.
 */
static bool follow(char *path, size_t end, const struct mk_initrd_ent *l)
{
	char out[INITRD_PATH_MAX];
	const char *t = l->data;

	out[0] = 0;
	if (!(l->size && t[0] == '/') && !push_path(out, path, end))
		return false;
	if (!(l->size && t[0] == '/') && !push(out, "..", 2))
		return false;
	if (!push_path(out, t, l->size) ||
	    !push_path(out, path + end, strlen(path + end)))
		return false;
	memcpy(path, out, strlen(out) + 1);
	return true;
}

/* hard_link_data - a hard link stored without data: the data is in the
 * entry of the same inode that has it. */
static void hard_link_data(struct mk_initrd_ent *e)
{
	struct mk_initrd_ent o;
	size_t off = 0;

	if ((e->mode & S_IFMT) != S_IFREG || e->size || e->nlink < 2)
		return;
	while (mk_initrd_next(&off, &o))
		if (o.ino == e->ino && o.size && (o.mode & S_IFMT) == S_IFREG) {
			e->data = o.data;
			e->size = o.size;
			return;
		}
}

bool mk_initrd_lookup(const char *name, struct mk_initrd_ent *e)
{
	char path[INITRD_PATH_MAX];
	unsigned hops = 0;
	size_t end = 0;

	path[0] = 0;
	if (!push_path(path, name, strlen(name)))
		return false;
	for (;;) {
		while (path[end] && path[end] != '/')
			end++;
		if (end && find_exact(path, end, e) &&
		    (e->mode & S_IFMT) == S_IFLNK) {
			if (++hops > INITRD_LINK_HOPS || !follow(path, end, e))
				return false;
			end = 0;
			continue;
		}
		if (!path[end])
			break;
		end++;
	}
	if (!path[0] || !find_exact(path, strlen(path), e))
		return false;
	hard_link_data(e);
	return true;
}

const void *mk_initrd_find(const char *path, size_t *size)
{
	struct mk_initrd_ent e;

	if (!mk_initrd_lookup(path, &e))
		return NULL;
	*size = e.size;
	return e.data;
}
