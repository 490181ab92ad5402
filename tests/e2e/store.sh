# End-to-end: the store commands (list, show, extract, hold, retention,
# reindex) on a store of the three sample releases, each ingested with its
# own retention period: 1y (due 2025-05-10), 10y (due 2034-06-03) and
# permanent. Then the audit chain, forty years of nightly cron runs, and
# the cron and systemd files in scripts/cron/.
. "$TOP/tests/lib.sh"

S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }
cp -R "$FIXTURES/releases" rel
# The dates below count from the release date (the old start rule), and
# retention --apply disposes without review; the cron store is a copy.
mkdir -p "$S" && printf '[retention]\nstart = release-date\n[disposal]\nreview = none\n' > "$S/archive.conf"

# snap DIR: one line per file under DIR (path, size, sha256), for "nothing
# changed" checks.
snap() { (cd "$1" && find . -type f ! -name lock -exec sha256sum {} + | sort -k2); }
# fails CMD...: CMD exits non-zero (its output dropped).
fails() { ! "$@" >/dev/null 2>&1; }
# audit_events FILE EVENT: how many lines of the audit log are that event.
audit_events() { grep -c "\"event\":\"$2\"" "$1"; }
# ingest_one PERIOD DIR [more ingest options]: ingest one release, print its id.
ingest_one() {
	p=$1 d=$2; shift 2
	A ingest --json --retention "$p" "$@" "$d" | python3 -c "
import json,sys
L=[json.loads(l) for l in sys.stdin]
assert L[0]['status']=='archived', L[0]
print(L[0]['id'])"
}

ID1=$(ingest_one 1y rel/msit-2024-05-10-ai-digital-diplomacy)
ID10=$(ingest_one 10y rel/en-2024-06-03-quantum-strategy)
IDP=$(ingest_one permanent rel/ko-2024-07-15-ai-semiconductor)
check ingest_three_ids sh -c "[ -n '$ID1' ] && [ -n '$ID10' ] && [ -n '$IDP' ]"
B1=$S/bundles/2024/$ID1.tar.gz
B10=$S/bundles/2024/$ID10.tar.gz
BP=$S/bundles/2024/$IDP.tar.gz
SHA1=$(sha256sum "$B1" | cut -c1-64)
cp -a "$S" pristine # for the cron simulation

# -- list --------------------------------------------------------------------
check list_exit_0 run_rc 0 A list
check list_1y_line has out "^$ID1 +2024-05-10 +KOGL-Type-1 +2025-05-10 +warn\$"
check list_10y_line has out "^$ID10 +2024-06-03 +KOGL-Type-1 +2034-06-03 +pass\$"
check list_permanent_line has out "^$IDP +2024-07-15 +KOGL-Type-1 +permanent +pass\$"
check list_summary has out '^3 bundles$'
check list_one_line_per_bundle [ "$(wc -l < out)" -eq 4 ]
check list_columns_aligned sh -c "head -3 out | awk '{ print index(\$0, \"  2024-\") }' | sort -u | wc -l | grep -qx 1"
check list_json_exit_0 run_rc 0 A list --json
check list_json_lines python3 -c "
import json
L=[json.loads(l) for l in open('out')]
assert L[-1]=={'summary':True,'bundles':3}, L[-1]
B={b['id']:b for b in L[:-1]}
assert len(L)==4 and sorted(B)==sorted(['$ID1','$ID10','$IDP']), L
b=B['$ID1']
assert (b['release_date'],b['license'],b['retention'],b['disposal_date'],b['check_status'],b['held'])==('2024-05-10','KOGL-Type-1','1y','2025-05-10','warn',False), b
assert b['bundle_sha256']=='$SHA1' and b['title']=='No Barriers Between Ministries in AI and Digital Diplomacy', b
assert B['$IDP']['disposal_date']=='permanent' and B['$IDP']['retention']=='permanent'
assert not any('summary' in x for x in L[:-1])
"
check list_bad_option_exit_2 run_rc 2 A list --bogus

# -- show --------------------------------------------------------------------
mkdir un && tar xzf "$B1" -C un
check show_exit_0 run_rc 0 A show "$ID1"
cp out show1
check show_fields python3 -c "
import re
t=open('show1').read()
for want in [r'^id +$ID1$', r'^title +No Barriers Between Ministries in AI and Digital Diplomacy$',
             r'^release date +2024-05-10$', r'^licence +KOGL-Type-1$',
             r'^retention +1y from 2024-05-10 \(disposal 2025-05-10\)$', r'^check status +warn$',
             r'^sha256 +$SHA1$', r'^hold +none$']:
    assert re.search(want, t, re.M), want
"
# Every check of release.json, with its status and level; every payload file
# with its size; the ingest event.
check show_checks_files_events python3 -c "
import json,os,re
t=open('show1').read()
sec={}
cur=None
for l in t.split('\n'):
    if l in ('checks','files','events'): cur=l; sec[cur]=[]; continue
    if cur and l.startswith('  '): sec[cur].append(l.split())
