# reference: native
# packages: busybox-static
# Applets chosen by argv[0] through links to the busybox binary, exec'd by
# busybox's own shell (the amd64 busybox in the native reference).
mkdir applets
for a in sh wc sort md5sum sha256sum awk seq cat tr rev uname; do ln -s "$SYSROOT/usr/bin/busybox" applets/$a; done
ls applets | wc -l
busybox sh -c '
applets/seq 1 10 | applets/sort -r | applets/wc -l
applets/md5sum fixture/a.txt | applets/awk "{ print \$1 }"; applets/sha256sum fixture/bytes.bin
applets/awk "BEGIN { printf \"%.6f %d\\n\", 22 / 7, 2 * 1024 }"
applets/sh -c "for i in 1 2 3; do echo \$((i * i)); done | applets/tr \"\\n\" \" \"; echo; echo \$0"
echo hello | applets/rev; PATH=$PWD/applets:$PATH; echo "via PATH: $(seq 3 | cat | wc -l)"
'
echo "status $?"
