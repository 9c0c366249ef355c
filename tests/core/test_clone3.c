// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/core/test_clone3.c - clone3(2): struct sizes and the
 * copy_struct_from_user rules, every field and flag rule with its errno,
 * the order when several fail, what the parsed request holds, and the
 * fields only clone3 has (separate pidfd slot, stack + size, NEWTIME,
 * CLEAR_SIGHAND, INTO_CGROUP).  With CONFIG_KF_CLONE3=0 every call must
 * answer ENOSYS.
 */
#include "core_test.h"

/* expect_c3_child - a clone3 that must create a child (ENOSYS when not
 * built); the child is reaped. */
static void expect_c3_child(long r, const char *id)
{
	if (CONFIG_KF_CLONE3)
		tap_ok(r > 0, id, "got %ld", r);
	else
		t_eq(r, -KF_ENOSYS, id);
	if (r > 0)
		reap(r);
}

/* clone3_tail - like clone3() with one more byte @byte at @off. */
static long clone3_tail(const struct kf_clone_args *a, size_t size, size_t off,
			uint8_t byte)
{
	static uint8_t zero[2 * 4096];

	if (!c3buf)
		c3buf = umem(sizeof(zero));
	kf_host_write(c3buf, zero, sizeof(zero));
	kf_host_write(c3buf, a, sizeof(*a));
	kf_host_write(c3buf + off, &byte, 1);
	kf_host_set_child_entry(NULL, NULL);
	return kf_sys_clone3(c3buf, size);
}

static void test_sizes(void)
{
	struct kf_clone_args a = { .exit_signal = KF_SIGCHLD };
	struct kf_clone_args junk = { .exit_signal = KF_SIGCHLD, .set_tid = 0x1234,
				      .set_tid_size = 99, .cgroup = ~0ull };

	expect(clone3(&a, KF_CLONE_ARGS_SIZE_VER0 - 1), want_c3(-KF_EINVAL),
	       "clone3.size.below_ver0");
	expect(clone3(&a, 0), want_c3(-KF_EINVAL), "clone3.size.zero");
	expect_c3_child(clone3(&a, KF_CLONE_ARGS_SIZE_VER0), "clone3.size.ver0");
	expect_c3_child(clone3(&a, KF_CLONE_ARGS_SIZE_VER1), "clone3.size.ver1");
	expect_c3_child(clone3(&a, KF_CLONE_ARGS_SIZE_VER2), "clone3.size.ver2");
	expect_c3_child(clone3(&a, 4096), "clone3.size.page_of_zeros");
	expect(clone3(&a, 4097), want_c3(-KF_E2BIG), "clone3.size.page_plus_one");
	expect(clone3_tail(&a, 128, 100, 1), want_c3(-KF_E2BIG), "clone3.size.nonzero_tail");
	expect(clone3_tail(&a, 4096, 4095, 0x80), want_c3(-KF_E2BIG),
	       "clone3.size.nonzero_last_byte");
	expect_c3_child(clone3_tail(&a, 128, 128, 1), "clone3.size.byte_past_size_unread");
	/* fields past the size passed are not read: a VER0 struct followed by
	 * garbage set_tid fields works */
	expect_c3_child(clone3(&junk, KF_CLONE_ARGS_SIZE_VER0), "clone3.size.short_struct_zero_extended");
	expect(clone3(&junk, KF_CLONE_ARGS_SIZE_VER1), want_c3(-KF_EINVAL),
	       "clone3.size.ver1_reads_set_tid");
	kf_host_set_child_entry(NULL, NULL);
	expect(kf_sys_clone3(BAD_UPTR, KF_CLONE_ARGS_SIZE_VER2), want_c3(-KF_EFAULT),
	       "clone3.size.bad_pointer_efault");
	expect(kf_sys_clone3(BAD_UPTR, 256), want_c3(-KF_EFAULT),
	       "clone3.size.bad_pointer_tail_efault");
	expect(kf_sys_clone3(BAD_UPTR, 4097), want_c3(-KF_E2BIG),
	       "clone3.order.size_before_pointer");
	expect(kf_sys_clone3(BAD_UPTR, 8), want_c3(-KF_EINVAL),
	       "clone3.order.small_size_before_pointer");
}

