#!/bin/sh
# Starting and ending guest programs: what the guest sees of -0, -E, -U and
# the environment (FERRY_* variables are ferry's, not the guest's), and that
# a guest killed by SIGILL/SIGTRAP/SIGSEGV kills ferry with the same signal,
# so the shell reports exit status 128+n as for a native arm64 run (values
# checked with qemu-aarch64-static).
# usage: guest-start.sh FERRY STARTUP-PROG STARTUP-EXPECTED FATAL-PROG
set -u
ferry=$1 startup=$2 expected=$3 fatal=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

env -i A=1 B=2 FERRY_CPU=max PATH=/usr/bin:/bin "$ferry" -E C=3 -U B,PATH -0 myname "$startup" x 'y z' \
    >"$tmp/out" 2>"$tmp/err"
status=$?
if [ $status != 0 ] || ! cmp -s "$tmp/out" "$expected"; then
    fail "startup: status $status"
    diff -u "$expected" "$tmp/out"
    cat "$tmp/err"
else
    echo "ok: startup"
fi

# fatal HOW STATUS STDERR-SUBSTRING (empty: stderr must be empty)
fatal() {
    # ferry's stderr goes to err; the shell's own report of the signal
    # ("Segmentation fault", which some shells write to the command's
    # stderr) goes to /dev/null.
    sh -c 'exec 2>"$0"; exec "$@"' "$tmp/err" "$ferry" "$fatal" "$1" >"$tmp/out" 2>/dev/null
    status=$?
    if [ $status != "$2" ]; then
        fail "fatal $1: status $status, expected $2"; cat "$tmp/err"
    elif [ -n "$3" ] && ! grep -qF -- "$3" "$tmp/err"; then
        fail "fatal $1: stderr lacks '$3'"; cat "$tmp/err"
    elif [ -z "$3" ] && [ -s "$tmp/err" ]; then
        fail "fatal $1: unexpected stderr"; cat "$tmp/err"
    else
        echo "ok: fatal $1 -> $status"
    fi
}

fatal udf 132 "ferry-aarch64: unsupported or undefined instruction at PC 0x"
fatal hlt 132 ""
fatal brk 133 ""
fatal segv 139 ""
fatal none 3 ""

[ $failures = 0 ] || { echo "$failures case(s) failed"; exit 1; }
