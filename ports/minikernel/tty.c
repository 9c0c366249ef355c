// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/tty.c - the terminal: the console (the first serial
 * port) with a line discipline and job control, as Linux's n_tty and
 * tty_jobctrl behave (process-facts.md §8 has the verified details).
 *
 * Input: the board hands each received byte to mk_tty_input from its
 * interrupt handler.  The line discipline runs right there, interrupts
 * off: echo, erase and kill, the line being edited and the lines ready to
 * read.  Signals it generates (^C, ^\, ^Z, a window size change, a
 * hangup) cannot be sent from an interrupt (kill's checks look at the
 * interrupted task), so they are queued for the "tty" kernel thread,
 * which sends them as the kernel.
 *
 * Job control: the terminal belongs to at most one session (its
 * controlling terminal) and has a foreground process group, both kept as
 * numbers of the initial pid namespace.  A process is in the terminal's
 * session when getsid(0) is that number; background reads get SIGTTIN,
 * background writes with TOSTOP and termios changes get SIGTTOU (EIO in
 * an orphaned group, or when the signal is ignored or blocked: read).
 *
 * Output: OPOST|ONLCR turn "\n" into "\r\n".  The boot state has ONLCR
 * off, unlike Linux's serial ports, so that a program's output reaches
 * the host byte for byte (ci/run-elf compares it); ci/shell turns it on.
 */
#include <kf/kf.h>
#include <kf/hal/irq.h>
#include <mk/board.h>
#include <mk/proc.h>
#include <mk/tty.h>

/* ioctl requests (the same on x86_64, aarch64, riscv64) */
#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TCSBRK		0x5409
#define TCXONC		0x540a
#define TCFLSH		0x540b
#define TIOCSCTTY	0x540e
#define TIOCGPGRP	0x540f
#define TIOCSPGRP	0x5410
#define TIOCOUTQ	0x5411
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541b
#define TIOCNOTTY	0x5422
#define TIOCGSID	0x5429

/* termios flags used here */
#define IGNCR	0000200
#define ICRNL	0000400
#define INLCR	0000100
#define ISTRIP	0000040
#define IXON	0002000
#define OPOST	0000001
#define ONLCR	0000004
#define ISIG	0000001
#define ICANON	0000002
#define ECHO	0000010
#define ECHOE	0000020
#define ECHOK	0000040
#define ECHONL	0000100
#define NOFLSH	0000200
#define TOSTOP	0000400
#define ECHOCTL	0001000
#define ECHOKE	0004000
#define IEXTEN	0100000

enum { VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC, VSTART, VSTOP,
       VSUSP, VEOL, VREPRINT, VDISCARD, VWERASE, VLNEXT, VEOL2, NCCS };

struct ktermios {		/* struct termios of TCGETS: 36 bytes */
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line, cc[NCCS];
};

struct winsize {
	uint16_t row, col, xpixel, ypixel;
};

#define TTY_BUF 4096		/* Linux's N_TTY_BUF_SIZE */
#define TTY_SEGS 128		/* ready lines (and end-of-file marks) */
#define TTY_SIGQ 16
#define TTY_SIGWINCH 28