j=json.load(open('un/$ID1/metadata/release.json'))
got=[(x[2],x[0],x[1]) for x in sec['checks']]
want=[(c['id'],c['status'],c['level']) for c in j['checks']]
assert got==want and len(want)>=10, (got,want)
root='un/$ID1'
files={os.path.relpath(os.path.join(d,f),root):os.path.getsize(os.path.join(d,f))
       for d,_,fs in os.walk(root+'/data') for f in fs}
got={x[-1]:int(x[0]) for x in sec['files']}
assert got==files, (got,files)
assert len(sec['events'])==1 and sec['events'][0][1]=='ingest', sec['events']
"
check show_json_exit_0 run_rc 0 A show "$ID1" --json
check show_json python3 -c "
import json
L=open('out').read().splitlines()
assert len(L)==2 and json.loads(L[1])=={'summary':True,'bundles':1}, L
j=json.loads(L[0])
assert j['release']==json.load(open('un/$ID1/metadata/release.json'))
ev=j['events']
assert [e['event'] for e in ev]==['ingest'] and ev[0]['id']=='$ID1' and ev[0]['bundle_sha256']=='$SHA1', ev
assert j['id']=='$ID1' and j['disposal_date']=='2025-05-10' and j['held'] is False
"
check show_unknown_exit_1 run_rc 1 A show 2024-01-01_nosuch_00000000
check show_unknown_named has err '2024-01-01_nosuch_00000000: no such bundle'
check show_unknown_nothing_on_stdout [ ! -s out ]
check show_no_id_exit_2 run_rc 2 A show
check show_two_ids_exit_2 run_rc 2 A show "$ID1" "$ID10"

# -- extract -----------------------------------------------------------------
check extract_exit_0 run_rc 0 A extract "$ID1" dest
check extract_says_verified has out "^extracted $ID1 into dest/$ID1 \\(verified\\)\$"
check extract_same_as_tar diff -r "un/$ID1" "dest/$ID1"
snap dest > before
check extract_existing_exit_1 run_rc 1 A extract "$ID1" dest
check extract_existing_named has err "dest/$ID1: already exists"
snap dest > after
check extract_existing_nothing_changed cmp before after
check extract_unknown_exit_1 run_rc 1 A extract 2024-01-01_nosuch_00000000 dest2
check extract_unknown_named has err '2024-01-01_nosuch_00000000: no such bundle'
check extract_unknown_writes_nothing test ! -e dest2/2024-01-01_nosuch_00000000
check extract_one_arg_exit_2 run_rc 2 A extract "$ID1"
# DEST as users give it: absolute, or climbing up with "..". Only the
# bundle's entries are held to "no ..".
mkdir -p unp sub real && ln -s ../real sub/lnk && tar xzf "$BP" -C unp
check extract_absolute_dest_exit_0 run_rc 0 A extract "$IDP" "$PWD/abs"
check extract_absolute_dest_same diff -r "unp/$IDP" "abs/$IDP"
check extract_dotdot_dest_exit_0 run_rc 0 sh -c "cd sub && \"\$0\" --store '$S' extract '$IDP' ../dd" "$ARCHIVE"
check extract_dotdot_dest_same diff -r "unp/$IDP" "dd/$IDP"
# A DEST under a symlinked directory is refused (the writer will not write
# through a link), cleanly: a message naming a path, nothing unpacked.
check extract_symlinked_dest_refused fails A extract "$IDP" sub/lnk/x
A extract "$IDP" sub/lnk/x >out 2>err
check extract_symlinked_dest_message has err "^archive: extract: [^ :][^:]*: .*sub/lnk/x/$IDP"
check extract_symlinked_dest_nothing_unpacked test ! -e "real/x/$IDP"

# A hostile bundle in the store's place (the catalog still points to it):
# real entries first, then an entry climbing out of DEST and a symlink.
# DEST is h/dest, so ID/../../escape.txt would land in h/.
# hostile OUT [escape] [link]
hostile() {
	python3 - "$B1" "$ID1" "$@" <<'EOF'
import io, sys, tarfile
src, top, out, kinds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
with tarfile.open(src) as i, tarfile.open(out, 'w:gz', format=tarfile.PAX_FORMAT) as o:
    for m in i.getmembers():
        o.addfile(m, i.extractfile(m) if m.isfile() else None)
        if m.name != top + '/manifest-sha256.txt':
            continue
        for k in kinds:
            if k == 'escape':
                data = b'escaped\n'
                t = tarfile.TarInfo(top + '/../../escape.txt'); t.size = len(data)
                o.addfile(t, io.BytesIO(data))
            elif k == 'link':
                t = tarfile.TarInfo(top + '/data/link'); t.type = tarfile.SYMTYPE
                t.linkname = '/etc/passwd'; o.addfile(t)
EOF
}
cp "$B1" b1.orig
hostile both.tar.gz escape link
hostile link.tar.gz link
mkdir -p h/dest && echo keep > h/dest/keep.txt
for k in both link; do
	cp "$k.tar.gz" "$B1"
	{ snap h; snap "$S"; } > before
	check "extract_hostile_${k}_exit_1" run_rc 1 A extract "$ID1" h/dest
	{ snap h; snap "$S"; } > after
	check "extract_hostile_${k}_nothing_written" cmp before after
	check "extract_hostile_${k}_no_partial_bag" test ! -e "h/dest/$ID1"
	check "extract_hostile_${k}_dest_kept" sh -c "[ \"\$(ls -A h/dest)\" = keep.txt ] && grep -qx keep h/dest/keep.txt"
	check "extract_hostile_${k}_no_escape" sh -c "! find '$PWD' -name escape.txt | grep -q ."
	check "extract_hostile_${k}_no_link" sh -c "! find h -type l | grep -q ."
