// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/io.c - the I/O context (I/O priority): shared with CLONE_IO; without
 * it a child gets a fresh context only when its parent has one with a
 * priority class set, as Linux's copy_io.  Created on first use.
 * CONFIG_KF_IO_CONTEXT=0: no task ever has one and CLONE_IO is a no-op,
 * as on a Linux kernel without CONFIG_BLOCK.
 */
#include "clone.h"

#define KF_IOPRIO_CLASS_SHIFT 13

static bool ioprio_valid(int ioprio)
{
	return (ioprio >> KF_IOPRIO_CLASS_SHIFT) != 0;
}

#if CONFIG_KF_IO_CONTEXT
static struct kf_io_context *io_alloc(int ioprio)
{
	struct kf_io_context *io = kf_os_alloc(sizeof(*io), KF_SITE("clone.io"));

	if (!io)
		return NULL;
	kf_ref_init(&io->ref, 1);
	io->ioprio = ioprio;
	return io;
}

int kf_io_copy(struct kf_task *parent, struct kf_task *child, bool share)
{
	struct kf_io_context *io = parent->io_context;

	child->io_context = NULL;
	if (!io)
		return 0;
	if (share) {
		kf_ref_get(&io->ref);
		child->io_context = io;
	} else if (ioprio_valid(io->ioprio)) {
		child->io_context = io_alloc(io->ioprio);
		if (!child->io_context)
			return -KF_ENOMEM;
	}
	return 0;
}

int kf_io_set_prio(struct kf_task *t, int ioprio)
{
	if (!t->io_context) {
		t->io_context = io_alloc(ioprio);
		return t->io_context ? 0 : -KF_ENOMEM;
	}
	t->io_context->ioprio = ioprio;
	return 0;
}
#else
int kf_io_copy(struct kf_task *parent, struct kf_task *child, bool share)
{
	(void)parent;
	(void)share;
	(void)ioprio_valid;
	child->io_context = NULL;
	return 0;
}

int kf_io_set_prio(struct kf_task *t, int ioprio)
{
	(void)t;
	(void)ioprio;
	return -KF_ENOSYS;
}
#endif

void kf_io_put(struct kf_io_context *io)
{
	if (io && kf_ref_put(&io->ref))
		kf_os_free(io, sizeof(*io));
}
