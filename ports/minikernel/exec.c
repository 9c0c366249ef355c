// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/exec.c - load a static ELF64 program from the
 * initramfs into a new address space, with Linux's initial stack.
 *
 * Static executables (ET_EXEC) load at their own addresses; static-pie
 * ones (ET_DYN) at MK_ET_DYN_BASE.  Each PT_LOAD becomes a private mapping
 * whose file bytes are copied in now (the initramfs stays in memory, so
 * there is nothing to page in later); the rest is demand-zero.  The stack:
 *
 *   high  [ 8 zero bytes | execfn | env strings | arg strings | platform |
 *           16 random bytes | padding ]
 *         auxv pairs ... AT_NULL, envp ... NULL, argv ... NULL, argc  <- sp
 *   sp is 16-byte aligned, as the ABIs require at process entry.
 */
#include <kf/kf.h>
#include <kf/mm.h>
#include <kf/hal/pte.h>
#include <mk/board.h>
#include <mk/file.h>
#include <mk/proc.h>

#define MK_ENOEXEC 8
#define MK_ET_DYN_BASE 0x40000000ul
#define MK_STACK_TOP (KF_USER_VA_END - KF_PAGE_SIZE)
#define MK_STACK_EXPAND (128ul << 10)	/* Linux's stack_expand */
#define MK_ARG_MAX (128ul << 10)	/* bytes of argument and env strings */

