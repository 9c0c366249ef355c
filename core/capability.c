// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/capability.c - Linux's capability sets in the cred: capget and
 * capset with the v1, v2 and v3 headers, what the set*id calls and execve
 * do to the sets, KEEP_CAPS and the bounding set (prctl).
 *
 * A cred holds the permitted, effective and inheritable sets and the
 * bounding set (a bit per capability, 0..KF_CAP_LAST_CAP).  There are no
 * file capabilities and no ambient set: execve gives root (a real or
 * effective uid that is uid 0 of the cred's user namespace) its
 * inheritable set plus the bounding set, anyone else nothing.  What holding a capability
 * means in the initial user namespace stays the host's answer
 * (kf_os_capable), which may be kf_task_has_cap(t, cap); in a child user
 * namespace the effective set decides (kf_ns_capable).
 */
#include "clone.h"

#define CAP_V1	0x19980330u	/* one 32-bit word per set */
#define CAP_V2	0x20071026u	/* two words; deprecated */
#define CAP_V3	0x20080522u	/* two words; the preferred version */

/* Linux's CAP_FS_MASK: the capabilities the fs uid switches on and off
 * (CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, LINUX_IMMUTABLE,
 * MKNOD, MAC_OVERRIDE). */
#define CAP_FS_MASK	(0x1full | 1ull << 9 | 1ull << 27 | 1ull << 32)

/* struct __user_cap_data_struct, one per 32 capabilities */
struct cap_data {
	uint32_t effective, permitted, inheritable;
};

static bool subset(uint64_t a, uint64_t b)
{
	return !(a & ~b);
}

/* ---- capget, capset ---------------------------------------------------------- */

/*
 * check_version - the header's version: the number of data words it
 * copies (1 for v1, 2 for v2 and v3).  An unknown version gets the
 * preferred one written back and -EINVAL; a bad header -EFAULT.
 */
static long check_version(kf_uptr_t header, unsigned *words)
{
	uint32_t v;

	if (kf_os_copy_from_user(&v, header, sizeof(v)))
		return -KF_EFAULT;
	if (v == CAP_V1 || v == CAP_V2 || v == CAP_V3) {
		*words = v == CAP_V1 ? 1 : 2;
		return 0;
	}
	v = CAP_V3;
	if (kf_os_copy_to_user(header, &v, sizeof(v)))
		return -KF_EFAULT;
	return -KF_EINVAL;
}

static long header_pid(kf_uptr_t header, int *pid)
{
	return kf_os_copy_from_user(pid, header + 4, sizeof(*pid)) ?
	       -KF_EFAULT : 0;
}

/* read_sets - @pid's three sets (0 or current's tid: current's own),
 * the pid as current's pid namespace sees it; -ESRCH if none. */
static long read_sets(int pid, uint64_t sets[3])
{
	struct kf_task *t = NULL;
	const struct kf_cred *c;
	unsigned long f;

	if (pid != 0 && pid != kf_gettid()) {
		t = kf_task_find(pid);
		if (!t)
			return -KF_ESRCH;
	}
	/* a cred is swapped under the tasklist lock (kf_cred_commit) */
	f = kf_tasklist_lock_irq();
	c = (t ? t : kf_current())->cred;
	sets[0] = c->cap_effective;
	sets[1] = c->cap_permitted;
	sets[2] = c->cap_inheritable;
	kf_tasklist_unlock_irq(f);
	if (t)
		kf_task_put(t);
	return 0;
}

/*
 * kf_capget - capget(2) in Linux's order: the version (a NULL @data turns
 * the EINVAL of an unknown one into 0: the way to ask for the preferred
 * version), then the pid (negative: EINVAL; none: ESRCH), then the data,
 * one word per set for v1, two for v2 and v3.
 */
long kf_capget(kf_uptr_t header, kf_uptr_t data)
{
	struct cap_data d[2];
	uint64_t sets[3];
	unsigned words, i;
	long r = check_version(header, &words);
	int pid;

	if (!data || r)
		return !data && r == -KF_EINVAL ? 0 : r;
	if (header_pid(header, &pid))
		return -KF_EFAULT;
	if (pid < 0)
		return -KF_EINVAL;
	r = read_sets(pid, sets);
	if (r)
		return r;
	for (i = 0; i < 2; i++) {
		d[i].effective = (uint32_t)(sets[0] >> (32 * i));
		d[i].permitted = (uint32_t)(sets[1] >> (32 * i));
		d[i].inheritable = (uint32_t)(sets[2] >> (32 * i));
	}
	return kf_os_copy_to_user(data, d, words * sizeof(d[0])) ?
	       -KF_EFAULT : 0;
}

/*
 * capset_allowed - Linux's rules for current's new sets: the inheritable
 * set may only grow within the permitted one (unless current holds
 * CAP_SETPCAP) and never past the bounding set; the permitted set may
 * only shrink; the effective set must be within the new permitted one.
 */
static bool capset_allowed(const struct kf_cred *old, uint64_t eff,
			   uint64_t perm, uint64_t inh)
{
	if (!subset(inh, old->cap_inheritable | old->cap_permitted) &&
	    !kf_ns_capable(old->user_ns, KF_CAP_SETPCAP))
		return false;
	return subset(inh, old->cap_inheritable | old->cap_bset) &&
	       subset(perm, old->cap_permitted) && subset(eff, perm);
}

/*
 * kf_capset - capset(2) in Linux's order: the version, then the pid (only
 * 0 or current's own tid: EPERM), then the data (v1: capabilities 32 and
 * up are cleared), then the rules (EPERM).  Bits past the last
 * capability are dropped.
 */
long kf_capset(kf_uptr_t header, kf_uptr_t data)
{
	const struct kf_cred *old = kf_current()->cred;
	struct cap_data d[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	uint64_t eff, perm, inh;
	struct kf_cred *new;
	unsigned words;
	long r = check_version(header, &words);
	int pid;

	if (r)
		return r;
	if (header_pid(header, &pid))
		return -KF_EFAULT;
	if (pid != 0 && pid != kf_gettid())
		return -KF_EPERM;
	if (!data || kf_os_copy_from_user(d, data, words * sizeof(d[0])))
		return -KF_EFAULT;
	eff = ((uint64_t)d[1].effective << 32 | d[0].effective) & KF_CAP_FULL;
	perm = ((uint64_t)d[1].permitted << 32 | d[0].permitted) & KF_CAP_FULL;
	inh = ((uint64_t)d[1].inheritable << 32 | d[0].inheritable) & KF_CAP_FULL;
	if (!capset_allowed(old, eff, perm, inh))
		return -KF_EPERM;
	new = kf_cred_dup(old);
	if (!new)
		return -KF_ENOMEM;
	new->cap_effective = eff;
	new->cap_permitted = perm;
	new->cap_inheritable = inh;
	kf_cred_commit(new);
	return 0;
}

/* ---- The set*id calls and execve ---------------------------------------------- */

/* root_kuid - the kernel uid that is root in @ns: uid 0 mapped down
 * (KF_INVALID_ID, which no cred holds, while the namespace maps no 0). */
static uint32_t root_kuid(const struct kf_user_ns *ns)
{
	return kf_make_kuid(ns, 0);
}

static bool any_root(uint32_t root, uint32_t a, uint32_t b, uint32_t c)
{
	return a == root || b == root || c == root;
}

/*
 * kf_cap_fixup_setuid - a set*uid call turns @old into @new: leaving
 * root (uid 0 of the cred's user namespace) altogether -- real, effective
 * and saved -- clears the permitted and effective sets unless KEEP_CAPS
 * is set; an effective uid leaving root clears the effective set, one
 * becoming root gives it the permitted set.  The fs uid follows the same
 * way (kf_cap_fixup_setfsuid).
 */
void kf_cap_fixup_setuid(const struct kf_cred *old, struct kf_cred *new)
{
	uint32_t root = root_kuid(old->user_ns);

	if (any_root(root, old->uid, old->euid, old->suid) &&
	    !any_root(root, new->uid, new->euid, new->suid) &&
	    !(new->securebits & KF_SECBIT_KEEP_CAPS)) {
		new->cap_permitted = 0;
		new->cap_effective = 0;
	}
	if (old->euid == root && new->euid != root)
		new->cap_effective = 0;
	if (old->euid != root && new->euid == root)
		new->cap_effective = new->cap_permitted;
	kf_cap_fixup_setfsuid(old, new);
}

/* kf_cap_fixup_setfsuid - an fs uid leaving root drops the file-system
 * capabilities from the effective set; one becoming root takes back those
 * still permitted. */
void kf_cap_fixup_setfsuid(const struct kf_cred *old, struct kf_cred *new)
{
	uint32_t root = root_kuid(old->user_ns);

	if (old->fsuid == root && new->fsuid != root)
		new->cap_effective &= ~CAP_FS_MASK;
	if (old->fsuid != root && new->fsuid == root)
		new->cap_effective |= new->cap_permitted & CAP_FS_MASK;
}

/*
 * kf_exec_cred_prepare - the cred execve gives the new program: root (a
 * real or effective uid that is uid 0 of the cred's user namespace) gets
 * its inheritable set plus the bounding set as permitted (effective too
 * when the effective uid is root); anyone else -- and anyone in a user
 * namespace that maps no uid 0 -- gets nothing.  KEEP_CAPS is cleared.
 * NULL when out of memory.
 */
struct kf_cred *kf_exec_cred_prepare(void)
{
	const struct kf_cred *old = kf_current()->cred;
	struct kf_cred *new = kf_cred_dup(old);
	uint32_t root;

	if (!new)
		return NULL;
	root = root_kuid(old->user_ns);
	if (old->uid == root || old->euid == root)
		new->cap_permitted = (old->cap_inheritable | old->cap_bset) &
				     KF_CAP_FULL;
	else
		new->cap_permitted = 0;
	new->cap_effective = old->euid == root ? new->cap_permitted : 0;
	new->securebits &= ~KF_SECBIT_KEEP_CAPS;
	return new;
}

void kf_exec_cred_commit(struct kf_cred *new)
{
	kf_cred_commit(new);
}

void kf_exec_cred_abort(struct kf_cred *new)
{
	kf_cred_put(new);
}

/* ---- prctl: KEEP_CAPS and the bounding set ------------------------------------ */

long kf_get_keepcaps(void)
{
	return !!(kf_current()->cred->securebits & KF_SECBIT_KEEP_CAPS);
}

/* kf_set_keepcaps - PR_SET_KEEPCAPS: 0 or 1, else EINVAL. */
long kf_set_keepcaps(unsigned long on)
{
	struct kf_cred *new;

	if (on > 1)
		return -KF_EINVAL;
	new = kf_cred_dup(kf_current()->cred);
	if (!new)
		return -KF_ENOMEM;
	if (on)
		new->securebits |= KF_SECBIT_KEEP_CAPS;
	else
		new->securebits &= ~KF_SECBIT_KEEP_CAPS;
	kf_cred_commit(new);
	return 0;
}

static bool cap_valid(unsigned long cap)
{
	return cap <= KF_CAP_LAST_CAP;
}

/* kf_capbset_read - PR_CAPBSET_READ: 1 if @cap is in the bounding set. */
long kf_capbset_read(unsigned long cap)
{
	if (!cap_valid(cap))
		return -KF_EINVAL;
	return (long)(kf_current()->cred->cap_bset >> cap & 1);
}

/* kf_capbset_drop - PR_CAPBSET_DROP: EINVAL for no such capability, then
 * EPERM without CAP_SETPCAP. */
long kf_capbset_drop(unsigned long cap)
{
	const struct kf_cred *old = kf_current()->cred;
	struct kf_cred *new;

	if (!cap_valid(cap))
		return -KF_EINVAL;
	if (!kf_ns_capable(old->user_ns, KF_CAP_SETPCAP))
		return -KF_EPERM;
	new = kf_cred_dup(old);
	if (!new)
		return -KF_ENOMEM;
	new->cap_bset &= ~(1ull << cap);
	kf_cred_commit(new);
	return 0;
}

/* kf_task_has_cap - is @cap in @t's effective set?  For a host whose
 * kf_os_capable answers from the cred; @t is current or held. */
bool kf_task_has_cap(struct kf_task *t, int cap)
{
	if (cap < 0 || cap > KF_CAP_LAST_CAP)
		return false;
	return t->cred->cap_effective >> cap & 1;
}