done
cp both.tar.gz "$B1"
A extract "$ID1" h/dest >out 2>err
check extract_hostile_names_escape_entry has err "entry $ID1/\\.\\./\\.\\./escape\\.txt .*refused"
cp link.tar.gz "$B1"
A extract "$ID1" h/dest >out 2>err
check extract_hostile_names_link_entry has err "entry $ID1/data/link .*link.*refused"
cp b1.orig "$B1"
check extract_after_restore_exit_0 run_rc 0 A extract "$ID1" h/dest

# -- hold --------------------------------------------------------------------
REASON='FOI request 2025-17 from Kim, legal team'
cp "$S/audit.log" audit.before
check hold_add_exit_0 run_rc 0 A hold add "$ID10" --reason "$REASON"
check hold_add_says_held has out "^held +$ID10\$"
check hold_add_audit_line python3 -c "
import json
L=open('$S/audit.log').read().splitlines()
assert len(L)==len(open('audit.before').read().splitlines())+1
e=json.loads(L[-1])
assert e['event']=='hold' and e['id']=='$ID10' and e['reason']=='''$REASON''' and e['user'], e
"
check hold_list_exit_0 run_rc 0 A hold list
check hold_list_names_it has out "^$ID10 .*: $REASON\$"
check hold_list_count has out '^1 hold$'
check hold_list_json_exit_0 run_rc 0 A hold list --json
check hold_list_json python3 -c "
import json
L=[json.loads(l) for l in open('out')]
assert L[-1]=={'summary':True,'holds':1} and L[0]['id']=='$ID10' and L[0]['reason']=='''$REASON''', L
"
# A catalog read cut short (SQLITE_BUSY from the Nth step of each query
# on: the test build's hook) is exit 3 with SQLite's reason, never a
# shorter list, show or hold list that passes for the whole.
busy() { n=$1; shift; env ARCHIVE_TEST_CATALOG_BUSY=$n "$ARCHIVE" --store "$S" "$@"; }
check busy_hold_list_exit_3 run_rc 3 busy 1 hold list
check busy_hold_list_says_why has err '^archive: hold: .*catalog\.sqlite: read: database is locked$'
check busy_hold_list_no_partial_count sh -c "! grep -q 'hold' out"
check busy_list_exit_3 run_rc 3 busy 2 list
check busy_list_says_why has err 'catalog\.sqlite: read: database is locked$'
# show reads the bundle (a row and the end: 2 steps), its release.json (1),
# then its events, checks and files: from the 3rd step on, those fail.
check busy_show_exit_3 run_rc 3 busy 3 show "$ID10"
check busy_show_says_why has err '^archive: show: .*catalog\.sqlite: read: database is locked$'
check busy_show_prints_nothing [ ! -s out ]
check busy_show_json_exit_3 run_rc 3 busy 3 show "$ID10" --json
check busy_show_json_prints_nothing [ ! -s out ]
A list >out 2>err
check list_shows_hold has out "^$ID10 .* HOLD\$"
check list_hold_only_held sh -c "[ \$(grep -c 'HOLD\$' out) -eq 1 ]"
A show "$ID10" >out 2>err
check show_hold_reason has out "^hold +$REASON\$"
check show_hold_event has out '^  [0-9T:Z-]+ +hold +'
A show "$ID10" --json >out 2>err
check show_json_hold python3 -c "
import json
j=json.loads(open('out').read().splitlines()[0])
assert j['held'] is True and j['hold_reason']=='''$REASON''', j
assert [e['event'] for e in j['events']]==['ingest','hold'] and j['events'][1]['reason']=='''$REASON'''
"
cp "$S/audit.log" audit.before
check hold_remove_not_held_exit_1 run_rc 1 A hold remove "$ID1" --reason x
check hold_remove_not_held_named has err "$ID1: .*not on hold"
check hold_add_no_reason_exit_2 run_rc 2 A hold add "$ID1"
check hold_add_no_reason_says has err 'reason'
check hold_add_empty_reason_exit_2 run_rc 2 A hold add "$ID1" --reason ''
check hold_add_unknown_exit_1 run_rc 1 A hold add 2024-01-01_nosuch_00000000 --reason x
check hold_add_unknown_named has err '2024-01-01_nosuch_00000000: no such bundle'
check hold_remove_unknown_exit_1 run_rc 1 A hold remove 2024-01-01_nosuch_00000000 --reason x
check hold_no_verb_exit_2 run_rc 2 A hold
check hold_add_twice_exit_1 run_rc 1 A hold add "$ID10" --reason 'second reason'
check hold_add_twice_names_first has err "$ID10: already on hold \\($REASON\\)"
A hold list >out 2>err
check hold_add_twice_keeps_first has out ": $REASON\$"
check hold_refusals_leave_audit_alone cmp audit.before "$S/audit.log"
# A hold added and removed: both recorded, the bundle free again.
check hold_add_permanent_exit_0 run_rc 0 A hold add "$IDP" --reason 'inventory check'
check hold_remove_exit_0 run_rc 0 A hold remove "$IDP" --reason "inventory done"
check hold_remove_says_released has out "^released $IDP\$"
check hold_removed_audit_line python3 -c "
import json
e=json.loads(open('$S/audit.log').read().splitlines()[-1])
assert e['event']=='hold-removed' and e['id']=='$IDP' and e['user'], e
assert e['reason']=='inventory done' and e['hold_reason']=='inventory check', e
"
A list >out 2>err
check hold_removed_not_in_list sh -c "! grep -q '^$IDP .*HOLD' out"

