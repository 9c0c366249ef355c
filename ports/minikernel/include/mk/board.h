/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mk/board.h - what the portable mini-kernel needs from its machine, and
 * the calls the machine makes into it.
 *
 * ports/minikernel is one body for every architecture: it names no
 * register, instruction or device.  Each arch implements the board_*
 * functions below (ports/minikernel/arch/<a>/) and provides <mk/arch/abi.h>:
 * the parts of Linux's user ABI that differ between arches (struct stat,
 * the O_* bits that move, clone's argument order).  Page tables, TLBs,
 * user copies and the user register frame come through the HAL (the
 * <kf/hal/...> headers), shared with kfork's core.  Unless a function says
 * otherwise it runs with interrupts disabled on the only CPU, and must not
 * sleep.
 */
#ifndef MK_BOARD_H
#define MK_BOARD_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct mk_thread;
struct kf_arch_regs;

/* ---- Boot information: the board fills it before mk_main ---------------- */

#define MK_MAX_MEM_REGIONS 32
#define MK_CMDLINE_MAX 512

struct mk_mem_region {
	uint64_t base, size;		/* physical, bytes */
};

struct mk_bootinfo {
	/* RAM the kernel may use, as the firmware reported it */
	struct mk_mem_region ram[MK_MAX_MEM_REGIONS];
	unsigned nr_ram;
	/* ranges inside that RAM the allocator must never hand out: the
	 * kernel image, the initramfs, firmware tables still needed */
	struct mk_mem_region reserved[MK_MAX_MEM_REGIONS];
	unsigned nr_reserved;
	uint64_t initrd_base, initrd_size;	/* physical; size 0 = none */
	char cmdline[MK_CMDLINE_MAX];		/* NUL-terminated copy */
};

/*
 * mk_main - the portable kernel's entry.  Called once by the board on the
 * boot stack, with the kernel mapped, interrupts disabled, the console
 * working and traps installed.  Never returns: the boot context becomes
 * the idle thread.
 */
void mk_main(struct mk_bootinfo *bi) __attribute__((noreturn));

/* ---- Console ---------------------------------------------------------------- */

/* board_console_rx_start - from now on, hand every byte the console
 * receives to mk_tty_input (<mk/tty.h>), from the receive interrupt. */
void board_console_rx_start(void);

/* board_console_write - user-visible output: what programs write to their
 * stdout and stderr.  Polled; never fails. */
void board_console_write(const char *s, size_t n);

/* board_log_write - the kernel log.  May be the console itself, or a
 * second channel that keeps kernel messages apart from program output. */
void board_log_write(const char *s, size_t n);

/* ---- Power ------------------------------------------------------------------- */

enum mk_halt_reason {
	MK_HALT_INIT_EXIT,	/* /init ended; @status = its exit status 0..255 */
	MK_HALT_PANIC,		/* kernel bug; @status unused */
	MK_HALT_WATCHDOG,	/* the tick budget ran out; @status unused */
	MK_HALT_POWER_OFF,	/* reboot(2): power off, halt or restart;
				 * @status unused */
};

/*
 * board_halt - stop the machine so that its host can tell the reasons
 * (and the /init status) apart.  MK_HALT_POWER_OFF ends the machine as a
 * clean end does: under QEMU, as /init exiting with status 0 (a board on
 * real hardware would power off or reset).  Never returns.
 */
void board_halt(enum mk_halt_reason why, int status) __attribute__((noreturn));

/* ---- Memory ------------------------------------------------------------------ */

/* board_phys_to_virt - the kernel's mapping of physical address @pa (a
 * direct map of all RAM). */
void *board_phys_to_virt(uint64_t pa);

/* board_virt_to_phys - the inverse, for the direct map and kernel image. */
uint64_t board_virt_to_phys(const void *va);

/*
 * The kmap window: a range of kernel virtual addresses, shared by every
 * address space, where the kernel maps single pages of its own choosing
 * (kernel stacks with unmapped guard pages between them).
 * board_kmap maps @pa at @va (read-write, not executable, kernel only); it
 * may take page-table frames from mk_page_alloc and returns 0 or
 * -KF_ENOMEM.  board_kunmap removes the mapping, flushes it and returns
 * the frame that was mapped there (0 if none).  board_kmap_populate makes
 * every page-table frame for [@va, @va + @size) at once (kept for good),
 * so that board_kmap there takes none later; 0 or -KF_ENOMEM.
 */
void board_kmap_window(uintptr_t *base, size_t *size);
int board_kmap(uintptr_t va, uint64_t pa);
uint64_t board_kunmap(uintptr_t va);
int board_kmap_populate(uintptr_t va, size_t size);

