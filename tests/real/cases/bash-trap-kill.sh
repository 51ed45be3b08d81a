# reference: native
# packages: bash coreutils
# The EXIT trap is set only after the background job: a job killed before it
# has exec'd sleep would otherwise still be bash and, racing, run the trap.
bash -c '
trap "echo got USR1" USR1
kill -USR1 $$
echo after
sleep 10 & pid=$!
kill -TERM $pid; wait $pid; echo "sleep status $?"
trap "echo bye" EXIT
( trap "echo child INT; exit 5" INT; kill -INT $BASHPID; echo not reached ) ; echo "subshell $?"
trap - USR1; bash -c "kill -USR2 \$\$"; echo "killed $?"
'