# -- retention ----------------------------------------------------------------
snap "$S" > store.before
check retention_before_due_exit_0 run_rc 0 A retention --now 2025-05-09
check retention_before_due_silent sh -c '[ ! -s out ] && [ ! -s err ]'
check retention_due_dry_exit_0 run_rc 0 A retention --now 2025-05-10
check retention_due_dry_lists_it has out "^due +$ID1 +\\(1y from 2024-05-10: disposal 2025-05-10\\)\$"
check retention_due_dry_only_it sh -c "[ \$(grep -c '^due ' out) -eq 1 ]"
check retention_due_dry_json_exit_0 run_rc 0 A retention --now 2025-05-10 --json
check retention_due_dry_json python3 -c "
import json
L=[json.loads(l) for l in open('out')]
assert L[-1]['summary'] is True and L[-1]['due']==1 and L[-1]['evaluate']==0, L
assert L[0]['id']=='$ID1' and L[0]['kind']=='due' and L[0]['retention_start']=='2024-05-10', L[0]
"
snap "$S" > store.after
check retention_dry_run_changes_nothing cmp store.before store.after
check retention_bad_now_exit_2 run_rc 2 A retention --now 2025-02-30
# Far ahead: the held bundle is not listed (it needs no decision while held),
# the permanent one is due for evaluation, never for disposal.
check retention_far_future_dry_exit_0 run_rc 0 A retention --now 9999-12-31
check retention_permanent_not_due sh -c "! grep -q '^due .*$IDP' out"
check retention_permanent_for_evaluation has out "^evaluate  $IDP  \\(permanent from 2024-07-15: for evaluation since 2094-07-15\\)\$"
check retention_held_not_listed sh -c "! grep -q '$ID10' out"

check retention_apply_exit_0 run_rc 0 A retention --apply --now 2025-05-10
check retention_apply_says_destroyed has out "^destroyed +$ID1\$"
check retention_apply_bundle_gone sh -c "[ ! -e '$B1' ] && [ ! -e '$B1.sha256' ]"
check retention_apply_others_kept sh -c "[ -e '$B10' ] && [ -e '$B10.sha256' ] && [ -e '$BP' ] && [ -e '$BP.sha256' ]"
check retention_apply_one_record [ "$(audit_events "$S/audit.log" dispose)" -eq 1 ]
check retention_dispose_record python3 -c "
import json
L=[json.loads(l) for l in open('$S/audit.log')]
d=[e for e in L if e['event']=='dispose']
assert len(d)==1, d
e=d[0]
want={'id':'$ID1','title':'No Barriers Between Ministries in AI and Digital Diplomacy',
      'bundle_sha256':'$SHA1','retention':'1y','release_date':'2024-05-10','disposal_date':'2025-05-10'}
for k,v in want.items(): assert e.get(k)==v, (k,e.get(k),v)
assert e.get('user'), e
"
A list >out 2>err
check retention_disposed_not_listed sh -c "! grep -q '$ID1' out && grep -qx '2 bundles' out"
check retention_disposed_shows_record run_rc 0 A show "$ID1"
check retention_disposed_show_says has out "^status +DESTROYED [0-9T:Z-]+ by "
check retention_apply_again_silent run_rc 0 A retention --apply --now 2025-05-10
check retention_apply_again_no_output sh -c '[ ! -s out ] && [ ! -s err ]'