/* ---- Time and idling ---------------------------------------------------------- */

/*
 * board_clock_ns - nanoseconds since a moment before mk_main, from the
 * CPU's own counter (x86_64: the TSC; aarch64: CNTVCT_EL0; riscv64: the
 * time CSR) scaled by its frequency, which the board knows or measured
 * before mk_main against a source of known rate.  Monotonic; resolution
 * that of the counter.  Every clock of the kernel reads it (the tick only
 * preempts and wakes).  Any context, interrupts on or off.
 */
uint64_t board_clock_ns(void);

/* board_timer_start - periodic tick at about @hz per second; each tick
 * calls mk_timer_tick(). */
void board_timer_start(unsigned hz);

/* board_idle - wait for the next interrupt with interrupts enabled, then
 * return with them disabled again. */
void board_idle(void);

/* board_irq_enable - let interrupts in (a new thread's first step). */
void board_irq_enable(void);

/* board_random - a few bits of entropy (cycle counter) for AT_RANDOM. */
uint64_t board_random(void);

/* ---- Threads -------------------------------------------------------------------- */

/*
 * A thread's machine state is its struct kf_arch_thread (t->arch; for a
 * task, kf_task_arch()) plus the user frame at the top of its kernel stack
 * (kf_arch_regs, <kf/hal/context.h>).  Kernel contexts are made with
 * kf_arch_thread_init and switched with kf_arch_switch (the HAL).
 */
struct kf_arch_regs *board_user_regs(struct mk_thread *t);

/* board_enter_user - leave the kernel through the user frame @r, which is
 * board_user_regs() of the running thread: everything below it on the
 * kernel stack is abandoned.  Interrupts may be on or off. */
void board_enter_user(struct kf_arch_regs *r) __attribute__((noreturn));

/* board_user_regs_init - a fresh user frame that starts at @entry with
 * stack pointer @sp and every other register zero (execve's state). */
void board_user_regs_init(struct kf_arch_regs *r, uintptr_t entry,
			  uintptr_t sp);

/* board_thread_exec - reset the running thread @t's user machine state
 * (floating point, thread pointer) for a new program. */
void board_thread_exec(struct mk_thread *t);

/*
 * board_switch - run @next, saving @prev's kernel context; returns when
 * @prev is switched back to.  Loads @next's per-thread machine state (the
 * kernel entry stack, the user thread pointer).  The address space is the
 * caller's business (kf_arch_mm_activate).
 */
void board_switch(struct mk_thread *prev, struct mk_thread *next);

/* ---- System calls ------------------------------------------------------------------ */

/* The number, the six arguments and the result in the arch's registers. */
unsigned long board_syscall_nr(const struct kf_arch_regs *r);
void board_syscall_args(const struct kf_arch_regs *r, long a[6]);
void board_syscall_set_return(struct kf_arch_regs *r, long v);
long board_syscall_get_return(const struct kf_arch_regs *r);

/* board_syscall_restart - make @r re-issue the syscall it made (the
 * instruction again, the number back in its register). */
void board_syscall_restart(struct kf_arch_regs *r);

/* ---- Signal frames ------------------------------------------------------------------ */

struct kf_sigaction;

/*
 * board_signal_setup - build the arch's signal frame for @sig on @t's user
 * stack (the registers of @r, @t's FPU state, the 128-byte @siginfo and
 * @oldmask) and point @r at the handler of @ka, with the FPU state Linux
 * gives a handler on that arch (x86_64: a clean one; aarch64, riscv64: the
 * interrupted code's).
 * 0, or -KF_EFAULT when the frame cannot be written (the caller kills).
 * @t is the running thread.
 */
int board_signal_setup(struct kf_arch_regs *r, struct mk_thread *t, int sig,
		       const uint8_t siginfo[128], const struct kf_sigaction *ka,
		       uint64_t oldmask);

/* board_sigreturn - rt_sigreturn: restore @r and the FPU state from the
 * frame at the user stack, the signal mask into *@mask, and the
 * alternate signal stack the frame saved (mk_restore_altstack).  0 or
 * -KF_EFAULT (bad frame: the caller sends SIGSEGV). */
int board_sigreturn(struct kf_arch_regs *r, struct mk_thread *t,
		    uint64_t *mask);

/* board_user_sp - the user stack pointer in frame @r (sigaltstack asks
 * whether it is on the alternate stack). */
uintptr_t board_user_sp(const struct kf_arch_regs *r);

