// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/clone3.c - clone3(2): a size-versioned struct clone_args.
 *
 * Parsing follows Linux's copy_clone_args_from_user and clone3_args_valid:
 * the struct is read with copy_struct_from_user's rules (a shorter struct
 * is zero-extended; a longer one is accepted only if the extra bytes are
 * zero), then each field is checked.  kf_clone does the rest.
 */
#include <kf/hal/pte.h>
#include <kf/hal/uaccess.h>
#include "clone.h"

#define KF_INT_MAX 0x7fffffff

#if CONFIG_KF_CLONE3

/*
 * check_zeroed_user - are the @n bytes at @src all zero?  1 yes, 0 no,
 * -EFAULT when they cannot be read.
 */
static int check_zeroed_user(kf_uptr_t src, size_t n)
{
	uint8_t buf[64];

	while (n > 0) {
		size_t chunk = n < sizeof(buf) ? n : sizeof(buf);
		size_t i;

		if (kf_os_copy_from_user(buf, src, chunk))
			return -KF_EFAULT;
		for (i = 0; i < chunk; i++)
			if (buf[i])
				return 0;
		src += chunk;
		n -= chunk;
	}
	return 1;
}

/*
 * copy_struct_from_user - read a user struct of @usize bytes into @dst of
 * @ksize: zero-fill what the user did not pass, refuse (E2BIG) a longer
 * struct whose extra bytes are not zero, EFAULT for unreadable memory.
 */
static int copy_struct_from_user(void *dst, size_t ksize, kf_uptr_t src,
				 size_t usize)
{
	size_t size = usize < ksize ? usize : ksize;
	int ret;

	if (usize < ksize) {
		__builtin_memset((char *)dst + size, 0, ksize - size);
	} else if (usize > ksize) {
		ret = check_zeroed_user(src + ksize, usize - ksize);
		if (ret <= 0)
			return ret ? ret : -KF_E2BIG;
	}
	if (kf_os_copy_from_user(dst, src, size))
		return -KF_EFAULT;
	return 0;
}

/* args_check - the field rules of copy_clone_args_from_user. */
static int args_check(const struct kf_clone_args *a, size_t usize)
{
	/* at most one chosen pid per pid-namespace level */
	if (a->set_tid_size > KF_MAX_PID_NS_LEVEL)
		return -KF_EINVAL;
	/* set_tid and set_tid_size come together */
	if (!a->set_tid && a->set_tid_size > 0)
		return -KF_EINVAL;
	if (a->set_tid && a->set_tid_size == 0)
		return -KF_EINVAL;
	/* the exit signal is a signal number, nothing above CSIGNAL */
	if ((a->exit_signal & ~KF_CSIGNAL) || !kf_valid_signal(a->exit_signal))
		return -KF_EINVAL;
	/* CLONE_INTO_CGROUP needs the cgroup field (VER2) and an int fd */
	if ((a->flags & KF_CLONE_INTO_CGROUP) &&
	    (a->cgroup > KF_INT_MAX || usize < KF_CLONE_ARGS_SIZE_VER2))
		return -KF_EINVAL;
	return 0;
}

/* stack_valid - clone3_stack_valid: stack and stack_size both or
 * neither, inside user space; the child's sp is the top. */
static bool stack_valid(struct kf_clone_req *req, uint64_t stack, uint64_t size)
{
	if (stack == 0)
		return size == 0;
	if (size == 0)
		return false;
	if (!kf_user_range_ok((uintptr_t)stack, (size_t)size))
		return false;
	req->stack = (kf_uptr_t)(stack + size);
	return true;
}

/* args_valid - clone3_args_valid. */
static bool args_valid(struct kf_clone_req *req, const struct kf_clone_args *a)
{
	uint64_t f = req->flags;

	/* no unknown flags */
	if (f & ~(KF_CLONE_LEGACY_FLAGS | KF_CLONE_CLEAR_SIGHAND | KF_CLONE_INTO_CGROUP))
		return false;
	/* CLONE_DETACHED and the CSIGNAL byte (but for CLONE_NEWTIME) are
	 * reserved in clone3 */
	if (f & (KF_CLONE_DETACHED | (KF_CSIGNAL & ~KF_CLONE_NEWTIME)))
		return false;
	/* clearing handlers one shares makes no sense */
	if ((f & (KF_CLONE_SIGHAND | KF_CLONE_CLEAR_SIGHAND)) ==
	    (KF_CLONE_SIGHAND | KF_CLONE_CLEAR_SIGHAND))
		return false;
	/* threads and CLONE_PARENT children have no exit signal of their own */
	if ((f & (KF_CLONE_THREAD | KF_CLONE_PARENT)) && req->exit_signal)
		return false;
	return stack_valid(req, a->stack, a->stack_size);
}

#endif /* CONFIG_KF_CLONE3 */

/*
 * kf_clone3_copy_args - parse clone3's arguments into @req (and the chosen
 * pids into @set_tid, which must hold KF_MAX_PID_NS_LEVEL entries), with
 * Linux's errors in its order: E2BIG (size over a page), EINVAL (size
 * under VER0), E2BIG (non-zero bytes past the known struct), EFAULT,
 * EINVAL (field rules), EFAULT (set_tid array), EINVAL (flag rules).
 */
long kf_clone3_copy_args(kf_uptr_t uargs, size_t size,
			 struct kf_clone_req *req, int *set_tid)
{
#if CONFIG_KF_CLONE3
	struct kf_clone_args a;
	int err;

	if (size > KF_PAGE_SIZE)
		return -KF_E2BIG;
	if (size < KF_CLONE_ARGS_SIZE_VER0)
		return -KF_EINVAL;
	err = copy_struct_from_user(&a, sizeof(a), uargs, size);
	if (err)
		return err;
	err = args_check(&a, size);
	if (err)
		return err;
	*req = (struct kf_clone_req){
		.flags = a.flags,
		.pidfd = (kf_uptr_t)a.pidfd,
		.child_tid = (kf_uptr_t)a.child_tid,
		.parent_tid = (kf_uptr_t)a.parent_tid,
		.exit_signal = (int)a.exit_signal,
		.tls = (kf_uptr_t)a.tls,
		.set_tid_size = (size_t)a.set_tid_size,
		.cgroup = (int)a.cgroup,
	};
	if (a.set_tid) {
		if (kf_os_copy_from_user(set_tid, (kf_uptr_t)a.set_tid,
					 req->set_tid_size * sizeof(int)))
			return -KF_EFAULT;
		req->set_tid = set_tid;
	}
	if (!args_valid(req, &a))
		return -KF_EINVAL;
	return 0;
#else
	(void)uargs;
	(void)size;
	(void)req;
	(void)set_tid;
	return -KF_ENOSYS;
#endif
}

/* kf_sys_clone3 - clone3(2); -ENOSYS when built without it. */
long kf_sys_clone3(kf_uptr_t uargs, size_t size)
{
	struct kf_clone_req req;
	int set_tid[KF_MAX_PID_NS_LEVEL];
	long err;

	err = kf_clone3_copy_args(uargs, size, &req, set_tid);
	if (err)
		return err;
	return kf_clone(&req);
}
