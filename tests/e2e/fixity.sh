# End-to-end: `archive verify` of the whole store. It names a tampered
# sidecar, a catalog that disagrees with the store (a changed bundle_sha256,
# a lost row) and a changed audit line; records every verification;
# --stale DAYS and --limit N pick the least recently verified bundles
# (ARCHIVE_TEST_NOW sets the clock, see include/testhook.h); -j N gives the
# same output and the same records as -j 1.
. "$TOP/tests/lib.sh"

export ARCHIVE_TEST_NOW=2030-01-01T00:00:00Z
run_rc 0 "$ARCHIVE" --store S ingest "$FIXTURES/releases" || { echo "FAIL ingest"; exit 1; }
# The three bundles in path order.
A=$(basename S/bundles/2024/2024-05-10_*.tar.gz .tar.gz)
B=$(basename S/bundles/2024/2024-06-03_*.tar.gz .tar.gz)
C=$(basename S/bundles/2024/2024-07-15_*.tar.gz .tar.gz)
cp -a S pristine

# verified_ids: the ids of out's OK/FAIL lines, in order, one line.
verified_ids() { sed -n 's/^\(OK \|FAIL\) \([^:]*\).*/\2/p' out | sed 's/^ *//' | uniq | tr '\n' ' '; }

clean() {
	run_rc 0 "$ARCHIVE" --store S verify && has out "^OK  $A\$" && has out "^OK  $B\$" &&
		has out "^OK  $C\$" && has out "^3 verified: 3 OK, 0 FAIL; audit log: 6 lines, chain intact\$" &&
		[ "$(grep -c '"event":"verify"' S/audit.log)" -eq 3 ]
}
check clean_store_verified_and_recorded clean

tampered_sidecar() {
	rm -rf T && cp -a pristine T && printf '%064d  %s.tar.gz\n' 0 "$A" >"T/bundles/2024/$A.tar.gz.sha256" &&
		run_rc 1 "$ARCHIVE" --store T verify &&
		has out "^FAIL $A: $A.tar.gz.sha256: sha256 of the bundle differs\$" &&
		has out "^OK  $B\$" && has out "^3 verified: 2 OK, 1 FAIL;"
}
check tampered_sidecar tampered_sidecar

catalog_mismatch() {
	rm -rf T && cp -a pristine T && python3 - "$B" "$C" <<'EOF' &&
import sqlite3, sys
c = sqlite3.connect("T/catalog.sqlite")
c.execute("UPDATE bundles SET bundle_sha256 = ? WHERE id = ?", ("f" * 64, sys.argv[1]))
c.execute("DELETE FROM bundles WHERE id = ?", (sys.argv[2],))
c.commit()
EOF
		run_rc 1 "$ARCHIVE" --store T verify &&
		has out "^FAIL $B: catalog.sqlite: the catalog records sha256 f{64}, the sidecar [0-9a-f]{64}\$" &&
		has out "^FAIL catalog.sqlite: no row for bundle $C, whose ingest the audit log records; restored from the bundle\$" &&
		has out "PROBLEMS ABOVE\$"
}
check catalog_mismatch catalog_mismatch

broken_audit_line() {
	rm -rf T && cp -a pristine T && sed -i '2s/"user":"[^"]*"/"user":"mallory"/' T/audit.log &&
		run_rc 1 "$ARCHIVE" --store T verify &&
		has out "^FAIL audit.log: line 2 was changed" && has out "PROBLEMS ABOVE\$" &&
		has out "^OK  $A\$"
}
check broken_audit_line broken_audit_line

# --limit and --stale, day by day on a fresh copy. Never verified comes
# first, then the oldest verification; ties by path.
stale_and_limit() {
	rm -rf N && cp -a pristine N &&
		ARCHIVE_TEST_NOW=2030-01-01T00:00:00Z run_rc 0 "$ARCHIVE" --store N verify --limit 1 &&
		[ "$(verified_ids)" = "$A " ] && has out "^1 verified: 1 OK, 0 FAIL \(2 not due\);" &&
		ARCHIVE_TEST_NOW=2030-01-05T00:00:00Z run_rc 0 "$ARCHIVE" --store N verify --limit 1 &&
		[ "$(verified_ids)" = "$B " ] &&
		ARCHIVE_TEST_NOW=2030-01-10T00:00:00Z run_rc 0 "$ARCHIVE" --store N verify --stale 7 &&
		[ "$(verified_ids)" = "$C $A " ] && has out "^2 verified: 2 OK, 0 FAIL \(1 not due\);" &&
		ARCHIVE_TEST_NOW=2030-01-11T00:00:00Z run_rc 0 "$ARCHIVE" --store N verify --stale 7 &&
		[ "$(verified_ids)" = "" ] && has out "^0 verified: 0 OK, 0 FAIL \(3 not due\);" &&
		ARCHIVE_TEST_NOW=2030-01-20T00:00:00Z run_rc 0 "$ARCHIVE" --store N verify --stale 7 --limit 2 &&
		[ "$(verified_ids)" = "$B $A " ] &&
		ARCHIVE_TEST_NOW=2030-01-20T00:00:00Z run_rc 0 "$ARCHIVE" --store N show "$C" &&
		has out "^last verified +2030-01-10T00:00:00Z"
}
check stale_and_limit stale_and_limit

stale_usage() {
	run_rc 2 "$ARCHIVE" --store N verify --stale x && has err "'x' is not a number of days" &&
		run_rc 2 "$ARCHIVE" --store N verify --limit 0 &&
		run_rc 2 "$ARCHIVE" verify --stale 3 "S/bundles/2024/$A.tar.gz" &&
		has err "apply to the whole store"
}
check stale_usage stale_usage

# -j 4 against -j 1: the same lines in the same order, on a store holding
# a damaged bundle too, and the same audit log (recorded by the parent, in
# order).
parallel_store() {
	rm -rf J1 J4 && cp -a pristine J1 &&
		printf '%064d  x\n' 0 >"J1/bundles/2024/$B.tar.gz.sha256" && cp -a J1 J4 &&
		run_rc 1 "$ARCHIVE" --store J1 verify -j 1 && mv out out1 &&
		run_rc 1 "$ARCHIVE" --store J4 verify -j 4 && cmp out out1 &&
		cmp J1/audit.log J4/audit.log && [ "$(wc -l <out)" -ge 5 ] &&
		run_rc 1 "$ARCHIVE" --store J4 verify -j 4 --json && mv out j4 &&
		run_rc 1 "$ARCHIVE" --store J1 verify -j 1 --json && sed 's#"J4/#"J1/#' j4 | cmp - out
}
check parallel_store parallel_store

parallel_files() {
	set -- pristine/bundles/2024/*.tar.gz no-such.tar.gz J1/bundles/2024/*.tar.gz
	run_rc 1 "$ARCHIVE" verify -j 1 "$@" && mv out out1 && mv err err1 &&
		run_rc 1 "$ARCHIVE" verify -j 4 "$@" && cmp out out1 && cmp err err1 &&
		has out "^7 verified: 5 OK, 2 FAIL\$" &&
		run_rc 1 "$ARCHIVE" verify -j 3 --json "$@" && mv out j3 &&
		run_rc 1 "$ARCHIVE" verify -j 1 --json "$@" && cmp out j3
}
check parallel_files parallel_files
