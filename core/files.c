// SPDX-License-Identifier: BSD-2-Clause
/*
 * core/files.c - the file-descriptor table: shared by CLONE_FILES, copied
 * otherwise (each open file gains a reference through kf_os_file_get).
 *
 * The table starts with KF_NR_OPEN_DEFAULT slots and doubles on demand,
 * up to RLIMIT_NOFILE.  Arrays are allocated with no lock held and swapped
 * in under files->lock (F), retrying if the table changed meanwhile.
 *
 * A slot is free (NULL), holds a file, or is reserved: kf_fd_reserve took
 * it for a file that is not ready yet (Linux's get_unused_fd_flags, an
 * open_fds bit with no file).  A reserved slot is taken for allocation, but
 * every lookup finds no file there (close: EBADF, dup2 onto it: EBUSY, as
 * Linux), a copy of the table leaves it free, and only its reserver fills
 * it (kf_fd_install_reserved) or gives it back (kf_fd_unreserve).
 */
#include "clone.h"

#define KF_NR_OPEN_DEFAULT 64		/* slots of a new table (BITS_PER_LONG) */

static char reserved_mark;
#define FD_RESERVED ((void *)&reserved_mark)

static void *init_fd[KF_NR_OPEN_DEFAULT];
static uint64_t init_cloexec[KF_NR_OPEN_DEFAULT / 64];

struct kf_files kf_init_files = {
	.ref = { 1 },			/* the boot task's, never dropped */
	.max_fds = KF_NR_OPEN_DEFAULT,
	.fd = init_fd,
	.cloexec = init_cloexec,
};

void kf_files_boot(void)
{
	kf_os_spin_init(&kf_init_files.lock);
}

/* ---- arrays ------------------------------------------------------------------ */

struct fdarrays {
	unsigned n;			/* slots, a multiple of 64 */
	void **fd;
	uint64_t *cloexec;
};

static int arrays_alloc(struct fdarrays *a, unsigned n)
{
	a->n = n;
	a->fd = kf_os_alloc(n * sizeof(void *), KF_SITE("files.fd"));
	if (!a->fd)
		return -KF_ENOMEM;
	a->cloexec = kf_os_alloc(n / 64 * sizeof(uint64_t), KF_SITE("files.cloexec"));
	if (!a->cloexec) {
		kf_os_free(a->fd, n * sizeof(void *));
		return -KF_ENOMEM;
	}
	return 0;
}

/* arrays_free - free arrays taken out of a table (never the static ones). */
static void arrays_free(struct fdarrays *a)
{
	if (a->fd == init_fd)
		return;
	kf_os_free(a->fd, a->n * sizeof(void *));
	kf_os_free(a->cloexec, a->n / 64 * sizeof(uint64_t));
}

static bool cloexec_test(const struct kf_files *f, unsigned fd)
{
	return (f->cloexec[fd / 64] >> (fd % 64)) & 1;
}

static void cloexec_assign(struct kf_files *f, unsigned fd, bool on)
{
	if (on)
		f->cloexec[fd / 64] |= 1ull << (fd % 64);
	else
		f->cloexec[fd / 64] &= ~(1ull << (fd % 64));
}

/* file_at - the file in slot @fd, or NULL (free, reserved, out of range). (F) */
static void *file_at(const struct kf_files *f, int fd)
{
	if (fd < 0 || (unsigned)fd >= f->max_fds || f->fd[fd] == FD_RESERVED)
		return NULL;
	return f->fd[fd];
}

/* open_slots - slots a copy needs: past the last open fd, rounded to 64. (F) */
static unsigned open_slots(struct kf_files *f)
{
	unsigned n = f->max_fds;

	KF_ASSERT_HELD(&f->lock);
	while (n > 0 && !f->fd[n - 1])
		n--;
	n = (n + 63) / 64 * 64;
	return n < KF_NR_OPEN_DEFAULT ? KF_NR_OPEN_DEFAULT : n;
}

/* ---- tables ------------------------------------------------------------------- */

