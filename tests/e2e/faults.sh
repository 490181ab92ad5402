# End-to-end: I/O faults beyond SIGKILL. tests/shim/fault.c, preloaded,
# makes the Nth write, fsync, rename or read on a file of the store fail
# with EIO or ENOSPC (a failing or a full disk). For points across ingest,
# the verifications verify records, a disposal and a crash recovery, the
# faulty run must either
#   - stop with exit 3 and a message naming the system's reason, or
#   - absorb the fault (SQLite's own retries, a copy made again) and give
#     exactly what a run without it gives;
# and in both cases: no partial bundle visible, the input untouched,
# nothing deleted without its record, and the next run, without the fault,
# finishes the job with a store that verifies.
#
# A clean run with ARCHIVE_FAULT_LOG lists the points; up to FAULT_POINTS
# of them (default 6, spread from first to last) are tried for each kind
# of fault, every one with ARCHIVE_TEST_FAULT_FULL=1.
. "$TOP/tests/lib.sh"

SHIM=$(dirname "$ARCHIVE")/libfault.so
check fault_shim_built test -f "$SHIM"
# ASan wants its runtime first among the libraries; the shim goes before.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
cp -R "$FIXTURES/releases" rel
NREL=3
KINDS="write:EIO write:ENOSPC fsync:EIO fsync:ENOSPC rename:EIO read:EIO"
say() { echo "$*" >&2; }

# faulty SPEC CMD...: run CMD with the fault SPEC (op:N:ERRNO, or "" for
# none) on the store $S; stdout, stderr and status in out, err, rc.
faulty() {
	_spec=$1
	shift
	LD_PRELOAD=$SHIM ARCHIVE_FAULT_DIR=$S ARCHIVE_FAULT=$_spec "$@" >out 2>err
	echo $? >rc
}

# points OP LOG: the numbers of the points of OP to try.
points() {
	_n=$(grep -c " $1 " "$2")
	_k=${FAULT_POINTS:-6}
	[ "${ARCHIVE_TEST_FAULT_FULL:-0}" = 1 ] && _k=$_n
	[ "$_n" -gt 0 ] || return 0
	awk -v n="$_n" -v k="$_k" 'BEGIN {
		if (k >= n) { for (i = 1; i <= n; i++) print i; exit }
		for (i = 0; i < k; i++) print 1 + int(i * (n - 1) / (k - 1)) }' | uniq
}

# judge WANT_OUT: exit 3 with the errno's words on stderr, or exit 0 with
# the output of a run without the fault (times and paths of tmp aside).
judge() {
	python3 - "$1" "$2" <<'PY' >&2
import json, re, sys
want, err_name = sys.argv[1], sys.argv[2]
rc = int(open('rc').read())
# The system's words, or SQLite's for its own files (a read it could not
# make it may call a malformed page).
words = {'EIO': 'Input/output error|disk I/O error|database disk image is malformed',
         'ENOSPC': 'No space left on device|database or disk is full|disk I/O error'}[err_name]
err = open('err').read()
if rc == 3:
    assert re.search(r'^archive: [a-z]+: .*(' + words + ')', err, re.M), err
    sys.exit(0)
def norm(text):
    text = re.sub(r'"(time|ingested_at|last_verified|bagging_date|decided_at)":"[^"]*"', '', text)
    return re.sub(r'run-[A-Za-z0-9]{6}', 'run-X', text)
assert rc == 0, 'exit %d, want 3 (or 0 with the fault absorbed):\n%s' % (rc, err)
got, exp = norm(open('out').read()), norm(open(want).read())
assert got == exp, 'exit 0 but output differs from a run without the fault:\n%s\n---\n%s' % (got, exp)
PY
}

