/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/user/uaccess.c - the kernel's user copies: a bad pointer is
 * EFAULT, never a kernel fault; a good pointer to memory not touched yet
 * is paged in during the copy.  Raw syscalls, so musl adds nothing.
 * (stdout must not be /dev/null, whose write never reads the buffer.)
 */
#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "utap.h"

#define PAGE 4096

/* rt_sigprocmask(SIG_BLOCK, set, old, 8): the kernel reads @set and
 * writes the old mask to @old. */
static long sig_block(const void *set, void *old)
{
	return syscall(SYS_rt_sigprocmask, SIG_BLOCK, set, old, 8);
}

static long fails_with(long r, int err)
{
	return r == -1 && errno == err;
}

int main(void)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t zero = 0, *fresh;

	utap_ok(p != MAP_FAILED, "user.uaccess.mmap");
	utap_ok(fails_with(syscall(SYS_write, 1, (void *)0, 5), EFAULT),
		"user.uaccess.write_null_efault");
	utap_ok(fails_with(syscall(SYS_write, 1, (void *)0xffffffff80000000ul, 8),
			   EFAULT), "user.uaccess.write_kernel_address_efault");
	utap_ok(fails_with(syscall(SYS_write, 1, (void *)0x7ffffffffff0ul, 64),
			   EFAULT), "user.uaccess.write_past_user_top_efault");
	utap_ok(fails_with(sig_block(&zero, (void *)8), EFAULT),
		"user.uaccess.copy_out_to_null_efault");
	utap_ok(fails_with(sig_block((void *)0xffff800000000000ul, NULL), EFAULT),
		"user.uaccess.copy_in_from_kernel_efault");

	/* a page nobody touched: the copy faults it in and succeeds */
	fresh = (uint64_t *)(p + PAGE);
	utap_eq(sig_block(&zero, fresh), 0, "user.uaccess.copy_out_demand_zero");
	utap_eq((long)*fresh, 0, "user.uaccess.copy_out_wrote_old_mask");

	/* read-only and inaccessible pages refuse the kernel's writes */
	utap_eq(mprotect(p + 2 * PAGE, PAGE, PROT_READ), 0,
		"user.uaccess.mprotect_ro");
	utap_ok(fails_with(sig_block(&zero, p + 2 * PAGE), EFAULT),
		"user.uaccess.copy_out_readonly_efault");
	utap_eq(mprotect(p + 3 * PAGE, PAGE, PROT_NONE), 0,
		"user.uaccess.mprotect_none");
	utap_ok(fails_with(sig_block(p + 3 * PAGE, NULL), EFAULT),
		"user.uaccess.copy_in_prot_none_efault");

	/* an unmapped hole */
	utap_eq(munmap(p, PAGE), 0, "user.uaccess.munmap");
	utap_ok(fails_with(syscall(SYS_write, 1, p, 1), EFAULT),
		"user.uaccess.write_unmapped_efault");
	return utap_done();
}
