# The binary that `make` builds is the release build: it compiles without a
# warning (warnings are errors) and carries no test hook, neither the names
# of the ARCHIVE_TEST_* variables nor their effect; the test build of
# `make check` (the binary under test) has them.
. "$TOP/tests/lib.sh"

check release_build_compiles run_rc 0 make -s -C "$TOP" -j2 B="$PWD/rel" "$PWD/rel/archive"
check release_build_names_no_test_hook sh -c "! strings rel/archive | grep ARCHIVE_TEST_"
# The same grep finds them where they are: it can fail.
check test_build_has_the_hooks sh -c "strings '$ARCHIVE' | grep -q ARCHIVE_TEST_CRASH_AT"
# A crash point set for the release binary does nothing: the run ends.
check release_build_ignores_crash_points run_rc 0 env ARCHIVE_TEST_CRASH_AT=1 \
	rel/archive --store s ingest "$FIXTURES/releases"
check release_build_archived_all has out '^3 releases: 3 archived'
check test_build_honours_crash_points sh -c "! env ARCHIVE_TEST_CRASH_AT=1 '$ARCHIVE' --store t ingest '$FIXTURES/releases' >/dev/null 2>&1"