no_partial_bundle() {
	set -- "$S"/bundles/*/*.tar.gz
	[ -e "$1" ] || return 0
	for b in "$@"; do
		(cd "$(dirname "$b")" && sha256sum -c --quiet "$(basename "$b").sha256") >&2 ||
			{ say "$b: its sidecar is missing or does not match"; return 1; }
	done
	"$ARCHIVE" verify "$@" >vout 2>&1 || { say "visible bundles do not verify:"; cat vout >&2; return 1; }
}
input_untouched() { (cd rel && find . -type f | sort | xargs sha256sum) | cmp -s - rel.sums; }
(cd rel && find . -type f | sort | xargs sha256sum) >rel.sums

# gone_with_record: every bundle ever ingested is on disk or has its
# dispose line; the audit chain is whole.
gone_with_record() {
	python3 - "$S" <<'PY' >&2
import glob, hashlib, json, os, sys
s = sys.argv[1]
prev, ev = '0' * 64, []
log = os.path.join(s, 'audit.log')
for raw in (open(log, 'rb').read().split(b'\n')[:-1] if os.path.exists(log) else []):
    e = json.loads(raw)
    assert e['prev'] == prev, 'audit chain broken at seq %s' % e['seq']
    prev = hashlib.sha256(raw).hexdigest()
    ev.append(e)
disk = {os.path.basename(p)[:-7] for p in glob.glob(os.path.join(s, 'bundles/*/*.tar.gz'))}
for i in {e['id'] for e in ev if e['event'] == 'ingest'}:
    assert i in disk or any(e['event'] == 'dispose' and e['id'] == i for e in ev), \
        '%s: gone without a dispose record' % i
PY
}

# after NAME SPEC: the common checks after a faulty run and the repairing run.
after() {
	check "${1}_judged" judge want "${2##*:}"
	check "${1}_no_partial_bundle" no_partial_bundle
	check "${1}_input_untouched" input_untouched
	check "${1}_nothing_lost" gone_with_record
}

