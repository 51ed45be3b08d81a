# reference: native
# packages: coreutils
# What the guest sees of itself in /proc (argv[0] is the name typed, as
# the shell passes it).
readlink /proc/self/exe; cat /proc/self/cmdline | tr '\0' ' '; echo
bash -c 'readlink /proc/$$/exe; tr "\0" " " < /proc/$$/cmdline; echo; echo "$0"'
bash -c 'exec -a renamed sleep 10 & for i in $(seq 50); do grep -q renamed /proc/$!/cmdline && break; sleep 0.2; done
          tr "\0" " " < /proc/$!/cmdline; echo; kill $!'
grep -E '^(Name|State|Threads):' /proc/self/status
head -c 0 /proc/self/maps && echo maps-readable; ls /proc/self/fd | wc -l
cut -d' ' -f2,3 /proc/self/stat
