# reference: qemu
# packages: busybox-static
mkdir applets
for a in sh wc sort md5sum sha256sum awk seq cat tr; do ln -s "$SYSROOT/usr/bin/busybox" applets/$a; done
ls applets | wc -l
applets/seq 1 10 | applets/sort -r | applets/wc -l
applets/md5sum fixture/a.txt | applets/awk '{ print $1 }'; applets/sha256sum fixture/bytes.bin
applets/awk 'BEGIN { printf "%.6f\n", atan2(1, 1) * 4 }'
applets/sh -c 'for i in 1 2 3; do echo $((i * i)); done | tr "\n" " "; echo; echo $0'
busybox sh -c 'ln -s /usr/bin/busybox ./rev 2>/dev/null; echo hello | busybox rev; busybox uname -m'