static void test_field_rules(void)
{
	kf_uptr_t tids = umem(4096);
	struct kf_clone_args a;

#define FIELD(init, want, id) do {					\
		a = (struct kf_clone_args){ .exit_signal = KF_SIGCHLD };	\
		init;							\
		expect(clone3(&a, KF_CLONE_ARGS_SIZE_VER2), want_c3(want), id); \
	} while (0)

	FIELD(a.set_tid = tids; a.set_tid_size = KF_MAX_PID_NS_LEVEL + 1, -KF_EINVAL,
	      "clone3.field.set_tid_size_too_big");
	FIELD(a.set_tid_size = 1, -KF_EINVAL, "clone3.field.set_tid_size_without_array");
	FIELD(a.set_tid = tids, -KF_EINVAL, "clone3.field.set_tid_without_size");
	FIELD(a.exit_signal = KF_NSIG + 1, -KF_EINVAL, "clone3.field.exit_signal_65");
	FIELD(a.exit_signal = 0x100000000ull | KF_SIGCHLD, -KF_EINVAL,
	      "clone3.field.exit_signal_high_bits");
	FIELD(a.exit_signal = 0x111, -KF_EINVAL, "clone3.field.exit_signal_past_csignal");
	FIELD(a.flags = FL(INTO_CGROUP); a.cgroup = 0x80000000ull, -KF_EINVAL,
	      "clone3.field.cgroup_over_int_max");
	FIELD(a.set_tid = BAD_UPTR; a.set_tid_size = 1, -KF_EFAULT,
	      "clone3.field.set_tid_bad_pointer");
	/* CLONE_INTO_CGROUP needs the VER2 struct */
	a = (struct kf_clone_args){ .flags = FL(INTO_CGROUP), .exit_signal = KF_SIGCHLD };
	expect(clone3(&a, KF_CLONE_ARGS_SIZE_VER1), want_c3(-KF_EINVAL),
	       "clone3.field.cgroup_needs_ver2");

	/* flag rules (clone3_args_valid) */
	FIELD(a.flags = KF_SIGCHLD, -KF_EINVAL, "clone3.flags.csignal_bits");
	FIELD(a.flags = FL(DETACHED), -KF_EINVAL, "clone3.flags.detached");
	FIELD(a.flags = 1ull << 34, -KF_EINVAL, "clone3.flags.unknown");
	FIELD(a.flags = FL(SIGHAND) | FL(VM) | FL(CLEAR_SIGHAND), -KF_EINVAL,
	      "clone3.flags.sighand_with_clear_sighand");
	FIELD(a.flags = FL(THREAD) | FL(SIGHAND) | FL(VM), -KF_EINVAL,
	      "clone3.flags.thread_with_exit_signal");
	FIELD(a.flags = FL(PARENT), -KF_EINVAL, "clone3.flags.parent_with_exit_signal");
	FIELD(a.stack = 0x100000, -KF_EINVAL, "clone3.flags.stack_without_size");
	FIELD(a.stack_size = 0x1000, -KF_EINVAL, "clone3.flags.size_without_stack");
	FIELD(a.stack = KF_USER_VA_END - 0x1000; a.stack_size = 0x2000, -KF_EINVAL,
	      "clone3.flags.stack_out_of_range");
	FIELD(a.stack = ~0ull - 0xfff; a.stack_size = 0x2000, -KF_EINVAL,
	      "clone3.flags.stack_wraps");
	/* kf_clone's own rules through clone3 */
	FIELD(a.flags = FL(NEWNS) | FL(FS), CONFIG_KF_NAMESPACES ? -KF_EINVAL : -KF_ENOSYS,
	      "clone3.flags.newns_with_fs");
	FIELD(a.flags = FL(SIGHAND), -KF_EINVAL, "clone3.flags.sighand_needs_vm");

	/* order: field rules, then the set_tid copy, then the flag rules */
	FIELD(a.set_tid = BAD_UPTR; a.set_tid_size = 1; a.flags = FL(DETACHED), -KF_EFAULT,
	      "clone3.order.set_tid_copy_before_flag_rules");
	FIELD(a.set_tid = BAD_UPTR; a.set_tid_size = 1; a.exit_signal = 99, -KF_EINVAL,
	      "clone3.order.field_rules_before_set_tid_copy");
	a = (struct kf_clone_args){ .flags = FL(DETACHED) };
	expect(clone3_tail(&a, 200, 150, 7), want_c3(-KF_E2BIG), "clone3.order.e2big_before_flags");
