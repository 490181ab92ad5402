# End-to-end: crash safety, demonstrated (SPEC, "Store": "A crash at any
# point leaves no partial bundle visible and a catalog that reindex or the
# next run repairs"; "Retention": a disposal is never without its record).
#
# src/core/testhook.c kills the process with SIGKILL at its Nth crash point
# (ARCHIVE_TEST_CRASH_AT=N; ARCHIVE_TEST_CRASH_LOG lists the points of a
# clean run; ingest runs with -j 1 here, so that the points are counted in
# one process: tests/e2e/parallel.sh kills a -j 4 run). For every point of a clean `ingest` of the fixtures, and of a
# clean `retention --apply` (review = none: propose, decide and execute in
# one run), the run is killed there, and then:
#   - no partial bundle is visible: every bundles/*/*.tar.gz verifies on
#     its own and with `sha256sum -c` of its sidecar;
#   - the next run, without the hook, repairs and finishes: every release
#     archived (or every due bundle disposed of), tmp/ empty, `verify`
#     passes, `list --json` and the whole catalog equal what `reindex`
#     makes from bundles and audit log alone, the audit chain is intact
#     with exactly one ingest (dispose) line per bundle, input untouched.
# When that repairing run itself passes crash points (the repairs of
# recovery.c), it is killed at each of those too, and a third run must
# still finish the job. Then the same for `verify` of the store, which
# records its verifications in batches: killed anywhere, the audit log
# holds all of a batch or none of it, and the next verify repairs the
# catalog from it. And for each step of the reviewed workflow, `disposal
# propose`, `review` and `execute`, killed at each of its points.
. "$TOP/tests/lib.sh"

cp -R "$FIXTURES/releases" rel
NREL=3

# -- helpers -----------------------------------------------------------------

# Checks over the audit log and the bundles on disk (python3: JSON, SHA-256).
cat >audit_check.py <<'EOF'
import glob, hashlib, json, os, sqlite3, sys

def lines(store):
    p = os.path.join(store, "audit.log")
    if not os.path.exists(p):
        return []
    with open(p, "rb") as f:
        data = f.read()
    assert data == b"" or data.endswith(b"\n"), "audit.log ends in a partial line"
    return data.split(b"\n")[:-1]

def chain(store):
    prev = "0" * 64
    out = []
    for i, raw in enumerate(lines(store), 1):
        e = json.loads(raw)
        assert e["seq"] == i, "line %d: seq %s" % (i, e["seq"])
        assert e["prev"] == prev, "line %d: prev does not match" % i
        prev = hashlib.sha256(raw).hexdigest()
        out.append(e)
    return out

def on_disk(store):
    return {os.path.basename(p)[:-len(".tar.gz")]
            for p in glob.glob(os.path.join(store, "bundles", "*", "*.tar.gz"))}

def events(ev, kind):
    n = {}
    for e in ev:
        if e["event"] == kind:
            n[e["id"]] = n.get(e["id"], 0) + 1
    return n

def dump(db):
    # Every table of the catalog, rows sorted: what reindex must reproduce.
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    out = []
    for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        rows = sorted(repr(r) for r in c.execute('SELECT * FROM "%s"' % t))
        out.append((t, rows))
    return out

cmd, store = sys.argv[1], sys.argv[2]
if cmd == "ingested":          # ingested N: N bundles, one ingest line each
    ev = chain(store)
    disk = on_disk(store)
    ing = events(ev, "ingest")
    assert len(disk) == int(sys.argv[3]), "%d bundles on disk" % len(disk)
    assert set(ing) == disk, "ingest lines for %s, bundles %s" % (sorted(ing), sorted(disk))
    bad = {k: v for k, v in ing.items() if v != 1}
    assert not bad, "more than one ingest line: %s" % bad
elif cmd == "no_loss":         # no_loss IDS_FILE: each there, or gone with its record
    ev = chain(store)
    disk = on_disk(store)
    disp = events(ev, "dispose")
    for i in open(sys.argv[3]).read().split():
        assert i in disk or disp.get(i) == 1, "%s: gone without a dispose record" % i
    for i in disp:
        assert disp[i] == 1, "%s: %d dispose lines" % (i, disp[i])
