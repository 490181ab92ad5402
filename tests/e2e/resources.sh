# End-to-end: when the machine says no. A full disk (`ulimit -f`: main()
# ignores SIGXFSZ, so writes fail with EFBIG), a store the user may not
# write, a store locked by another run, an input file nobody may read.
# Each gives a clear message, the exit code of SPEC ("Exit codes"), and
# leaves nothing half-written.
#
# CI runs as root, which ignores permissions: the unprivileged runs use
# setpriv(1) (util-linux) as nobody (65534), with a copy of the binary in
# the scratch folder so that its path is reachable whoever owns $TOP.
. "$TOP/tests/lib.sh"

A() { "$ARCHIVE" --store "$S" "$@"; }
say() { echo "$*" >&2; }

# A listing of every file of the store with size, mode and mtime, and the
# SHA-256 of audit.log and of each bundle: equal before and after means
# the store was not changed.
snapshot() {
	(cd "$S" && find . -printf '%p %s %m %T@\n' | sort &&
		find . -name '*.tar.gz' -o -name audit.log | sort | xargs -r sha256sum)
}
unchanged() { snapshot >snap.after; diff snap.before snap.after >&2; }
no_bundle_visible() { [ -z "$(find "$S/bundles" -type f 2>/dev/null)" ] || { find "$S/bundles" >&2; return 1; }; }
tmp_empty() { [ -z "$(ls -A "$S/tmp" 2>/dev/null)" ] || { ls -lAR "$S/tmp" >&2; return 1; }; }

# -- disk full: ulimit -f ----------------------------------------------------
# 64 blocks (sh counts 512 bytes: 32 KiB) leaves room for the catalog's
# WAL index (-shm, 32 KiB) but not for a bundle holding a 200 KB annex.
mkdir big
cp -R "$FIXTURES/releases/msit-2024-05-10-ai-digital-diplomacy" big/
head -c 200000 /dev/urandom >big/msit-2024-05-10-ai-digital-diplomacy/annex.bin
cp -R big big.orig

S=$PWD/full
mkdir "$S"
check full_setup_reindex_makes_catalog run_rc 0 A reindex
check full_ingest_exit_3 run_rc 3 sh -c "ulimit -f 64; exec \"\$0\" --store '$S' ingest big" "$ARCHIVE"
check full_names_file_and_reason has err "^archive: ingest: .*/full/tmp/[^ ]*/bundle\.tar\.gz: write: (File too large|No space left on device)\$"
check full_no_bundle_visible no_bundle_visible
check full_tmp_cleaned_up tmp_empty
check full_no_audit_line [ ! -s "$S/audit.log" ]
check full_input_untouched diff -r big.orig big
check full_next_run_exit_0 run_rc 0 A ingest big
check full_next_run_archives has out '^1 release: 1 archived, 0 already archived, 0 quarantined$'
check full_next_run_tmp_empty tmp_empty
check full_next_run_verify_store run_rc 0 A verify
check full_next_run_one_bundle [ "$(find "$S/bundles" -name '*.tar.gz' | wc -l)" -eq 1 ]

# A new store under the same limit: the catalog cannot even be made.
S=$PWD/full2
cp -R "$FIXTURES/releases" rel
check full_new_store_exit_3 run_rc 3 sh -c "ulimit -f 64; exec \"\$0\" --store '$S' ingest rel" "$ARCHIVE"
check full_new_store_names_catalog has err "^archive: ingest: .*/full2/catalog\.sqlite: "
check full_new_store_no_bundle_visible no_bundle_visible
check full_new_store_next_run_exit_0 run_rc 0 A ingest rel
check full_new_store_next_run_archives has out '^3 releases: 3 archived, 0 already archived, 0 quarantined$'
check full_new_store_next_run_verify run_rc 0 A verify
check full_new_store_input_untouched diff -r "$FIXTURES/releases" rel

