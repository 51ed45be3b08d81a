# reference: native
# packages: libc6 libc-bin coreutils
# Variables for the guest's dynamic loader, set by the guest before an
# execve (ldd does this): ferry's exec of the next arm64 program must hand
# them to the guest's loader, not act on them in its own host loader.
# Library names only: the loader's own path and addresses differ by
# architecture.
names() { awk '{ print $1 }' | grep -v -e '^/' -e '^ld-linux' | sort; }
bash -c 'LD_TRACE_LOADED_OBJECTS=1 ls' | names
ldd /usr/bin/sort | names
bash -c 'LD_LIBRARY_PATH=/nonexistent LD_BIND_NOW=1 sha256sum fixture/a.txt'
bash -c 'LD_PRELOAD=libnonexistent.so echo preload 2>/dev/null'
