// SPDX-License-Identifier: BSD-2-Clause
/*
 * tests/vendor/stub_host.c - the smallest host kfork links against: every
 * symbol docs/porting-os.md says a host defines, and a reference to every
 * call it says a host makes.  Nothing here runs; the link is the test.
 *
 * tests/vendor/check writes kf_stub_list.h from the tables of the docs:
 *   KF_STUB_HOST(name)  a symbol the host defines: a kf_os.h hook, or a
 *                       routine the compiler calls (memcpy...)
 *   KF_STUB_CALL(name)  a kfork function the host calls
 * The linker symbols around kfork's sections come from link-<arch>.ld.
 */

/* A host symbol is a function that traps.  The C name is the stub's own
 * and the asm label gives the symbol, so that memcpy and the hooks are
 * defined without a prototype that would clash with the compiler's or
 * kf_os.h's. */
#define KF_STUB_HOST(name)						\
	void kf_stub_host_##name(void) __asm__(#name);			\
	void kf_stub_host_##name(void) { __builtin_trap(); }
#define KF_STUB_CALL(name)						\
	extern const char kf_stub_call_##name[] __asm__(#name);
#include "kf_stub_list.h"
#undef KF_STUB_HOST
#undef KF_STUB_CALL

/* The calls, by address: the link must find each one in kfork. */
#define KF_STUB_HOST(name)
#define KF_STUB_CALL(name) kf_stub_call_##name,
const void *const kf_stub_calls[] = {
#include "kf_stub_list.h"
	0
};

void _start(void);
void _start(void)
{
	__builtin_trap();
}