/* ELF64 as the gABI defines it. */
struct elf64_ehdr {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum,
		 e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

#define ET_EXEC 2
#define ET_DYN 3
#define PT_LOAD 1
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4

enum {
	AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6,
	AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12,
	AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
	AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31,
};

struct elf_image {
	const unsigned char *data;
	size_t size;
	const struct elf64_ehdr *eh;
	const struct elf64_phdr *ph;
	uintptr_t base;		/* load bias: 0 for ET_EXEC */
	uintptr_t phdr;		/* where the program headers are mapped */
	uintptr_t end;		/* highest mapped address */
	struct kf_mm_layout layout;	/* code, data, stack, arguments */
};

static long elf_check(struct elf_image *img)
{
	const struct elf64_ehdr *eh = (const void *)img->data;

	if (img->size < sizeof(*eh) || memcmp(eh->e_ident, "\177ELF", 4) ||
	    eh->e_ident[4] != 2 || eh->e_ident[5] != 1 ||	/* 64-bit, LE */
	    eh->e_machine != board_elf_machine() ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 ||
	    eh->e_phoff > img->size ||
	    (size_t)eh->e_phnum * sizeof(struct elf64_phdr) >
	    img->size - eh->e_phoff)
		return -MK_ENOEXEC;
	if (eh->e_phoff % 8)
		return -MK_ENOEXEC;
	img->eh = eh;
	img->ph = (const void *)(img->data + eh->e_phoff);
	img->base = eh->e_type == ET_DYN ? MK_ET_DYN_BASE : 0;
	return 0;
}

static unsigned elf_prot(uint32_t flags)
{
	return ((flags & PF_R) ? KF_PROT_READ : 0) |
	       ((flags & PF_W) ? KF_PROT_WRITE : 0) |
	       ((flags & PF_X) ? KF_PROT_EXEC : 0);
}

/* note_segment - Linux's load_elf_binary bounds: code from the
 * executable segments, data from the last segment's start to the end of
 * its file bytes. */
static void note_segment(struct kf_mm_layout *l, uintptr_t va,
			 const struct elf64_phdr *p)
{
	uintptr_t end = va + p->p_filesz;

	if ((p->p_flags & PF_X) && (!l->start_code || va < l->start_code))
		l->start_code = va;
	if (l->start_data < va)
		l->start_data = va;
	if ((p->p_flags & PF_X) && l->end_code < end)
		l->end_code = end;
	if (l->end_data < end)
		l->end_data = end;
}

/*
 * elf_load_segment - map one PT_LOAD and copy its file bytes.  A page the
 * previous segment already mapped (segments may share a boundary page in
 * some layouts) keeps that segment's protection; only the bytes are added.
 */
static long elf_load_segment(struct kf_mm *mm, struct elf_image *img,
			     const struct elf64_phdr *p, uintptr_t *mapped_end)
{
	uintptr_t va = img->base + p->p_vaddr;
	uintptr_t start = va & KF_PAGE_MASK;
	uintptr_t end = (va + p->p_memsz + KF_PAGE_SIZE - 1) & KF_PAGE_MASK;
	long r;

	if (p->p_filesz > p->p_memsz || p->p_offset > img->size ||
	    p->p_filesz > img->size - p->p_offset ||
	    va + p->p_memsz < va || end > KF_USER_VA_END)
		return -MK_ENOEXEC;
	note_segment(&img->layout, va, p);
	if (start < *mapped_end)
		start = *mapped_end;
	if (start < end) {
		r = kf_mm_map(mm, start, end - start, elf_prot(p->p_flags),
			      KF_MAP_PRIVATE | KF_MAP_FIXED);
		if (r < 0)
			return r;
		*mapped_end = end;
	}
	if (end > img->end)
		img->end = end;
	return kf_mm_copy_in(mm, va, img->data + p->p_offset, p->p_filesz);
}

static long elf_load(struct kf_mm *mm, struct elf_image *img)
{
	uintptr_t mapped_end = 0;
	unsigned i;
	long r;

	for (i = 0; i < img->eh->e_phnum; i++) {
		const struct elf64_phdr *p = &img->ph[i];

		if (p->p_type == PT_PHDR)
			img->phdr = img->base + p->p_vaddr;
		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		r = elf_load_segment(mm, img, p, &mapped_end);
		if (r)
			return r;
		/* no PT_PHDR: the headers are wherever the file maps them */
		if (!img->phdr && img->eh->e_phoff >= p->p_offset &&
		    img->eh->e_phoff < p->p_offset + p->p_filesz)
			img->phdr = img->base + p->p_vaddr +
				    (img->eh->e_phoff - p->p_offset);
	}
	if (!img->end)
		return -MK_ENOEXEC;
	kf_mm_set_brk_base(mm, img->end);
	return 0;
}

/* ---- The initial stack ------------------------------------------------------- */

struct stack_builder {
	struct kf_mm *mm;
	uintptr_t sp;		/* lowest byte written so far */
	long err;
};

static uintptr_t push_bytes(struct stack_builder *sb, const void *p, size_t n)
{
	sb->sp -= n;
	if (!sb->err)
		sb->err = kf_mm_copy_in(sb->mm, sb->sp, p, n);
	return sb->sp;
}

static uintptr_t push_str(struct stack_builder *sb, const char *s)
{
	return push_bytes(sb, s, strlen(s) + 1);
}

static size_t count_strings(char *const v[], size_t *bytes)
{
	size_t n = 0;

	for (; v && v[n]; n++)
		*bytes += strlen(v[n]) + 1;
	return n;
}

#define NR_AUXV 18

static size_t fill_auxv(uint64_t *w, const struct elf_image *img,
			uintptr_t random, uintptr_t platform, uintptr_t execfn)
{
	const uint64_t pairs[NR_AUXV][2] = {
		{ AT_PHDR, img->phdr },
		{ AT_PHENT, sizeof(struct elf64_phdr) },
		{ AT_PHNUM, img->eh->e_phnum },
		{ AT_PAGESZ, KF_PAGE_SIZE },
		{ AT_BASE, 0 },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, img->base + img->eh->e_entry },
		{ AT_UID, (uint64_t)kf_getuid() },
		{ AT_EUID, (uint64_t)kf_geteuid() },
		{ AT_GID, (uint64_t)kf_getgid() },
		{ AT_EGID, (uint64_t)kf_getegid() },
		{ AT_SECURE, 0 },
		{ AT_RANDOM, random },
		{ AT_HWCAP, board_hwcap() },
		{ AT_CLKTCK, MK_HZ },
		{ AT_PLATFORM, platform },
		{ AT_EXECFN, execfn },
		{ AT_NULL, 0 },
	};

