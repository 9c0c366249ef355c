/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mk/arch/abi.h (aarch64) - the parts of Linux's arm64 user ABI that the
 * portable mini-kernel needs and that differ between arches: clone's
 * argument order, the O_* bits that are not shared, and struct stat (the
 * asm-generic one).  The system call numbers are the generic ones the
 * portable table uses (<mk/unistd.h>).
 */
#ifndef MK_ARCH_ABI_H
#define MK_ARCH_ABI_H

#include <stdint.h>

/* arm64's clone(2) argument order (CLONE_BACKWARDS): flags, stack, ptid,
 * tls, ctid. */
#define MK_CLONE_ARGS(a, flags, stack, ptid, ctid, tls) \
	((flags) = (a)[0], (stack) = (a)[1], (ptid) = (a)[2], \
	 (tls) = (a)[3], (ctid) = (a)[4])

/* O_* bits arm64 numbers its own way. */
#define MK_O_DIRECTORY	040000
#define MK_O_NOFOLLOW	0100000
#define MK_O_LARGEFILE	0400000

/* struct stat as arm64's fstat writes it (asm-generic, 128 bytes). */
struct mk_abi_stat {
	uint64_t st_dev, st_ino;
	uint32_t st_mode, st_nlink, st_uid, st_gid;
	uint64_t st_rdev, pad1;
	int64_t st_size;
	int32_t st_blksize, pad2;
	int64_t st_blocks;
	int64_t st_atime;
	uint64_t st_atime_nsec;
	int64_t st_mtime;
	uint64_t st_mtime_nsec;
	int64_t st_ctime;
	uint64_t st_ctime_nsec;
	uint32_t unused[2];
};

_Static_assert(sizeof(struct mk_abi_stat) == 128, "struct stat");

/* MINSIGSTKSZ: the smallest alternate signal stack sigaltstack takes. */
#define MK_MINSIGSTKSZ	5120

/* struct epoll_event: u32 events, then u64 data (16 bytes) */
#define MK_EPOLL_EVENT_SIZE 16

#endif /* MK_ARCH_ABI_H */
