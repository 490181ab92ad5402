# End-to-end: disposal as the Public Records Management Act has it (SPEC,
# "Retention and disposal", "Holds"), with the real binary on the sample
# releases, in a store with the default rules: periods start on 1 January
# after the release date, and nothing is destroyed without a reviewed
# decision. Two releases of 2024 with 1y (due 2026-01-01), one
# semi-permanent (for evaluation on 2095-01-01).
. "$TOP/tests/lib.sh"

S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }
snap() { (cd "$1" && find . -type f ! -name lock ! -name 'catalog.sqlite*' -exec sha256sum {} + | sort -k2); }
catalog_dump() { python3 -c "
import sqlite3, sys
c = sqlite3.connect('file:$S/catalog.sqlite?mode=ro', uri=True)
for (t,) in c.execute(\"SELECT name FROM sqlite_master WHERE type='table' ORDER BY name\"):
    for r in sorted(repr(r) for r in c.execute('SELECT * FROM \"%s\"' % t)): print(t, r)"; }
fails() { ! "$@" >/dev/null 2>&1; }
events() { grep -c "\"event\":\"$1\"" "$S/audit.log"; }
ingest_one() {
	p=$1 d=$2; shift 2
	A ingest --json --retention "$p" "$@" "$d" | python3 -c "
import json,sys
L=[json.loads(l) for l in sys.stdin]
assert L[0]['status']=='archived', L[0]
print(L[0]['id'])"
}
# the batch id a propose printed ("batch ID: ...")
batch_of() { sed -n 's/^batch \([0-9-]*\): .*/\1/p' out; }
cp -R "$FIXTURES/releases" rel

ID1=$(ingest_one 1y rel/msit-2024-05-10-ai-digital-diplomacy)
ID2=$(ingest_one 1y rel/en-2024-06-03-quantum-strategy)
ID3=$(ingest_one semi-permanent rel/ko-2024-07-15-ai-semiconductor)
check setup_three_ids sh -c "[ -n '$ID1' ] && [ -n '$ID2' ] && [ -n '$ID3' ]"
B1=$S/bundles/2024/$ID1.tar.gz
SHA1=$(cut -c1-64 "$B1.sha256")

# -- what needs a decision ------------------------------------------------------
check retention_before_due_silent run_rc 0 A retention --now 2025-12-31
check retention_before_due_says_nothing sh -c '[ ! -s out ] && [ ! -s err ]'
snap "$S" >before
check propose_nothing_due_exit_0 run_rc 0 A disposal propose --now 2025-12-31
check propose_nothing_due_silent sh -c '[ ! -s out ] && [ ! -s err ]'
snap "$S" >after
check propose_nothing_due_changes_nothing cmp -s before after
check retention_lists_due run_rc 0 A retention --now 2026-01-01
check retention_due_line has out "^due       $ID1  \\(1y from 2025-01-01: disposal 2026-01-01\\)\$"
check retention_two_due sh -c "[ \$(grep -c '^due ' out) -eq 2 ]"
check retention_never_lists_semi_permanent_as_due sh -c "! grep -q '$ID3' out"
snap "$S" >after
check retention_list_changes_nothing cmp -s before after

# --apply: a usage error where review is required (the default), found
# before the store is locked or changed.
catalog_dump >cat.before
check apply_required_exit_2 run_rc 2 A retention --apply --now 2026-01-01
check apply_required_says_why has err "requires a reviewed decision.*review = required.*disposal propose"
catalog_dump >cat.after
snap "$S" >after
check apply_required_changes_nothing sh -c 'cmp -s cat.before cat.after && cmp -s before after'
check apply_required_even_when_locked run_rc 2 flock "$S/lock" "$ARCHIVE" --store "$S" retention --apply

# -- holds -------------------------------------------------------------------
check hold_add_needs_reason run_rc 2 A hold add "$ID2"
check hold_remove_needs_reason run_rc 2 A hold remove "$ID2"
check hold_extend_needs_until run_rc 2 A hold extend "$ID2"
check hold_until_must_be_a_date run_rc 2 A hold add "$ID2" --reason x --until 2030-02-30
check hold_until_must_be_later_than_today run_rc 2 A hold add "$ID2" --reason x --until 2020-01-01
cp "$S/audit.log" audit.before
check hold_add_all_or_nothing run_rc 1 A hold add "$ID2" 2024-01-01_nope_00000000 --reason "감사원 감사" --by 감사원
check hold_add_all_or_nothing_names_unknown has err "2024-01-01_nope_00000000: no such bundle"
check hold_add_all_or_nothing_added_none cmp -s audit.before "$S/audit.log"
check hold_add run_rc 0 A hold add "$ID2" --reason "감사원 감사 (2025-감사-17)" --by 감사원 --until 2030-01-01
check hold_twice_refused run_rc 1 A hold add "$ID2" --reason again
check hold_list_names_body run_rc 0 A hold list
check hold_list_line has out "^$ID2  since .* for 감사원, until 2030-01-01: 감사원 감사 \\(2025-감사-17\\)\$"

# -- propose -----------------------------------------------------------------
check propose_exit_0 run_rc 0 A disposal propose --now 2026-01-01
BATCH=$(batch_of)
check propose_names_batch [ "$BATCH" = 2026-01-01-1 ]
check propose_lists_item has out "^  $ID1  1y from 2025-01-01, disposal 2026-01-01\$"
check propose_lists_sha256_and_title has out "^      sha256 $SHA1  No Barriers Between Ministries"
check propose_leaves_held_out sh -c "! grep -q '$ID2' out"
check propose_one_proposal_line [ "$(events disposal-proposed)" -eq 1 ]
check propose_again_silent run_rc 0 A disposal propose --now 2026-01-02
check propose_again_makes_no_batch sh -c '[ ! -s out ] && [ ! -s err ]'
check propose_again_one_proposal_line [ "$(events disposal-proposed)" -eq 1 ]
check retention_lists_open_batch run_rc 0 A retention --now 2026-01-02
check retention_open_batch_line has out "^batch     $BATCH  \\(1 of 1 items undecided\\)\$"
check retention_no_due_in_batch sh -c "! grep -q '^due' out"
check show_names_open_batch run_rc 0 A show "$ID1"
check show_open_batch_line has out "^disposal batch $BATCH \\(open\\)\$"
check show_statutory_period_plain has out "^retention      1y from 2025-01-01 \\(disposal 2026-01-01\\)\$"

# -- review ------------------------------------------------------------------
check review_needs_by run_rc 2 A disposal review "$BATCH" --all --decision destroy --reason r
check review_needs_reason run_rc 2 A disposal review "$BATCH" --all --decision destroy --by x
check review_needs_decision run_rc 2 A disposal review "$BATCH" --all --by x --reason r
check review_bad_decision run_rc 2 A disposal review "$BATCH" --all --decision burn --by x --reason r
check review_bad_reset_period run_rc 2 A disposal review "$BATCH" --all --decision reset=10w --by x --reason r
check review_bad_defer_date run_rc 2 A disposal review "$BATCH" --all --decision defer=2026-13-01 --by x --reason r
check review_ids_or_all run_rc 2 A disposal review "$BATCH" "$ID1" --all --decision destroy --by x --reason r
check review_neither_ids_nor_all run_rc 2 A disposal review "$BATCH" --decision destroy --by x --reason r
cp "$S/audit.log" audit.before
check review_unknown_batch run_rc 1 A disposal review 2020-01-01-9 --all --decision destroy --by x --reason r
check review_unknown_batch_named has err "2020-01-01-9: no such disposal batch"
check review_not_in_batch run_rc 1 A disposal review "$BATCH" "$ID2" --decision destroy --by x --reason r
check review_not_in_batch_named has err "$ID2: not in batch $BATCH"
check review_reset_still_due run_rc 1 A disposal review "$BATCH" "$ID1" --decision reset=1y --by x --reason r
check review_reset_still_due_says_why has err "due again at once"
check review_defer_not_later run_rc 1 A disposal review "$BATCH" "$ID1" --decision defer=2025-12-31 --by x --reason r
check review_refusals_write_nothing cmp -s audit.before "$S/audit.log"
check execute_undecided_refused run_rc 1 A disposal execute "$BATCH"
check execute_undecided_says_why has err "1 of 1 items have no decision yet"
check review_destroy run_rc 0 A disposal review "$BATCH" --all --decision destroy \
	--by "김기록 (기록물관리 전문요원)" --reason -v --meeting "2026 제1차 기록물평가심의회"
check review_says_decided has out "^batch $BATCH: 1 item decided destroy by 김기록"
check review_recorded python3 -c "
import json, pwd, os
L = [json.loads(l) for l in open('$S/audit.log')]
d = [e for e in L if e['event'] == 'disposal-decision']
assert len(d) == 1, d
d = d[0]
assert d['id'] == '$ID1' and d['batch'] == '$BATCH' and d['decision'] == 'destroy', d
assert d['by'] == '김기록 (기록물관리 전문요원)' and d['reason'] == '-v', d
assert d['meeting'] == '2026 제1차 기록물평가심의회', d
assert d['user'] == pwd.getpwuid(os.getuid()).pw_name, d"
check review_decisions_are_final run_rc 1 A disposal review "$BATCH" "$ID1" --decision reset=30y --by x --reason r
check review_final_says_decided has err "$ID1: already decided in batch $BATCH: destroy by 김기록"

# -- execute: a hold placed since keeps the bundle, and is no failure ----------
check hold_after_decision run_rc 0 A hold add "$ID1" --reason "정보공개 청구 진행 중"
check execute_held_exit_0 run_rc 0 A disposal execute "$BATCH"
check execute_names_held has out "^kept-hold  $ID1: 정보공개 청구 진행 중\$"
check execute_held_bundle_kept [ -f "$B1" ]
cp "$S/audit.log" audit.before
check execute_twice_exit_0 run_rc 0 A disposal execute "$BATCH"
check execute_twice_says_executed has err "$BATCH: executed already, on [0-9T:Z-]+; its outcome:\$"
check execute_twice_reports_outcome has out "^kept-hold  $ID1: "
check execute_twice_writes_nothing cmp -s audit.before "$S/audit.log"
check batch_listed_executed run_rc 0 A disposal list
check batch_list_line has out "^$BATCH +executed +1 item, 1 decided; proposed "
check hold_remove run_rc 0 A hold remove "$ID1" --reason "청구 종결"
check hold_removed_recorded python3 -c "
import json
L = [json.loads(l) for l in open('$S/audit.log')]
r = [e for e in L if e['event'] == 'hold-removed']
assert len(r) == 1 and r[0]['reason'] == '청구 종결' and r[0]['hold_reason'] == '정보공개 청구 진행 중', r"

# -- execute: a changed bundle is kept, exit 1 ----------------------------------
check propose_after_hold_removed run_rc 0 A disposal propose --now 2026-02-01
B2=$(batch_of)
check second_batch_id [ "$B2" = 2026-02-01-1 ]
check review_second run_rc 0 A disposal review "$B2" "$ID1" --decision destroy --by 심의회 --reason "보존기간 경과"
cp "$B1" b1.orig
printf 'x' >>"$B1"
check execute_changed_exit_1 run_rc 1 A disposal execute "$B2"
check execute_changed_says_verify has err "$ID1: kept, not destroyed: its SHA-256 is now [0-9a-f]{64}, not the frozen $SHA1: verify it"
check execute_changed_kept [ -f "$B1" ]
cp b1.orig "$B1"

# -- execute: destroyed, with its record, for ever -------------------------------
check propose_third run_rc 0 A disposal propose --now 2026-03-01
B3=$(batch_of)
check review_third run_rc 0 A disposal review "$B3" --all --decision destroy --by 심의회 --reason "보존기간 경과" --meeting M-3
check execute_destroys run_rc 0 A disposal execute "$B3"
check execute_says_destroyed has out "^destroyed  $ID1\$"
check execute_bundle_and_sidecar_gone sh -c "[ ! -e '$B1' ] && [ ! -e '$B1.sha256' ]"
check show_destroyed_exit_0 run_rc 0 A show "$ID1"
check show_destroyed_status has out "^status         DESTROYED [0-9T:-]+Z by "
check show_destroyed_sha has out "^bundle sha256  $SHA1\$"
check show_destroyed_schedule has out "^retention      1y from 2025-01-01 \\(disposal 2026-01-01\\)\$"
check show_destroyed_batch has out "^batch          $B3\$"
check show_destroyed_decision has out "^decision       destroy by 심의회, meeting M-3 on "
check show_destroyed_reason has out "^reason         보존기간 경과\$"
check show_destroyed_json run_rc 0 A show "$ID1" --json
check show_destroyed_json_record python3 -c "
import json
L = [json.loads(l) for l in open('out')]
d = L[0]['disposal']
assert L[0]['destroyed'] is True and d['event'] == 'dispose', L[0]
assert d['bundle_sha256'] == '$SHA1' and d['batch'] == '$B3' and d['decided_by'] == '심의회', d
assert d['retention_start'] == '2025-01-01' and d['disposal_date'] == '2026-01-01', d"
check list_leaves_destroyed_out run_rc 0 A list
check list_without_destroyed sh -c "! grep -q '$ID1' out"
check list_all_includes_destroyed run_rc 0 A list --all
check list_all_destroyed_line has out "^$ID1  2024-05-10  DESTROYED .* in batch $B3\$"
check hold_on_destroyed_refused run_rc 1 A hold add "$ID1" --reason x
check hold_on_destroyed_says_destroyed has err "$ID1: destroyed on "

# -- reset and defer ------------------------------------------------------------
check hold2_remove run_rc 0 A hold remove "$ID2" --reason "감사 종결"
check propose_fourth run_rc 0 A disposal propose --now 2026-06-01
B4=$(batch_of)
check review_reset run_rc 0 A disposal review "$B4" "$ID2" --decision reset=2y --by 심의회 --reason "재책정"
check show_reset_schedule run_rc 0 A show "$ID2"
check show_reset_dates has out "^retention      2y from 2025-01-01 \\(disposal 2027-01-01\\); not a statutory period\$"
check execute_reset run_rc 0 A disposal execute "$B4"
check execute_reset_outcome has out "^reset      $ID2\$"
check reset_not_due_before run_rc 0 A retention --now 2026-12-31
check reset_not_due_before_silent sh -c '[ ! -s out ]'
check propose_fifth run_rc 0 A disposal propose --now 2027-01-01
B5=$(batch_of)
check review_defer run_rc 0 A disposal review "$B5" --all --decision defer=2028-06-30 --by 심의회 --reason "보류"
check execute_defer run_rc 0 A disposal execute "$B5"
check execute_defer_outcome has out "^deferred   $ID2\$"
check defer_dates run_rc 0 A show "$ID2"
check defer_dates_line has out "^retention      2y from 2025-01-01 \\(disposal 2028-06-30\\); not a statutory period\$"
check deferred_not_due_before run_rc 0 A retention --now 2028-06-29
check deferred_not_due_before_silent sh -c '[ ! -s out ]'
check deferred_due_on_its_day run_rc 0 A retention --now 2028-06-30
check deferred_due_line has out "^due       $ID2  \\(2y from 2025-01-01: disposal 2028-06-30\\)\$"

# -- semi-permanent: evaluated after 70 years, never proposed -------------------
check evaluation_not_before run_rc 0 A retention --now 2094-12-31 --json
check evaluation_not_before_count python3 -c "
import json
L = [json.loads(l) for l in open('out')]
assert L[-1]['summary'] and L[-1]['evaluate'] == 0, L[-1]"
check evaluation_listed run_rc 0 A retention --now 2095-01-01
check evaluation_line has out "^evaluate  $ID3  \\(semi-permanent from 2025-01-01: for evaluation since 2095-01-01\\)\$"
check propose_2095 run_rc 0 A disposal propose --now 2095-01-01
check propose_never_semi_permanent sh -c "! grep -q '$ID3' out"

# -- holds past their end --------------------------------------------------------
check hold3_add run_rc 0 A hold add "$ID3" --reason "수사 협조" --by 검찰 --until 2030-01-01
check ended_hold_listed run_rc 0 A retention --now 2030-01-02
check ended_hold_line has out "^hold      $ID3  \\(ended 2030-01-01, by 검찰: 수사 협조; in force until removed\\)\$"
check extend_not_later run_rc 1 A hold extend "$ID3" --until 2029-12-31
check extend_not_later_says_why has err "an extension must end later than that"
check extend run_rc 0 A hold extend "$ID3" --until 2031-01-01
check extended_not_listed run_rc 0 A retention --now 2030-01-02
check extended_no_hold_line sh -c "! grep -q '^hold' out"
check hold_events_recorded sh -c "[ $(events hold) -ge 3 ] && [ \$(grep -c '\"event\":\"hold-extended\"' '$S/audit.log') -eq 1 ]"

# -- the locked store: 75, nothing changed ---------------------------------------
snap "$S" >before
check propose_locked_exit_75 run_rc 75 flock "$S/lock" "$ARCHIVE" --store "$S" disposal propose --now 2100-01-01
check review_locked_exit_75 run_rc 75 flock "$S/lock" "$ARCHIVE" --store "$S" disposal review 2095-01-01-1 --all --decision destroy --by x --reason r
check execute_locked_exit_75 run_rc 75 flock "$S/lock" "$ARCHIVE" --store "$S" disposal execute 2095-01-01-1
check hold_locked_exit_75 run_rc 75 flock "$S/lock" "$ARCHIVE" --store "$S" hold remove "$ID3" --reason x
snap "$S" >after
check locked_changes_nothing cmp -s before after

# -- the audit log holds it all; reindex gives the same answers ------------------
check every_step_an_event sh -c "[ $(events disposal-proposed) -eq 6 ] && [ $(events disposal-execute) -eq 5 ] && [ $(events disposal-executed) -eq 5 ] && [ $(events dispose) -eq 1 ] && [ $(events disposal-kept) -eq 2 ]"
answers() {
	for q in "list --all --json" "disposal list --json" "hold list --json" "retention --now 2095-01-02 --json" \
		"show $ID1 --json" "show $ID2 --json" "disposal show $B3 --json" "disposal show $B5 --json"; do
		A $q
	done
}
answers >answers.before
catalog_dump >cat.before
check reindex_runs run_rc 0 A reindex
answers >answers.after
catalog_dump >cat.after
check reindex_same_answers cmp answers.before answers.after
check reindex_same_catalog cmp cat.before cat.after
check verify_after_disposals run_rc 0 A verify

# -- review = none: the one-step run for stores outside the law ------------------
N=$PWD/none
mkdir -p "$N" && printf '[disposal]\nreview = none\n' >"$N/archive.conf"
check none_ingest run_rc 0 "$ARCHIVE" --store "$N" ingest --retention 1y rel
check none_apply_nothing_due run_rc 0 "$ARCHIVE" --store "$N" retention --apply --now 2025-12-31
check none_apply_nothing_due_silent sh -c '[ ! -s out ] && [ ! -s err ]'
check none_apply run_rc 0 "$ARCHIVE" --store "$N" retention --apply --now 2026-01-01
check none_apply_destroyed_three sh -c "[ \$(grep -c '^destroyed ' out) -eq 3 ] && [ -z \"\$(ls '$N'/bundles/2024/)\" ]"
check none_apply_recorded python3 -c "
import json, pwd, os
L = [json.loads(l) for l in open('$N/audit.log')]
d = [e for e in L if e['event'] == 'dispose']
assert len(d) == 3 and all(e['batch'] == '2026-01-01-1' and e['decision'] == 'destroy' for e in d), d
assert all(e['decided_by'] == pwd.getpwuid(os.getuid()).pw_name for e in d), d
assert all('review = none' in e['reason'] for e in d), d"
printf '[disposal]\nreview = maybe\n' >"$N/archive.conf"
check bad_review_value_exit_3 run_rc 3 "$ARCHIVE" --store "$N" retention --apply
check bad_review_value_named has err "archive.conf: \\[disposal\\] review = maybe: say required or none"

# -- a proposal too big for one log entry makes several batches ---------------
# (ARCHIVE_TEST_LINE_MAX lowers the 60000 bytes of a proposal line.)
M=$PWD/many
mkdir -p "$M"
check many_ingest run_rc 0 "$ARCHIVE" --store "$M" ingest --retention 1y rel
check many_propose run_rc 0 env ARCHIVE_TEST_LINE_MAX=400 "$ARCHIVE" --store "$M" disposal propose --now 2026-01-01
check many_three_batches sh -c "[ \$(grep -c '^batch 2026-01-01-[123]: 1 bundle due on 2026-01-01, frozen for review\$' out) -eq 3 ]"
check many_each_bundle_once python3 -c "
import json
L = [json.loads(l) for l in open('$M/audit.log')]
p = [e for e in L if e['event'] == 'disposal-proposed']
ids = [i['id'] for e in p for i in e['items']]
assert len(p) == 3 and len(ids) == 3 and len(set(ids)) == 3, p
assert all(len(l.encode()) <= 400 + 400 for l in open('$M/audit.log') if 'disposal-proposed' in l)"
check many_propose_one_batch_by_default run_rc 0 "$ARCHIVE" --store "$M" disposal list
check many_listed sh -c "[ \$(grep -c ' open ' out) -eq 3 ]"
