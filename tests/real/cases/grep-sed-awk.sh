# reference: native
# packages: grep sed gawk
grep -n an fixture/fruit.txt; grep -c '^[0-9]*$' fixture/sub/numbers.txt
grep -E '^(1|2)[0-9]{2}$' fixture/sub/numbers.txt | tail -n 3
grep -P '(?<=a)pp' fixture/fruit.txt; grep -rl hello fixture; grep -v -i APPLE fixture/fruit.txt
sed -n '3,5p' fixture/sub/numbers.txt; sed 's/\([a-z]\)\([a-z]*\)/\2\1ay/' fixture/fruit.txt
sed -e '/apple/d' -e 's/$/!/' fixture/fruit.txt; sed -E 's/([0-9]+)/<\1>/g' fixture/sub/deeper/table.csv
gawk '{ s += $1 } END { printf "%.6f %g %d\n", s / NR, sqrt(s), NR }' fixture/sub/numbers.txt
gawk 'BEGIN { printf "%.10f %.3e %f %f\n", atan2(0, -1), exp(10), log(2), sin(1)+cos(1); print 1/3, 2^53+1, int(-3.7) }'
gawk -F, 'NR > 1 { for (i = 1; i <= NF; i++) t[i] += $i } END { for (i = 1; i <= 3; i++) printf "%d ", t[i]; print "" }' fixture/sub/deeper/table.csv
gawk '{ c[$0]++ } END { n = asorti(c, k); for (i = 1; i <= n; i++) print k[i], c[k[i]] }' fixture/fruit.txt
gawk 'BEGIN { x = sprintf("%c%c", 72, 105); print toupper(x), length("héllo"), substr("abcdef", 2, 3), index("ferry", "rr") }'
