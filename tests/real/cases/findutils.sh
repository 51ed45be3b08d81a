# reference: native
# packages: findutils coreutils
find fixture | sort
find fixture -name '*.txt' | sort
find fixture -type d | sort; find fixture -type l
find fixture -type f -size +1k -exec wc -c {} \; | sort
find fixture -name '*.csv' -exec cat {} +
find fixture -newer fixture/a.txt | wc -l; find fixture -empty | sort
find fixture -type f -print0 | sort -z | xargs -0 md5sum