/*
 * The alternate signal stack (sigaltstack, signal.c), for the frame
 * builders above.  Every board places its frame as Linux's does:
 * mk_sigsp - where a frame for @ka goes: the top of the thread's
 *   alternate stack when SA_ONSTACK asks for it and the stack is enabled
 *   and not in use at @sp, else @sp itself.
 * mk_on_sig_stack - is @sp on the alternate stack?  Never while it is
 *   SS_AUTODISARM (only a first handler can be on it then).
 * mk_in_altstack - the same, whatever the flags (Linux's
 *   __on_sig_stack): a frame that was to go on the alternate stack and
 *   ran off its bottom is not written (the board returns -KF_EFAULT).
 * mk_save_altstack - the uc_stack a frame saves, for the code at @sp;
 *   then an SS_AUTODISARM stack is disarmed for the handler.
 * mk_restore_altstack - rt_sigreturn puts back what the frame saved (at
 *   @sp, the restored stack pointer); refused silently while running on
 *   the stack, as Linux does.
 */
uintptr_t mk_sigsp(const struct mk_thread *t, uintptr_t sp,
		   const struct kf_sigaction *ka);
bool mk_on_sig_stack(const struct mk_thread *t, uintptr_t sp);
bool mk_in_altstack(const struct mk_thread *t, uintptr_t sp);
void mk_save_altstack(struct mk_thread *t, uintptr_t sp, uint64_t *ss_sp,
		      int32_t *ss_flags, uint64_t *ss_size);
void mk_restore_altstack(struct mk_thread *t, uint64_t ss_sp, int32_t ss_flags,
			 uint64_t ss_size, uintptr_t sp);

/*
 * A system call handler: the six raw argument registers in, Linux's
 * result (or a negative errno, or -ERESTART*) out.
 */
typedef long (*mk_sys_fn)(const long *a);

/*
 * board_syscall_fn - the handler of the arch's system call number @nr, or
 * NULL (the caller answers ENOSYS).  An arch with Linux's generic numbers
 * (aarch64, riscv64) returns mk_syscall_generic(@nr), plus its own calls;
 * an arch with a table of its own (x86_64) maps each number to the
 * generic call it equals, or to a portable handler generic lacks (open,
 * fork, ...), or to an arch call (arch_prctl).  Interrupts enabled.
 */
mk_sys_fn board_syscall_fn(unsigned long nr);

/*
 * board_exec_mm - map what the arch's ABI puts into every new program's
 * address space @mm (not yet current) beside the ELF image: riscv64's
 * signal-return page, which stands in for the sa_restorer that arch lacks.
 * 0 (an arch with nothing to add) or a negative errno.  May sleep.
 */
struct kf_mm;
int board_exec_mm(struct kf_mm *mm);

/* What ELF files this machine runs, and its auxv extras. */
unsigned board_elf_machine(void);	/* e_machine */
const char *board_platform(void);	/* AT_PLATFORM string */
unsigned long board_hwcap(void);	/* AT_HWCAP */

/* ---- Calls from the board into the kernel ---------------------------------------- */

/* mk_syscall - dispatch the system call saved in @r (interrupts enabled;
 * may sleep); the result is stored in @r. */
void mk_syscall(struct kf_arch_regs *r);

/* mk_syscall_generic - the portable handler of Linux's generic system call
 * number @nr (<mk/unistd.h>), or NULL. */
mk_sys_fn mk_syscall_generic(unsigned long nr);

/* mk_timer_tick - one timer interrupt; @from_user: it interrupted user
 * mode (the thread may then be preempted on the way out). */
void mk_timer_tick(bool from_user);

/* mk_return_to_user - last work before @r goes back to user space
 * (preemption); may switch threads. */
void mk_return_to_user(struct kf_arch_regs *r);

/* Fault access bits, as <kf/kf.h>'s KF_FAULT_*. */
/* mk_user_fault - resolve a page fault at user address @va (demand-zero,
 * copy-on-write).  0: retry the access (or, out of memory in user mode,
 * the process is being killed with SIGKILL, which the return to user
 * space acts on); negative: it cannot be resolved (the board then applies
 * a uaccess fixup, or signals the thread). */
int mk_user_fault(uintptr_t va, unsigned access);

/* mk_user_signal - a user-mode exception the kernel cannot fix up:
 * @sig is the Linux signal it raises (SIGSEGV, SIGILL, ...), @code its
 * si_code and @addr the faulting address (or 0).  The signal is forced on
 * the thread and acted on as the trap returns (mk_return_to_user). */
void mk_user_signal(struct kf_arch_regs *r, int sig, int code, uintptr_t addr);

#endif /* MK_BOARD_H */