#undef FIELD
}

static void test_parsed(void)
{
	kf_uptr_t tids = umem(4096);
	struct kf_clone_args a = {
		.flags = FL(VM) | FL(SETTLS) | FL(NEWTIME),
		.pidfd = 0x1100, .child_tid = 0x1200, .parent_tid = 0x1300,
		.exit_signal = KF_SIGUSR2, .stack = 0x100000, .stack_size = 0x2000,
		.tls = 0x7000, .set_tid = tids, .set_tid_size = 2, .cgroup = 5,
	};
	struct kf_clone_req req;
	int set_tid[KF_MAX_PID_NS_LEVEL] = { 0 };
	int want[2] = { 1234, 5678 };
	long r;

	kf_host_write(tids, want, sizeof(want));
	clone3(&(struct kf_clone_args){ 0 }, 8);	/* just to map c3buf */
	kf_host_write(c3buf, &a, sizeof(a));
	r = kf_clone3_copy_args(c3buf, sizeof(a), &req, set_tid);
	t_eq(r, want_c3(0), "clone3.parse.ok");
	if (r)
		return;
	tap_ok(req.flags == a.flags && req.pidfd == 0x1100 && req.child_tid == 0x1200 &&
	       req.parent_tid == 0x1300 && req.tls == 0x7000 && req.cgroup == 5,
	       "clone3.parse.fields", NULL);
	t_eq(req.exit_signal, KF_SIGUSR2, "clone3.parse.exit_signal");
	t_eq(req.stack, 0x102000, "clone3.parse.stack_top");
	tap_ok(req.set_tid == set_tid && req.set_tid_size == 2 &&
	       set_tid[0] == 1234 && set_tid[1] == 5678, "clone3.parse.set_tid_copied", NULL);
}

