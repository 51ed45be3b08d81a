#!/bin/bash
# The guest's stacks: the main stack is as big as RLIMIT_STACK set with
# `ulimit -s` before ferry starts (recursion past it dies of SIGSEGV,
# status 139; within it, it returns), getrlimit in the guest reports that
# limit, and a MAP_GROWSDOWN mapping grows when the memory below it is
# touched.  Expected statuses and outputs are those of the same program
# built for amd64 and run natively (the kernel's stack growth and limit are
# architecture-independent code).
# usage: stack-limit.sh FERRY STACK-PROG
set -u
ferry=$1 prog=$2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect LIMIT-KIB WANT-STATUS WANT-OUTPUT ARGS...: run with the soft limit
# set in a subshell, as a user's shell would.
expect() {
    local limit=$1 want_status=$2 want_out=$3
    shift 3
    local out status
    out=$( (ulimit -S -s "$limit" && exec "$ferry" "$prog" "$@") 2>/dev/null)
    status=$?
    if [ "$status" != "$want_status" ] || [ "$out" != "$want_out" ]; then
        fail "ulimit -s $limit; $* -> status $status, output '$out' (want $want_status, '$want_out')"
    else
        echo "ok: ulimit -s $limit; $* -> $status${want_out:+ ($want_out)}"
    fi
}

hard=$(ulimit -H -s)
expect 1024 0 1024 rlimit
expect 1024 0 "reached 768" recurse 768
expect 1024 139 "" recurse 2048
expect 4096 0 4096 rlimit
expect 4096 0 "reached 3072" recurse 3072
expect 4096 139 "" recurse 6144
if [ "$hard" = unlimited ] || [ "$hard" -ge 16384 ]; then
    expect 16384 0 16384 rlimit
    expect 16384 0 "reached 12288" recurse 12288
    expect 16384 139 "" recurse 20000
else
    echo "skip: the hard stack limit ($hard KiB) is below 16 MiB"
fi

out=$("$ferry" "$prog" growsdown 2>&1)
if [ "$out" != "growsdown ok" ]; then
    fail "growsdown: $out"
else
    echo "ok: MAP_GROWSDOWN mapping grows"
fi

[ $failures = 0 ]
