// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/dev.c - /dev: the character devices a shell and its
 * programs expect, with Linux's device numbers (st_rdev) so that programs
 * which compare them (stty, tty, test -c) see what they would on Linux.
 *
 *   null (1,3)  reads at end of file, writes take everything
 *   zero (1,5)  reads zeros, writes take everything
 *   full (1,7)  reads zeros, writes fail with ENOSPC
 *   random (1,8), urandom (1,9)  a xorshift generator seeded at boot
 *   tty (5,0)   the caller's controlling terminal (tty.c), ENXIO without
 *   console (5,1) and the serial port's own name (tty.c): the terminal
 *
 * The directory is not in the initramfs: vfs.c asks mk_dev_owns first, as
 * it does for /proc.  The generator is not cryptographic; it only has to
 * differ between boots and between reads.
 */
#include <kf/kf.h>
#include <mk/board.h>
#include <mk/file.h>
#include <mk/proc.h>
#include <mk/tty.h>

#define DT_DIR 4
#define DT_CHR 2
#define DEV_ST_DEV 5		/* devtmpfs' st_dev on a typical Linux */
#define DEV_DIR_INO 1

enum dev_kind { D_NULL, D_ZERO, D_FULL, D_RANDOM, D_URANDOM, D_TTY,
		D_CONSOLE, D_SERIAL, D_NKINDS };

struct dev_node {
	const char *name;
	unsigned major, minor, perm;
};

static const struct dev_node nodes[D_NKINDS] = {
	[D_NULL] = { "null", 1, 3, 0666 },
	[D_ZERO] = { "zero", 1, 5, 0666 },
	[D_FULL] = { "full", 1, 7, 0666 },
	[D_RANDOM] = { "random", 1, 8, 0666 },
	[D_URANDOM] = { "urandom", 1, 9, 0666 },
	[D_TTY] = { "tty", 5, 0, 0666 },
	[D_CONSOLE] = { "console", 5, 1, 0600 },
	[D_SERIAL] = { MK_TTY_SERIAL_NAME, MK_TTY_SERIAL_MAJOR,
		       MK_TTY_SERIAL_MINOR, 0660 },
};

static uint64_t dev_rdev(unsigned major, unsigned minor)
{
	/* glibc/musl makedev: the low 8 bits of the minor at the bottom */
	return ((uint64_t)major << 8) | (minor & 0xff) |
	       ((uint64_t)(minor & ~0xffu) << 12);
}

bool mk_dev_owns(const char *canon)
{
	return !strncmp(canon, "dev", 3) && (canon[3] == 0 || canon[3] == '/');
}

/* find - the node below "dev/" named by @canon: its kind, or -1 for the
 * directory itself; -ENOENT / -ENOTDIR. */
static long find(const char *canon, int *kind)
{
	const char *p = canon + 3;
	int k;

	*kind = -1;
	if (!*p)
		return 0;
	p++;
	for (k = 0; k < D_NKINDS; k++) {
		size_t len = strlen(nodes[k].name);

		if (strncmp(p, nodes[k].name, len))
			continue;
		if (p[len] == 0) {
			*kind = k;
			return 0;
		}
		if (p[len] == '/')
			return -MK_ENOTDIR;
	}
	return -KF_ENOENT;
}

static void node_stat(int kind, struct mk_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = DEV_ST_DEV;
	if (kind < 0) {
		st->ino = DEV_DIR_INO;
		st->mode = MK_S_IFDIR | 0755;
		st->nlink = 2;
		return;
	}
	st->ino = DEV_DIR_INO + 1 + (uint64_t)kind;
	st->mode = MK_S_IFCHR | nodes[kind].perm;
	st->nlink = 1;
	st->rdev = dev_rdev(nodes[kind].major, nodes[kind].minor);
}

long mk_dev_stat(const char *canon, struct mk_stat *st)
{
	int kind;
	long r = find(canon, &kind);

	if (!r)
		node_stat(kind, st);
	return r;
}

long mk_dev_mode(const char *canon, uint32_t *mode)
{
	struct mk_stat st;
	long r = mk_dev_stat(canon, &st);

	if (!r)
		*mode = st.mode;
	return r;
}

/* ---- The generator -------------------------------------------------------------------- */

static uint64_t rng_state;

/* rng_next - xorshift64*; the state is seeded (and reseeded with the cycle
 * counter now and then) so that boots differ. */
static uint64_t rng_next(void)
{
	uint64_t x = rng_state;

	if (!x || (x & 0xfff) == 0)
		x ^= board_random() ^ (board_clock_ns() << 17) ^ 0x9e3779b97f4a7c15ull;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

void mk_dev_init(void)
{
	rng_state = board_random() ^ board_clock_ns();
	rng_next();
}

/* ---- Memory devices ------------------------------------------------------------------- */

static int kind_of(struct mk_file *f)
{
	return (int)(uintptr_t)f->priv;
}

/* fill - @n bytes at @ubuf: zeros, or from the generator. */
static long fill(uintptr_t ubuf, size_t n, bool random)
{
	uint64_t chunk[32];
	size_t done = 0;

	while (done < n) {
		size_t len = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
		unsigned i;

		for (i = 0; i < 32; i++)
			chunk[i] = random ? rng_next() : 0;
		if (kf_os_copy_to_user(ubuf + done, chunk, len))
			return done ? (long)done : -KF_EFAULT;
		done += len;
		if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE) && done < n)
			break;	/* a huge read stays interruptible */
	}
	return (long)done;
}