	memcpy(w, pairs, sizeof(pairs));
	return 2 * NR_AUXV;
}

/*
 * build_stack - write strings, then the pointer block (argc, argv, envp,
 * auxv) below them in one piece.  Returns the initial sp or an error.
 */
static long build_stack(struct kf_mm *mm, struct elf_image *img,
			const char *path, char *const argv[],
			char *const envp[], uintptr_t *sp_out)
{
	struct stack_builder sb = { mm, MK_STACK_TOP, 0 };
	size_t bytes = 0, argc = count_strings(argv, &bytes);
	size_t envc = count_strings(envp, &bytes), words, i, k = 0;
	uintptr_t execfn, platform, random, *uargv, *uenvp;
	uint64_t rnd[2] = { board_random(), board_random() }, *w;
	long r;

	if (bytes > MK_ARG_MAX)
		return -KF_E2BIG;
	words = 1 + argc + 1 + envc + 1 + 2 * NR_AUXV;
	w = mk_alloc(words * sizeof(*w));
	uargv = mk_alloc((argc + envc + 1) * sizeof(*uargv));
	if (!w || !uargv) {
		r = -KF_ENOMEM;
		goto out;
	}
	uenvp = uargv + argc;
	push_bytes(&sb, "\0\0\0\0\0\0\0", 8);
	execfn = push_str(&sb, path);
	img->layout.env_end = sb.sp;
	for (i = envc; i-- > 0;)
		uenvp[i] = push_str(&sb, envp[i]);
	img->layout.env_start = img->layout.arg_end = sb.sp;
	for (i = argc; i-- > 0;)
		uargv[i] = push_str(&sb, argv[i]);
	img->layout.arg_start = sb.sp;
	platform = push_str(&sb, board_platform());
	sb.sp &= ~(uintptr_t)15;
	random = push_bytes(&sb, rnd, sizeof(rnd));

	w[k++] = argc;
	for (i = 0; i < argc; i++)
		w[k++] = uargv[i];
	w[k++] = 0;
	for (i = 0; i < envc; i++)
		w[k++] = uenvp[i];
	w[k++] = 0;
	k += fill_auxv(w + k, img, random, platform, execfn);
	sb.sp = (sb.sp - k * sizeof(*w)) & ~(uintptr_t)15;
	sb.sp += k * sizeof(*w);
	*sp_out = push_bytes(&sb, w, k * sizeof(*w));
	img->layout.start_stack = *sp_out;
	r = sb.err;
out:
	mk_free(uargv, (argc + envc + 1) * sizeof(*uargv));
	mk_free(w, words * sizeof(*w));
	return r;
}

/* ---- exec ------------------------------------------------------------------- */

/* exec_close_on_exec - the new program's (private) fd table loses the
 * close-on-exec fds. */
static void exec_close_on_exec(void)
{
	/* fds above a lowered limit stay open: look past it too */
	uint64_t max = mk_rlimit_cur(KF_RLIMIT_NOFILE);
	int fd;

	if (max < 4096)
		max = 4096;

	for (fd = 0; (uint64_t)fd < max; fd++)
		if (kf_fd_get_cloexec(fd) == 1)
			kf_fd_close(fd);
}

static const char *exec_name(const char *path)
{
	const char *b = path, *p;

	for (p = path; *p; p++)
		if (*p == '/')
			b = p + 1;
	return b;
}

/*
 * stack_size - the first size of the stack mapping, which grows down from
 * there on faults (RLIMIT_STACK bounds it): the strings and pointers of
 * the initial stack plus Linux's 128 KiB, or up to RLIMIT_STACK when that
 * is less (Linux's setup_arg_pages).
 */
static size_t stack_size(const char *path, char *const argv[],
			 char *const envp[])
{
	size_t bytes = strlen(path) + 1 + strlen(board_platform()) + 1 + 64;
	size_t n = count_strings(argv, &bytes) + count_strings(envp, &bytes);
	size_t need = (bytes + (n + 3 + 2 * NR_AUXV) * 8 + KF_PAGE_SIZE - 1) &
		      KF_PAGE_MASK;
	uint64_t lim = mk_rlimit_cur(KF_RLIMIT_STACK) & KF_PAGE_MASK;

	if (need + MK_STACK_EXPAND <= lim)
		return need + MK_STACK_EXPAND;
	return lim > need ? (size_t)lim : need;
}

