/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The few libcap calls Linux's clone3_cap_checkpoint_restore selftest
 * makes, for musl (which has no libcap), over capget/capset with the v3
 * header.  The test casts a cap_t to {header, data[2]} and edits the
 * data directly, so a cap_t here is exactly that.
 */
#ifndef KSELFTEST_SHIM_SYS_CAPABILITY_H
#define KSELFTEST_SHIM_SYS_CAPABILITY_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>

typedef int cap_value_t;
typedef enum { CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE } cap_flag_t;
typedef enum { CAP_CLEAR, CAP_SET } cap_flag_value_t;

struct shim_cap {
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[2];
};
typedef struct shim_cap *cap_t;

static inline cap_t cap_get_proc(void)
{
	cap_t c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->hdr.version = _LINUX_CAPABILITY_VERSION_3;
	c->hdr.pid = 0;
	if (syscall(SYS_capget, &c->hdr, c->data) != 0) {
		free(c);
		return NULL;
	}
	return c;
}

static inline int cap_clear(cap_t c)
{
	if (!c) {
		errno = EINVAL;
		return -1;
	}
	memset(c->data, 0, sizeof(c->data));
	return 0;
}

/* one flag's word for capability v: the effective, permitted or inheritable mask */
static inline __u32 *shim_cap_word(cap_t c, cap_flag_t f, cap_value_t v)
{
	struct __user_cap_data_struct *d = &c->data[v >> 5];

	if (f == CAP_EFFECTIVE)
		return &d->effective;
	if (f == CAP_PERMITTED)
		return &d->permitted;
	return &d->inheritable;
}

static inline int cap_set_flag(cap_t c, cap_flag_t f, int n,
			       const cap_value_t *caps, cap_flag_value_t set)
{
	int i;

	if (!c || n < 0 || f > CAP_INHERITABLE) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		__u32 *w;

		if (caps[i] < 0 || caps[i] >= 64) {
			errno = EINVAL;
			return -1;
		}
		w = shim_cap_word(c, f, caps[i]);
		if (set == CAP_SET)
			*w |= 1u << (caps[i] & 31);
		else
			*w &= ~(1u << (caps[i] & 31));
	}
	return 0;
}

static inline int cap_set_proc(cap_t c)
{
	if (!c) {
		errno = EINVAL;
		return -1;
	}
	c->hdr.version = _LINUX_CAPABILITY_VERSION_3;
	c->hdr.pid = 0;
	return syscall(SYS_capset, &c->hdr, c->data) == 0 ? 0 : -1;
}

static inline int cap_free(void *p)
{
	free(p);
	return 0;
}

#endif
