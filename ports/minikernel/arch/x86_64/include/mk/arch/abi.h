/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mk/arch/abi.h (x86_64) - the parts of Linux's x86_64 user ABI that the
 * portable mini-kernel needs and that differ between arches: clone's
 * argument order, the O_* bits that are not shared, and struct stat.  The
 * system call numbers are not here: the portable table uses Linux's
 * generic numbers (<mk/unistd.h>) and x86_64's own numbers are mapped onto
 * it in syscall.c beside this board.
 */
#ifndef MK_ARCH_ABI_H
#define MK_ARCH_ABI_H

#include <stdint.h>

/* x86_64's clone(2) argument order: flags, stack, ptid, ctid, tls. */
#define MK_CLONE_ARGS(a, flags, stack, ptid, ctid, tls) \
	((flags) = (a)[0], (stack) = (a)[1], (ptid) = (a)[2], \
	 (ctid) = (a)[3], (tls) = (a)[4])

/* O_* bits that aarch64 numbers differently. */
#define MK_O_DIRECTORY	0200000
#define MK_O_NOFOLLOW	0400000
#define MK_O_LARGEFILE	0100000

/* struct stat as x86_64's fstat writes it (144 bytes). */
struct mk_abi_stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	uint64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec;
	uint64_t st_ctime, st_ctime_nsec;
	int64_t unused[3];
};

/* MINSIGSTKSZ: the smallest alternate signal stack sigaltstack takes. */
#define MK_MINSIGSTKSZ	2048

/* struct epoll_event: u32 events, then u64 data (packed: 12 bytes) */
#define MK_EPOLL_EVENT_SIZE 12

#endif /* MK_ARCH_ABI_H */