# -- ingest ------------------------------------------------------------------
S=$PWD/store
rm -rf "$S"
faulty "" env ARCHIVE_FAULT_LOG="$PWD/ingest.log" "$ARCHIVE" --store "$S" ingest -j 1 --json rel
check fault_ingest_clean_run [ "$(cat rc)" -eq 0 ]
cp out want
for k in $KINDS; do
	op=${k%%:*} e=${k#*:}
	for n in $(points "$op" ingest.log); do
		rm -rf "$S"
		faulty "$op:$n:$e" "$ARCHIVE" --store "$S" ingest -j 1 --json rel
		after "fault_ingest_${op}_${n}_$e" "$op:$n:$e"
		check "fault_ingest_${op}_${n}_${e}_next_run" run_rc 0 "$ARCHIVE" --store "$S" ingest -j 1 rel
		check "fault_ingest_${op}_${n}_${e}_all_archived" has out "^$NREL releases: [0-9]+ archived, [0-9]+ already archived, 0 quarantined\$"
		check "fault_ingest_${op}_${n}_${e}_verifies" run_rc 0 "$ARCHIVE" --store "$S" verify
	done
done

# -- verify, which records each verification ----------------------------------
rm -rf "$S" base
# The disposal below runs retention --apply: without review (base's conf).
mkdir -p "$S" && printf '[retention]\nstart = release-date\n[disposal]\nreview = none\n' > "$S/archive.conf"
"$ARCHIVE" --store "$S" ingest -j 1 -q rel
cp -a "$S" base
faulty "" env ARCHIVE_FAULT_LOG="$PWD/verify.log" "$ARCHIVE" --store "$S" verify --json
check fault_verify_clean_run [ "$(cat rc)" -eq 0 ]
cp out want
for k in $KINDS; do
	op=${k%%:*} e=${k#*:}
	for n in $(points "$op" verify.log); do
		rm -rf "$S" && cp -a base "$S"
		faulty "$op:$n:$e" "$ARCHIVE" --store "$S" verify --json
		# A bundle that cannot be read is that bundle's failure (exit 1),
		# named with the reason; anything else of the store's stops the run.
		if [ "$op" = read ] && [ "$(cat rc)" -eq 1 ]; then
			check "fault_verify_${op}_${n}_${e}_names_bundle" has out 'Input/output error'
		else
			check "fault_verify_${op}_${n}_${e}_judged" judge want "$e"
		fi
		check "fault_verify_${op}_${n}_${e}_nothing_lost" gone_with_record
		check "fault_verify_${op}_${n}_${e}_next_run" run_rc 0 "$ARCHIVE" --store "$S" verify
	done
done

# -- a disposal (retention --apply: every bundle due) --------------------------
rm -rf "$S" && cp -a base "$S"
faulty "" env ARCHIVE_FAULT_LOG="$PWD/dispose.log" "$ARCHIVE" --store "$S" retention --apply --now 2100-01-01 --json
check fault_dispose_clean_run [ "$(cat rc)" -eq 0 ]
cp out want
for k in $KINDS; do
	op=${k%%:*} e=${k#*:}
	for n in $(points "$op" dispose.log); do
		rm -rf "$S" && cp -a base "$S"
		faulty "$op:$n:$e" "$ARCHIVE" --store "$S" retention --apply --now 2100-01-01 --json
		# A bundle that cannot be read is not destroyed unread: kept, named
		# with the reason, exit 1 (the next run destroys it).
		if [ "$op" = read ] && [ "$(cat rc)" -eq 1 ]; then
			check "fault_dispose_${op}_${n}_${e}_kept_unread" has err 'kept, not destroyed: .*: read: Input/output error: verify it$'
			check "fault_dispose_${op}_${n}_${e}_no_partial_bundle" no_partial_bundle
			check "fault_dispose_${op}_${n}_${e}_nothing_lost" gone_with_record
		else
			after "fault_dispose_${op}_${n}_$e" "$op:$n:$e"
		fi
		check "fault_dispose_${op}_${n}_${e}_next_run" run_rc 0 "$ARCHIVE" --store "$S" retention --apply --now 2100-01-01
		check "fault_dispose_${op}_${n}_${e}_all_gone" sh -c "! ls '$S'/bundles/*/*.tar.gz 2>/dev/null | grep -q ."
		check "fault_dispose_${op}_${n}_${e}_verifies" run_rc 0 "$ARCHIVE" --store "$S" verify
	done
done

# -- recovery after a crash ------------------------------------------------------
# A run killed after a bundle was linked but before it was recorded; the
# next run's recovery records it. retention --apply with nothing due
# (--now 2000-01-01) does nothing else, so its every point is recovery's.
crash_at=$(ARCHIVE_TEST_CRASH_LOG=$PWD/crash.points "$ARCHIVE" --store "$PWD/crash-count" ingest -j 1 -q rel/en-2024-06-03-quantum-strategy >/dev/null 2>&1;
	grep -n '^store.bundle_linked$' crash.points | head -1 | cut -d: -f1)
check fault_recovery_crash_point_found [ -n "$crash_at" ]
rm -rf crashed && mkdir crashed
printf '[retention]\nstart = release-date\n[disposal]\nreview = none\n' > crashed/archive.conf
ARCHIVE_TEST_CRASH_AT=$crash_at "$ARCHIVE" --store "$PWD/crashed" ingest -j 1 -q rel/en-2024-06-03-quantum-strategy >/dev/null 2>&1
check fault_recovery_killed sh -c "ls '$PWD'/crashed/bundles/*/*.tar.gz >/dev/null 2>&1 && ! grep -q '\"ingest\"' '$PWD/crashed/audit.log' 2>/dev/null"
S=$PWD/store
rm -rf "$S" && cp -a crashed "$S"
faulty "" env ARCHIVE_FAULT_LOG="$PWD/recovery.log" "$ARCHIVE" --store "$S" retention --apply --now 2000-01-01 --json
check fault_recovery_clean_run [ "$(cat rc)" -eq 0 ]
check fault_recovery_clean_run_repaired has err 'repaired after an interrupted run: 1 bundle recorded'
cp out want
for k in $KINDS; do
	op=${k%%:*} e=${k#*:}
	for n in $(points "$op" recovery.log); do
		rm -rf "$S" && cp -a crashed "$S"
		faulty "$op:$n:$e" "$ARCHIVE" --store "$S" retention --apply --now 2000-01-01 --json
		check "fault_recovery_${op}_${n}_${e}_judged" judge want "$e"
		check "fault_recovery_${op}_${n}_${e}_no_partial_bundle" no_partial_bundle
		check "fault_recovery_${op}_${n}_${e}_next_run" run_rc 0 "$ARCHIVE" --store "$S" ingest -j 1 rel/en-2024-06-03-quantum-strategy
		check "fault_recovery_${op}_${n}_${e}_recorded_once" sh -c "[ \$(grep -c '\"event\":\"ingest\"' '$S/audit.log') -eq 1 ]"
		check "fault_recovery_${op}_${n}_${e}_verifies" run_rc 0 "$ARCHIVE" --store "$S" verify
	done
done