void kf_files_get(struct kf_files *f)
{
	kf_ref_get(&f->ref);
}

/* files_copy_locked - fill @new's arrays (size a->n >= what @old needs)
 * from @old, taking a reference on every file.  (F of @old) */
static void files_copy_locked(struct kf_files *old, struct fdarrays *a)
{
	unsigned i;

	KF_ASSERT_HELD(&old->lock);
	for (i = 0; i < a->n && i < old->max_fds; i++) {
		if (i % 64 == 0)
			a->cloexec[i / 64] = old->cloexec[i / 64];
		/* another thread's reservation stays behind: free here */
		a->fd[i] = file_at(old, (int)i);
		if (a->fd[i])
			kf_os_file_get(a->fd[i]);
		else
			a->cloexec[i / 64] &= ~(1ull << (i % 64));
	}
}

struct kf_files *kf_files_dup(struct kf_files *old)
{
	struct kf_files *f = kf_os_alloc(sizeof(*f), KF_SITE("clone.files"));
	struct fdarrays a;
	unsigned long irq;
	unsigned need;

	if (!f)
		return NULL;
	irq = kf_os_spin_lock(&old->lock);
	need = open_slots(old);
	for (;;) {
		kf_os_spin_unlock(&old->lock, irq);
		if (arrays_alloc(&a, need)) {
			kf_os_free(f, sizeof(*f));
			return NULL;
		}
		irq = kf_os_spin_lock(&old->lock);
		if (open_slots(old) <= need)
			break;
		need = open_slots(old);	/* it grew meanwhile: again */
		arrays_free(&a);
	}
	files_copy_locked(old, &a);
	kf_os_spin_unlock(&old->lock, irq);

	kf_ref_init(&f->ref, 1);
	kf_os_spin_init(&f->lock);
	f->max_fds = a.n;
	f->fd = a.fd;
	f->cloexec = a.cloexec;
	return f;
}

/* kf_files_put - drop a user; the last one closes every file. */
void kf_files_put(struct kf_files *f)
{
	struct fdarrays a;
	unsigned i;

	if (!f || !kf_ref_put(&f->ref))
		return;
	if (f == &kf_init_files)
		kf_os_panic("kf_files_put: initial table released");
	for (i = 0; i < f->max_fds; i++) {
		/* a reserver holds a reference on the table */
		if (f->fd[i] == FD_RESERVED)
			kf_os_panic("kf_files_put: fd %u still reserved", i);
		if (f->fd[i])
			kf_os_file_put(f->fd[i]);
	}
	a.n = f->max_fds;
	a.fd = f->fd;
	a.cloexec = f->cloexec;
	arrays_free(&a);
	kf_os_free(f, sizeof(*f));
}

/*
 * files_expand - grow @f past @have slots (doubling), up to @limit.
 * 0 (also when someone else grew it meanwhile), -EMFILE, -ENOMEM.
 * Called with no lock held.
 */
static int files_expand(struct kf_files *f, unsigned have, uint64_t limit)
{
	struct fdarrays a, old;
	unsigned long irq;

	if (have >= limit)
		return -KF_EMFILE;
	if (arrays_alloc(&a, have * 2))
		return -KF_ENOMEM;
	irq = kf_os_spin_lock(&f->lock);
	if (f->max_fds != have) {	/* lost a race: theirs will do */
		kf_os_spin_unlock(&f->lock, irq);
		arrays_free(&a);
		return 0;
	}
	__builtin_memcpy(a.fd, f->fd, have * sizeof(void *));
	__builtin_memcpy(a.cloexec, f->cloexec, have / 64 * sizeof(uint64_t));
	old.n = have;
	old.fd = f->fd;
	old.cloexec = f->cloexec;
	f->fd = a.fd;
	f->cloexec = a.cloexec;
	f->max_fds = a.n;
	kf_os_spin_unlock(&f->lock, irq);
	arrays_free(&old);
	return 0;
}

