/*
 * The one way unit tests run their check suite: every test, its result on
 * stdout, exit status 1 if any failed.
 */
#ifndef FERRY_TESTS_CHECK_RUN_H
#define FERRY_TESTS_CHECK_RUN_H

#include <check.h>

static inline int check_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

#endif