/*
 * exec_load - the new address space: the program's segments, the stack
 * (a growsdown mapping, as Linux's), Linux's initial stack contents, and
 * the layout /proc shows.  *@sp the initial stack pointer.
 */
static long exec_load(struct kf_mm **out, struct elf_image *img,
		      const char *path, char *const argv[], char *const envp[],
		      uintptr_t *sp)
{
	size_t ssize = stack_size(path, argv, envp);
	struct kf_mm *mm = kf_mm_create();
	long r;

	if (!mm)
		return -KF_ENOMEM;
	r = elf_load(mm, img);
	if (!r)
		r = board_exec_mm(mm);
	if (!r)
		r = kf_mm_map(mm, MK_STACK_TOP - ssize, ssize,
			      KF_PROT_READ | KF_PROT_WRITE,
			      KF_MAP_PRIVATE | KF_MAP_FIXED | KF_MAP_GROWSDOWN);
	if (r >= 0)
		r = build_stack(mm, img, path, argv, envp, sp);
	if (r < 0) {
		kf_mm_put(mm);
		return r;
	}
	kf_mm_set_layout(mm, &img->layout);
	*out = mm;
	return 0;
}

/* leader_start - a thread that execs takes over its group leader's
 * start time along with its pid (Linux's de_thread): read it while the
 * leader is still there. */
static uint64_t leader_start(struct mk_thread *t)
{
	struct kf_task *leader = kf_task_find(kf_getpid());
	struct mk_thread *lt = mk_task_thread(leader);
	uint64_t start = lt ? lt->start_ns : t->start_ns;

	if (leader)
		kf_task_put(leader);
	return start;
}

/* exec_de_thread - kfork ends the group's other threads; the port marks
 * the group meanwhile, so each of them exits alone (signal.c). */
static long exec_de_thread(struct mk_thread *t)
{
	uint64_t start = leader_start(t);
	long r;

	t->proc->in_exec = true;
	r = kf_exec_de_thread();
	t->proc->in_exec = false;
	if (r)
		return r;
	t->start_ns = start;
	t->tid = kf_task_tid(t->task);
	return 0;
}

/*
 * mk_exec - load @path into a new address space, then end the group's
 * other threads (kf_exec_de_thread: a killed caller fails here, with
 * nothing changed), then (the point of no return) make the new address
 * space current's: kf_exec_mm releases the old one (waking a vfork
 * parent), close-on-exec fds go, caught signals are reset, and the user
 * frame starts the program with Linux's initial stack.
 */
long mk_exec(const char *path, char *const argv[], char *const envp[])
{
	struct mk_thread *t = mk_current();
	struct elf_image img = { 0 };
	struct kf_cred *cred;
	struct mk_file *f;
	struct kf_mm *mm;
	uintptr_t sp;
	long r;

	f = mk_vfs_open_node(path, &r);
	if (!f)
		return r;
	img.data = f->data;
	img.size = f->size;
	r = elf_check(&img);
	if (!r)
		r = exec_load(&mm, &img, path, argv, envp, &sp);
	if (r)
		goto out_file;
	cred = kf_exec_cred_prepare();	/* the new program's capabilities */
	r = cred ? kf_unshare(KF_CLONE_FILES) : -KF_ENOMEM;
	if (!r)
		r = exec_de_thread(t);
	if (r) {
		if (cred)
			kf_exec_cred_abort(cred);
		kf_mm_put(mm);
		goto out_file;
	}
	kf_exec_cred_commit(cred);
	kf_exec_mm(mm);
	exec_close_on_exec();
	mk_signal_exec();
	mk_thread_set_name(t, exec_name(path));
	board_thread_exec(t);
	board_user_regs_init(board_user_regs(t), img.base + img.eh->e_entry, sp);
out_file:
	mk_file_put(f);
	return r;
}
