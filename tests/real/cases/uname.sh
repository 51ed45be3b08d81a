# reference: qemu
# packages: coreutils
uname -m; uname -s; uname -o
arch; getconf LONG_BIT; nproc > /dev/null && echo nproc-ok
