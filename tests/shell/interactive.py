#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""tests/shell/interactive.py - an interactive busybox shell driven through
a terminal, as a person would type: a pipeline, a foreground loop stopped
with ^C, another suspended with ^Z, jobs, bg, fg, ^C again, exit.  Every
step checks the prompt and what the shell printed.  Prints TAP.

  interactive.py native BUSYBOX   busybox sh -i on a pty of this Linux
  interactive.py kernel ARCH      ci/shell ARCH: the kernel's serial terminal

The same steps and expectations hold for both: Linux is the oracle.
"""
import os
import re
import sys
import time

import pexpect

PROMPT = r'kfork:\S*[#$] '
LOOP = '(while :; do sleep 1; done)'

count = 0
failed = 0


def ok(cond, what, detail=''):
    global count, failed
    count += 1
    print('%sok %d - %s' % ('' if cond else 'not ', count, what), flush=True)
    if not cond:
        failed += 1
        for line in detail.splitlines():
            print('# ' + line, flush=True)


def spawn(mode, arg, timeout):
    if mode == 'native':
        env = {'PS1': 'kfork:\\w\\$ ', 'HOME': '/', 'TERM': 'linux',
               'PATH': '/usr/bin:/bin'}
        return pexpect.spawn(os.path.abspath(arg), ['sh', '-i'], env=env, cwd='/',
                             encoding='utf-8', timeout=timeout,
                             dimensions=(24, 80))
    repo = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    return pexpect.spawn(os.path.join(repo, 'ci', 'shell'), [arg],
                         encoding='utf-8', timeout=timeout,
                         dimensions=(24, 80))


def step(c, what, send, expect, delay=0.0):
    """Type @send (then wait @delay and type ^C or ^Z if given as a
    tuple), and expect the regexes @expect in order, the prompt last."""
    keys = send if isinstance(send, tuple) else (send,)
    c.send(keys[0])
    for k in keys[1:]:
        time.sleep(delay)
        c.send(k)
    try:
        for e in expect + [PROMPT]:
            c.expect(e)
        ok(True, what)
        return True
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        ok(False, what, 'waiting for %r, saw %r' % (expect + [PROMPT],
                                                    (c.before or '')[-300:]))
        return False


def main():
    mode, arg = sys.argv[1], sys.argv[2]
    c = spawn(mode, arg, 30 if mode == 'native' else 240)
    try:
        c.expect(PROMPT)
        ok(True, 'the first prompt')
    except (pexpect.TIMEOUT, pexpect.EOF):
        ok(False, 'the first prompt', (c.before or '')[-500:])
        print('1..%d' % count)
        return 1
    c.timeout = 30
    step(c, 'a pipeline', "echo one two three | tr ' ' '\\n' | wc -l\n",
         [r'\n\s*3[\r\n]'])
    step(c, '^C ends a foreground loop', ('while :; do sleep 1; done\n', '\x03'),
         [r'\^C'], delay=2.5)
    step(c, 'its status is 128+SIGINT', 'echo status=$?\n', [r'status=130'])
    step(c, '^Z suspends a foreground job', (LOOP + '\n', '\x1a'),
         [r'\^Z', r'\[1\]\+\s+Stopped'], delay=2.5)
    step(c, 'jobs lists it stopped', 'jobs\n',
         [r'\[1\]\+\s+Stopped\s+\(while'])
    step(c, 'bg continues it', 'bg\n', [r'\[1\]\s+\(while'])
    step(c, 'jobs lists it running', 'jobs\n',
         [r'\[1\]\+\s+Running\s+\(while'])
    step(c, 'fg brings it back; ^C ends it', ('fg\n', '\x03'),
         [r'\(while', r'\^C'], delay=2.5)
    step(c, 'no jobs left', 'jobs; echo jobs-done\n', [r'\njobs-done'])
    c.send('exit\n')
    try:
        c.expect(pexpect.EOF)
        c.close()
        ok(c.exitstatus == 0, 'exit ends the shell (status 0)',
           'status %r' % c.exitstatus)
    except pexpect.TIMEOUT:
        ok(False, 'exit ends the shell', (c.before or '')[-300:])
        c.terminate(force=True)
    print('1..%d' % count)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
