# reference: native
# packages: coreutils
cut -d, -f2,3 fixture/sub/deeper/table.csv
tr 'a-z' 'A-Z' < fixture/fruit.txt
tr -d 'aeiou' < fixture/fruit.txt | tr -s 'n'
seq 5; seq -w 1 3 20; seq 0.5 0.25 2
printf '%s=%d %x %o %5.2f %e|%-6s|\n' abc 42 255 8 3.14159 12345.678 hi
head -n 3 fixture/sub/numbers.txt; tail -n 4 fixture/sub/numbers.txt; tail -c 20 fixture/sub/numbers.txt
cat fixture/a.txt fixture/fruit.txt
cat -n fixture/a.txt
paste -d: fixture/a.txt fixture/a.txt; nl fixture/fruit.txt; uniq -c <(sort fixture/fruit.txt)
od -A x -t x1z -N 48 fixture/bytes.bin
expr 6 \* 7; factor 1234567 600851475143; basename /a/b/c.txt .txt; dirname /a/b/c.txt