elif cmd == "disposed":        # disposed DUE_FILE KEEP_FILE
    ev = chain(store)
    disk = on_disk(store)
    disp = events(ev, "dispose")
    for i in open(sys.argv[3]).read().split():
        assert i not in disk, "%s: due, still there" % i
        assert disp.get(i) == 1, "%s: %d dispose lines" % (i, disp.get(i, 0))
    for i in open(sys.argv[4]).read().split():
        assert i in disk, "%s: not due, but gone" % i
        assert i not in disp, "%s: not due, but a dispose line" % i
    assert set(disp) <= set(open(sys.argv[3]).read().split())
elif cmd == "verified":        # verified N: N verify lines, of bundles on disk, each
    ev = chain(store)            # bundle verified at least once when N > 0
    disk = on_disk(store)
    ver = events(ev, "verify")
    n = sum(ver.values())
    assert n == int(sys.argv[3]), "%d verify lines, want %s" % (n, sys.argv[3])
    assert set(ver) <= disk, "verify lines of bundles not on disk: %s" % (set(ver) - disk)
    assert n == 0 or set(ver) == disk, "bundles never verified: %s" % (disk - set(ver))
elif cmd == "reindex":         # reindex ARCHIVE: list and catalog as reindex makes them
    import subprocess
    def run(*args):
        r = subprocess.run([sys.argv[3], "--store", store] + list(args), capture_output=True)
        assert r.returncode == 0, "%s: exit %d: %s" % (args, r.returncode, r.stderr.decode())
        return r.stdout
    db = os.path.join(store, "catalog.sqlite")
    list_before, rows_before = run("list", "--json"), dump(db)
    run("reindex")
    list_after, rows_after = run("list", "--json"), dump(db)
    assert list_before == list_after, "list differs after reindex:\n%s\n%s" % (
        list_before.decode(), list_after.decode())
    for (t, a), (_, b) in zip(rows_before, rows_after):
        assert a == b, "table %s differs after reindex:\n%s\n%s" % (t, a, b)
    assert [t for t, _ in rows_before] == [t for t, _ in rows_after]
EOF

A() { "$ARCHIVE" --store "$S" "$@"; }
say() { echo "$*" >&2; }

