# reference: native
# packages: tar gzip xz-utils bzip2 zstd
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf t.tar fixture
sha256sum t.tar; tar -tvf t.tar
gzip -9 -n -k t.tar; bzip2 -k t.tar; xz -k -T1 t.tar; zstd -q -k t.tar
sha256sum t.tar.gz t.tar.bz2 t.tar.xz t.tar.zst
mkdir x; tar -C x -xzf t.tar.gz; diff -r fixture x/fixture && echo gz-same
gunzip -c t.tar.gz | sha256sum; bunzip2 -c t.tar.bz2 | sha256sum
xz -dc t.tar.xz | sha256sum; zstd -dc t.tar.zst | sha256sum
tar -cJf t2.tar.xz -C fixture . && tar -tJf t2.tar.xz | sort
seq 1 100000 | gzip -1 | gzip -d | tail -n 1; seq 1 100000 | xz -0 | xz -d | wc -l
xz -l t.tar.xz | tail -n 1 | awk '{ print $3, $5 }'