# The 10y bundle is due on 2034-06-03 but on hold: never proposed, so
# nothing to say, exit 0 (a hold is not a failure).
check retention_held_exit_0 run_rc 0 A retention --apply --now 2034-06-03
check retention_held_silent sh -c '[ ! -s out ] && [ ! -s err ]'
check retention_held_kept sh -c "[ -e '$B10' ] && [ -e '$B10.sha256' ]"
check retention_held_no_record [ "$(audit_events "$S/audit.log" dispose)" -eq 1 ]
check retention_locked_exit_75 run_rc 75 flock "$S/lock" "$ARCHIVE" --store "$S" retention --apply --now 2034-06-03
check retention_locked_kept test -e "$B10"
check hold_remove_10y_exit_0 run_rc 0 A hold remove "$ID10" --reason "request answered"
check retention_after_release_exit_0 run_rc 0 A retention --apply --now 2034-06-03
check retention_after_release_disposed sh -c "[ ! -e '$B10' ] && [ ! -e '$B10.sha256' ]"
check retention_after_release_record [ "$(audit_events "$S/audit.log" dispose)" -eq 2 ]
check retention_idempotent_exit_0 run_rc 0 A retention --apply --now 2034-06-03
check retention_idempotent_silent sh -c '[ ! -s out ] && [ ! -s err ]'
check retention_far_future_exit_0 run_rc 0 A retention --apply --now 9999-12-31
check retention_far_future_silent sh -c '[ ! -s out ] && [ ! -s err ]'
check retention_permanent_survives sh -c "[ -e '$BP' ] && [ -e '$BP.sha256' ]"
check retention_two_records_in_all [ "$(audit_events "$S/audit.log" dispose)" -eq 2 ]

# Disposal-date arithmetic: a day missing in the target month is its last day.
# bag_info_field STORE FIELD: the field of the one bundle in STORE.
bag_info_field() { tar xzOf "$(ls "$1"/bundles/*/*.tar.gz)" --wildcards '*/bag-info.txt' | sed -n "s/^$2: //p"; }
# Both from the release date, the old start rule.
for st in leap month; do
	mkdir -p "$st" && printf '[retention]\nstart = release-date\n' > "$st/archive.conf"
done
"$ARCHIVE" --store leap ingest -q --date 2024-02-29 --retention 1y rel/en-2024-06-03-quantum-strategy >out 2>err
check leap_day_1y_disposal [ "$(bag_info_field leap Disposal-Date)" = 2025-02-28 ]
check leap_day_release_date [ "$(bag_info_field leap Release-Date)" = 2024-02-29 ]
check leap_day_not_due_the_day_before run_rc 0 "$ARCHIVE" --store leap retention --now 2025-02-27
check leap_day_silent_the_day_before sh -c '[ ! -s out ]'
check leap_day_due_on_28th run_rc 0 "$ARCHIVE" --store leap retention --now 2025-02-28
check leap_day_due_on_28th_listed has out '^due .*\(1y from 2024-02-29: disposal 2025-02-28\)$'
"$ARCHIVE" --store month ingest -q --date 2023-01-31 --retention 1m rel/en-2024-06-03-quantum-strategy >out 2>err
check month_end_1m_disposal [ "$(bag_info_field month Disposal-Date)" = 2023-02-28 ]

