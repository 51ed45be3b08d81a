#!/bin/bash
# binfmt_misc end to end: `ferry-aarch64 --binfmt install` under a unique
# name shows the arm64 magic, mask and flags, `--binfmt remove` leaves no
# entry; arm64 programs run directly by the kernel (argv[0] kept with P,
# unreadable programs with O, setuid credentials with C), ferry's FERRY_*
# options reach a child but not the guest, translation files only where
# FERRY_TCACHE says.  Exit 77 (skipped) where
# binfmt_misc cannot be mounted or written.
#
# binfmt_misc is machine-wide and its newest entry wins: while an arm64
# magic entry of this test exists, every arm64 program on the machine (in
# chroots too, where this ferry's path may not exist) would run through it.
# So the magic entry lives only for the checks of its text, and programs run
# through a second entry of the same ferry and flags that matches only the
# test's own file extension.
#
# usage: binfmt-test.sh FERRY REPORT-PROGRAM FLAGS
set -u
ferry=$(realpath "$1")
report_src=$2
flags=$3
dir=/proc/sys/fs/binfmt_misc
name="ferry-test-$$-$RANDOM"
ext="ferrytest$$x$RANDOM"
run_name="$name-run"
tmp=$(mktemp -d)
failures=0

cleanup() {
    if [ -e "$dir/$name" ]; then echo -1 >"$dir/$name"; fi
    if [ -e "$dir/$run_name" ]; then echo -1 >"$dir/$run_name"; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# Compare a command's output with the expected text.
expect_output() {
    local what=$1 expected=$2 actual=$3
    if [ "$actual" = "$expected" ]; then
        pass "$what"
    else
        fail "$what"; echo "--- expected"; echo "$expected"; echo "--- got"; echo "$actual"
    fi
}

[ "$(id -u)" = 0 ] || skip "registering with binfmt_misc needs root (uid $(id -u))"
if [ ! -e "$dir/register" ] && ! mount -t binfmt_misc binfmt_misc "$dir" 2>/dev/null; then
    skip "binfmt_misc is not mounted on $dir and cannot be mounted here (container?)"
fi
[ -w "$dir/register" ] || skip "$dir/register is not writable here"

chmod 755 "$tmp"
prog="$tmp/report.$ext"
cp "$report_src" "$prog"
chmod 755 "$prog"

out=$("$ferry" --binfmt install --binfmt-name "$name" --binfmt-flags "$flags" 2>&1)
status=$?
if [ $status -ne 0 ]; then
    case $out in
        *"needs root"*|*"Permission denied"*|*"Operation not permitted"*)
            skip "the kernel does not let us register here: $out" ;;
    esac
    fail "--binfmt install: exit $status: $out"
    exit 1
fi
pass "--binfmt install: $out"

# The entry the kernel shows; then away with it before anything runs.
entry=$(cat "$dir/$name")
out=$("$ferry" --binfmt remove --binfmt-name "$name" 2>&1)
[ $? -eq 0 ] && pass "--binfmt remove: $out" || fail "--binfmt remove: $out"
grep -qx "flags: $flags" <<<"$entry" && pass "entry shows flags $flags" || fail "entry flags: $entry"
grep -qx "interpreter $ferry" <<<"$entry" && pass "entry's interpreter is $ferry" || fail "entry interpreter: $entry"
grep -qx "magic 7f454c460201010000000000000000000200b700" <<<"$entry" || fail "entry magic: $entry"
grep -qx "mask ffffffffffffff00fffffffffffffffffeffffff" <<<"$entry" || fail "entry mask: $entry"
[ ! -e "$dir/$name" ] && pass "no entry left in $dir" || fail "$dir/$name still exists"
"$ferry" --binfmt status --binfmt-name "$name" >/dev/null && fail "status still finds the entry"
out=$("$ferry" --binfmt remove --binfmt-name "$name" 2>&1)
[ $? -eq 1 ] && [[ $out == *"no binfmt_misc entry"* ]] && pass "removing it again says so" ||
    fail "second remove: $out"
out=$("$ferry" --binfmt install --binfmt-name "$name-x" --binfmt-flags PQ 2>&1)
[ $? -eq 1 ] && [[ $out == *"POCF"* ]] && pass "bad flags are refused" || fail "bad flags: $out"

# The entry programs run through: same interpreter and flags, matching only
# files named *.$ext.  status and a second install work on it like on any.
echo ":$run_name:E::$ext::$ferry:$flags" >"$dir/register" || { fail "cannot register $run_name"; exit 1; }
"$ferry" --binfmt status --binfmt-name "$run_name" | grep -qx "flags: $flags" &&
    pass "--binfmt status shows an entry" || fail "--binfmt status"
