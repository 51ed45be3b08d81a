# reference: native
# packages: coreutils
sort fixture/fruit.txt
sort -n fixture/fruit.txt
sort -u -r fixture/fruit.txt
sort -t, -k2,2nr fixture/sub/deeper/table.csv
wc fixture/fruit.txt fixture/sub/numbers.txt fixture/bytes.bin
wc -l < fixture/sub/numbers.txt
