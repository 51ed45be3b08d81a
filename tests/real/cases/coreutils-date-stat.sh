# reference: native
# packages: coreutils
date -u -d @0; date -u -d @1234567890 '+%Y-%m-%d %H:%M:%S %A %j %s'
date -u -d '2024-02-29 12:34:56' +%s; date -u -d @86399 -R
stat --format '%n %s %a %A %F %Y' fixture/a.txt fixture/sub fixture/link fixture/bytes.bin
stat -L --format '%n %s %F' fixture/link
stat -c '%h %U %G' fixture/a.txt | sed "s/$(id -un)/USER/g; s/$(id -gn)/GROUP/g"
touch -d '2010-01-01 00:00:00' t; stat -c %Y t