# no_partial_bundle: every visible bundle verifies and matches its sidecar.
no_partial_bundle() {
	set -- "$S"/bundles/*/*.tar.gz
	[ -e "$1" ] || return 0
	# verify FILE also checks FILE.sha256; sha256sum -c is the standard tool's word.
	"$ARCHIVE" verify "$@" >vout 2>&1 || { say "verify of the visible bundles fails:"; cat vout >&2; return 1; }
	for b in "$@"; do
		(cd "$(dirname "$b")" && sha256sum -c --quiet "$(basename "$b").sha256") >&2 ||
			{ say "$b: its sidecar is missing or does not match"; return 1; }
	done
}

tmp_empty() {
	[ -z "$(ls -A "$S/tmp" 2>/dev/null)" ] || { say "tmp/ holds:"; ls -lAR "$S/tmp" >&2; return 1; }
}

# list --json and the whole catalog equal what reindex makes of the store.
list_equals_reindex() { python3 audit_check.py reindex "$S" "$ARCHIVE"; }

killed() { # killed RC: the run died by SIGKILL (sh reports 128+9)
	[ "$1" -eq 137 ] || { say "exit status $1, want 137 (SIGKILL at the crash point)"; cat cerr >&2; return 1; }
}

# first_of_kind KIND: true the first time KIND is asked about (per phase:
# seen_kinds is emptied), always with ARCHIVE_TEST_CRASH_FULL=1.
seen_kinds=" "
first_of_kind() {
	[ "${ARCHIVE_TEST_CRASH_FULL:-0}" = 1 ] && return 0
	case $seen_kinds in *" $1 "*) return 1 ;; esac
	seen_kinds="$seen_kinds$1 "
}

# last_recovery_point LOG: the number of the last point of recovery.c in LOG.
last_recovery_point() { grep -n '^recovery\.' "$1" 2>/dev/null | tail -n 1 | cut -d: -f1; }

# -- ingest ------------------------------------------------------------------

S=$PWD/store
rm -f points
ARCHIVE_TEST_CRASH_LOG=$PWD/points A ingest -j 1 rel >out 2>err
check crash_ingest_clean_run_exit_0 [ $? -eq 0 ]
P=$(wc -l <points)
check crash_ingest_has_points [ "$P" -gt 0 ]
for k in bag.entry store.tmp_fsynced store.tmp_sidecar_written store.sidecar_renamed \
	store.bundle_linked store.tmp_unlinked store.dir_fsynced audit.written audit.fsynced \
	catalog.apply_event catalog.add_bundle; do
	check "crash_ingest_passes_$k" grep -qx "$k" points
done
cp points ingest.points
echo "ingest: $P crash points" >&2

# ingest_finishes NAME LOG: the run after a crash (or after a crash of that
# run) finishes the job; LOG receives the crash points it passed.
ingest_finishes() {
	rm -f "$2"
	check "${1}_rerun_exit_0" run_rc 0 env ARCHIVE_TEST_CRASH_LOG="$2" "$ARCHIVE" --store "$S" ingest -j 1 rel
	check "${1}_all_archived" has out "^$NREL releases: [0-9]+ archived, [0-9]+ already archived, 0 quarantined\$"
	check "${1}_tmp_empty" tmp_empty
	check "${1}_verify_store" run_rc 0 A verify
	check "${1}_list_equals_reindex" list_equals_reindex
	check "${1}_one_ingest_line_per_bundle" python3 audit_check.py ingested "$S" $NREL
	check "${1}_input_unchanged" diff -r "$FIXTURES/releases" rel
}

n=1
while [ "$n" -le "$P" ]; do
	name=crash_ingest_at_$n
	say "== $name: $(sed -n "${n}p" ingest.points)"
	rm -rf "$S"
	ARCHIVE_TEST_CRASH_AT=$n A ingest -j 1 rel >/dev/null 2>cerr
	check "${name}_killed" killed $?
	check "${name}_no_partial_bundle" no_partial_bundle
	rm -rf crashed && cp -a "$S" crashed
	ingest_finishes "$name" "$PWD/rpoints"
	# The repairs that run passed (recovery.c): crash it at each of them,
	# for the first crash point of each kind (the others repeat it for the
	# next release), or for all with ARCHIVE_TEST_CRASH_FULL=1.
	R=$(last_recovery_point rpoints)
	first_of_kind "$(sed -n "${n}p" ingest.points)" || R=0
	m=1
	while [ "$m" -le "${R:-0}" ]; do
		rname=${name}_repair_at_$m
		say "== $rname: $(sed -n "${m}p" rpoints)"
		rm -rf "$S" && cp -a crashed "$S"
		ARCHIVE_TEST_CRASH_AT=$m A ingest -j 1 rel >/dev/null 2>cerr
		check "${rname}_killed" killed $?
		check "${rname}_no_partial_bundle" no_partial_bundle
		ingest_finishes "$rname" "$PWD/rrpoints"
		m=$((m + 1))
	done
	n=$((n + 1))
done

# -- retention --apply ---------------------------------------------------------

# With a one-year period, on 2025-06-10 two of the three releases are due
# (2024-05-10, 2024-06-03) and one is not (2024-07-15): the run must dispose
# of exactly those two and keep the third.
NOW=2025-06-10
rm -rf pre && S=$PWD/pre
# Those dates count from the release date (the old start rule), and
# --apply disposes without review; every store below is a copy of pre.
mkdir -p "$S" && printf '[retention]\nstart = release-date\n[disposal]\nreview = none\n' > "$S/archive.conf"
check crash_retention_setup_ingest run_rc 0 A ingest --retention 1y rel
A retention --now $NOW --json | python3 -c '
import json, sys
due = [j["id"] for j in map(json.loads, sys.stdin) if not j.get("summary")]
open("due", "w").write("\n".join(due) + "\n")'
ls "$S"/bundles/*/*.tar.gz | sed 's|.*/||; s|\.tar\.gz$||' | sort >all
sort due | comm -23 all - >keep
check crash_retention_setup_two_due_one_kept [ "$(wc -l <due)-$(wc -l <keep)" = 2-1 ]

S=$PWD/store
seen_kinds=" "
rm -rf "$S" && cp -a pre "$S"
rm -f points
ARCHIVE_TEST_CRASH_LOG=$PWD/points A retention --apply --now $NOW >out 2>err
check crash_retention_clean_run_exit_0 [ $? -eq 0 ]
P=$(wc -l <points)
for k in dispose.recorded dispose.bundle_unlinked dispose.sidecar_unlinked dispose.dir_fsynced \
	dispose.catalog audit.written audit.fsynced catalog.apply_event; do
	check "crash_retention_passes_$k" grep -qx "$k" points
done
cp points retention.points
echo "retention --apply: $P crash points" >&2

retention_finishes() { # NAME LOG, as ingest_finishes
	rm -f "$2"
	check "${1}_rerun_exit_0" run_rc 0 env ARCHIVE_TEST_CRASH_LOG="$2" "$ARCHIVE" --store "$S" retention --apply --now $NOW
	check "${1}_due_disposed_once_others_kept" python3 audit_check.py disposed "$S" due keep
	check "${1}_no_partial_bundle_after" no_partial_bundle
	check "${1}_tmp_empty" tmp_empty
	check "${1}_verify_store" run_rc 0 A verify
	check "${1}_list_equals_reindex" list_equals_reindex
	check "${1}_nothing_due_after" run_rc 0 A retention --now $NOW
	check "${1}_nothing_due_says_nothing" [ ! -s out ]
}

n=1
while [ "$n" -le "$P" ]; do
	name=crash_retention_at_$n
	say "== $name: $(sed -n "${n}p" retention.points)"
	rm -rf "$S" && cp -a pre "$S"
	ARCHIVE_TEST_CRASH_AT=$n A retention --apply --now $NOW >/dev/null 2>cerr
	check "${name}_killed" killed $?
	check "${name}_no_partial_bundle" no_partial_bundle
	check "${name}_no_bundle_gone_without_record" python3 audit_check.py no_loss "$S" all
	rm -rf crashed && cp -a "$S" crashed
	retention_finishes "$name" "$PWD/rpoints"
	R=$(last_recovery_point rpoints)
	first_of_kind "$(sed -n "${n}p" retention.points)" || R=0
	m=1
	while [ "$m" -le "${R:-0}" ]; do
		rname=${name}_repair_at_$m
		say "== $rname: $(sed -n "${m}p" rpoints)"
		rm -rf "$S" && cp -a crashed "$S"
		ARCHIVE_TEST_CRASH_AT=$m A retention --apply --now $NOW >/dev/null 2>cerr
		check "${rname}_killed" killed $?
		check "${rname}_no_partial_bundle" no_partial_bundle
		check "${rname}_no_bundle_gone_without_record" python3 audit_check.py no_loss "$S" all
		retention_finishes "$rname" "$PWD/rrpoints"
		m=$((m + 1))
	done
	n=$((n + 1))
done

# -- disposal propose, review, execute --------------------------------------------
# The same two due bundles, the law's way (review = required): frozen into
# a batch, reviewed, executed, each step a run of its own. Each step is
# killed at every crash point of its clean run; then the person carries on
# from where the store is (propose again, review what is undecided,
# execute what is not executed), and it must end as a clean workflow does:
# the two destroyed, once each, each with its record; the third kept; one
# batch, executed; no bundle gone without its record at any moment; the
# catalog what reindex makes; verify passes. A batch is frozen whole or
# not at all (one audit line), so a rerun never makes a second one.
S=$PWD/wpre
rm -rf "$S" && cp -a pre "$S"
printf '[retention]\nstart = release-date\n' > "$S/archive.conf"
BATCH=$NOW-1
step() { # step NAME [hook env...]: run one step of the workflow
	_s=$1; shift
	case $_s in
	propose) env "$@" "$ARCHIVE" --store "$S" disposal propose --now $NOW ;;
	review) env "$@" "$ARCHIVE" --store "$S" disposal review $BATCH --all --decision destroy --by 심의회 --reason "보존기간 경과" ;;
	execute) env "$@" "$ARCHIVE" --store "$S" disposal execute $BATCH ;;
	esac
}
# batch_state: "STATE UNDECIDED" of the batch, or "none".
batch_state() {
	"$ARCHIVE" --store "$S" disposal show $BATCH --json 2>/dev/null | python3 -c "
import json, sys
L = [json.loads(l) for l in sys.stdin]
if not L: print('none'); sys.exit()
print(L[0]['state'], sum(1 for x in L[1:-1] if x['decision'] is None))"
}
# finish NAME LOG: carry on after a crash, then the checks. LOG gets the
# crash points of the first run (the one that repairs).
finish() {
	rm -f "$2"
	check "${1}_propose_again_exit_0" run_rc 0 step propose ARCHIVE_TEST_CRASH_LOG="$2"
	case $(batch_state) in
	"open 0"|executing*|executed*) ;;
	open*) check "${1}_review_rest_exit_0" run_rc 0 step review ;;
	*) check "${1}_a_batch_exists" false ;;
	esac
	case $(batch_state) in
	executed*) ;;
	*) check "${1}_execute_exit_0" run_rc 0 step execute ;;
	esac
	check "${1}_one_batch_executed" [ "$(batch_state)" = "executed 0" ]
	check "${1}_one_proposal" [ "$(grep -c '"event":"disposal-proposed"' "$S/audit.log")" -eq 1 ]
	check "${1}_due_destroyed_once_others_kept" python3 audit_check.py disposed "$S" due keep
	check "${1}_no_partial_bundle_after" no_partial_bundle
	check "${1}_verify_store" run_rc 0 A verify
	check "${1}_list_equals_reindex" list_equals_reindex
	check "${1}_nothing_needs_a_decision" run_rc 0 A retention --now $NOW
	check "${1}_nothing_needs_a_decision_silent" [ ! -s out ]
}
cp -a "$S" w0
check crash_workflow_clean_propose run_rc 0 step propose ARCHIVE_TEST_CRASH_LOG=$PWD/w.propose
cp -a "$S" w1
check crash_workflow_clean_review run_rc 0 step review ARCHIVE_TEST_CRASH_LOG=$PWD/w.review
cp -a "$S" w2
check crash_workflow_clean_execute run_rc 0 step execute ARCHIVE_TEST_CRASH_LOG=$PWD/w.execute
check crash_workflow_clean_destroys python3 audit_check.py disposed "$S" due keep
for k in disposal.proposed audit.written; do check "crash_workflow_propose_passes_$k" grep -qx "$k" w.propose; done
for k in disposal.decided audit.written; do check "crash_workflow_review_passes_$k" grep -qx "$k" w.review; done
for k in disposal.execute_begun dispose.recorded dispose.bundle_unlinked dispose.sidecar_unlinked \
	dispose.dir_fsynced dispose.catalog disposal.executed; do
	check "crash_workflow_execute_passes_$k" grep -qx "$k" w.execute
