#!/bin/bash
# The translation cache on disk (-tcache DIR): a second run of a program
# uses the blocks the first one left instead of translating them; a file
# whose program changed in place (same path, inode, size and time) is not
# trusted block by block -- a block is used only if its guest code and the
# successor code it was translated against are unchanged; a damaged file is
# ignored; -tcache off writes nothing; parallel runs leave one whole file;
# the directory stays under its size limit.
# usage: tcache.sh FERRY HELLO PEEK-A PEEK-B FORK-PROG THREAD-PROG DYN-HELLO SYSROOT MAPPED-PROG
#                  EXIT-11 EXIT-22 PATCH-PROG
set -u
ferry=$1 hello=$2 peek_a=$3 peek_b=$4 fork_prog=$5 thread_prog=$6 dyn_hello=$7 sysroot=$8 mapped=$9
exit11=${10} exit22=${11} patch_prog=${12}
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir=$work/cache

# run PROG ARGS...: stdout to $work/out, status to $status, -d tcache to $work/log
run() {
    : > "$work/log"
    "$ferry" -tcache "$dir" -d tcache -D "$work/log" "$@" > "$work/out" 2> "$work/err"
    status=$?
}
# field NAME: the number before NAME in the log's summary line
field() { sed -n "s/.* \([0-9]\+\) $1[,;].*/\1/p" "$work/log" | tail -1; }

# 1. hello twice: the second run translates nothing
run "$hello"
expected=$(cat "$work/out")
[ "$status" = 0 ] || fail "hello (first run) exited with $status"
grep -q "none yet" "$work/log" || fail "first run: no 'none yet' in the log: $(cat "$work/log")"
grep -q "saved$" "$work/log" || fail "first run did not save: $(cat "$work/log")"
files=$(ls "$dir" | grep -c '\.tc$')
[ "$files" = 1 ] || fail "expected one .tc file in $dir, found $files"
first_translated=$(field translated)
run "$hello"
[ "$status" = 0 ] || fail "hello (second run) exited with $status"
[ "$(cat "$work/out")" = "$expected" ] || fail "second run printed something else"
used=$(field used) translated=$(field translated)
[ "${used:-0}" -gt 100 ] || fail "second run used ${used:-no} blocks from the file (log: $(cat "$work/log"))"
[ "${translated:-1}" = 0 ] || fail "second run translated ${translated:-?} blocks (first run: $first_translated)"

# 2. code the program maps from a file changes between runs (same program,
# so the same translation file): the second block differs, and the first
# block, unchanged, was translated with its flags dead because the old
# second block overwrote them -- both must be translated again.
cp "$peek_a" "$work/code-peek"
run "$mapped" "$work/code-peek" 0
[ "$(cat "$work/out")" = 11 ] || fail "variant A returned $(cat "$work/out"), expected 11"
run "$mapped" "$work/code-peek" 0
[ "$(cat "$work/out")" = 11 ] || fail "variant A (from the file) returned $(cat "$work/out"), expected 11"
[ "$(field used)" -ge 2 ] 2>/dev/null || fail "variant A's second run used $(field used) blocks"
cp "$peek_b" "$work/code-peek"
run "$mapped" "$work/code-peek" 0
[ "$(cat "$work/out")" = 22 ] || fail "variant B over variant A's blocks returned $(cat "$work/out"), expected 22"
[ "$(field rejected)" -ge 2 ] 2>/dev/null || fail "variant B: $(field rejected) blocks rejected, expected the first two"
run "$mapped" "$work/code-peek" 0
[ "$(cat "$work/out")" = 22 ] || fail "variant B (again) returned $(cat "$work/out"), expected 22"

# 2b. the program itself rewritten in place with other code of the same
# size, its modification time set back: its blocks, which a run takes from
# the file without checking their bytes again, must not be the old ones
cp "$exit11" "$work/prog"
touch -d @1000000000 "$work/prog"
run "$work/prog"; run "$work/prog"
[ "$status" = 11 ] || fail "exit-11 program (from its file) exited with $status"
cat "$exit22" > "$work/prog"
touch -d @1000000000 "$work/prog"
run "$work/prog"
[ "$status" = 22 ] || fail "exit-22 program written over exit-11 in place exited with $status"

# 3. a damaged file is ignored (records checksum, size)
file=$(ls "$dir/$(basename "$hello")"-*.tc)
size=$(stat -c %s "$file")
printf 'XXXXXXXX' | dd of="$file" bs=1 seek=200 conv=notrunc status=none
run "$hello"
[ "$status" = 0 ] && [ "$(cat "$work/out")" = "$expected" ] || fail "hello with a damaged file: status $status"
grep -q "not usable" "$work/log" || fail "a damaged file was not refused: $(head -1 "$work/log")"
truncate -s $((size / 2)) "$file"
run "$hello"
[ "$status" = 0 ] && [ "$(cat "$work/out")" = "$expected" ] || fail "hello with a truncated file: status $status"
grep -q "not usable" "$work/log" || fail "a truncated file was not refused: $(head -1 "$work/log")"

# 4. off writes nothing
rm -rf "$dir"
"$ferry" -tcache off "$hello" > /dev/null
[ ! -e "$dir" ] || fail "-tcache off created $dir"
FERRY_TCACHE=off "$ferry" "$hello" > /dev/null
[ ! -e "$dir" ] || fail "FERRY_TCACHE=off created $dir"

