# reference: native
# packages: coreutils
env -i A=1 B='two words' env
env -i X=y printenv X
dd if=fixture/bytes.bin of=out.bin bs=16 skip=2 count=3 2>/dev/null; od -A d -t u1 out.bin
dd if=fixture/sub/numbers.txt bs=100 count=2 status=none | md5sum
dd if=/dev/zero bs=1k count=64 status=none | wc -c
mkdir -p d/e; cp -a fixture/a.txt d/e/; mv d/e/a.txt d/e/b.txt; ln -s b.txt d/e/c; ls d/e; rm -r d; ls
echo done | tee t1 t2 > /dev/null; cat t1 t2; truncate -s 10 t1; wc -c t1
id -u >/dev/null && echo id-ok; true; echo $?; false; echo $?
