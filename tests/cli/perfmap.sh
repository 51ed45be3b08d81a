#!/bin/bash
# -perfmap: ferry writes /tmp/perf-PID.map, one "START SIZE NAME" line (hex,
# hex, name) per translated block, named after the guest function it starts
# in; and the executable view of the code buffer is anonymous shared memory
# ("/dev/zero (deleted)" in /proc/PID/maps), which is what perf resolves
# through that file, with every block's START inside it.
# usage: perfmap.sh FERRY PAUSE-PROG
set -u
ferry=$1 prog=$2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$ferry" -perfmap "$prog" 700 &
pid=$!
sleep 0.3
maps=$(cat "/proc/$pid/maps" 2>/dev/null)
wait "$pid"
status=$?
map=/tmp/perf-$pid.map
[ "$status" = 0 ] || fail "guest exited with $status"
if [ ! -s "$map" ]; then
    fail "$map missing or empty"
else
    bad=$(grep -Evc '^[0-9a-f]+ [0-9a-f]+ [^ ].*$' "$map")
    [ "$bad" = 0 ] || fail "$bad lines of $map are not 'START SIZE NAME'"
    grep -q ' perfmap_marker_function$\| perfmap_marker_function+0x' "$map" ||
        fail "no block named after perfmap_marker_function in $map"
    grep -q ' main$\| main+0x' "$map" || fail "no block named after main in $map"
    # the code buffer's executable view: r-xs, anonymous shared memory
    view=$(echo "$maps" | awk '$2 == "r-xs" && $6 == "/dev/zero" {print $1}' | head -1)
    if [ -z "$view" ]; then
        fail "no r-xs /dev/zero mapping (the code buffer's executable view) in /proc/$pid/maps"
    else
        lo=$((16#${view%-*})) hi=$((16#${view#*-}))
        outside=0
        while read -r start _; do
            a=$((16#$start))
            if [ "$a" -lt "$lo" ] || [ "$a" -ge "$hi" ]; then outside=$((outside + 1)); fi
        done < "$map"
        [ "$outside" = 0 ] || fail "$outside blocks of $map start outside the executable view $view"
    fi
    echo "ok: $(wc -l < "$map") blocks in $map"
fi
rm -f "$map"
echo "perfmap: $failures failure(s)"
[ "$failures" = 0 ]