static void test_behaviour(void)
{
	kf_uptr_t u = umem(4096);
	struct kf_clone_args a = { .exit_signal = KF_SIGCHLD };
	struct kf_host_file *f;
	struct kf_task *t;
	long pid;
	int fd;

	/* the stack: the child's sp is stack + stack_size */
	a.stack = 0x200000;
	a.stack_size = 0x4000;
	pid = clone3(&a, KF_CLONE_ARGS_SIZE_VER0);
	t = task_of(pid);
	if (CONFIG_KF_CLONE3)
		tap_ok(t && kf_arch_user_sp(kf_arch_task_regs(t)) == 0x204000,
		       "clone3.stack.sp_is_top", NULL);
	else
		t_eq(pid, -KF_ENOSYS, "clone3.stack.sp_is_top");
	reap(pid);

	/* exit_signal 0 is legal: a child nobody is signalled about */
	a = (struct kf_clone_args){ 0 };
	pid = clone3(&a, KF_CLONE_ARGS_SIZE_VER0);
	t = task_of(pid);
	if (CONFIG_KF_CLONE3)
		tap_ok(t && t->exit_signal == 0, "clone3.exit_signal.zero", NULL);
	else
		t_eq(pid, -KF_ENOSYS, "clone3.exit_signal.zero");
	reap(pid);

	/* pidfd has its own slot; with parent_tid it must differ */
	a = (struct kf_clone_args){ .flags = FL(PIDFD) | FL(PARENT_SETTID),
				    .pidfd = u, .parent_tid = u, .exit_signal = KF_SIGCHLD };
	expect(clone3(&a, KF_CLONE_ARGS_SIZE_VER0),
	       want_c3(CONFIG_KF_PIDFD ? -KF_EINVAL : -KF_ENOSYS),
	       "clone3.pidfd.same_slot_as_parent_tid");
	uput32(u, -1);
	uput32(u + 4, -1);
	a.parent_tid = u + 4;
	pid = clone3(&a, KF_CLONE_ARGS_SIZE_VER0);
	if (CONFIG_KF_CLONE3 && CONFIG_KF_PIDFD) {
		fd = uget32(u);
		f = kf_fd_get(fd);
		tap_ok(pid > 0 && f && kf_host_file_pidfd_task(f) == task_of(pid),
		       "clone3.pidfd.own_slot", "pid %ld fd %d", pid, fd);
		t_eq(uget32(u + 4), pid, "clone3.pidfd.parent_tid_too");
		if (f)
			kf_os_file_put(f);
		kf_fd_close(fd);
	} else {
		t_eq(pid, CONFIG_KF_CLONE3 ? -KF_ENOSYS : -KF_ENOSYS, "clone3.pidfd.own_slot");
	}
	reap(pid);

	/* CLONE_NEWTIME: only clone3 can ask for it */
	a = (struct kf_clone_args){ .flags = FL(NEWTIME), .exit_signal = KF_SIGCHLD };
	pid = clone3(&a, KF_CLONE_ARGS_SIZE_VER0);
	t = task_of(pid);
	if (CONFIG_KF_CLONE3 && CONFIG_KF_NAMESPACES)
		tap_ok(t && t->nsproxy->time != cur()->nsproxy->time &&
		       t->nsproxy->time == t->nsproxy->time_for_children,
		       "clone3.newtime.child_in_new_ns", NULL);
	else
		t_eq(pid, -KF_ENOSYS, "clone3.newtime.child_in_new_ns");
	reap(pid);

	/* CLONE_INTO_CGROUP goes to the host */
	a = (struct kf_clone_args){ .flags = FL(INTO_CGROUP), .cgroup = 5,
				    .exit_signal = KF_SIGCHLD };
	kf_host_cgroup_enable(5, 0);
	expect_c3_child(clone3(&a, KF_CLONE_ARGS_SIZE_VER2), "clone3.cgroup.allowed");
	kf_host_cgroup_enable(5, -KF_EBUSY);
	expect(clone3(&a, KF_CLONE_ARGS_SIZE_VER2), want_c3(-KF_EBUSY), "clone3.cgroup.refused");
	a.cgroup = 6;
	expect(clone3(&a, KF_CLONE_ARGS_SIZE_VER2), want_c3(-KF_EBADF), "clone3.cgroup.bad_fd");
	kf_host_cgroup_enable(-1, 0);
	expect(clone3(&a, KF_CLONE_ARGS_SIZE_VER2), want_c3(-KF_EOPNOTSUPP),
	       "clone3.cgroup.unsupported");
}

static int body(void *arg)
{
	unsigned long n = kf_nr_threads();

	(void)arg;
	test_sizes();
	test_field_rules();
	test_parsed();
	test_behaviour();
	t_eq(kf_nr_threads(), n, "clone3.no_child_left");
	return 0;
}

int main(void)
{
	run_init(body, "clone3.init_exit");
	t_eq(kf_host_leaked_objects(), 0, "clone3.no_leaks");
	t_eq(kf_host_leaked_pages(), 0, "clone3.no_leaked_pages");
	return tap_done();
}
