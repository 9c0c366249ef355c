/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/host/sim_space.h - an address space made by hand for the tests of
 * the sim CPUs: a root table and its arch context, no kf_mm around them,
 * so a test can change entries behind every cache's back.
 */
#ifndef KF_TESTS_SIM_SPACE_H
#define KF_TESTS_SIM_SPACE_H

#include <string.h>
#include <kf/hal/pte.h>
#include <kf/hal/tlb.h>
#include <kf/hal/pgwalk.h>

#define RW  (KF_PROT_READ | KF_PROT_WRITE | KF_PROT_USER)
#define RO  (KF_PROT_READ | KF_PROT_USER)
#define RX  (KF_PROT_READ | KF_PROT_EXEC | KF_PROT_USER)
#define VA  0x400000ul

struct space {
	kf_paddr_t root;
	struct kf_arch_mm amm;
};

static inline void space_init(struct space *s)
{
	s->root = kf_os_page_alloc("test.root");
	kf_arch_mm_init(&s->amm, s->root);
}

static inline void space_fini(struct space *s)
{
	kf_arch_mm_fini(&s->amm);
	kf_pt_free_tree(s->root);
	kf_os_page_put(s->root);
}

/* frame - a new frame filled with @byte. */
static inline kf_paddr_t frame(int byte)
{
	kf_paddr_t pa = kf_os_page_alloc("test.frame");

	memset(kf_os_phys_to_virt(pa), byte, KF_PAGE_SIZE);
	return pa;
}

#endif /* KF_TESTS_SIM_SPACE_H */
