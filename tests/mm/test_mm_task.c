// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/mm/test_mm_task.c - the address space under real tasks: init's mm
 * through kf_fork (COW via kf_fault), CLONE_VM sharing, and exec's mm
 * switch, with user memory reached only as user code (kf_host_read/write)
 * in each task.  Built once per PTE encoding.
 */
#include "mm_test.h"

static uintptr_t g_priv, g_shared;	/* set by init before forking */

static int urb(uintptr_t va)
{
	unsigned char b;

	return kf_host_read(va, &b, 1) ? -1 : b;
}

static int uwb(uintptr_t va, unsigned char b)
{
	return kf_host_write(va, &b, 1);
}

/* the fork child: sees init's data, writes its own copy and the shared page */
static int child_fn(void *arg)
{
	(void)arg;
	if (urb(g_priv) != 0xaa)
		return 1;
	if (urb(g_priv + PG) != 0)	/* WIPEONFORK */
		return 2;
	if (uwb(g_priv, 0xcc) || urb(g_priv) != 0xcc)
		return 3;
	if (urb(g_shared) != 0x11 || uwb(g_shared, 0x55))
		return 4;
	if (uwb(g_priv + 2 * PG, 0x77))	/* untouched before the fork */
		return 5;
	return 42;
}

/* a CLONE_VM child writes straight into its parent's memory */
static int vm_child_fn(void *arg)
{
	(void)arg;
	return uwb(g_priv + 2 * PG, 0x99) ? 1 : 7;
}

static int exec_child_fn(void *arg)
{
	struct kf_mm *mm = kf_mm_create();
	long a;

	(void)arg;
	if (!mm)
		return 1;
	a = kf_mm_map(mm, g_priv, PG, RW, PRIV | FIX);
	kf_mm_copy_in(mm, g_priv, "\x31", 1);
	kf_exec_mm(mm);
	if (a != (long)g_priv || urb(g_priv) != 0x31 || urb(g_shared) != -1)
		return 2;
	return uwb(g_priv, 0x32) ? 3 : 9;
}

static long wait_child(long pid)
{
	struct kf_waitinfo wi;
	long r;

	memset(&wi, 0, sizeof(wi));
	r = kf_waitid(KF_P_PID, (int)pid, &wi, KF_WEXITED);
	return r < 0 ? r : wi.status;
}

static int init_fn(void *arg)
{
	struct kf_mm *mm = kf_task_mm(kf_os_current());
	struct kf_clone_req req;
	long pid;

	(void)arg;
	g_priv = (uintptr_t)kf_mm_map(mm, 0, 3 * PG, RW, PRIV);
	g_shared = (uintptr_t)kf_mm_map(mm, 0, PG, RW, SHRD);
	tap_ok((long)g_priv > 0 && (long)g_shared > 0, "mm.task.maps", NULL);
	uwb(g_priv, 0xaa);
	uwb(g_priv + PG, 0xbb);
	uwb(g_shared, 0x11);
	kf_mm_advise(mm, g_priv + PG, PG, KF_MADV_WIPEONFORK);

	kf_host_set_child_entry(child_fn, NULL);
	pid = kf_fork();
	t_eq(wait_child(pid), 42, "mm.task.fork_child_checks");
	t_eq(urb(g_priv), 0xaa, "mm.task.fork_parent_isolated");
	t_eq(urb(g_priv + PG), 0xbb, "mm.task.fork_parent_keeps_wiped");
	t_eq(urb(g_priv + 2 * PG), 0, "mm.task.fork_child_new_page_private");
	t_eq(urb(g_shared), 0x55, "mm.task.fork_shared_sees_child");
	t_eq(t_refs(mm, g_priv), 1, "mm.task.fork_refs_back");

	memset(&req, 0, sizeof(req));
	req.flags = KF_CLONE_VM;
	req.exit_signal = KF_SIGCHLD;
	kf_host_set_child_entry(vm_child_fn, NULL);
	pid = kf_clone(&req);
	t_eq(wait_child(pid), 7, "mm.task.clone_vm_child");
	t_eq(urb(g_priv + 2 * PG), 0x99, "mm.task.clone_vm_shared_write");
	t_eq(kf_mm_users(mm), 1, "mm.task.clone_vm_users_back");

	kf_host_set_child_entry(exec_child_fn, NULL);
	pid = kf_fork();
	t_eq(wait_child(pid), 9, "mm.task.exec_new_mm");
	t_eq(urb(g_priv), 0xaa, "mm.task.exec_parent_untouched");
	return 0;
}

int main(void)
{
	int st;

	tap_diag("mm under tasks, %s page-table format", KF_ARCH_PTE_NAME);
	st = kf_host_run_as_init(init_fn, NULL);
	t_eq(st, 0, "mm.task.init_exit");
	tap_ok(kf_host_leaked_objects() == 0 && kf_host_leaked_pages() == 0,
	       "mm.task.no_leak", "objects %ld pages %ld",
	       kf_host_leaked_objects(), kf_host_leaked_pages());
	return tap_done();
}