static struct tty {
	struct ktermios t;
	struct winsize ws;
	int session, pgrp;	/* 0: nobody's controlling terminal */
	/* input: buf[0..len); the first nready bytes form the ready lines,
	 * seg[] their lengths in order (0: an end of file) */
	char buf[TTY_BUF];
	size_t len, nready;
	uint32_t seg[TTY_SEGS];
	unsigned nseg;
	bool lnext;		/* the previous byte was VLNEXT */
	struct mk_waitq readers;
	/* signals for the kernel thread: (pgrp, sig) pairs */
	struct { int pgrp, sig; } sigq[TTY_SIGQ];
	unsigned nsig;
	struct mk_waitq kthread_wq;
} tty = {
	.t = {
		.iflag = ICRNL | IXON,
		.oflag = OPOST,		/* ONLCR off: see the top */
		.cflag = 0xbf,		/* B38400 | CS8 | CREAD */
		.lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL |
			 ECHOKE | IEXTEN,
		.cc = { [VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21,
			[VEOF] = 4, [VMIN] = 1, [VSTART] = 17, [VSTOP] = 19,
			[VSUSP] = 26, [VREPRINT] = 18, [VDISCARD] = 15,
			[VWERASE] = 23, [VLNEXT] = 22 },
	},
	.ws = { 24, 80, 0, 0 },
	.readers = { MK_LIST_INIT(tty.readers.sleepers) },
	.kthread_wq = { MK_LIST_INIT(tty.kthread_wq.sleepers) },
};

static bool lflag(uint32_t f)
{
	return (tty.t.lflag & f) != 0;
}

/* ---- Output ------------------------------------------------------------------------ */

/* out - bytes to the wire, with OPOST's ONLCR. */
static void out(const char *s, size_t n)
{
	size_t i, start = 0;

	if ((tty.t.oflag & (OPOST | ONLCR)) != (OPOST | ONLCR)) {
		board_console_write(s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		board_console_write(s + start, i - start);
		board_console_write("\r\n", 2);
		start = i + 1;
	}
	board_console_write(s + start, n - start);
}

static bool is_ctl(char c)
{
	return ((unsigned char)c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

/* echo - one input byte as typed: control bytes as ^X with ECHOCTL. */
static void echo(char c)
{
	char two[2] = { '^', (char)(c ^ 0x40) };

	if (lflag(ECHOCTL) && is_ctl(c))
		out(two, 2);
	else
		out(&c, 1);
}

/* rub_out - erase the echo of @c from the screen. */
static void rub_out(char c)
{
	int w = lflag(ECHOCTL) && is_ctl(c) ? 2 : 1;

	while (w--)
		out("\b \b", 3);
}

/* ---- Input (interrupts off) ----------------------------------------------------------- */

static void queue_signal(int pgrp, int sig)
{
	if (pgrp <= 0 || tty.nsig == TTY_SIGQ)
		return;
	tty.sigq[tty.nsig].pgrp = pgrp;
	tty.sigq[tty.nsig].sig = sig;
	tty.nsig++;
	mk_wake_all(&tty.kthread_wq);
}

static void wake_readers(void)
{
	mk_wake_all(&tty.readers);
	mk_poll_wake();
}

static void flush_input(void)
{
	tty.len = tty.nready = 0;
	tty.nseg = 0;
}

/* push_line - everything typed so far becomes a ready line. */
static void push_line(void)
{
	if (tty.nseg == TTY_SEGS)
		return;
	tty.seg[tty.nseg++] = (uint32_t)(tty.len - tty.nready);
	tty.nready = tty.len;
	wake_readers();
}

static void put(char c)
{
	if (tty.len < TTY_BUF - 1)	/* room for the newline that ends it */
		tty.buf[tty.len++] = c;
	else if (c == '\n' && tty.len < TTY_BUF)
		tty.buf[tty.len++] = c;
}

/* erase - VERASE (@word: VWERASE, @all: VKILL) in the line being edited. */
static void erase(bool word, bool all)
{
	bool seen_word = false;

	while (tty.len > tty.nready) {
		char c = tty.buf[tty.len - 1];

		if (word && (c == ' ' || c == '\t') && seen_word)
			break;
		if (c != ' ' && c != '\t')
			seen_word = true;
		tty.len--;
		if (lflag(ECHO) && (all ? lflag(ECHOKE) : lflag(ECHOE)))
			rub_out(c);
		if (!word && !all)
			break;
	}
}

/* signal_char - ^C, ^\ or ^Z with ISIG: flush, echo, signal. */
static bool signal_char(char c)
{
	static const int sigs[] = { [VINTR] = KF_SIGINT, [VQUIT] = KF_SIGQUIT,
				    [VSUSP] = KF_SIGTSTP };
	static const int idx[] = { VINTR, VQUIT, VSUSP };
	unsigned i;

	for (i = 0; i < 3; i++) {
		uint8_t cc = tty.t.cc[idx[i]];

		if (!cc || (uint8_t)c != cc)
			continue;
		if (!lflag(NOFLSH))
			flush_input();
		if (lflag(ECHO))
			echo(c);
		queue_signal(tty.pgrp, sigs[idx[i]]);
		return true;
	}
	return false;
}

/* canon_char - a byte in canonical mode: editing keys, or into the line. */
static void canon_char(char c)
{
	uint8_t u = (uint8_t)c;

	if (u == tty.t.cc[VERASE] && u) {
		erase(false, false);
	} else if (u == tty.t.cc[VKILL] && u) {
		if (lflag(ECHOKE) || !lflag(ECHO)) {
			erase(false, true);
		} else {
			tty.len = tty.nready;
			echo(c);
			if (lflag(ECHOK))
				out("\n", 1);
		}
	} else if (u == tty.t.cc[VWERASE] && u && lflag(IEXTEN)) {
		erase(true, false);
	} else if (u == tty.t.cc[VLNEXT] && u && lflag(IEXTEN)) {
		tty.lnext = true;
		if (lflag(ECHO) && lflag(ECHOCTL))
			out("^\b", 2);
	} else if (u == tty.t.cc[VEOF] && u) {
		push_line();
	} else if (c == '\n' || (u && (u == tty.t.cc[VEOL] || u == tty.t.cc[VEOL2]))) {
		put(c);
		if (lflag(ECHO) || (c == '\n' && lflag(ECHONL)))
			echo(c);
		push_line();
	} else {
		put(c);
		if (lflag(ECHO))
			echo(c);
	}
}

/* input_char - one received byte through the line discipline. */
static void input_char(char c)
{
	if (tty.t.iflag & ISTRIP)
		c &= 0x7f;
	if (tty.lnext) {
		tty.lnext = false;
		if (lflag(ECHO) && lflag(ECHOCTL))
			out("\b", 1);
		put(c);
		if (lflag(ECHO))
			echo(c);
		if (!lflag(ICANON))
			wake_readers();
		return;
	}
	if (c == '\r') {
		if (tty.t.iflag & IGNCR)
			return;
		if (tty.t.iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (tty.t.iflag & INLCR)) {
		c = '\r';
	}
	if (lflag(ISIG) && signal_char(c))
		return;
	if (lflag(ICANON)) {
		canon_char(c);
		return;
	}
	put(c);
	if (lflag(ECHO))
		echo(c);
	wake_readers();
}

void mk_tty_input(const char *s, size_t n)
{
	unsigned long f = kf_arch_irq_save();

	while (n--)
		input_char(*s++);
	kf_arch_irq_restore(f);
}

/* ---- The kernel thread: signals the input generated ------------------------------------ */

static void tty_thread(void *arg)
{
	(void)arg;
	mk_thread_first_run();
	for (;;) {
		unsigned long f = kf_arch_irq_save();
		int pgrp = 0, sig = 0;

		if (tty.nsig) {
			pgrp = tty.sigq[0].pgrp;
			sig = tty.sigq[0].sig;
			memmove(tty.sigq, tty.sigq + 1,
				--tty.nsig * sizeof(tty.sigq[0]));
		} else {
			mk_sleep(&tty.kthread_wq, KF_WAIT_UNINTERRUPTIBLE, 0);
		}
		kf_arch_irq_restore(f);
		if (sig)
			kf_kill_pgrp(pgrp, sig);
	}
}

void mk_tty_init(void)
{
	struct mk_thread *t = mk_thread_create("tty");

	if (!t)
		mk_panic("tty: no thread");
	mk_thread_init_kernel(t, tty_thread, NULL);
	mk_thread_start(t);
	board_console_rx_start();
}

/* ---- Job control checks -------------------------------------------------------------- */

/* is_ctty - is the terminal the caller's controlling terminal? */
static bool is_ctty(void)
{
	return tty.session && kf_getsid(0) == tty.session;
}

/* sig_ignored_or_blocked - SIG_IGN, or in the caller's mask: the
 * background check then lets the operation through (or gives EIO). */
static bool sig_ignored_or_blocked(int sig)
{
	struct kf_sigaction ka;

	kf_sigaction(sig, NULL, &ka);
	return ka.handler == KF_SIG_IGN ||
	       (mk_current()->blocked & (1ull << (sig - 1)));
}

/*
 * job_check - may the caller do a @sig-guarded operation (SIGTTIN: read;
 * SIGTTOU: write with TOSTOP, termios changes, TIOCSPGRP)?  0 when it is
 * not a background process of the terminal's session; else it signals its
 * group (-ERESTARTSYS) or refuses: -EIO in an orphaned group, or for a
 * read whose SIGTTIN is ignored or blocked.
 */
static long job_check(int sig)
{
	long pgrp;

	if (!is_ctty())
		return 0;
	pgrp = kf_getpgid(0);
	if (pgrp == tty.pgrp)
		return 0;
	if (sig_ignored_or_blocked(sig))
		return sig == KF_SIGTTIN ? -MK_EIO : 0;
	if (kf_pgrp_orphaned_current())
		return -MK_EIO;
	kf_kill_pgrp((int)pgrp, sig);
	return -MK_ERESTARTSYS;
}

/* ---- read, write, poll --------------------------------------------------------------- */

/* consume - take the first @n input bytes (ready lines first). */
static void consume(size_t n)
{
	memmove(tty.buf, tty.buf + n, tty.len - n);
	tty.len -= n;
	tty.nready -= n < tty.nready ? n : tty.nready;
	while (n && tty.nseg) {
		uint32_t k = n < tty.seg[0] ? (uint32_t)n : tty.seg[0];

		tty.seg[0] -= k;
		n -= k;
		if (tty.seg[0])
			break;
		memmove(tty.seg, tty.seg + 1, --tty.nseg * sizeof(tty.seg[0]));
	}
}

/* readable - bytes a read may take now, and whether one may return (a
 * ready end of file counts with 0 bytes). */
static bool readable(size_t *n)
{
	if (lflag(ICANON)) {
		*n = tty.nseg ? tty.seg[0] : 0;
		return tty.nseg != 0;
	}
	*n = tty.len;
	return tty.len >= (tty.t.cc[VMIN] ? 1u : 0u) && tty.len > 0;
}

/* take - copy up to @n readable bytes out: -EFAULT, or the count. */
static long take(uintptr_t ubuf, size_t n)
{
	char chunk[256];
	size_t avail, k;
	bool eof_mark;

	readable(&avail);
	k = n < avail ? n : avail;
	if (k > sizeof(chunk))
		k = sizeof(chunk);
	eof_mark = lflag(ICANON) && avail == 0;
	memcpy(chunk, tty.buf, k);
	if (eof_mark)
		memmove(tty.seg, tty.seg + 1, --tty.nseg * sizeof(tty.seg[0]));
	else
		consume(k);
	return kf_os_copy_to_user(ubuf, chunk, k) ? -KF_EFAULT : (long)k;
}

static long tty_read(struct mk_file *f, uintptr_t ubuf, size_t n)
{
	uint64_t deadline = 0;
	long r = job_check(KF_SIGTTIN);
	size_t avail;

	if (r)
		return r;
	if (!lflag(ICANON) && !tty.t.cc[VMIN] && tty.t.cc[VTIME])
		deadline = mk_deadline_ns(0, tty.t.cc[VTIME] * 100000000ll);
	for (;;) {
		unsigned long fl = kf_arch_irq_save();

		if (readable(&avail)) {
			r = take(ubuf, n);
			kf_arch_irq_restore(fl);
			return r;
		}
		if (!lflag(ICANON) && !tty.t.cc[VMIN] &&
		    (!tty.t.cc[VTIME] || mk_deadline_passed(deadline))) {
			kf_arch_irq_restore(fl);
			return 0;
		}
		if (f->flags & MK_O_NONBLOCK) {
			kf_arch_irq_restore(fl);
			return -KF_EAGAIN;
		}
		if (mk_signal_pending(KF_WAIT_INTERRUPTIBLE)) {
			kf_arch_irq_restore(fl);
			return -MK_ERESTARTSYS;
		}
		mk_sleep(&tty.readers, KF_WAIT_INTERRUPTIBLE, deadline);
		kf_arch_irq_restore(fl);
	}
}

static long tty_write(struct mk_file *f, uintptr_t buf, size_t n)
{
	char chunk[256];
	size_t done = 0;
	long r = lflag(TOSTOP) ? job_check(KF_SIGTTOU) : 0;

	(void)f;
	if (r)
		return r;
	while (done < n) {
		size_t len = n - done < sizeof(chunk) ? n - done : sizeof(chunk);

		if (kf_os_copy_from_user(chunk, buf + done, len))
			return done ? (long)done : -KF_EFAULT;
		out(chunk, len);
		done += len;
	}
	return (long)done;
}

static unsigned tty_poll(struct mk_file *f)
{
	size_t n;

	(void)f;
	return (readable(&n) ? MK_POLLIN : 0) | MK_POLLOUT;
}

static void tty_stat(struct mk_file *f, struct mk_stat *st)
{
	bool console = f->priv != NULL;

	st->dev = 5;
	st->mode = MK_S_IFCHR | (console ? 0600 : 0660);
	st->rdev = console ? (5 << 8) | 1 :
		   (MK_TTY_SERIAL_MAJOR << 8) | MK_TTY_SERIAL_MINOR;
	st->ino = console ? 8 : 9;
	st->nlink = 1;
}

/* ---- ioctl ------------------------------------------------------------------------ */

/* hangup_session - the session lets go of the terminal: its foreground
 * group gets SIGHUP (@cont: and SIGCONT). */
static void hangup_session(bool cont)
{
	unsigned long f = kf_arch_irq_save();

	queue_signal(tty.pgrp, KF_SIGHUP);
	if (cont)
		queue_signal(tty.pgrp, KF_SIGCONT);
	tty.session = tty.pgrp = 0;
	kf_arch_irq_restore(f);
}

static long set_termios(unsigned cmd, unsigned long arg)
{
	struct ktermios t;
	unsigned long f;
	long r = job_check(KF_SIGTTOU);

	if (r)
		return r;
	if (kf_os_copy_from_user(&t, arg, sizeof(t)))
		return -KF_EFAULT;
	f = kf_arch_irq_save();
	if (cmd == TCSETSF)
		flush_input();
	if ((tty.t.lflag & ICANON) && !(t.lflag & ICANON)) {
		/* leaving canonical mode: every byte is readable now */
		tty.nseg = 0;
		tty.nready = 0;
	} else if (!(tty.t.lflag & ICANON) && (t.lflag & ICANON)) {
		tty.nready = 0;	/* what is there is a line being edited */
		tty.nseg = 0;
	}
	tty.t = t;
	kf_arch_irq_restore(f);
	wake_readers();
	return 0;
}

static long set_ctty(unsigned long arg)
{
	long sid = kf_getsid(0);

	if (tty.session == sid)
		return 0;	/* already ours (one terminal: no other ctty) */
	if (sid != kf_getpid())
		return -KF_EPERM;
	if (tty.session && !(arg == 1 && kf_geteuid() == 0))
		return -KF_EPERM;
	tty.session = (int)sid;
	tty.pgrp = (int)kf_getpgid(0);
	return 0;
}

static long set_pgrp(unsigned long arg)
{
	int32_t pgid;
	long r;

	if (!is_ctty())
		return -MK_ENOTTY;
	r = job_check(KF_SIGTTOU);
	if (r)
		return r == -MK_EIO ? -MK_ENOTTY : r;
	if (kf_os_copy_from_user(&pgid, arg, sizeof(pgid)))
		return -KF_EFAULT;
	r = kf_pgrp_check_session(pgid);
	if (!r)
		tty.pgrp = pgid;
	return r;
}

static long put_int(unsigned long arg, int32_t v)
{
	return kf_os_copy_to_user(arg, &v, sizeof(v)) ? -KF_EFAULT : 0;
}

static long tty_ioctl(struct mk_file *f, unsigned cmd, unsigned long arg)
{
	struct winsize ws;
	size_t n;

	(void)f;
	switch (cmd) {
	case TCGETS:
		return kf_os_copy_to_user(arg, &tty.t, sizeof(tty.t)) ? -KF_EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(cmd, arg);
	case TIOCGWINSZ:
		return kf_os_copy_to_user(arg, &tty.ws, sizeof(tty.ws)) ? -KF_EFAULT : 0;
	case TIOCSWINSZ:
		if (kf_os_copy_from_user(&ws, arg, sizeof(ws)))
			return -KF_EFAULT;
		if (memcmp(&ws, &tty.ws, sizeof(ws))) {
			unsigned long fl = kf_arch_irq_save();

			tty.ws = ws;
			queue_signal(tty.pgrp, TTY_SIGWINCH);
			kf_arch_irq_restore(fl);
		}
		return 0;
	case TIOCSCTTY:
		return set_ctty(arg);
	case TIOCGPGRP:
		return is_ctty() ? put_int(arg, tty.pgrp) : -MK_ENOTTY;
	case TIOCSPGRP:
		return set_pgrp(arg);
	case TIOCGSID:
		return is_ctty() ? put_int(arg, tty.session) : -MK_ENOTTY;
	case TIOCNOTTY:
		if (!is_ctty())
			return -MK_ENOTTY;
		if (kf_getsid(0) == kf_getpid())
			hangup_session(true);
		return 0;
	case FIONREAD:
		readable(&n);
		return put_int(arg, (int32_t)(lflag(ICANON) ? tty.nready : tty.len));
	case TIOCOUTQ:
		return put_int(arg, 0);
	case TCFLSH:
		if (arg > 2)
			return -KF_EINVAL;
		if (arg != 1) {
			unsigned long fl = kf_arch_irq_save();

			flush_input();
			kf_arch_irq_restore(fl);
		}
		return 0;
	case TCSBRK:
	case TCXONC:
		return 0;
	default:
		return -MK_ENOTTY;
	}
}

static const struct mk_file_ops tty_ops = {
	.read = tty_read,
	.write = tty_write,
	.poll = tty_poll,
	.stat = tty_stat,
	.ioctl = tty_ioctl,
	.mnt_id = MK_MNT_ID_DEV,
};

/* ---- open, and the session's end ------------------------------------------------------ */

static struct mk_file *tty_file(unsigned flags, bool console, long *err)
{
	struct mk_file *f = mk_file_new(&tty_ops, flags & ~(unsigned)MK_O_NOCTTY,
					console ? (void *)1 : NULL);

	if (!f)
		*err = -KF_ENOMEM;
	return f;
}

/*
 * mk_tty_open_console - /dev/console never becomes a controlling
 * terminal; the serial port's name does, for a session leader without
 * one that opens it for reading without O_NOCTTY while no session has it.
 */
struct mk_file *mk_tty_open_console(unsigned flags, bool console, long *err)
{
	struct mk_file *f = tty_file(flags, console, err);
	long sid;

	if (!f || console || (flags & MK_O_NOCTTY) ||
	    (flags & MK_O_ACCMODE) == MK_O_WRONLY || tty.session)
		return f;
	sid = kf_getsid(0);
	if (sid == kf_getpid()) {
		tty.session = (int)sid;
		tty.pgrp = (int)kf_getpgid(0);
	}
	return f;
}

struct mk_file *mk_tty_open_ctty(unsigned flags, long *err)
{
	if (!is_ctty()) {
		*err = -MK_ENXIO;
		return NULL;
	}
	return tty_file(flags, false, err);
}

void mk_tty_exit(void)
{
	if (tty.session && kf_getsid(0) == tty.session &&
	    kf_getpid() == tty.session)
		hangup_session(false);
}

int mk_console_install(void)
{
	long err;
	struct mk_file *f = tty_file(MK_O_RDWR, true, &err);
	int fd;

	if (!f)
		return (int)err;
	fd = kf_fd_install(f, false);
	if (fd < 0)
		mk_file_put(f);
	return fd;
}
