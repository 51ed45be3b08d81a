# reference: native
# packages: bash coreutils
bash -c '
sum=0; for i in $(seq 1 100); do sum=$((sum + i * i)); done; echo "sum=$sum"
i=0; while [ $i -lt 5 ]; do i=$((i+1)); [ $i -eq 3 ] && continue; echo -n "$i "; done; echo
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }
echo "fact 20 = $(fact 20)"
declare -A h=([one]=1 [two]=2 [three]=3); for k in $(echo "${!h[@]}" | tr " " "\n" | sort); do echo "$k=${h[$k]}"; done
arr=(z y x); arr+=(w); echo "${#arr[@]} ${arr[*]} ${arr[@]:1:2}"
s="Hello, World"; echo "${s,,} ${s^^} ${s/World/ferry} ${#s} ${s:7}"
printf "%05d|%-5s|%x\n" 42 ab 255
echo $(( 2**40 )) $(( -7 / 2 )) $(( -7 % 3 )) $(( 0x1f << 3 )) $(( 10 > 3 ? 1 : 0 ))
(cd /; pwd); pwd | sed "s|.*/||"
x=outer; (x=inner; echo "sub $x"); echo "main $x"
cat fixture/fruit.txt | sort | uniq -c | sort -rn | head -n 2
echo "a b c" | { read p q r; echo "$r$q$p"; }
cat <<END
here-doc $((6*7)) $(echo subst)
END
cat <<'"'"'END'"'"'
literal $HOME
END
case foo.tar.gz in *.tar.gz) echo tgz;; *) echo other;; esac
[[ abc123 =~ ^([a-z]+)([0-9]+)$ ]] && echo "${BASH_REMATCH[1]}-${BASH_REMATCH[2]}"
set -- a "b c" d; echo "$#: $2"; shift; echo "$@"
exit 3
'
echo "status $?"
bash -c 'false | true; echo "pipe $?"; set -o pipefail; false | true; echo "pipefail $?"'