out=$("$ferry" --binfmt install --binfmt-name "$run_name" 2>&1)
[ $? -eq 1 ] && [[ $out == *"already registered"* ]] && pass "installing over an entry is refused" ||
    fail "second install: $out"

# Run through the kernel: no ferry on the command line.
expected="argc=3
argv[0]=$prog
argv[1]=one
argv[2]=two words
AT_UID=0 AT_EUID=0 AT_SECURE=0
getuid=0 geteuid=0
FERRY_ variables seen: 0"
expect_output "run directly" "$expected" "$(timeout 60 "$prog" one 'two words' 2>&1)"

ln -s "report.$ext" "$tmp/other-name.$ext"
expect_output "run through a symlink sees the link's name" \
    "argv[0]=./other-name.$ext" "$(cd "$tmp" && timeout 60 "./other-name.$ext" | grep '^argv\[0\]')"

if [[ $flags == *P* ]]; then
    expect_output "argv[0] is preserved (P)" "argv[0]=custom-zero" \
        "$(timeout 60 bash -c 'exec -a custom-zero "$0"' "$prog" | grep '^argv\[0\]')"
fi

# ferry's options reach the child ferry (it traces), never the guest.
err=$(FERRY_STRACE=1 timeout 60 "$prog" exec-child 2>&1 >"$tmp/child.out")
expect_output "FERRY_* variables stay out of the guest" "FERRY_ variables seen: 0" \
    "$(grep FERRY_ "$tmp/child.out")"
expect_output "execve of /proc/self/exe runs the program again" "argv[1]=child" \
    "$(grep '^argv\[1\]' "$tmp/child.out")"
if grep -q 'execve(' <<<"$err" && grep -q 'exit_group(0)' <<<"$err"; then
    pass "FERRY_STRACE reaches the child ferry"
else
    fail "no strace from the child: $err"
fi

# Translation files: none under the guest's home unless FERRY_TCACHE asks.
mkdir -p "$tmp/home"
(unset FERRY_TCACHE XDG_CACHE_HOME; HOME="$tmp/home" timeout 60 "$prog" >/dev/null 2>&1)
[ -z "$(ls -A "$tmp/home")" ] && pass "no translation files without FERRY_TCACHE" ||
    fail "a binfmt run wrote into its home: $(find "$tmp/home" -type f | head -3)"
FERRY_TCACHE="$tmp/tcache" timeout 60 "$prog" >/dev/null 2>&1
[ -n "$(ls "$tmp/tcache"/*.tc 2>/dev/null)" ] && pass "FERRY_TCACHE=DIR keeps translations" ||
    fail "FERRY_TCACHE=$tmp/tcache wrote no file"

if command -v setpriv >/dev/null; then
    as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
    as_nobody=(runuser -u nobody --)
fi

if [[ $flags == *O* || $flags == *C* ]]; then
    cp "$prog" "$tmp/unreadable.$ext"
    chmod 0711 "$tmp/unreadable.$ext"
    expect_output "an execute-only program runs (O)" "argv[1]=x" \
        "$(timeout 60 "${as_nobody[@]}" "$tmp/unreadable.$ext" x 2>&1 | grep '^argv\[1\]')"
fi
if [[ $flags == *C* ]]; then
    cp "$prog" "$tmp/setuid.$ext"
    chmod 4755 "$tmp/setuid.$ext"
    out=$(FERRY_STRACE=1 timeout 60 "${as_nobody[@]}" "$tmp/setuid.$ext" 2>&1)
    expect_output "a setuid-root program gets its credentials (C)" \
        "AT_UID=65534 AT_EUID=0 AT_SECURE=1
getuid=65534 geteuid=0" "$(grep -E '^(AT_|getuid)' <<<"$out")"
    grep -q 'exit_group' <<<"$out" && fail "FERRY_STRACE traced a setuid program: $out" ||
        pass "FERRY_STRACE is ignored for a setuid program"
fi

out=$("$ferry" --binfmt remove --binfmt-name "$run_name" 2>&1)
[ $? -eq 0 ] && [ ! -e "$dir/$run_name" ] && pass "--binfmt remove: $out" || fail "--binfmt remove: $out"

[ $failures -eq 0 ] && echo "all binfmt checks passed" || echo "$failures binfmt check(s) failed"
[ $failures -eq 0 ]
