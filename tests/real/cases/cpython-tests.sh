# reference: native
# packages: python3.11 libpython3.11-stdlib libpython3.11-testsuite
# timeout: 600
# CPython's own regression tests (Debian's libpython3.11-testsuite), two
# worker processes; the summary (which passed, which failed) is compared.
python3 -m test -j2 --timeout 500 test_json test_re test_math test_float test_fcntl \
    test_select test_mmap test_threading test_os test_signal > log 2>&1
echo "status $?"
grep -E '^(All [0-9]+ tests OK|[0-9]+ tests? (OK|failed|skipped)|    test_|== Tests result)' log | sort
