/*
 * The check() of the sys-* guest tests: one "ok"/"FAIL" line per check,
 * flushed so output stays in order across fork, and a failure count for
 * the exit status.
 */
#ifndef FERRY_TESTS_GUEST_SYS_CHECK_H
#define FERRY_TESTS_GUEST_SYS_CHECK_H

#include <stdio.h>

static int failures;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    fflush(stdout);
    if (!ok)
        failures++;
}

#endif