# -- reindex -----------------------------------------------------------------
# A live hold, a released hold and two disposals are in the log by now.
A hold add "$IDP" --reason 'audit 2026' >/dev/null 2>&1
# state FILE: list --json, every show --json and hold list, into FILE.
state() {
	{ A list --json
	  for i in $(A list --json | python3 -c "
import json,sys
for l in sys.stdin:
    j=json.loads(l)
    if 'id' in j: print(j['id'])"); do A show "$i" --json; done
	  A hold list --json; } > "$1" 2>&1
}
state state.before
rm -f "$S/catalog.sqlite" "$S/catalog.sqlite-wal" "$S/catalog.sqlite-shm"
check no_catalog_list_exit_3 run_rc 3 A list
check no_catalog_says_reindex has err 'reindex'
check reindex_exit_0 run_rc 0 A reindex
check reindex_says has out '^catalog rebuilt: 1 bundle, [0-9]+ audit lines$'
state state.after
check reindex_same_state cmp state.before state.after
check reindex_state_has_hold grep -q '"hold_reason":"audit 2026"' state.after
check reindex_state_has_events python3 -c "
import json
j=[j for j in map(json.loads, open('state.after')) if 'events' in j][0]
assert [e['event'] for e in j['events']]==['ingest','hold','hold-removed','hold'], j['events']
"
check reindex_bad_arg_exit_2 run_rc 2 A reindex extra

# -- audit chain ---------------------------------------------------------------
# verify_chain LOG: every line's prev is the SHA-256 of the line before (its
# bytes without the newline), the first one 64 zeros; seq counts from 1.
verify_chain() {
	python3 - "$1" <<'EOF'
import hashlib, json, sys
data = open(sys.argv[1], 'rb').read()
assert data.endswith(b'\n'), 'no newline at the end'
prev = '0' * 64
for n, line in enumerate(data[:-1].split(b'\n'), 1):
    e = json.loads(line)
    assert e['prev'] == prev, ('line', n, e['prev'], prev)
    assert e['seq'] == n, ('line', n, e['seq'])
    prev = hashlib.sha256(line).hexdigest()
EOF
}
check audit_chain_intact verify_chain "$S/audit.log"
check audit_event_counts sh -c "[ $(audit_events "$S/audit.log" ingest) -eq 3 ] && [ $(audit_events "$S/audit.log" hold) -eq 3 ] && [ $(audit_events "$S/audit.log" hold-removed) -eq 2 ] && [ $(audit_events "$S/audit.log" dispose) -eq 2 ]"
# The checker itself fails on a changed line.
sed '2s/"user":"[^"]*"/"user":"mallory"/' "$S/audit.log" > audit.tampered
check audit_chain_checker_catches_tampering fails verify_chain audit.tampered

# -- forty years of nightly cron runs --------------------------------------------
# The store as ingested (its dates from the release date, as bag-info has
# them), now under the law's rule: review required. Each night cron runs
# `disposal propose` and mails what it prints; when it prints a batch, the
# records professional and the committee review it and it is executed. The
# 1y bundle (due 2025-05-10) is reset to 3y at its first review (due again
# 2027-05-10), then destroyed; the 10y one (due 2034-06-03) is on hold, so
# never proposed, until the hold is lifted on 2040-01-01, then destroyed;
# the permanent one is never proposed. On each run day the bundles
# present, the exit status and whether anything was printed must be what
# the dates say.
C=$PWD/cron-store
cp -a pristine "$C"
printf '[retention]\nstart = release-date\n' > "$C/archive.conf"
"$ARCHIVE" --store "$C" hold add "$ID10" --reason litigation --by 서울행정법원 >/dev/null
: > cron.bad
for y in $(seq 2024 2064); do
	for md in 01-01 05-09 05-10 06-02 06-03 12-31; do
		d=$y-$md n=$(echo "$y$md" | tr -d -)
		if [ "$n" -eq 20400101 ]; then
			"$ARCHIVE" --store "$C" hold remove "$ID10" --reason "judgment final" >/dev/null || echo "$d: hold remove failed" >> cron.bad
		fi
		"$ARCHIVE" --store "$C" -q disposal propose --now "$d" >out 2>err
		rc=$?
		[ "$rc" -eq 0 ] || echo "$d: propose exit $rc, want 0" >> cron.bad
		[ -s err ] && echo "$d: stderr $(cat err)" >> cron.bad
		want_out=0
		case $n in 20250510|20270510|20400101) want_out=1 ;; esac
		if [ "$want_out" -eq 1 ]; then [ -s out ]; else [ ! -s out ]; fi || echo "$d: output $(cat out)" >> cron.bad
		if [ -s out ]; then
			b=$(sed -n 's/^batch \([0-9-]*\): .*/\1/p' out)
			dec=destroy
			[ "$n" -eq 20250510 ] && dec=reset=3y
			"$ARCHIVE" --store "$C" disposal review "$b" --all --decision "$dec" --by 기록물평가심의회 \
				--reason "year $y" --meeting "$y-1" >/dev/null 2>>cron.bad || echo "$d: review of $b failed" >> cron.bad
			"$ARCHIVE" --store "$C" disposal execute "$b" >/dev/null 2>>cron.bad || echo "$d: execute of $b failed" >> cron.bad
		fi
		want1=1 want10=1
		[ "$n" -ge 20270510 ] && want1=0
		[ "$n" -ge 20400101 ] && want10=0
		[ -e "$C/bundles/2024/$ID1.tar.gz" ] && h=1 || h=0
		[ "$h" -eq "$want1" ] || echo "$d: 1y bundle present=$h, want $want1" >> cron.bad
		[ -e "$C/bundles/2024/$ID10.tar.gz" ] && h=1 || h=0
		[ "$h" -eq "$want10" ] || echo "$d: 10y bundle present=$h, want $want10" >> cron.bad
		[ -e "$C/bundles/2024/$IDP.tar.gz" ] || echo "$d: permanent bundle gone" >> cron.bad
	done
