/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mk/arch/abi.h (riscv64) - the parts of Linux's riscv64 user ABI that the
 * portable mini-kernel needs and that differ between arches: clone's
 * argument order, the O_* bits that are not shared, struct stat (the
 * asm-generic one) and the k_sigaction layout (no sa_restorer).  The
 * system call numbers are the generic ones of <mk/unistd.h>.
 */
#ifndef MK_ARCH_ABI_H
#define MK_ARCH_ABI_H

#include <stdint.h>

/* riscv64's clone(2) argument order: flags, stack, ptid, tls, ctid. */
#define MK_CLONE_ARGS(a, flags, stack, ptid, ctid, tls) \
	((flags) = (a)[0], (stack) = (a)[1], (ptid) = (a)[2], \
	 (tls) = (a)[3], (ctid) = (a)[4])

/* O_* bits: riscv64 has x86_64's values. */
#define MK_O_DIRECTORY	0200000
#define MK_O_NOFOLLOW	0400000
#define MK_O_LARGEFILE	0100000

/* rt_sigaction's struct is {handler, flags, mask}: no restorer slot (the
 * kernel provides the return path, see the board's signal.c). */
#define MK_ABI_NO_SA_RESTORER 1

/* struct stat as asm-generic's fstat writes it (128 bytes). */
struct mk_abi_stat {
	uint64_t st_dev, st_ino;
	uint32_t st_mode, st_nlink, st_uid, st_gid;
	uint64_t st_rdev, pad1;
	int64_t st_size;
	int32_t st_blksize, pad2;
	int64_t st_blocks;
	int64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec;
	int64_t st_ctime, st_ctime_nsec;
	uint32_t unused[2];
};

/* MINSIGSTKSZ: the smallest alternate signal stack sigaltstack takes. */
#define MK_MINSIGSTKSZ	2048

/* struct epoll_event: u32 events, then u64 data (16 bytes) */
#define MK_EPOLL_EVENT_SIZE 16

#endif /* MK_ARCH_ABI_H */
