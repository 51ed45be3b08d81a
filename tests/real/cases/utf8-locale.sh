# reference: native
# packages: coreutils grep sed gawk libc6
export LC_ALL=C.UTF-8
printf 'héllo wörld\nnaïve café\nΕλλάδα\n日本語テキスト\n' > u.txt
wc -m -c -l u.txt; cut -c1-3 u.txt
grep -P '\p{Greek}' u.txt; grep -o '[[:alpha:]]*é[[:alpha:]]*' u.txt; sed 's/./X/3' u.txt
gawk '{ print length($0), toupper($0), substr($0, 2, 3) }' u.txt; sort u.txt | od -c | tail -n 2
tr -d '\n' < u.txt | wc -m; printf '%5s|\n' é; ls --quoting-style=c u.txt