done
check cron_forty_years_as_dated sh -c '[ ! -s cron.bad ] || { head -20 cron.bad >&2; exit 1; }'
check cron_dispose_records python3 -c "
import json
L=[json.loads(l) for l in open('$C/audit.log')]
d=[(e['id'],e['batch'],e['decision'],e['decided_by']) for e in L if e['event']=='dispose']
assert d==[('$ID1','2027-05-10-1','destroy','기록물평가심의회'),('$ID10','2040-01-01-1','destroy','기록물평가심의회')], d
r=[(e['id'],e['batch'],e['value'],e['disposal_date']) for e in L if e['event']=='disposal-decision' and e['decision']=='reset']
assert r==[('$ID1','2025-05-10-1','3y','2027-05-10')], r
b=[e['batch'] for e in L if e['event']=='disposal-executed']
assert b==['2025-05-10-1','2027-05-10-1','2040-01-01-1'], b
"
check cron_audit_chain_intact verify_chain "$C/audit.log"
check cron_store_verifies run_rc 0 "$ARCHIVE" --store "$C" verify
check cron_tombstones_listed run_rc 0 "$ARCHIVE" --store "$C" list --all
check cron_tombstones_two sh -c "[ \$(grep -c ' DESTROYED ' out) -eq 2 ]"

# -- scripts/cron: crontab and systemd units --------------------------------------
CRON=$TOP/scripts/cron
check cron_files_present sh -c "cd '$CRON' && ls archive.crontab archive-disposal.service archive-disposal.timer archive-fixity.service archive-fixity.timer >/dev/null"
# check_crontab FILE: every line a comment, NAME=value, or 5 valid time
# fields and a command; ARCHIVE_STORE set and used; both nightly jobs there.
check_crontab() {
	python3 - "$1" <<'EOF'
import re, sys
rng = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
names = [None, None, None, 'jan feb mar apr may jun jul aug sep oct nov dec'.split(), 'sun mon tue wed thu fri sat'.split()]
def field_ok(f, i):
    lo, hi = rng[i]
    for part in f.split(','):
        m = re.fullmatch(r'(\*|[0-9]+|[a-z]{3})(?:-([0-9]+|[a-z]{3}))?(?:/([0-9]+))?', part.lower())
        if not m: return False
        vals = []
        for g in m.group(1), m.group(2):
            if g is None or g == '*': continue
            if g.isdigit(): vals.append(int(g))
            elif names[i] and g in names[i]: vals.append(names[i].index(g) + lo)
            else: return False
        if any(v < lo or v > hi for v in vals): return False
        if m.group(1) == '*' and m.group(2): return False
        if m.group(3) is not None and int(m.group(3)) == 0: return False
    return True
env, jobs = {}, []
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.strip()
    if not line or line.startswith('#'): continue
    m = re.fullmatch(r'([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)', line)
    if m: env[m.group(1)] = m.group(2); continue
    f = line.split(None, 5)
    assert len(f) == 6, ('line %d: not 5 time fields and a command' % n, line)
    for i in range(5): assert field_ok(f[i], i), ('line %d: bad time field' % n, f[i])
    jobs.append(f[5])
assert env.get('ARCHIVE_STORE', '').startswith('/'), env
assert 'MAILTO' in env, env
assert all('$ARCHIVE_STORE' in j for j in jobs), jobs
assert any(re.search(r'\B-q disposal propose\b', j) for j in jobs), jobs
assert not any('--apply' in j for j in jobs), jobs
assert any(re.search(r'\B-q verify\b|\bverify -q\b', j) for j in jobs), jobs
assert len(jobs) == 2, jobs
for j in jobs: print(j)
EOF
}
check crontab_parses run_rc 0 check_crontab "$CRON/archive.crontab"
cp out cron.jobs
printf '0 2 * *  archive disposal propose\n' > bad.crontab
check crontab_checker_rejects_4_fields fails check_crontab bad.crontab
printf 'ARCHIVE_STORE=/s\nMAILTO=x\n0 25 * * * archive --store "$ARCHIVE_STORE" -q disposal propose\n0 3 * * * archive --store "$ARCHIVE_STORE" -q verify\n' > bad.crontab
check crontab_checker_rejects_hour_25 fails check_crontab bad.crontab
# The jobs, run as cron runs them (sh -c, archive on PATH) on the store the
# cron years left (nothing will ever be due there): silent, exit 0. Then
# with a damaged bundle the fixity job speaks and fails.
mkdir bin && ln -s "$ARCHIVE" bin/archive
cp -a "$C" job-store
i=0
while IFS= read -r job; do
	i=$((i + 1))
	check "crontab_job_${i}_exit_0" run_rc 0 env PATH="$PWD/bin:$PATH" ARCHIVE_STORE="$PWD/job-store" sh -c "$job"
	check "crontab_job_${i}_silent" sh -c '[ ! -s out ] && [ ! -s err ]'
done < cron.jobs
printf 'x' >> "job-store/bundles/2024/$IDP.tar.gz"
fixity_job=$(grep verify cron.jobs)
check crontab_fixity_job_fails_on_damage run_rc 1 env PATH="$PWD/bin:$PATH" ARCHIVE_STORE="$PWD/job-store" sh -c "$fixity_job"
check crontab_fixity_job_names_damage has out "^FAIL $IDP"