static long mem_read(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	switch (kind_of(f)) {
	case D_NULL:
		return 0;
	case D_RANDOM:
	case D_URANDOM:
		return fill(ubuf, n, true);
	default:
		return fill(ubuf, n, false);
	}
}

static long mem_write(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	(void)ubuf;
	if (kind_of(f) == D_FULL)
		return -KF_ENOSPC;
	return (long)n;	/* random: written bytes are taken, not mixed in */
}

static unsigned mem_poll(struct mk_file *f)
{
	(void)f;
	return MK_POLLIN | MK_POLLOUT;
}

static void mem_stat(struct mk_file *f, struct mk_stat *st)
{
	node_stat(kind_of(f), st);
}

/* lseek on these succeeds and the position means nothing, as on Linux */
static uint64_t mem_size(struct mk_file *f)
{
	(void)f;
	return 0;
}

static const struct mk_file_ops mem_ops = {
	.read = mem_read,
	.write = mem_write,
	.poll = mem_poll,
	.stat = mem_stat,
	.size = mem_size,
	.mnt_id = MK_MNT_ID_DEV,
};

/* ---- The directory ------------------------------------------------------------------ */

static long put_dirent(uintptr_t ubuf, size_t room, uint64_t ino, int64_t off,
		       unsigned char type, const char *name)
{
	char rec[8 + 8 + 2 + 1 + 16 + 8];
	size_t len = strlen(name), reclen = MK_ALIGN_UP(19 + len + 1, 8);
	uint16_t rl = (uint16_t)reclen;

	if (reclen > room)
		return 0;
	memset(rec, 0, reclen);
	memcpy(rec, &ino, 8);
	memcpy(rec + 8, &off, 8);
	memcpy(rec + 16, &rl, 2);
	rec[18] = (char)type;
	memcpy(rec + 19, name, len);
	if (kf_os_copy_to_user(ubuf, rec, reclen))
		return -KF_EFAULT;
	return (long)reclen;
}

/* dir_getdents - ".", "..", then each device, from index f->pos on. */
static long dir_getdents(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	size_t done = 0;

	while (f->pos < 2 + D_NKINDS) {
		uint64_t i = f->pos;
		const char *name = i == 0 ? "." : i == 1 ? ".." : nodes[i - 2].name;
		uint64_t ino = i < 2 ? DEV_DIR_INO : DEV_DIR_INO + i - 1;
		long r = put_dirent(ubuf + done, n - done, ino, (int64_t)i + 1,
				    i < 2 ? DT_DIR : DT_CHR, name);

		if (r < 0)
			return done ? (long)done : r;
		if (r == 0)
			return done ? (long)done : -KF_EINVAL;
		done += (size_t)r;
		f->pos = i + 1;
	}
	return (long)done;
}

static void dir_stat(struct mk_file *f, struct mk_stat *st)
{
	(void)f;
	node_stat(-1, st);
}

static uint64_t dir_size(struct mk_file *f)
{
	(void)f;
	return 0;
}

static const struct mk_file_ops dir_ops = {
	.poll = mem_poll,
	.stat = dir_stat,
	.getdents = dir_getdents,
	.size = dir_size,
	.mnt_id = MK_MNT_ID_DEV,
};

static struct mk_file *dir_open(unsigned flags, long *err)
{
	struct mk_file *f;
	char *p;

	if ((flags & MK_O_ACCMODE) != MK_O_RDONLY) {
		*err = -MK_EISDIR;
		return NULL;
	}
	f = mk_file_new(&dir_ops, flags, NULL);
	p = f ? mk_alloc(4) : NULL;
	if (!p) {
		if (f)
			mk_file_put(f);
		*err = -KF_ENOMEM;
		return NULL;
	}
	memcpy(p, "dev", 4);
	f->path = p;	/* a directory: fchdir and *at() work from it */
	f->mode = MK_S_IFDIR | 0755;
	f->ino = DEV_DIR_INO;
	return f;
}

/* mk_dev_open - open canonical @canon below /dev (O_ACCMODE, O_NONBLOCK,
 * O_APPEND, O_NOCTTY in @flags). */
struct mk_file *mk_dev_open(const char *canon, unsigned flags, long *err)
{
	struct mk_file *f;
	int kind;

	*err = find(canon, &kind);
	if (*err)
		return NULL;
	if (kind < 0)
		return dir_open(flags, err);
	if (kind == D_TTY)
		return mk_tty_open_ctty(flags, err);
	if (kind == D_CONSOLE || kind == D_SERIAL)
		return mk_tty_open_console(flags, kind == D_CONSOLE, err);
	f = mk_file_new(&mem_ops, flags, (void *)(uintptr_t)kind);
	if (!f)
		*err = -KF_ENOMEM;
	return f;
}