done
i=0
for st in propose review execute; do
	from=w$i
	i=$((i + 1))
	P=$(wc -l <w.$st)
	echo "disposal $st: $P crash points" >&2
	seen_kinds=" "
	n=1
	while [ "$n" -le "$P" ]; do
		name=crash_workflow_${st}_at_$n
		say "== $name: $(sed -n "${n}p" w.$st)"
		rm -rf "$S" && cp -a $from "$S"
		step $st ARCHIVE_TEST_CRASH_AT=$n >/dev/null 2>cerr
		check "${name}_killed" killed $?
		check "${name}_no_partial_bundle" no_partial_bundle
		check "${name}_no_bundle_gone_without_record" python3 audit_check.py no_loss "$S" all
		rm -rf crashed && cp -a "$S" crashed
		finish "$name" "$PWD/rpoints"
		# The repairs the next run passed: killed at each of them too
		# (for the first point of each kind, as above).
		R=$(last_recovery_point rpoints)
		first_of_kind "$(sed -n "${n}p" w.$st)" || R=0
		m=1
		while [ "$m" -le "${R:-0}" ]; do
			rname=${name}_repair_at_$m
			say "== $rname: $(sed -n "${m}p" rpoints)"
			rm -rf "$S" && cp -a crashed "$S"
			step propose ARCHIVE_TEST_CRASH_AT=$m >/dev/null 2>cerr
			check "${rname}_killed" killed $?
			check "${rname}_no_bundle_gone_without_record" python3 audit_check.py no_loss "$S" all
			finish "$rname" "$PWD/rrpoints"
			m=$((m + 1))
		done
		n=$((n + 1))
	done
