# reference: native
# packages: dash coreutils
dash -c '
i=0; s=0; while [ $i -lt 50 ]; do i=$((i+1)); s=$((s+i)); done; echo $s
f() { echo "f:$1:$#"; return 4; }; f x y; echo $?
v=$(echo inner | tr a-z A-Z); echo "$v"
for w in one two three; do echo $w; done | sort
( exit 7 ); echo $?
trap "echo trapped" USR1; kill -USR1 $$
cat <<X
doc ${v}
X
'
