# SPDX-License-Identifier: BSD-2-Clause
# tests/shell/suite.sh - shell scripts a kernel must get right, for
# busybox sh: one line "NAME: RESULT" per check.  tests/shell/run-suite
# runs it on Linux and on the kernel and compares line by line, so every
# expectation is Linux's own output.  Needs no writable file system.
t() { printf '%s: %s\n' "$1" "$2"; }

t pipeline "$(echo c a b | tr ' ' '\n' | sort | tr '\n' ' ')"
t pipeline-status "$(false | true; echo $?) $(true | false; echo $?)"
t subshell "$(x=1; (x=2; echo $x); echo $x)"
t subshell-exit "$( (exit 7); echo $?)"
t cmdsubst "$(echo $(echo $(echo nested)))"
t status "$(false; echo $?) $(sh -c 'exit 42'; echo $?)"
t loop "$(i=0; while [ $i -lt 5 ]; do i=$((i+1)); done; echo $i)"
t redir-null "$(echo out; echo err 2>/dev/null >&2)"
t redir-2to1 "$({ echo to-err >&2; } 2>&1)"
t redir-fd "$(exec 3>&1; echo via3 >&3)"
t heredoc "$(cat <<END
line $((6 * 7))
END
)"
t dev-zero "$(head -c 4 /dev/zero | od -An -tx1 | tr -s ' ')"
t dev-null "$(cat /dev/null | wc -c)"
t trap-exit "$(sh -c 'trap "echo bye" EXIT; echo hi')"
t trap-usr1 "$(sh -c 'trap "echo trapped" USR1; kill -USR1 $$; echo after')"
t trap-int "$(sh -c 'trap "echo got-int; exit 3" INT; kill -INT $$; echo no'; echo $?)"
t killed-by "$(sh -c 'kill -TERM $$' 2>/dev/null; echo $?)"
t wait-status "$( (sleep 0.2; exit 5) & wait $!; echo $?)"
t background "$( (sleep 0.3; echo second) & echo first; wait)"
t kill-job "$(sh -c 'sleep 10 & kill %1; wait %1; echo $?' 2>/dev/null)"
t exec "$(sh -c 'exec echo replaced; echo not-replaced')"
t exec-fd "$(sh -c 'exec 2>&1; echo to-stderr >&2')"
t pids "$(sh -c 'echo $$ > /dev/null; [ $$ != $PPID ] && echo differ')"
# RLIMIT_NPROC as a user (root is exempt on Linux; runas is
# tests/user/runas): the shell may fork
# until its user has 4 processes, itself included
t ulimit-u "$( (runas 4242 sh -c \
	'ulimit -u 4; while :; do sleep 2 > /dev/null & echo x; done') 2>/dev/null | wc -l)"
# a fork bomb of depth 6 (127 processes wanted) held to 20; this shell
# is fine afterwards
t fork-bomb "$(runas 4243 sh -c \
	'ulimit -u 20; b() { [ $1 -gt 0 ] || return 0; b $(($1 - 1)) & b $(($1 - 1)) & wait; }; b 6' \
	> /dev/null 2>&1; echo alive)"
t after-bomb "$(echo still $((1 + 1)))"
