# reference: native
# packages: coreutils
timeout 0.3 sleep 5; echo "timeout $?"; timeout -s INT 0.2 sleep 5; echo "timeout-int $?"
stdbuf -oL printf 'line\n' | cat; nice -n 5 nice; nohup true 2>/dev/null; echo "nohup $?"
split -l 700 fixture/sub/numbers.txt part- && wc -l part-* && cat part-* | cmp - fixture/sub/numbers.txt && echo split-ok
csplit -s fixture/sub/numbers.txt 500 1500 && wc -l xx*
tac fixture/fruit.txt | fold -w 3 | head -n 4; seq 1 10 | shuf --random-source=fixture/bytes.bin | tr '\n' ' '; echo
numfmt --to=iec 123456789 1048576; printf '3 c\n1 a\n2 b\n' > j1; printf '1 x\n2 y\n4 z\n' > j2; join j1 j2; comm -3 <(seq 1 5) <(seq 3 7) | tr '\t' _
tsort <<<'a b b c a c d e'; sum fixture/bytes.bin; cksum -a crc32b fixture/bytes.bin 2>/dev/null || echo no-crc32b
realpath -m --relative-to=. fixture/../fixture/sub/./x; readlink fixture/link; mktemp -u XXXXXX | wc -c
du -a --apparent-size -b fixture | sort -k2; install -m 640 fixture/a.txt inst.txt && stat -c %a inst.txt
chmod -R go-rwx fixture/sub && ls -ld fixture/sub | cut -c1-10; ln fixture/a.txt hard && stat -c %h fixture/a.txt
sort -k2,2 -t: -s <<<$'b:2\na:1\nc:2\nd:1'; sort -g <<<$'1e3\n-5\n0x10\n2.5'; sort -h <<<$'1K\n2M\n512'
yes ferry | head -n 100000 | uniq -c; pr -2 -t -w 40 fixture/fruit.txt
