// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/host/test_mem.c - the host port's object and frame allocators:
 * per-site tracking, size checks, frame refcounts, fail-the-n-th-call.
 * No task is needed: everything runs on the main thread before boot.
 */
#include <string.h>
#include "tap.h"
#include "kf_host.h"
#include <kf/hal/irq.h>

static void test_objects(void)
{
	long live = kf_host_live_objects();
	unsigned char *p = kf_os_alloc(100, "test.obj");
	int zero = 1;

	tap_ok(p != NULL, "host.alloc.returns", NULL);
	for (int i = 0; p && i < 100; i++)
		zero &= p[i] == 0;
	tap_ok(zero, "host.alloc.zeroed", NULL);
	tap_eq(kf_host_live_objects(), live + 1, "host.alloc.live_counted");
	tap_eq(kf_host_site_objects("test.obj"), 1, "host.alloc.site_counted");
	tap_eq((uintptr_t)p % 16, 0, "host.alloc.aligned");
	kf_os_free(p, 100);
	tap_eq(kf_host_live_objects(), live, "host.alloc.free_uncounted");
	tap_eq(kf_host_site_objects("test.obj"), 0, "host.alloc.site_back");
	kf_os_free(NULL, 0);
	tap_eq(kf_host_live_objects(), live, "host.alloc.free_null");
}

static void test_baseline(void)
{
	void *p;
	long n;

	kf_host_mark_baseline();
	p = kf_os_alloc(8, "test.leak");
	tap_eq(kf_host_leaked_objects(), 1, "host.leak.counted");
	n = kf_host_dump_leaks();
	tap_eq(n, 1, "host.leak.dumped");
	kf_os_free(p, 8);
	tap_eq(kf_host_leaked_objects(), 0, "host.leak.gone");
	n = kf_host_dump_leaks();
	tap_eq(n, 0, "host.leak.dump_empty");
}

static void test_fail_nth(void)
{
	long calls = kf_host_alloc_calls();
	void *a, *b, *c;
	kf_paddr_t pa;

	kf_host_fail_nth(2);
	a = kf_os_alloc(8, "test.a");
	b = kf_os_alloc(8, "test.b");
	c = kf_os_alloc(8, "test.c");
	tap_ok(a && !b && c, "host.failnth.only_nth", "a=%p b=%p c=%p", a, b, c);
	tap_ok(kf_host_fail_fired(), "host.failnth.fired", NULL);
	tap_ok(kf_host_failed_site() && !strcmp(kf_host_failed_site(), "test.b"),
	       "host.failnth.site", "%s", kf_host_failed_site());
	tap_eq(kf_host_alloc_calls(), calls + 3, "host.failnth.calls_counted");
	kf_os_free(a, 8);
	kf_os_free(c, 8);

	kf_host_fail_nth(1);
	pa = kf_os_page_alloc("test.page");
	tap_eq(pa, 0, "host.failnth.pages_too");
	kf_host_fail_nth(3);
	a = kf_os_alloc(8, "test.a");
	tap_ok(a && !kf_host_fail_fired(), "host.failnth.not_yet", NULL);
	kf_host_fail_nth(0);
	b = kf_os_alloc(8, "test.b");
	c = kf_os_alloc(8, "test.c");
	tap_ok(b && c && !kf_host_fail_fired(), "host.failnth.disarmed", NULL);
	kf_os_free(a, 8);
	kf_os_free(b, 8);
	kf_os_free(c, 8);
}

/* op3 - three allocations with a full unwind, for the sweep idiom. */
static int op3(void **out)
{
	void *a, *b;
	kf_paddr_t pa;

	a = kf_os_alloc(16, "test.op.a");
	if (!a)
		return -KF_ENOMEM;
	pa = kf_os_page_alloc("test.op.page");
	if (!pa)
		goto free_a;
	b = kf_os_alloc(16, "test.op.b");
	if (!b)
		goto put_page;
	kf_os_page_put(pa);
	kf_os_free(b, 16);
	*out = a;
	return 0;
put_page:
	kf_os_page_put(pa);
free_a:
	kf_os_free(a, 16);
	return -KF_ENOMEM;
}

