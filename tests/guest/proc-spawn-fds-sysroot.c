/*
 * proc-spawn-fds dynamically linked, run with -L SYSROOT (the sysroot is
 * its argument): the same stages, where ferry also resolves the guest's
 * absolute paths inside the sysroot while fd 3 changes hands.
 */
#include "proc-spawn-fds.c"
