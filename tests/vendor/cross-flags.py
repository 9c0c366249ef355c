#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""tests/vendor/cross-flags.py COMMON.ini ARCH.ini - the compiler and the C
flags a Meson cross build with these files uses, one argument per line:
first the [binaries] c command, then a line '--', then [built-in options]
c_args.  So the vendoring check compiles with exactly the cross build's
flags and follows any change to them.

Meson cross files are INI files whose values are Python-like literals,
lists and '+' over the [constants] of the files read before."""
import configparser
import sys


def main(paths):
    consts, opts = {}, {}
    names = {'__builtins__': {}, 'true': True, 'false': False}
    for path in paths:
        cp = configparser.ConfigParser(interpolation=None)
        cp.optionxform = str
        if not cp.read(path):
            sys.exit(f'cross-flags: cannot read {path}')
        for sec in cp.sections():
            for key, text in cp[sec].items():
                val = eval(text, names, dict(consts))
                if sec == 'constants':
                    consts[key] = val
                else:
                    opts[(sec, key)] = val
    cc = opts.get(('binaries', 'c'))
    args = opts.get(('built-in options', 'c_args'), [])
    if not cc:
        sys.exit('cross-flags: no [binaries] c')
    if isinstance(cc, str):
        cc = [cc]
    print('\n'.join(cc + ['--'] + args))


main(sys.argv[1:])