/*
 * fd_install_from - put @file (or FD_RESERVED) into the lowest free slot
 * >= @min of current's table, growing it as needed.  The table takes over
 * the caller's reference on success; on failure (-EMFILE at RLIMIT_NOFILE,
 * -ENOMEM growing the table) the caller keeps it.
 */
static int fd_install_from(void *file, unsigned min, bool cloexec)
{
	struct kf_files *f = kf_current()->files;
	uint64_t limit = kf_rlimit(KF_RLIMIT_NOFILE);
	unsigned long irq;
	unsigned fd, have;
	int err;

	for (;;) {
		irq = kf_os_spin_lock(&f->lock);
		for (fd = min; fd < f->max_fds && f->fd[fd]; fd++)
			;
		if (fd < f->max_fds) {
			if (fd >= limit) {
				kf_os_spin_unlock(&f->lock, irq);
				return -KF_EMFILE;
			}
			f->fd[fd] = file;
			cloexec_assign(f, fd, cloexec);
			kf_os_spin_unlock(&f->lock, irq);
			return (int)fd;
		}
		have = f->max_fds;
		kf_os_spin_unlock(&f->lock, irq);
		err = files_expand(f, have, limit);
		if (err)
			return err;
	}
}

int kf_fd_install(void *file, bool cloexec)
{
	return fd_install_from(file, 0, cloexec);
}

/* kf_fd_reserve - take the lowest free slot for a file to come. */
int kf_fd_reserve(bool cloexec)
{
	return fd_install_from(FD_RESERVED, 0, cloexec);
}

/* take_reserved - the reservation at @fd ends: @file (or NULL) takes the
 * slot.  Only the reserver calls this, so the slot is still reserved. */
static void take_reserved(int fd, void *file)
{
	struct kf_files *f = kf_current()->files;
	unsigned long irq = kf_os_spin_lock(&f->lock);

	if (fd < 0 || (unsigned)fd >= f->max_fds || f->fd[fd] != FD_RESERVED)
		kf_os_panic("kf_fd: fd %d is not reserved", fd);
	f->fd[fd] = file;
	if (!file)
		cloexec_assign(f, (unsigned)fd, false);
	kf_os_spin_unlock(&f->lock, irq);
}

void kf_fd_install_reserved(int fd, void *file)
{
	take_reserved(fd, file);
}

void kf_fd_unreserve(int fd)
{
	take_reserved(fd, NULL);
}

/* kf_fd_install_min - F_DUPFD: the lowest free slot >= @min; -EINVAL for
 * @min outside 0..RLIMIT_NOFILE-1. */
int kf_fd_install_min(void *file, int min, bool cloexec)
{
	if (min < 0 || (uint64_t)min >= kf_rlimit(KF_RLIMIT_NOFILE))
		return -KF_EINVAL;
	return fd_install_from(file, (unsigned)min, cloexec);
}

/*
 * kf_fd_install_at - dup2/dup3: put @file at exactly @fd, closing what was
 * there.  Takes over the caller's reference on success.  -EBADF for an fd
 * outside 0..RLIMIT_NOFILE-1, -EBUSY for a reserved one, -ENOMEM.
 */
long kf_fd_install_at(int fd, void *file, bool cloexec)
{
	struct kf_files *f = kf_current()->files;
	uint64_t limit = kf_rlimit(KF_RLIMIT_NOFILE);
	unsigned long irq;
	unsigned have;
	void *old;
	int err;

	if (fd < 0 || (uint64_t)fd >= limit)
		return -KF_EBADF;
	for (;;) {
		irq = kf_os_spin_lock(&f->lock);
		have = f->max_fds;
		if ((unsigned)fd < have)
			break;
		kf_os_spin_unlock(&f->lock, irq);
		err = files_expand(f, have, limit);
		if (err)
			return err;
	}
	old = f->fd[fd];
	if (old == FD_RESERVED) {
		/* a file is on its way there (Linux's dup2 answers the same) */
		kf_os_spin_unlock(&f->lock, irq);
		return -KF_EBUSY;
	}
	f->fd[fd] = file;
	cloexec_assign(f, (unsigned)fd, cloexec);
	kf_os_spin_unlock(&f->lock, irq);
	if (old)
		kf_os_file_put(old);
	return fd;
}