# -- as nobody -----------------------------------------------------------------
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
check setpriv_installed sh -c 'command -v setpriv >/dev/null'
chmod 755 "$PWD"
cp "$ARCHIVE" ./archive-bin && chmod 755 ./archive-bin
if [ -n "${LSAN_OPTIONS:-}" ]; then
	cp "$TOP/tests/lsan.supp" ./lsan.supp && chmod 644 ./lsan.supp
	LSAN_OPTIONS="suppressions=$PWD/lsan.supp:print_suppressions=0"
fi
N() { $NOBODY "$PWD/archive-bin" --store "$S" "$@"; }
check nobody_can_run_archive run_rc 0 N --version

# -- a store nobody may write ----------------------------------------------------
S=$PWD/ro
# retention --apply below disposes without review (the old schedule; the
# locked store is a copy).
mkdir -p "$S" && printf '[retention]\nstart = release-date\n[disposal]\nreview = none\n' > "$S/archive.conf"
check ro_setup_ingest_as_root run_rc 0 A ingest rel
ID=$(A list --json | python3 -c 'import json,sys; print([j for j in map(json.loads, sys.stdin) if "id" in j][0]["id"])')
BUNDLE=$(ls "$S"/bundles/*/"$ID".tar.gz)
check ro_store_mode_755 [ "$(stat -c %a "$S")" = 755 ]
snapshot >snap.before
check ro_ingest_exit_3 run_rc 3 N ingest rel
check ro_ingest_names_store_permission_denied has err "^archive: ingest: $S/[a-z]+: Permission denied\$"
check ro_retention_apply_exit_3 run_rc 3 N retention --apply --now 2100-01-01
check ro_retention_apply_permission_denied has err "$S/.*Permission denied"
check ro_hold_add_exit_3 run_rc 3 N hold add "$ID" --reason litigation
check ro_hold_add_permission_denied has err "$S/.*Permission denied"
check ro_reindex_exit_3 run_rc 3 N reindex
check ro_reindex_permission_denied has err "$S/.*Permission denied"
check ro_store_unchanged unchanged
# Reading needs no write access.
check ro_list_works run_rc 0 N list
check ro_list_lists_three has out '^3 bundles$'
check ro_show_works run_rc 0 N show "$ID"
check ro_retention_dry_run_works run_rc 0 N retention --now 2100-01-01
check ro_retention_dry_run_lists_three has out '^on 2100-01-01: 3 due, '
check ro_hold_list_works run_rc 0 N hold list
mkdir nbx && chown 65534:65534 nbx
check ro_extract_works run_rc 0 N extract "$ID" "$PWD/nbx/x"
check ro_verify_bundle_file_works run_rc 0 N verify "$BUNDLE"
check ro_store_unchanged_by_readers unchanged

# -- locked by another run ------------------------------------------------------
# The test holds STORE/lock as a concurrent run would (flock(1) on the
# same file); every mutating command must give up at once with 75.
S=$PWD/locked
cp -a ro "$S"
exec 9>>"$S/lock"
check lock_taken_by_test flock -n 9
snapshot >snap.before
for name in ingest retention_apply hold_add hold_remove reindex disposal_propose disposal_review \
	disposal_execute; do
	case $name in
	ingest) cmd="ingest rel" ;;
	retention_apply) cmd="retention --apply --now 2100-01-01" ;;
	hold_add) cmd="hold add $ID --reason audit" ;;
	hold_remove) cmd="hold remove $ID --reason done" ;;
	disposal_propose) cmd="disposal propose --now 2100-01-01" ;;
	disposal_review) cmd="disposal review 2100-01-01-1 --all --decision destroy --by x --reason y" ;;
	disposal_execute) cmd="disposal execute 2100-01-01-1" ;;
	reindex) cmd="reindex" ;;
	esac
	# timeout: a run that waited for the lock instead would fail with 124.
	# shellcheck disable=SC2086
	check "locked_${name}_exit_75" run_rc 75 timeout 20 "$ARCHIVE" --store "$S" $cmd
	check "locked_${name}_says_locked" has err "^archive: [a-z]+: $S: the store is locked by another run\$"
done
# Usage errors are found before the lock is tried (2, not 75), and a dry
# run takes no lock at all.
check locked_bad_date_is_usage_error run_rc 2 timeout 20 "$ARCHIVE" --store "$S" ingest --date 2024-13-01 rel
check locked_bad_date_message has err '^archive: ingest: --date 2024-13-01: not a date \(YYYY-MM-DD\)$'
check locked_bad_retention_is_usage_error run_rc 2 timeout 20 "$ARCHIVE" --store "$S" ingest --retention 3q rel
check locked_store_unchanged unchanged
# (after the snapshot: reading the catalog, as list does, touches SQLite's
# shared-memory index catalog.sqlite-shm)
check locked_dry_run_works run_rc 0 timeout 20 "$ARCHIVE" --store "$S" ingest --dry-run rel
check locked_list_works run_rc 0 A list
check locked_show_works run_rc 0 A show "$ID"
check locked_retention_dry_run_works run_rc 0 A retention --now 2100-01-01
check locked_hold_list_works run_rc 0 A hold list
check locked_extract_works run_rc 0 A extract "$ID" "$PWD/lx"
check locked_verify_bundle_file_works run_rc 0 A verify "$BUNDLE"
exec 9>&-
check unlocked_hold_add_works run_rc 0 A hold add "$ID" --reason audit
check unlocked_ingest_works run_rc 0 A ingest rel

# -- an input file nobody may read ------------------------------------------------
# A release whose attachment (mode 000) the user running ingest cannot
# read: that release is quarantined with input.file, the others archived.
mkdir nb && chown 65534:65534 nb
cp -R "$FIXTURES/releases" nb/rel
r=nb/rel/zz-unreadable
mkdir "$r"
cp "$FIXTURES/releases/en-2024-06-03-quantum-strategy/en-2024-06-03-quantum-strategy.txt" "$r/zz-unreadable.txt"
cp "$FIXTURES/releases/en-2024-06-03-quantum-strategy/en-2024-06-03-quantum-strategy.pdf" "$r/zz-unreadable.pdf"
echo "annex" >"$r/annex.hwp"
chmod 000 "$r/annex.hwp"
S=$PWD/nb/store
check unreadable_ingest_exit_1 run_rc 1 N ingest nb/rel
check unreadable_others_archived has out '^4 releases: 3 archived, 0 already archived, 1 quarantined$'
check unreadable_quarantined has out '^quarantined +nb/rel/zz-unreadable$'
check unreadable_reason_input_file python3 -c "
import json
j = json.load(open('$S/quarantine/zz-unreadable/reason.json'))
bad = [c for c in j['checks'] if c['id'] == 'input.file' and c['status'] == 'fail']
assert bad and bad[0]['message'] == 'annex.hwp: cannot be read: Permission denied' and bad[0]['file'] == 'annex.hwp', j['checks']
"
check unreadable_copy_keeps_the_rest test -f "$S/quarantine/zz-unreadable/release/zz-unreadable.pdf" -a \
	-f "$S/quarantine/zz-unreadable/release/zz-unreadable.txt"
check unreadable_audit_records_quarantine grep -q '"event":"quarantine","release":"nb/rel/zz-unreadable"' "$S/audit.log"
check unreadable_input_untouched [ "$(stat -c '%a %U' "$r/annex.hwp")" = "0 root" ]
check unreadable_tmp_empty tmp_empty
check unreadable_verify_store run_rc 0 A verify

# -- an input file that vanishes or changes mid-run ----------------------------
# ARCHIVE_TEST_INPUT (include/core/testhook.h) deletes one file and appends to
# another after they were hashed and read by the worker, just before the
# bundle is packed: what a user still copying files into the drop folder
# (or cleaning it up) does to a running ingest. Both releases go to
# quarantine with input.file naming the file; nothing half-written stays
# in the store; the third release is archived; the input is left as it was.
S=$PWD/mid
cp -R "$FIXTURES/releases" mid-rel
echo annex >mid-rel/en-2024-06-03-quantum-strategy/annex.hwp
cp -R mid-rel mid-rel.orig
check midrun_exit_1 run_rc 1 env \
	ARCHIVE_TEST_INPUT=vanish:annex.hwp,change:ko-2024-07-15-ai-semiconductor.pdf "$ARCHIVE" --store "$S" ingest mid-rel
check midrun_summary has out '^3 releases: 1 archived, 0 already archived, 2 quarantined$'
check midrun_vanished_named has out '^  error   input\.file: annex\.hwp: vanished while being archived$'
check midrun_changed_named has out '^  error   input\.file: ko-2024-07-15-ai-semiconductor\.pdf: changed while being archived \(size differs\)$'
check midrun_vanished_reason_json python3 -c "
import json
j = json.load(open('$S/quarantine/en-2024-06-03-quantum-strategy/reason.json'))
bad = [c for c in j['checks'] if c['id'] == 'input.file' and c['status'] == 'fail']
assert len(bad) == 1 and bad[0]['file'] == 'annex.hwp', j['checks']
assert not [c for c in j['checks'] if c['id'] == 'input.file' and c['status'] == 'pass'], j['checks']
"
check midrun_one_bundle [ "$(find "$S/bundles" -name '*.tar.gz' | wc -l)" -eq 1 ]
check midrun_tmp_empty tmp_empty
check midrun_quarantine_has_the_rest test -f "$S/quarantine/en-2024-06-03-quantum-strategy/release/en-2024-06-03-quantum-strategy.pdf"
check midrun_quarantine_has_changed_copy cmp mid-rel/ko-2024-07-15-ai-semiconductor/ko-2024-07-15-ai-semiconductor.pdf \
	"$S/quarantine/ko-2024-07-15-ai-semiconductor/release/ko-2024-07-15-ai-semiconductor.pdf"
# Only what the hook did differs from the original input.
rm mid-rel.orig/en-2024-06-03-quantum-strategy/annex.hwp
cp mid-rel/ko-2024-07-15-ai-semiconductor/ko-2024-07-15-ai-semiconductor.pdf mid-rel.orig/ko-2024-07-15-ai-semiconductor/
check midrun_input_otherwise_untouched diff -r mid-rel.orig mid-rel
check midrun_verify_store run_rc 0 A verify
# Put back, the next run archives them.
echo annex >mid-rel/en-2024-06-03-quantum-strategy/annex.hwp
check midrun_next_run_exit_0 run_rc 0 A ingest mid-rel
check midrun_next_run_archives has out '^3 releases: 2 archived, 1 already archived, 0 quarantined$'

# A file swapped for a FIFO after it was read must not hang the run in
# open(): refused as not a regular file, quarantined, the run goes on.
S=$PWD/fifo
cp -R "$FIXTURES/releases" fifo-rel
check fifo_swap_exit_1 run_rc 1 timeout 120 env ARCHIVE_TEST_INPUT=fifo:en-2024-06-03-quantum-strategy.pdf \
	"$ARCHIVE" --store "$S" ingest fifo-rel
check fifo_swap_summary has out '^3 releases: 2 archived, 0 already archived, 1 quarantined$'
check fifo_swap_named has out '^  error   input\.file: en-2024-06-03-quantum-strategy\.pdf: not a regular file$'
check fifo_swap_tmp_empty tmp_empty

# -- an extracted text larger than the parent reads --------------------------
# The parent has no limits: it reads at most 64 MiB of a worker's text
# (ARCHIVE_TEST_TEXT_MAX stands in for it here), fails pdf.text as a
# warning naming the sizes, and still keeps the whole text in the bundle.
S=$PWD/store-textmax
check text_past_the_bound_archived run_rc 0 env ARCHIVE_TEST_TEXT_MAX=200 "$ARCHIVE" --store "$S" \
	ingest --json "$FIXTURES/releases/msit-2024-05-10-ai-digital-diplomacy"
check text_past_the_bound_fails_pdf_text python3 - <<'PY'
import json, tarfile
line = json.loads(open('out').readline())
c = [c for c in line['checks'] if c['id'] == 'pdf.text'][0]
assert c['status'] == 'fail' and 'more than the 200 read' in c['message'], c
t = tarfile.open(line['bundle'])
text = [n for n in t.getnames() if n.endswith('.pdf.txt')][0]
assert t.getmember(text).size > 200, t.getmember(text).size  # kept whole
PY
