# reference: native
# packages: xz-utils zstd coreutils
# Multi-threaded compressors and sort.
seq 1 300000 | sed 's/$/ some text to compress/' > big.txt
xz -T2 -6 -k big.txt && xz -l big.txt.xz | tail -n 1 | awk '{ print $1, $2, $5 }'; xz -dc big.txt.xz | sha256sum
zstd -q -T2 -5 big.txt -o big.zst && zstd -dc big.zst | sha256sum; sha256sum big.zst
sort --parallel=2 -S 1M -r big.txt | head -n 2; sort --parallel=2 -S 1M -n -k1,1 big.txt | md5sum