void *kf_fd_get(int fd)
{
	struct kf_files *f = kf_current()->files;
	unsigned long irq;
	void *file = NULL;

	if (fd < 0)
		return NULL;
	irq = kf_os_spin_lock(&f->lock);
	file = file_at(f, fd);
	if (file)
		kf_os_file_get(file);
	kf_os_spin_unlock(&f->lock, irq);
	return file;
}

/* kf_fd_get_cloexec - F_GETFD: is @fd close-on-exec?  1/0, -EBADF. */
int kf_fd_get_cloexec(int fd)
{
	struct kf_files *f = kf_current()->files;
	unsigned long irq;
	int r = -KF_EBADF;

	if (fd < 0)
		return r;
	irq = kf_os_spin_lock(&f->lock);
	if (file_at(f, fd))
		r = cloexec_test(f, (unsigned)fd);
	kf_os_spin_unlock(&f->lock, irq);
	return r;
}

/* kf_fd_set_cloexec - F_SETFD: 0 or -EBADF. */
long kf_fd_set_cloexec(int fd, bool on)
{
	struct kf_files *f = kf_current()->files;
	unsigned long irq;
	long r = -KF_EBADF;

	if (fd < 0)
		return r;
	irq = kf_os_spin_lock(&f->lock);
	if (file_at(f, fd)) {
		cloexec_assign(f, (unsigned)fd, on);
		r = 0;
	}
	kf_os_spin_unlock(&f->lock, irq);
	return r;
}

long kf_fd_close(int fd)
{
	struct kf_files *f = kf_current()->files;
	unsigned long irq;
	void *file;

	if (fd < 0)
		return -KF_EBADF;
	irq = kf_os_spin_lock(&f->lock);
	file = file_at(f, fd);
	if (!file) {
		kf_os_spin_unlock(&f->lock, irq);
		return -KF_EBADF;
	}
	f->fd[fd] = NULL;
	cloexec_assign(f, (unsigned)fd, false);
	kf_os_spin_unlock(&f->lock, irq);
	kf_os_file_put(file);
	return 0;
}

/* ---- another task's table (/proc/<pid>/fdinfo, pidfd_getfd) ----------------- */

/*
 * kf_task_fd_get - the file at @fd of @t's table with a new reference, or
 * NULL (no such fd, or @t has let go of its table at exit); *@cloexec
 * (may be NULL) gets the fd's close-on-exec bit.  The tasklist lock keeps
 * t->files from going while its own lock is taken.
 */
void *kf_task_fd_get(struct kf_task *t, int fd, bool *cloexec)
{
	unsigned long irq = kf_tasklist_lock_irq(), irq2;
	struct kf_files *f = t->files;
	void *file = NULL;

	if (f && fd >= 0) {
		irq2 = kf_os_spin_lock(&f->lock);
		file = file_at(f, fd);
		if (file) {
			kf_os_file_get(file);
			if (cloexec)
				*cloexec = cloexec_test(f, (unsigned)fd);
		}
		kf_os_spin_unlock(&f->lock, irq2);
	}
	kf_tasklist_unlock_irq(irq);
	return file;
}

/* kf_task_fd_next - the lowest fd above @after that holds a file in @t's
 * table, or -1. */
int kf_task_fd_next(struct kf_task *t, int after)
{
	unsigned long irq = kf_tasklist_lock_irq(), irq2;
	struct kf_files *f = t->files;
	int fd, found = -1;

	if (f) {
		irq2 = kf_os_spin_lock(&f->lock);
		for (fd = after < 0 ? 0 : after + 1; (unsigned)fd < f->max_fds; fd++) {
			if (file_at(f, fd)) {
				found = fd;
				break;
			}
		}
		kf_os_spin_unlock(&f->lock, irq2);
	}
	kf_tasklist_unlock_irq(irq);
	return found;
}