static void test_sweep(void)
{
	long objs = kf_host_live_objects(), pages = kf_host_live_pages();
	int n, failures = 0, clean = 1;
	void *out = NULL;

	for (n = 1; n < 100; n++) {
		int r;

		kf_host_fail_nth(n);
		r = op3(&out);
		if (!kf_host_fail_fired())
			break;
		failures++;
		clean &= r == -KF_ENOMEM && kf_host_live_objects() == objs &&
			 kf_host_live_pages() == pages;
	}
	kf_host_fail_nth(0);
	tap_eq(failures, 3, "host.sweep.every_call_failed_once");
	tap_ok(clean, "host.sweep.no_leak_after_failure", NULL);
	tap_ok(out != NULL, "host.sweep.succeeds_at_end", NULL);
	kf_os_free(out, 16);
}

static void test_frames(void)
{
	long live = kf_host_live_pages();
	kf_paddr_t a = kf_os_page_alloc("test.frame");
	kf_paddr_t b = kf_os_page_alloc("test.frame");
	unsigned char *va = kf_os_phys_to_virt(a);
	int zero = 1;

	tap_ok(a && b && a != b, "host.frame.distinct", "%#llx %#llx",
	       (unsigned long long)a, (unsigned long long)b);
	tap_eq(a & 0xfff, 0, "host.frame.aligned_pa");
	tap_eq((uintptr_t)va & 0xfff, 0, "host.frame.aligned_va");
	for (int i = 0; i < 4096; i++)
		zero &= va[i] == 0;
	tap_ok(zero, "host.frame.zeroed", NULL);
	tap_eq((unsigned char *)kf_os_phys_to_virt(a + 5) - va, 5,
	       "host.frame.offset");
	tap_eq(kf_os_page_count(a), 1, "host.frame.count_1");
	tap_eq(kf_host_live_pages(), live + 2, "host.frame.live");
	tap_eq(kf_host_site_pages("test.frame"), 2, "host.frame.site");
	kf_os_page_get(a);
	tap_eq(kf_os_page_count(a), 2, "host.frame.get");
	kf_os_page_put(a);
	tap_eq(kf_os_page_count(a), 1, "host.frame.put");
	kf_os_page_put(a);
	tap_eq(kf_host_page_refs(a), 0, "host.frame.freed");
	tap_eq(kf_host_live_pages(), live + 1, "host.frame.live_after_free");
	kf_os_page_put(b);
	tap_eq(kf_host_live_pages(), live, "host.frame.all_freed");
	tap_eq(kf_host_page_refs(0), 0, "host.frame.zero_is_never_a_frame");
}

static void test_spinlock(void)
{
	kf_os_spinlock_t a, b;
	unsigned long fa, fb;

	kf_os_spin_init(&a);
	kf_os_spin_init(&b);
	tap_ok(!kf_os_spin_held(&a) && !kf_arch_irqs_disabled(),
	       "host.spin.initially_free", NULL);
	fa = kf_os_spin_lock(&a);
	fb = kf_os_spin_lock(&b);
	tap_ok(kf_os_spin_held(&a) && kf_os_spin_held(&b), "host.spin.held", NULL);
	tap_ok(kf_arch_irqs_disabled(), "host.spin.irqs_off", NULL);
	kf_os_spin_unlock(&b, fb);
	tap_ok(kf_arch_irqs_disabled() && !kf_os_spin_held(&b),
	       "host.spin.nested_restore", NULL);
	kf_os_spin_unlock(&a, fa);
	tap_ok(!kf_arch_irqs_disabled() && !kf_os_spin_held(&a),
	       "host.spin.outer_restore", NULL);
}

int main(void)
{
	test_objects();
	test_baseline();
	test_fail_nth();
	test_sweep();
	test_frames();
	test_spinlock();
	return tap_done();
}