# 5. parallel first runs: each correct, one whole file, no temporaries left
for i in 1 2 3 4; do
    ("$ferry" -tcache "$dir" "$hello" > "$work/par$i" 2>&1; echo $? >> "$work/par$i") &
done
wait
for i in 1 2 3 4; do
    [ "$(cat "$work/par$i")" = "$expected"$'\n'"0" ] || fail "parallel run $i: $(tail -2 "$work/par$i")"
done
[ "$(ls "$dir" | grep -c '\.tc$')" = 1 ] || fail "parallel runs left $(ls "$dir")"
[ "$(ls "$dir" | grep -c 'tmp')" = 0 ] || fail "parallel runs left temporaries: $(ls "$dir")"
run "$hello"
[ "$(field translated)" = 0 ] || fail "after parallel runs: $(field translated) blocks translated"

# 6. programs that fork and run threads, from their own files
for prog in "$fork_prog" "$thread_prog"; do
    run "$prog"; first=$status; cp "$work/out" "$work/out1"
    run "$prog"
    [ "$status" = 0 ] && [ "$first" = 0 ] || fail "$(basename "$prog"): exit statuses $first, $status"
    [ "$(field used)" -gt 0 ] 2>/dev/null || fail "$(basename "$prog"): second run used $(field used) blocks"
    cmp -s "$work/out" "$work/out1" || fail "$(basename "$prog"): the runs printed different output"
done

# 7. a dynamic program: the C library's blocks, mapped by ld.so after the
# file was loaded, are used from the file too
if [ -e "$sysroot/lib/ld-linux-aarch64.so.1" ]; then
    run -L "$sysroot" "$dyn_hello"; first=$(cat "$work/out")
    run -L "$sysroot" "$dyn_hello"
    [ "$status" = 0 ] && [ "$(cat "$work/out")" = "$first" ] || fail "dynamic hello: status $status"
    used=$(field used) translated=$(field translated)
    [ "${used:-0}" -gt 100 ] && [ "${translated:-1}" = 0 ] ||
        fail "dynamic hello from its file: ${used:-?} used, ${translated:-?} translated"
else
    echo "SKIP: no arm64 C library under $sysroot (dynamic case)"
fi

# 8. code mapped from a file: a block translated in the file's second page
# is not read (SIGBUS) when the next run maps the file cut to one page
code="$work/code.bin"
head -c 4096 /dev/zero > "$code"
printf '\x40\x05\x80\x52\xc0\x03\x5f\xd6' >> "$code"      # mov w0, #42; ret
head -c 4088 /dev/zero >> "$code"
dir=$work/cache-mapped                  # a first run of its own, so its blocks are saved
run "$mapped" "$code" 4096
[ "$status" = 0 ] && [ "$(cat "$work/out")" = 42 ] || fail "mapped code: status $status, output $(cat "$work/out")"
grep -q "saved$" "$work/log" || fail "the mapped-code run saved nothing to check: $(cat "$work/log")"
truncate -s 4096 "$code"
run "$mapped" "$code" nocall
[ "$status" = 0 ] && [ "$(cat "$work/out")" = mapped ] ||
    fail "mapping the cut file: status $status, output $(cat "$work/out") $(head -2 "$work/err")"
# and calling into the missing page is the guest's SIGBUS, as on arm64 Linux
run "$mapped" "$code" 4096
[ "$status" = 135 ] && ! grep -q "internal error" "$work/err" ||
    fail "calling into the page past the end of the file: status $status (want 135, SIGBUS) $(head -2 "$work/err")"

# 9. a program that patches its own text (value() returns 1, then 2): the
# run after one that saved the patched translation starts with the file's
# bytes again, as the first did
dir=$work/cache-patch
for round in 1 2 3; do
    run "$patch_prog"
    [ "$status" = 0 ] && [ "$(cat "$work/out")" = "1 2" ] ||
        fail "self-patching program, run $round: status $status, output $(cat "$work/out")"
done
grep -q "saved$" "$work/log" || fail "the self-patching program's runs saved nothing: $(cat "$work/log")"

# 10. the directory is kept under 512 MiB: a save removes the files used
# longest ago (sparse stand-ins of 200 MiB here), not one just loaded
dir=$work/cache
run "$hello"                            # loads hello's file: now its newest use
for i in 1 2 3; do
    truncate -s 200M "$dir/old$i-0000000000000000.tc"
    touch -d "@$((1000000000 + i))" "$dir/old$i-0000000000000000.tc"
done
touch -d @999999999 "$work/prog"        # a new identity for the program: a new file
run "$work/prog"
grep -q "saved$" "$work/log" || fail "no save for the cleaning test: $(cat "$work/log")"
left=$(cd "$dir" && ls | tr '\n' ' ')
[ ! -e "$dir/old1-0000000000000000.tc" ] && [ ! -e "$dir/old2-0000000000000000.tc" ] ||
    fail "the two oldest files were not removed: $left"
[ -e "$dir/old3-0000000000000000.tc" ] || fail "more than needed was removed: $left"
ls "$dir/$(basename "$hello")"-*.tc > /dev/null 2>&1 || fail "hello's file, loaded last, was removed: $left"

if [ "$failures" = 0 ]; then echo "PASS"; exit 0; fi
exit 1
