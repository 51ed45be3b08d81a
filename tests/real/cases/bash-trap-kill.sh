# reference: native
# packages: bash coreutils
bash -c '
trap "echo got USR1" USR1
trap "echo bye" EXIT
kill -USR1 $$
echo after
sleep 10 & pid=$!
kill -TERM $pid; wait $pid; echo "sleep status $?"
( trap "echo child INT; exit 5" INT; kill -INT $BASHPID; echo not reached ) ; echo "subshell $?"
trap - USR1; bash -c "kill -USR2 \$\$"; echo "killed $?"
'
