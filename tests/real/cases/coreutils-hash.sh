# reference: native
# packages: coreutils
sha256sum fixture/a.txt fixture/bytes.bin fixture/sub/numbers.txt
md5sum fixture/a.txt fixture/bytes.bin fixture/sub/numbers.txt
sha1sum fixture/bytes.bin; sha512sum fixture/bytes.bin; b2sum fixture/bytes.bin
cksum fixture/bytes.bin
base64 fixture/bytes.bin | head -n 3
sha256sum fixture/*.txt > sums; sha256sum -c sums
