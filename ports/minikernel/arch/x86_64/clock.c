// SPDX-License-Identifier: BSD-2-Clause
/*
 * ports/minikernel/arch/x86_64/clock.c - board_clock_ns: the TSC, scaled
 * to nanoseconds by a frequency measured at boot against the ACPI power
 * management timer.
 *
 * Why the PM timer: its rate is fixed by the ACPI specification
 * (3.579545 MHz), it runs without being programmed, one port read gives
 * its count, and at 24 bits it wraps only every 4.7 s, so a calibration
 * cannot miss a wrap even when the host deschedules the virtual CPU.
 * QEMU's q35 has it (ICH9, port 0x608 under SeaBIOS) and the FADT says
 * where; the PIT would need programming and wraps every 55 ms, and the
 * LAPIC timer's rate (1 GHz in QEMU) is QEMU's choice, not an
 * architectural fact.  Under TCG the TSC runs at the host's TSC rate
 * (with -icount, at one tick per virtual ns) and the PM timer follows
 * QEMU's virtual clock, so the two agree in every mode.
 *
 * A sample pairs one PM timer read with the middle of the two TSC reads
 * around it; the tightest of a few brackets is kept, so an I/O exit or a
 * preemption of the host thread in between costs no accuracy.
 */
#include <mk/board.h>
#include <mk/mk.h>
#include "x86.h"

#define PMT_HZ		3579545ull
#define CAL_MS		20		/* calibration length */
#define SAMPLE_TRIES	5
#define NSEC_PER_SEC	1000000000ull

/* ACPI table layouts (ACPI 6.x: RSDP, SDT header, FADT). */
#define RSDP_REVISION	15
#define RSDP_RSDT	16
#define RSDP_XSDT	24
#define SDT_LENGTH	4
#define SDT_HEADER	36
#define FADT_PM_TMR_BLK	76
#define FADT_FLAGS	112
#define FADT_X_PM_TMR	208		/* generic address structure */
#define FADT_TMR_VAL_EXT (1u << 8)	/* the timer has 32 bits, not 24 */
#define GAS_SYSTEM_IO	1

static uint16_t pmt_port;
static uint32_t pmt_mask;
static uint64_t tsc_boot, tsc_mult;	/* ns = (tsc - boot) * mult >> 32 */
uint64_t x86_acpi_rsdp;			/* from PVH start_info (board.c) */

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static const uint8_t *acpi_map(uint64_t pa)
{
	return board_phys_to_virt(pa);
}

/* rsdp_find - start_info's pointer, else a scan of the BIOS area. */
static const uint8_t *rsdp_find(void)
{
	uint64_t pa;

	if (x86_acpi_rsdp)
		return acpi_map(x86_acpi_rsdp);
	for (pa = 0xe0000; pa < 0x100000; pa += 16)
		if (memcmp(acpi_map(pa), "RSD PTR ", 8) == 0)
			return acpi_map(pa);
	return NULL;
}

/* fadt_find - the "FACP" table through the XSDT (ACPI 2+) or the RSDT. */
static const uint8_t *fadt_find(void)
{
	const uint8_t *rsdp = rsdp_find(), *sdt;
	unsigned width, i, n;

	if (!rsdp)
		return NULL;
	if (rsdp[RSDP_REVISION] >= 2 && rd64(rsdp + RSDP_XSDT)) {
		sdt = acpi_map(rd64(rsdp + RSDP_XSDT));
		width = 8;
	} else {
		sdt = acpi_map(rd32(rsdp + RSDP_RSDT));
		width = 4;
	}
	n = (rd32(sdt + SDT_LENGTH) - SDT_HEADER) / width;
	for (i = 0; i < n; i++) {
		const uint8_t *e = sdt + SDT_HEADER + i * width;
		const uint8_t *t = acpi_map(width == 8 ? rd64(e) : rd32(e));

		if (memcmp(t, "FACP", 4) == 0)
			return t;
	}
	return NULL;
}

/* pmt_find - the PM timer's I/O port and width from the FADT. */
static bool pmt_find(void)
{
	const uint8_t *f = fadt_find();
	uint32_t len;

	if (!f)
		return false;
	len = rd32(f + SDT_LENGTH);
	pmt_port = (uint16_t)rd32(f + FADT_PM_TMR_BLK);
	if (len >= FADT_X_PM_TMR + 12 && f[FADT_X_PM_TMR] == GAS_SYSTEM_IO &&
	    rd64(f + FADT_X_PM_TMR + 4))
		pmt_port = (uint16_t)rd64(f + FADT_X_PM_TMR + 4);
	pmt_mask = (rd32(f + FADT_FLAGS) & FADT_TMR_VAL_EXT) ? 0xffffffffu :
							      0xffffffu;
	return pmt_port != 0;
}

static uint32_t pmt_read(void)
{
	return inl(pmt_port) & pmt_mask;
}

/* pmt_sample - a PM timer count and the TSC at the same moment. */
static void pmt_sample(uint64_t *tsc, uint32_t *pmt)
{
	uint64_t best = ~0ull;
	int i;

	for (i = 0; i < SAMPLE_TRIES; i++) {
		uint64_t t0 = x86_rdtsc();
		uint32_t p = pmt_read();
		uint64_t t1 = x86_rdtsc();

		if (t1 - t0 < best) {
			best = t1 - t0;
			*tsc = t0 + (t1 - t0) / 2;
			*pmt = p;
		}
	}
}

/* tsc_hz - the TSC's rate, measured over CAL_MS of PM timer time. */
static uint64_t tsc_hz(void)
{
	uint64_t tsc0, tsc1, ticks;
	uint32_t pmt0, pmt1;

	pmt_sample(&tsc0, &pmt0);
	do {
		pmt_sample(&tsc1, &pmt1);
		ticks = (pmt1 - pmt0) & pmt_mask;
	} while (ticks < PMT_HZ * CAL_MS / 1000);
	return (tsc1 - tsc0) * PMT_HZ / ticks;
}

/* x86_clock_init - after paging (the ACPI tables are read through the
 * direct map). */
void x86_clock_init(void)
{
	uint64_t hz;

	if (!pmt_find())
		mk_panic("x86: no ACPI PM timer to calibrate the TSC against");
	hz = tsc_hz();
	if (hz < 1000000)
		mk_panic("x86: TSC runs at %lu Hz?", (unsigned long)hz);
	tsc_mult = (NSEC_PER_SEC << 32) / hz;
	tsc_boot = x86_rdtsc();
	mk_printk("x86: TSC %lu kHz, calibrated against the ACPI PM timer "
		  "(port %x, %u bits) over %d ms\n", (unsigned long)(hz / 1000),
		  pmt_port, pmt_mask == 0xffffffffu ? 32 : 24, CAL_MS);
}

uint64_t board_clock_ns(void)
{
	uint64_t d = x86_rdtsc() - tsc_boot;

	return (uint64_t)(((unsigned __int128)d * tsc_mult) >> 32);
}