done
# Overlapping runs: each step while another run holds the lock exits 75
# and changes nothing.
S=$PWD/store
for st in propose review execute; do
	case $st in
	propose) from=w0 args="propose --now $NOW" ;;
	review) from=w1 args="review $BATCH --all --decision destroy --by x --reason y" ;;
	execute) from=w2 args="execute $BATCH" ;;
	esac
	rm -rf "$S" && cp -a $from "$S"
	(cd "$S" && find . -type f ! -name lock -exec sha256sum {} + | sort -k2) >locked.before
	# shellcheck disable=SC2086
	check "crash_workflow_${st}_locked_exit_75" run_rc 75 flock "$S/lock" "$ARCHIVE" --store "$S" disposal $args
	(cd "$S" && find . -type f ! -name lock -exec sha256sum {} + | sort -k2) >locked.after
	check "crash_workflow_${st}_locked_changes_nothing" cmp -s locked.before locked.after
done

# A disposal recorded, the run killed before the bundle went, and the
# bundle unreadable when the next run comes (ARCHIVE_TEST_READ fails its
# read with EIO): the repair cannot tell it is the bundle the record names,
# so it leaves it and says so; readable again, the disposal is finished.
rm -rf "$S" && cp -a pre "$S"
n=$(grep -nx dispose.recorded retention.points | head -n 1 | cut -d: -f1)
ARCHIVE_TEST_CRASH_AT=$n A retention --apply --now $NOW >/dev/null 2>cerr
check crash_unread_killed killed $?
victim=$(python3 -c "
import json
for l in open('$S/audit.log'):
    e = json.loads(l)
    if e['event'] == 'dispose':
        print(e['path'])")
check crash_unread_has_victim [ -f "$S/$victim" ]
check crash_unread_repair_runs run_rc 0 env ARCHIVE_TEST_READ="eio:$(basename "$victim")" \
	"$ARCHIVE" --store "$S" retention --apply --now 2024-01-01
check crash_unread_kept [ -f "$S/$victim" ]
check crash_unread_named has err "^archive: retention: $S/$victim: Input/output error; its disposal is recorded, but a bundle that cannot be read is never deleted: left as it is\$"
check crash_unread_then_finished run_rc 0 A retention --apply --now 2024-01-01
check crash_unread_then_gone [ ! -e "$S/$victim" ]

# -- verify ------------------------------------------------------------------
# verify records its verifications in batches (src/store/fixity.c): each bundle's
# record is kept until the batch is full or the run ends, then the batch's
# audit lines go to the log in one write and one fsync, then to the catalog
# in one transaction. Killed at each point of a clean run (a bundle verified,
# its record not yet written; the batch's audit write; its fsync; inside the
# catalog transaction; after its commit): the log ends in a whole line, its
# chain intact, with no verify line of the run (killed before the write) or
# all of the batch (after it); the next verify mirrors what the catalog
# lacks, passes and adds its own lines; the catalog is then what reindex
# makes of bundles and log.
S=$PWD/vpre
rm -rf "$S"
check crash_verify_setup_ingest run_rc 0 A ingest rel
S=$PWD/store
seen_kinds=" "
rm -rf "$S" && cp -a vpre "$S"
rm -f points
ARCHIVE_TEST_CRASH_LOG=$PWD/points A verify >out 2>err
check crash_verify_clean_run_exit_0 [ $? -eq 0 ]
P=$(wc -l <points)
for k in fixity.verified audit.written audit.fsynced catalog.apply_event catalog.apply_events; do
	check "crash_verify_passes_$k" grep -qx "$k" points
done
# Three bundles, one batch: one write, one fsync, one commit.
check crash_verify_one_batch [ "$(grep -cx audit.written points)-$(grep -cx audit.fsynced points)-$(grep -cx catalog.apply_events points)" = 1-1-1 ]
W=$(grep -nx audit.written points | head -n 1 | cut -d: -f1)
cp points verify.points
echo "verify: $P crash points" >&2

verify_finishes() { # NAME LOG LINES: LINES verify lines before the run
	rm -f "$2"
	check "${1}_rerun_exit_0" run_rc 0 env ARCHIVE_TEST_CRASH_LOG="$2" "$ARCHIVE" --store "$S" verify
	check "${1}_rerun_chain_intact" has out "^$NREL verified: $NREL OK, 0 FAIL; audit log: [0-9]+ lines, chain intact\$"
	check "${1}_rerun_recorded" python3 audit_check.py verified "$S" $(($3 + NREL))
	check "${1}_list_equals_reindex" list_equals_reindex
	check "${1}_one_ingest_line_per_bundle" python3 audit_check.py ingested "$S" $NREL
}

n=1
while [ "$n" -le "$P" ]; do
	name=crash_verify_at_$n
	say "== $name: $(sed -n "${n}p" verify.points)"
	rm -rf "$S" && cp -a vpre "$S"
	ARCHIVE_TEST_CRASH_AT=$n A verify >/dev/null 2>cerr
	check "${name}_killed" killed $?
	# Before the batch's write: no record of the run; from it on: all three.
	L=0; [ "$n" -ge "$W" ] && L=$NREL
	check "${name}_whole_batch_or_nothing" python3 audit_check.py verified "$S" $L
	rm -rf crashed && cp -a "$S" crashed
	verify_finishes "$name" "$PWD/rpoints" $L
	R=$(last_recovery_point rpoints)
	first_of_kind "$(sed -n "${n}p" verify.points)" || R=0
	m=1
	while [ "$m" -le "${R:-0}" ]; do
		rname=${name}_repair_at_$m
		say "== $rname: $(sed -n "${m}p" rpoints)"
		rm -rf "$S" && cp -a crashed "$S"
		ARCHIVE_TEST_CRASH_AT=$m A verify >/dev/null 2>cerr
		check "${rname}_killed" killed $?
		check "${rname}_whole_batch_or_nothing" python3 audit_check.py verified "$S" $L
		verify_finishes "$rname" "$PWD/rrpoints" $L
		m=$((m + 1))
	done
	n=$((n + 1))
done

# -- archived again after disposal -------------------------------------------
# The same content archived again after its disposal has the same id; the
# old dispose line must not make the next run's repairs delete the new
# bundle (it did: recovery finished "the disposal" of every bundle with
# any dispose line, unrecorded).
S=$PWD/again
rm -rf "$S" && cp -a pre "$S"
check again_dispose run_rc 0 A retention --apply --now $NOW
check again_reingest run_rc 0 A ingest rel
check again_reingest_archives_two has out "^$NREL releases: 2 archived, 1 already archived, 0 quarantined\$"
check again_next_run_exit_0 run_rc 0 A ingest rel
check again_next_run_repairs_nothing [ ! -s err ]
check again_next_run_all_there has out "^$NREL releases: 0 archived, $NREL already archived, 0 quarantined\$"
check again_three_bundles [ "$(ls "$S"/bundles/*/*.tar.gz | wc -l)" -eq 3 ]
check again_verify_store run_rc 0 A verify
check again_list_equals_reindex list_equals_reindex
# Killed while archiving again, just after the link: the next run keeps or
# remakes every bundle, and the log ends with an ingest for each.
P=$(grep -n '^store.bundle_linked$' ingest.points | head -n 1 | cut -d: -f1)
rm -rf "$S" && cp -a pre "$S"
A retention --apply --now $NOW >/dev/null
ARCHIVE_TEST_CRASH_AT=$P A ingest -j 1 rel >/dev/null 2>cerr
check again_crash_killed killed $?
check again_crash_rerun_exit_0 run_rc 0 A ingest rel
check again_crash_three_bundles [ "$(ls "$S"/bundles/*/*.tar.gz | wc -l)" -eq 3 ]
check again_crash_verify_store run_rc 0 A verify
check again_crash_last_event_is_ingest python3 -c "
import json
last = {}
for l in open('$S/audit.log'):
    e = json.loads(l)
    if e['event'] in ('ingest', 'dispose'):
        last[e['id']] = e['event']
assert len(last) == 3 and set(last.values()) == {'ingest'}, last
"
check again_crash_list_equals_reindex list_equals_reindex

# -- a torn audit line ---------------------------------------------------------
# A power cut (a full disk, a kill inside write(2) on some file systems) can
# leave audit.log ending in part of a line, without its newline. The next
# writing run must cut it off before it appends (or its line is glued onto
# the fragment and the chain is broken for good), keep the cut bytes in
# audit.log.torn-TIME, record the repair ("repair" line) and say so on
# stderr; its own exit status is unchanged (the store is whole again). A
# whole line missing only its newline is completed instead. Readers without
# the lock (report) leave the torn line out and name it.
S=$PWD/torn
N=$(wc -l <vpre/audit.log)
rm -rf "$S" && cp -a vpre "$S"
# The first 40 bytes of a valid line, no newline.
tail -n 1 "$S/audit.log" | head -c 40 >frag
cat frag >>"$S/audit.log"
cp "$S/audit.log" torn.log
check torn_report_exit_0 run_rc 0 A report --json
check torn_report_names_audit_log has err "^archive: report: $S/audit.log: ends in a torn line \(40 bytes without a newline\), left out"
check torn_report_reads_the_whole_lines python3 -c "import json; json.load(open('out'))"
check torn_report_changes_nothing cmp "$S/audit.log" torn.log
check torn_list_exit_0 run_rc 0 A list
rm -f tpoints
check torn_verify_exit_0 run_rc 0 env ARCHIVE_TEST_CRASH_LOG=$PWD/tpoints "$ARCHIVE" --store "$S" verify
check torn_verify_says_repaired has err "^archive: verify: $S/audit.log: repaired after an interrupted run: a torn line of 40 bytes after line $N \(no newline: never a whole record\) was cut off; the bytes are kept in $S/audit.log.torn-[0-9TZ]+\$"
check torn_verify_chain_intact has out "^$NREL verified: $NREL OK, 0 FAIL; audit log: $((N + 1 + NREL)) lines, chain intact\$"
# audit_check.py fails on a log not ending in a newline, and on any break.
check torn_log_ends_in_newline_and_chains python3 audit_check.py verified "$S" $NREL
check torn_whole_lines_untouched cmp -n "$(wc -c <vpre/audit.log)" vpre/audit.log "$S/audit.log"
check torn_bytes_kept cmp frag "$S"/audit.log.torn-*
check torn_repair_recorded python3 -c "
import json
l = open('$S/audit.log').read().split('\n')[$N]
e = json.loads(l)
assert e['seq'] == $N + 1 and e['event'] == 'repair' and e['repair'] == 'torn line cut', e
assert e['file'] == 'audit.log' and e['bytes'] == 40 and e['after_seq'] == $N, e
import hashlib, os
assert e['sha256'] == hashlib.sha256(open('frag', 'rb').read()).hexdigest(), e
assert os.path.exists(os.path.join('$S', e['kept'])), e
"
check torn_list_equals_reindex list_equals_reindex
# The next lines chain on: another run repairs nothing.
check torn_next_ingest_exit_0 run_rc 0 A ingest rel
check torn_next_ingest_repairs_nothing [ ! -s err ]
check torn_next_verify_exit_0 run_rc 0 A verify
check torn_next_verify_chain_intact has out "^$NREL verified: $NREL OK, 0 FAIL; audit log: $((N + 1 + 2 * NREL)) lines, chain intact\$"
check torn_next_chain python3 audit_check.py verified "$S" $((2 * NREL))

# Killed at each step of the repair: the next run still leaves a whole,
# chained log, and the bytes are never lost (kept before the cut).
for k in audit.torn_kept audit.tail_repaired recovery.tail_recorded; do
	check "torn_repair_passes_$k" grep -qx "$k" tpoints
	m=$(grep -nx "$k" tpoints | head -n 1 | cut -d: -f1)
	rm -rf "$S" && cp -a vpre "$S" && cp torn.log "$S/audit.log"
	ARCHIVE_TEST_CRASH_AT=$m A verify >/dev/null 2>cerr
	check "torn_repair_killed_at_${k}" killed $?
	check "torn_repair_killed_at_${k}_rerun_exit_0" run_rc 0 A verify
	check "torn_repair_killed_at_${k}_chain" python3 audit_check.py ingested "$S" $NREL
	check "torn_repair_killed_at_${k}_bytes_kept" cmp frag "$(ls "$S"/audit.log.torn-* | head -n 1)"
	check "torn_repair_killed_at_${k}_list_equals_reindex" list_equals_reindex
done

# A whole line, missing only its newline: completed, nothing cut.
rm -rf "$S" && cp -a vpre "$S"
truncate -s -1 "$S/audit.log"
check torn_whole_verify_exit_0 run_rc 0 A verify
check torn_whole_says_completed has err "^archive: verify: $S/audit.log: repaired after an interrupted run: line $N was whole but for its newline, which was added\$"
check torn_whole_line_kept cmp -n "$(wc -c <vpre/audit.log)" vpre/audit.log "$S/audit.log"
check torn_whole_nothing_cut [ -z "$(ls "$S" | grep '^audit\.log\.torn-')" ]
check torn_whole_chain_intact has out "^$NREL verified: $NREL OK, 0 FAIL; audit log: $((N + 1 + NREL)) lines, chain intact\$"
check torn_whole_chain python3 audit_check.py verified "$S" $NREL
check torn_whole_repair_recorded python3 -c "
import json
e = json.loads(open('$S/audit.log').read().split('\n')[$N])
assert e['event'] == 'repair' and e['repair'] == 'newline added' and e['after_seq'] == $N - 1, e
"
check torn_whole_list_equals_reindex list_equals_reindex

# reindex (which rebuilds the catalog from the log) repairs it the same way
# and says so; the catalog is then what a second reindex makes.
rm -rf "$S" && cp -a vpre "$S" && cp torn.log "$S/audit.log"
check torn_reindex_exit_0 run_rc 0 A reindex
check torn_reindex_says_repaired has err "^archive: reindex: $S/audit.log: repaired after an interrupted run: a torn line of 40 bytes"
check torn_reindex_chain python3 audit_check.py ingested "$S" $NREL
check torn_reindex_list_equals_reindex list_equals_reindex
