#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""ci/kselftest's comparison: Linux's selftest TAP against a kernel's.

  kselftest-tap.py compare --dir RUN --skip LIST --arch ARCH TEST...
  kselftest-tap.py table --dir RUN --skip LIST [--brief] [ARCH...]

RUN holds linux/TEST.tap and ARCH/TEST.tap (with TEST.rc, the exit status).
compare prints TAP, a case per selftest case, then the per-case table, and
saves the verdicts in RUN/ARCH/verdicts.json; table prints one table with
a column per arch from those files.

A case is named by the "# [RUN] ..." line before its result when the test
prints one (mm/cow.c: its numbering depends on the THP sizes the machine
has), else by its number (the same binary on both sides makes the same
plan).  A result is pass, fail, skip, xfail or missing (never printed: the
test bailed out, crashed or timed out first).

A case is ok when the kernel's result is Linux's (pass; xfail, or a pass
where Linux has an xfail; skip or pass where Linux skips), and when Linux
itself did not pass it (the table says so).  Otherwise it is ok only with
a SKIP directive naming the reason, when LIST has an entry for it:

  TEST[:ARCH] | CASE-GLOB | scope | reason   a feature the README names
                                             out of scope
  TEST[:ARCH] | CASE-GLOB | todo | reason    not implemented yet
