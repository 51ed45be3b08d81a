# ferry bench: a fork-heavy shell loop for busybox sh.  Every $(...) and
# (...) forks a subshell that runs only shell built-ins, so nothing is
# exec'ed: no binfmt_misc registration is needed for the emulators and no
# host program can be picked up by mistake.  Usage: busybox sh fork.sh N
n=${1:-1000}
i=0
sum=0
while [ $i -lt $n ]; do
    x=$(echo $i)
    ( exit 0 )
    sum=$((sum + x))
    i=$((i + 1))
done
echo "iterations $i sum $sum"
