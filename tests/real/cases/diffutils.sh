# reference: native
# packages: diffutils
seq 1 20 > a; seq 1 20 | sed 's/^7$/seven/; /^15$/d' > b; echo 21 >> b
diff a b; echo "status $?"
diff -u --label a --label b a b; diff -c --label a --label b a b | head -n 12
cmp a b; echo "cmp $?"; cmp -l fixture/bytes.bin fixture/bytes.bin; echo "same $?"
diff -r fixture fixture; echo "rec $?"
diff3 a b a | head -n 5
