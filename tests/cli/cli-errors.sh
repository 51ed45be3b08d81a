#!/bin/sh
# ferry-aarch64's command line and its refusals: each case runs the binary
# and checks the exit status and the one line it prints on stderr (the
# statuses a shell uses: 127 for a missing program, 126 for one that cannot
# be executed, 1 for everything else).
# usage: cli-errors.sh FERRY
set -u
ferry=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect STATUS STDERR-SUBSTRING -- COMMAND...
expect() {
    want_status=$1 want_err=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    status=$?
    if [ "$status" != "$want_status" ] || ! grep -qF -- "$want_err" "$tmp/err"; then
        echo "FAIL: $*"
        echo "  expected status $want_status and stderr containing: $want_err"
        echo "  got status $status, stderr:"; sed 's/^/    /' "$tmp/err"
        failures=$((failures + 1))
    elif [ "$want_status" != 0 ] && [ "$(wc -l <"$tmp/err")" != 1 ]; then
        echo "FAIL: $*: expected exactly one line on stderr"; sed 's/^/    /' "$tmp/err"
        failures=$((failures + 1))
    else
        echo "ok: $*"
    fi
}

# expect_out STDOUT-SUBSTRING -- COMMAND...  (status 0)
expect_out() {
    want_out=$1
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    status=$?
    if [ "$status" != 0 ] || ! grep -qF -- "$want_out" "$tmp/out"; then
        echo "FAIL: $*: status $status, stdout:"; sed 's/^/    /' "$tmp/out"
        failures=$((failures + 1))
    else
        echo "ok: $*"
    fi
}

# An AArch64 ELF header cut short after e_machine (30 bytes).
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\267\000\001\000\000\000\000\000\000\000\000\000' >"$tmp/truncated"
chmod +x "$tmp/truncated"
printf '#!/bin/sh\necho hello\n' >"$tmp/script"
chmod +x "$tmp/script"
printf 'data' >"$tmp/not-executable"
chmod 644 "$tmp/not-executable"

expect_out "ferry-aarch64 version" -- "$ferry" -version
expect_out "usage: ferry-aarch64 [options] program" -- "$ferry" -h
expect_out "usage: ferry-aarch64" -- "$ferry" --help
expect_out "in_asm" -- "$ferry" -d help
expect_out "Available CPU models" -- "$ferry" -cpu help

expect 1 "ferry-aarch64: unknown option '-bogus' (-h for help)" -- "$ferry" -bogus /bin/true
expect 1 "ferry-aarch64: option '-d' needs an argument" -- "$ferry" -d
expect 1 "ferry-aarch64: no program given" -- "$ferry"
expect 1 "unknown log item 'nonsense'" -- "$ferry" -d in_asm,nonsense /bin/true
expect 1 "unknown log item 'nonsense'" -- env FERRY_LOG=nonsense "$ferry" /bin/true
expect 1 "unknown CPU model 'no-such-cpu'" -- "$ferry" -cpu no-such-cpu /bin/true
expect 1 "-s 12q: not a valid stack size" -- "$ferry" -s 12q /bin/true
expect 1 "-E FOO: expected NAME=VALUE" -- "$ferry" -E FOO /bin/true

expect 127 "ferry-aarch64: $tmp/missing: No such file or directory" -- "$ferry" "$tmp/missing"
# Options stop at the program: a later "-bogus" belongs to the guest.
expect 127 "ferry-aarch64: $tmp/missing: No such file or directory" -- "$ferry" "$tmp/missing" -bogus
expect 126 "ferry-aarch64: $tmp/not-executable: Permission denied" -- "$ferry" "$tmp/not-executable"
expect 126 "ferry-aarch64: $tmp: Is a directory" -- "$ferry" "$tmp"
expect 1 "ferry-aarch64: $tmp/script: not an ELF file" -- "$ferry" "$tmp/script"
expect 1 "ferry-aarch64: $tmp/truncated: malformed ELF: truncated ELF header" -- "$ferry" "$tmp/truncated"
if [ -x /bin/true ] && [ "$(uname -m)" = x86_64 ]; then
    expect 1 "ferry-aarch64: /bin/true is an x86-64 ELF, not an AArch64 one" -- "$ferry" /bin/true
fi

if [ "$failures" != 0 ]; then
    echo "$failures case(s) failed"
    exit 1
fi