"""
import fnmatch, json, os, re, sys

RESULT = re.compile(r'^(not ok|ok) (\d+)\b ?(.*)$')
RUN = re.compile(r'^# \[RUN\] (.*)$')
PLAN = re.compile(r'^1\.\.(\d+)')


def parse(path):
    """({key: (name, status, note)} in the order printed, the plan)."""
    cases = {}
    pending = None
    plan = 0
    try:
        lines = open(path, errors='replace').read().splitlines()
    except OSError:
        return cases, plan
    for line in lines:
        m = PLAN.match(line)
        if m:
            plan = int(m.group(1))
            continue
        m = RUN.match(line)
        if m:
            pending = m.group(1).strip()
            continue
        m = RESULT.match(line)
        if not m:
            continue
        ok, num, rest = m.group(1) == 'ok', m.group(2), m.group(3)
        desc, _, directive = rest.partition('# ')
        desc = desc.strip()
        word = directive.split(' ', 1)[0].upper()
        note = directive[len(word):].strip()
        if word == 'SKIP':
            status = 'skip'
        elif word == 'XFAIL':
            status = 'xfail'
        elif ok:
            status = 'pass'
        else:
            status = 'fail'
            note = note or directive.strip()
        if pending:
            key = name = pending
        else:
            key, name = '#' + num, f'{num} {desc}'.strip()
        base, k = key, 2
        while key in cases:
            key = f'{base} ({k})'
            k += 1
        cases[key] = (name, status, note)
        pending = None
    return cases, plan


def numbered(cases):
    """Whether the cases are named by number (no "[RUN]" lines)."""
    return all(k.startswith('#') for k in cases)


def read_rc(path):
    try:
        return int(open(path).read().strip())
    except (OSError, ValueError):
        return None


def load_skips(path):
    entries = []
    for line in open(path):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        parts = [p.strip() for p in line.split('|')]
        if len(parts) != 4 or parts[2] not in ('scope', 'todo'):
            sys.exit(f'{path}: bad line: {line}')
        test, _, arch = parts[0].partition(':')
        entries.append((test, arch, parts[1], parts[2], parts[3]))
    return entries


def find_skip(skips, test, arch, name):
    for t, a, glob, kind, reason in skips:
        if t == test and (not a or a == arch) and fnmatch.fnmatchcase(name, glob):
            return kind, reason
    return None


RC_WHY = {124: 'timed out', 125: 'kernel panic', 126: 'no report from the machine'}


def verdict(lin, ker, entry, lost):
    """(ok, directive, remark) for one case."""
    if lin in ('fail', 'missing'):
        return True, 'SKIP does not pass on Linux', 'not passing on Linux'
    good = {'pass': ('pass',), 'xfail': ('xfail', 'pass'),
            'skip': ('skip', 'pass', 'xfail')}[lin]
    if ker in good:
        if lin == 'skip' and ker == 'skip':
            return True, 'SKIP skips on Linux too', 'skips on Linux too'
        if entry and entry[0] == 'todo':
            return True, '', 'passes; listed as not implemented: drop the entry'
        return True, '', ''
    if entry:
        kind, reason = entry
        what = 'out of scope' if kind == 'scope' else 'not implemented yet'
        return True, f'SKIP {what}: {reason}', f'{what}: {reason}'
    why = f'kernel: {ker}' + (f' ({lost})' if ker == 'missing' and lost else '')
    return False, '', why


def compare(run, skips, arch, tests):
    tap, rows, failed = [], [], 0
    for test in tests:
        lin, lplan = parse(os.path.join(run, 'linux', test + '.tap'))
        ker, kplan = parse(os.path.join(run, arch, test + '.tap'))
        if numbered(lin) and numbered(ker):
            # planned but never printed on either side: a row each
            for n in range(1, max(lplan, kplan) + 1):
                if '#%d' % n not in lin and '#%d' % n not in ker:
                    lin['#%d' % n] = (str(n), 'missing', '')
            lin = dict(sorted(lin.items(), key=lambda kv: int(kv[0][1:])))
        rc = read_rc(os.path.join(run, arch, test + '.rc'))
        lost = RC_WHY.get(rc, f'exit status {rc}' if rc else '')
        keys = list(lin) + [k for k in ker if k not in lin]
        if not keys:
            keys = ['(no case ran)']
            lin = {keys[0]: (keys[0], 'missing', '')}
        for key in keys:
            name, ls, lnote = lin.get(key, (None, 'missing', ''))
            kname, ks, knote = ker.get(key, (None, 'missing', ''))
            name = name or kname
            entry = find_skip(skips, test, arch, name)
            ok, directive, remark = verdict(ls, ks, entry, lost)
            failed += not ok
            line = f"{'ok' if ok else 'not ok'} {len(tap) + 1} - {test}: {name}"
            tap.append(line + (f' # {directive}' if directive else ''))
            rows.append([test, key, name, ls, ks, ok, remark])
    print('TAP version 13')
    print(f'1..{len(tap)}')
    for line in tap:
        print(line)
    with open(os.path.join(run, arch, 'verdicts.json'), 'w') as f:
        json.dump(rows, f)
    print_table([arch], {arch: rows}, brief=False)
    return 1 if failed else 0


def cell(status, ok):
    return status if ok else f'{status} ✗'


def print_table(arches, by_arch, brief):
    """A row per case: Linux's result, each kernel's, and why a case that
    does not match Linux is still ok (or not).  brief: within a test,
    cases with the same results and note share a row when there are more
    than three of them."""
    order, rows = [], {}
    for a in arches:
        for test, ckey, name, ls, ks, ok, remark in by_arch[a]:
            key = (test, ckey)
            if key not in rows:
                order.append(key)
                rows[key] = {'name': name, 'linux': ls, 'remarks': []}
            rows[key][a] = cell(ks, ok)
            if remark and remark not in rows[key]['remarks']:
                rows[key]['remarks'].append(remark)
    head = ['test', 'case', 'Linux'] + arches + ['note']
    lines = []
    for key in order:
        r = rows[key]
        lines.append([key[0], r['name'], r['linux']] +
                     [r.get(a, '-') for a in arches] + ['; '.join(r['remarks'])])
    if brief:
        groups = {}
        for l in lines:
            groups.setdefault((l[0],) + tuple(l[2:]), []).append(l)
        lines = []
        for g in groups.values():
            if len(g) > 3:
                lines.append([g[0][0], f'{len(g)} cases, e.g. {g[0][1]}'] + g[0][2:])
            else:
                lines.extend(g)
    for l in lines:
        if len(l[1]) > 72:
            l[1] = l[1][:69] + '...'
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    fmt = lambda cols: '| ' + ' | '.join(str(c).ljust(w) for c, w in zip(cols, widths)) + ' |'
    print()
    print(fmt(head))
    print('|' + '|'.join('-' * (w + 2) for w in widths) + '|')
    for l in lines:
        print(fmt(l))
    print()


def main(argv):
    if not argv or argv[0] not in ('compare', 'table'):
        sys.exit(__doc__)
    cmd, rest = argv[0], argv[1:]
    opts, args = {}, []
    it = iter(rest)
    for a in it:
        if a in ('--dir', '--skip', '--arch'):
            opts[a] = next(it)
        elif a == '--brief':
            opts[a] = True
        else:
            args.append(a)
    run, skips = opts['--dir'], load_skips(opts['--skip'])
    if cmd == 'compare':
        return compare(run, skips, opts['--arch'], args)
    arches = args or [a for a in ('x86_64', 'aarch64', 'riscv64')
                      if os.path.exists(os.path.join(run, a, 'verdicts.json'))]
    by_arch = {}
    for a in arches:
        with open(os.path.join(run, a, 'verdicts.json')) as f:
            by_arch[a] = json.load(f)
    print_table(arches, by_arch, brief=opts.get('--brief', False))
    return 0


sys.exit(main(sys.argv[1:]))
