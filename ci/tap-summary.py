#!/usr/bin/env python3
"""Count TAP cases over meson test logs; print a table with a row per log
(a build directory's name without "ci-", or a testlog-NAME.json's NAME)
and per extra check, then 'N passed, N failed, N skipped' over all.

  tap-summary.py DIR... [--extra NAME:RC]... [--tap NAME:RC:FILE]...

A DIR is a meson build directory (its meson-logs/testlog.json) or a
meson test log itself (a .json file: a run with --logbase).

--extra counts a check as one case by its exit status; --tap counts the TAP
cases a check printed to FILE (the vendoring check).  A test program that
crashed or exited non-zero without a 'not ok' line counts as one failed
case, so a crash can never look like success.
"""
import json, os, re, sys

def main(argv):
    dirs, extra, taps = [], [], []
    it = iter(argv)
    for a in it:
        if a == '--extra':
            extra.append(next(it))
        elif a == '--tap':
            taps.append(next(it))
        else:
            dirs.append(a)
    rows = []          # (name, passed, failed, skipped)
    for d in dirs:
        passed = failed = skipped = 0
        log = d if d.endswith('.json') else \
            os.path.join(d, 'meson-logs', 'testlog.json')
        if not os.path.exists(log):
            print(f'{d}: no test log (build failed?)')
            rows.append((row_name(d), 0, 1, 0))
            continue
        with open(log) as f:
            for line in f:
                if not line.strip():
                    continue
                t = json.loads(line)
                out = t.get('stdout') or ''
                ok = len(re.findall(r'^ok \d+', out, re.M))
                sk = len(re.findall(r'^ok \d+.*# SKIP', out, re.M))
                bad = len(re.findall(r'^not ok \d+', out, re.M))
                res = t.get('result')
                if ok == 0 and bad == 0 and res == 'OK':
                    ok = 1   # a plain (non-TAP) test counts as one case
                if ok == 0 and bad == 0 and res == 'SKIP':
                    ok = sk = 1   # a whole program skipped ("1..0 # SKIP")
                if res not in ('OK', 'EXPECTEDFAIL', 'SKIP') and bad == 0:
                    bad = 1
                    print(f"{d}: {t.get('name')}: {res} without a failing case")
                passed += ok - sk
                skipped += sk
                failed += bad
                if bad:
                    print(f"{d}: {t.get('name')}: {bad} failed")
        rows.append((row_name(d), passed, failed, skipped))
    for e in extra:
        name, rc = e.split(':')
        if rc == '0':
            rows.append((name, 1, 0, 0))
        else:
            rows.append((name, 0, 1, 0))
            print(f'{name}: failed')
    for e in taps:
        name, rc, path = e.split(':', 2)
        try:
            with open(path) as f:
                out = f.read()
        except OSError:
            out = ''
        ok = len(re.findall(r'^ok \d+', out, re.M))
        sk = len(re.findall(r'^ok \d+.*# SKIP', out, re.M))
        bad = len(re.findall(r'^not ok \d+', out, re.M))
        if bad == 0 and (rc != '0' or ok == 0):
            bad = 1      # failed without saying which case, or said nothing
        rows.append((name, ok - sk, bad, sk))
        if bad:
            print(f'{name}: {bad} failed')
    print_table(rows)
    passed = sum(r[1] for r in rows)
    failed = sum(r[2] for r in rows)
    skipped = sum(r[3] for r in rows)
    print(f'{passed} passed, {failed} failed, {skipped} skipped')
    return 1 if failed else 0

def row_name(d):
    """build/ci-NAME -> NAME; .../testlog-NAME.json -> NAME."""
    base = os.path.basename(os.path.normpath(d))
    if base.endswith('.json'):
        base = base[:-len('.json')]
        return base[len('testlog-'):] if base.startswith('testlog-') else base
    return base[3:] if base.startswith('ci-') else base

def print_table(rows):
    w = max([len('configuration')] + [len(r[0]) for r in rows])
    print()
    print(f"| {'configuration':<{w}} | {'passed':>6} | {'failed':>6} | {'skipped':>7} |")
    print(f"|{'-' * (w + 2)}|{'-' * 7}:|{'-' * 7}:|{'-' * 8}:|")
    for name, p, f, s in rows:
        print(f'| {name:<{w}} | {p:>6} | {f:>6} | {s:>7} |')
    print()

sys.exit(main(sys.argv[1:]))