# check_units DIR: the four unit files have the sections and keys they need.
check_units() {
	python3 - "$1" <<'EOF'
import configparser, os, re, sys
d = sys.argv[1]
def load(name):
    p = configparser.ConfigParser(strict=False, interpolation=None, delimiters=('=',))
    p.optionxform = str
    with open(os.path.join(d, name)) as f: p.read_file(f)
    return p
for job, cmd in (('disposal', r'\s-q disposal propose\b'), ('fixity', r'(\s-q\s.*\bverify\b|\bverify\b.*\s-q\b)')):
    s = load('archive-%s.service' % job)
    assert s.has_section('Unit') and s['Unit'].get('Description'), job
    v = s['Service']
    assert v.get('Type') == 'oneshot', (job, v.get('Type'))
    assert v.get('User') and v.get('User') != 'root', (job, 'User')
    env = v.get('Environment', '').split()
    assert 'ARCHIVE_STORE=/var/lib/archive-store' in env and 'ARCHIVE_SYSLOG=1' in env, (job, env)
    ex = v.get('ExecStart', '')
    assert re.search(r'(^|\$\$\()/\S*/archive\s', ex) and re.search(cmd, ex), (job, ex)
    assert '--apply' not in ex, (job, ex)
    t = load('archive-%s.timer' % job)
    assert t.has_section('Unit') and t['Unit'].get('Description'), job
    tt = t['Timer']
    assert tt.get('OnCalendar') and tt.get('Persistent') == 'true', (job, dict(tt))
    assert tt.get('Unit', 'archive-%s.service' % job) == 'archive-%s.service' % job, (job, tt.get('Unit'))
    assert t['Install'].get('WantedBy') == 'timers.target', job
EOF
}
check units_have_required_keys check_units "$CRON"
mkdir units-bad && cp "$CRON"/*.service "$CRON"/*.timer units-bad/
sed -i '/^Persistent=/d' units-bad/archive-fixity.timer
check units_checker_rejects_no_persistent fails check_units units-bad
if command -v systemd-analyze >/dev/null 2>&1; then
	# systemd-analyze wants ExecStart's binary to exist: point it at ours.
	# It exits 0 on unknown keys, so any word about our units fails too.
	mkdir units && cp "$CRON"/*.service "$CRON"/*.timer units/
	sed -i "s|^ExecStart=/[^ ]*/archive |ExecStart=$ARCHIVE |" units/*.service
	check units_systemd_analyze_verify run_rc 0 systemd-analyze verify units/archive-disposal.service units/archive-disposal.timer units/archive-fixity.service units/archive-fixity.timer
	check units_systemd_analyze_no_warnings sh -c '! grep archive- err'
	cp -r units units-typo && sed -i 's/^Type=oneshot/Tpye=oneshot/' units-typo/archive-fixity.service
	systemd-analyze verify units-typo/archive-fixity.service >out 2>err
	check units_systemd_analyze_catches_typo grep -q 'Unknown key' err
else
	echo "note: no systemd-analyze; unit files checked by the parser alone" >&2
fi
# The services' commands as systemd runs them ($$ is $), with the unit's
# environment and our binary, mail(1) a stub that keeps what it is given:
# on the quiet store silent, exit 0, no mail; the disposal job on a store
# with a bundle due mails the batch and prints it for the journal.
mkdir mailbin
printf '#!/bin/sh\n{ echo "args: $*"; cat; } >> "%s/mail.log"\n' "$PWD" > mailbin/mail
chmod +x mailbin/mail
unit_cmd() { sed -n 's|^ExecStart=||p' "$CRON/archive-$1.service" | sed "s/\\\$\\\$/\\$/g; s|/usr/local/bin/archive|$ARCHIVE|g"; }
for job in disposal fixity; do
	cp -a "$C" unit-store
	rm -f mail.log
	check "unit_${job}_command_exit_0" run_rc 0 env PATH="$PWD/mailbin:$PATH" ARCHIVE_STORE="$PWD/unit-store" ARCHIVE_MAILTO=records@example.go.kr sh -c "$(unit_cmd $job)"
	check "unit_${job}_command_silent" sh -c '[ ! -s out ] && [ ! -s err ] && [ ! -e mail.log ]'
	rm -rf unit-store
done
cp -a pristine unit-store
printf '[retention]\nstart = release-date\n' > unit-store/archive.conf
check unit_disposal_due_exit_0 run_rc 0 env PATH="$PWD/mailbin:$PATH" ARCHIVE_STORE="$PWD/unit-store" ARCHIVE_MAILTO=records@example.go.kr sh -c "$(unit_cmd disposal)"
check unit_disposal_due_mails_batch has mail.log "^args: -s archive: disposal batch for review records@example.go.kr\$"
check unit_disposal_due_mail_names_bundle has mail.log "^  $ID1  1y from 2024-05-10, disposal 2025-05-10\$"
check unit_disposal_due_printed_for_journal has out "^batch [0-9-]+: 1 bundle due on "
check unit_disposal_due_destroys_nothing test -e "unit-store/bundles/2024/$ID1.tar.gz"
rm -rf unit-store