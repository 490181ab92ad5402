# End-to-end: `archive verify` of the whole store. It names a tampered
# sidecar, a catalog that disagrees with the store (a changed bundle_sha256,
# a lost row) and a changed audit line; records every verification;
# --stale DAYS and --limit N pick the least recently verified bundles
# (ARCHIVE_TEST_NOW sets the clock, see include/core/testhook.h); -j N gives the
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

# -- more bundles than a batch -----------------------------------------------
# verify records its verifications in batches of 64 (FIXITY_BATCH): the
# batch's audit lines in one write and one fsync, then the catalog in one
# transaction. On 70 bundles (a full batch and the rest): two writes, two
# commits; every bundle's verify line, in order, the chain intact; the
# catalog what reindex makes of bundles and log. Killed after the first
# batch (mid second), and between the second batch's fsync and its catalog
# transaction: the log keeps whole batches, the catalog what was
# committed, and the next verify repairs and passes.
mkpdf=$(dirname "$ARCHIVE")/mkpdf
[ -x "$mkpdf" ] || mkpdf=$TOP/build/mkpdf
NB=70
check big_corpus_made env ASAN_OPTIONS=detect_leaks=0 \
	python3 "$TOP/scripts/gen-corpus" $NB big "$mkpdf"
run_rc 0 "$ARCHIVE" --store Big -q ingest -j 2 big || { echo "FAIL big_ingest"; cat err; }
cp -a Big bigpre

cat >batch_check.py <<'PY'
import hashlib, json, os, sqlite3, sys

def chain(store):
    data = open(os.path.join(store, "audit.log"), "rb").read()
    assert data.endswith(b"\n"), "audit.log ends in a partial line"
    prev, out = "0" * 64, []
    for i, raw in enumerate(data.split(b"\n")[:-1], 1):
        e = json.loads(raw)
        assert e["seq"] == i and e["prev"] == prev, "chain broken at line %d" % i
        prev = hashlib.sha256(raw).hexdigest()
        out.append(e)
    return out

def dump(store):
    c = sqlite3.connect("file:%s?mode=ro" % os.path.join(store, "catalog.sqlite"), uri=True)
    for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        rows = sorted(repr(r) for r in c.execute('SELECT * FROM "%s"' % t))
        print(t, len(rows))
        for r in rows:
            print(" ", r)

cmd, store = sys.argv[1], sys.argv[2]
if cmd == "verify_lines":      # verify_lines N [IDS_FILE]: N verify lines (the last ones: IDS_FILE's, in order)
    ver = [e for e in chain(store) if e["event"] == "verify"]
    assert len(ver) == int(sys.argv[3]), "%d verify lines, want %s" % (len(ver), sys.argv[3])
    if len(sys.argv) > 4:
        want = open(sys.argv[4]).read().split()
        got = [e["id"] for e in ver[-len(want):]]
        assert got == want, "verify lines not in the order verified"
elif cmd == "catalog_verifications":  # catalog_verifications N
    c = sqlite3.connect("file:%s?mode=ro" % os.path.join(store, "catalog.sqlite"), uri=True)
    (n,) = c.execute("SELECT COUNT(*) FROM verifications").fetchone()
    assert n == int(sys.argv[3]), "%d verifications in the catalog, want %s" % (n, sys.argv[3])
elif cmd == "dump":
    dump(store)
PY

# reindex_same STORE: the catalog, table by table, is what reindex makes.
reindex_same() {
	python3 batch_check.py dump "$1" >dump1 && run_rc 0 "$ARCHIVE" --store "$1" reindex &&
		python3 batch_check.py dump "$1" >dump2 && cmp dump1 dump2 &&
		grep -q "^verifications $2\$" dump2
}

big_verified() {
	rm -f points
	ARCHIVE_TEST_CRASH_LOG=$PWD/points run_rc 0 "$ARCHIVE" --store Big verify -j 2 &&
		has out "^$NB verified: $NB OK, 0 FAIL; audit log: $((NB * 2)) lines, chain intact\$" &&
		sed -n 's/^OK  //p' out >order && [ "$(wc -l <order)" -eq $NB ] &&
		python3 batch_check.py verify_lines Big $NB order
}
check big_verified_each_recorded_in_order big_verified
check big_two_batches [ "$(grep -cx audit.written points)-$(grep -cx audit.fsynced points)-$(grep -cx catalog.apply_events points)-$(grep -cx fixity.verified points)" = "2-2-2-$NB" ]
check big_catalog_equals_reindex reindex_same Big $NB

# Killed at point N of a -j 1 run (-j 1: the points are all the parent's).
rm -f points1
rm -rf B1 && cp -a bigpre B1 && ARCHIVE_TEST_CRASH_LOG=$PWD/points1 "$ARCHIVE" --store B1 -q verify >/dev/null 2>&1
# The first bundle of the second batch verified, not yet recorded.
MID=$(grep -n -x -m 1 -A 1 catalog.apply_events points1 | sed -n 's/^\([0-9]*\)-fixity.verified$/\1/p')
# The second batch's audit lines fsync'd, the catalog not yet told.
GAP=$(grep -n -x audit.fsynced points1 | sed -n '2s/:.*//p')
killed_big() { # NAME AT LOG_LINES CATALOG_ROWS
	rm -rf K && cp -a bigpre K
	ARCHIVE_TEST_CRASH_AT=$2 "$ARCHIVE" --store K -q verify >/dev/null 2>&1
	check "${1}_killed" [ $? -eq 137 ]
	check "${1}_log_keeps_whole_batches" python3 batch_check.py verify_lines K "$3"
	check "${1}_catalog_has_the_committed" python3 batch_check.py catalog_verifications K "$4"
	check "${1}_rerun_passes" run_rc 0 "$ARCHIVE" --store K verify
	check "${1}_rerun_recorded" python3 batch_check.py verify_lines K $(($3 + NB))
	check "${1}_catalog_equals_reindex" reindex_same K $(($3 + NB))
}
check big_crash_points_found [ -n "$MID" ] && [ -n "$GAP" ]
killed_big big_killed_mid_second_batch "${MID:-1}" 64 64
killed_big big_killed_before_second_commit "${GAP:-1}" $NB 64

# The whole store with -j 40 under `ulimit -n 64`: poll() refuses the 70
# workers' descriptors it is given at once (up to 2 × 40), so the bundles
# cannot be verified. Exit 3 with the reason, no summary that would claim
# a verified store, and no verification recorded; the same limit with
# -j 20 verifies them all.
big_poll_fails() {
	rm -rf P && cp -a bigpre P && cp P/audit.log audit.before &&
		(ulimit -n 64 && run_rc 3 "$ARCHIVE" --store P verify -j 40) &&
		has err "^archive: verify: cannot wait for the verifying workers: poll on 70 descriptors: .*open-file limit, 64" &&
		! grep -q "verified" out && cmp P/audit.log audit.before &&
		(ulimit -n 64 && run_rc 0 "$ARCHIVE" --store P verify -j 20) &&
		has out "^$NB verified: $NB OK, 0 FAIL;"
}
check big_poll_fails big_poll_fails
