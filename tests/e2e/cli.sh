# The command line as one tool: for every command the same form of usage
# errors, --help, -h and --json; messages as "archive: CMD: FILE: reason";
# --version; the progress line (only on a terminal); syslog logging.
. "$TOP/tests/lib.sh"

S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }
# Every command archive --help lists (a new one cannot be left out).
CMDS=$("$ARCHIVE" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | tr '\n' ' ')
[ -n "$CMDS" ] || echo "FAIL no_commands_in_help"
cp -R "$FIXTURES/releases" rel
mkdir -p bad/r && printf 'A release without a licence\n\nSee the attached file.\n' > bad/r/r.txt

# -- usage errors, --help ------------------------------------------------------
for c in $CMDS; do
	check "${c}_unknown_long_option_exit_2" run_rc 2 A "$c" --no-such-option
	check "${c}_unknown_long_option_form" sh -c "
		[ \"\$(sed -n 1p err)\" = \"archive: $c: unknown option '--no-such-option'\" ] &&
		[ \"\$(sed -n 2p err)\" = \"Try 'archive $c -h'.\" ] && [ \$(wc -l < err) -eq 2 ] && [ ! -s out ]"
	check "${c}_unknown_short_option_exit_2" run_rc 2 A "$c" -Z
	check "${c}_unknown_short_option_form" sh -c "
		[ \"\$(sed -n 1p err)\" = \"archive: $c: unknown option '-Z'\" ] &&
		[ \"\$(sed -n 2p err)\" = \"Try 'archive $c -h'.\" ]"
	check "${c}_help_exit_0" run_rc 0 A "$c" --help
	check "${c}_help_usage_on_stdout" sh -c "head -1 out | grep -q '^usage: archive $c' && [ ! -s err ]"
	cp out help.long
	A "$c" -h > help.short 2>&1
	check "${c}_h_same_as_help" cmp help.short help.long
	check "${c}_help_lists_json" has help.long '--json'
done
check main_unknown_option_exit_2 run_rc 2 "$ARCHIVE" --no-such-option
check main_unknown_command_exit_2 run_rc 2 "$ARCHIVE" frobnicate
check main_unknown_command_form has err "^archive: .*unknown command 'frobnicate'"
check main_help_exit_0 run_rc 0 "$ARCHIVE" --help
check main_help_lists_every_command sh -c "for c in $CMDS; do grep -q \"^  \$c \" out || exit 1; done"
check main_help_lists_log_syslog has out '--log-syslog'

# -- --version -----------------------------------------------------------------
check version_exit_0 run_rc 0 "$ARCHIVE" --version
for lib in '^archive [0-9]+\.[0-9]+' '^poppler-glib [0-9]' '^libarchive [0-9]' '^libmagic [0-9]+\.[0-9]+$' \
	'^zlib [0-9]' '^SQLite 3\.' '^OpenSSL [0-9]' '^libxml2 [0-9]' '^libcurl [0-9]'; do
	check "version_names_$(echo "$lib" | tr -cd 'a-zA-Z')" has out "$lib"
done

# -- --json everywhere: one object a line, the last one the only summary -----------
# json_lines FILE: every line is a JSON object, exactly one has "summary":
# true, and it is the last.
json_lines() {
	python3 -c "
import json,sys
L=[json.loads(l) for l in open('$1')]
assert L and all(isinstance(x,dict) for x in L), L
assert L[-1].get('summary') is True, L[-1]
assert sum(1 for x in L if x.get('summary')) == 1, L
"
}
A ingest --json --license kogl-1 rel >out 2>err
check json_ingest json_lines out
ID=$(python3 -c "import json; print([j for j in map(json.loads, open('out')) if 'id' in j][0]['id'])")
for args in "verify" "retention --now 2099-01-01" "hold add $ID --reason test" "hold list" "list" \
	"show $ID" "extract $ID dest" "reindex" "report" "hold remove $ID --reason done" \
	"disposal propose --now 2099-01-01" "disposal list" "disposal show 2099-01-01-1" \
	"disposal review 2099-01-01-1 --all --decision destroy --by x --reason y" \
	"disposal execute 2099-01-01-1" "list --all" "show $ID"; do
	# shellcheck disable=SC2086
	A $args --json >out 2>err
	check "json_$(echo "$args" | cut -d' ' -f1-2 | tr -c 'a-z\n' _)" json_lines out
done

# -- messages: archive: CMD: FILE: reason ---------------------------------------------
check message_missing_path_exit_1 run_rc 1 A ingest --license kogl-1 no-such-dir
check message_missing_path_form has err '^archive: ingest: no-such-dir: No such file or directory$'
check message_show_form sh -c "A() { \"$ARCHIVE\" --store '$S' \"\$@\"; }; ! A show 2001-01-01_x_00000000 2>err >/dev/null; grep -q '^archive: show: 2001-01-01_x_00000000: ' err"

# -- progress line ---------------------------------------------------------------
# Not a terminal: not a byte of it, not even a carriage return.
"$ARCHIVE" --store p1 ingest rel >out 2>err
check progress_not_on_file_exit_0 [ $? -eq 0 ]
check progress_silent_when_not_a_terminal sh -c "! grep -q 'ETA' err && ! grep -q \"\$(printf '\r')\" err && ! grep -q \"\$(printf '\r')\" out"
check progress_nothing_on_stderr_at_all [ ! -s err ]
# A terminal (script(1) gives the command a pty): the line is drawn,
# names the current release, and is cleared at the end.
if command -v script >/dev/null 2>&1 && script -qfc true /dev/null >/dev/null 2>&1; then
	script -qfc "'$ARCHIVE' --store p2 ingest rel" typescript >/dev/null 2>&1
	check progress_drawn_on_terminal grep -q 'ingest 0/3 .*ETA' typescript
	check progress_names_release grep -q 'ETA.*rel/' typescript
	check progress_line_cleared sh -c "grep -q \"\$(printf '\r\033\\\\[K')\" typescript"
	check progress_then_summary grep -q '3 releases: 3 archived' typescript
	script -qfc "'$ARCHIVE' --store p3 -q ingest rel" typescript.q >/dev/null 2>&1
	check progress_quiet_on_terminal sh -c "! grep -q 'ETA' typescript.q"
else
	echo "SKIP progress on a terminal: script(1) cannot open a pty here" >&2
	echo "FAIL progress_terminal_test_ran"
fi

# -- syslog -------------------------------------------------------------------
LOG=$PWD/syslog.txt
export ARCHIVE_TEST_SYSLOG_FILE="$LOG"
"$ARCHIVE" --store sl ingest rel >out 2>err
check syslog_off_by_default [ ! -e "$LOG" ]
ARCHIVE_SYSLOG=0 "$ARCHIVE" --store sl ingest rel >out 2>err
check syslog_off_with_env_0 [ ! -e "$LOG" ]
check syslog_run_with_failures_exit_1 run_rc 1 "$ARCHIVE" --store sl --log-syslog ingest rel bad/r no-such-dir
check syslog_failure_missing_path has "$LOG" '^err ingest: no-such-dir: No such file or directory$'
check syslog_failure_quarantine has "$LOG" '^err ingest: bad/r: quarantined in .*quarantine/r: .*license\.detected'
check syslog_summary_line has "$LOG" '^warning ingest: 4 releases: 0 archived, 3 already archived, 1 quarantined, some paths not archived \(exit 1\)$'
check syslog_one_summary_per_run [ "$(grep -c '(exit ' "$LOG")" -eq 1 ]
check syslog_no_progress_or_stdout sh -c "! grep -q 'already archived  ' '$LOG'"
rm -f "$LOG"
ARCHIVE_SYSLOG=1 "$ARCHIVE" --store sl verify >out 2>err
check syslog_by_env_rule has "$LOG" '^notice verify: 3 verified: 3 OK, 0 FAIL; 0 store problems \(exit 0\)$'
rm -f "$LOG"
ID2=$("$ARCHIVE" --store sl list --json | python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['id'])")
"$ARCHIVE" --store sl hold add "$ID2" --reason 'FOI 7' >/dev/null
check syslog_retention_exit_0 run_rc 0 "$ARCHIVE" --store sl --log-syslog retention --now 2099-01-01
check syslog_retention_summary has "$LOG" '^notice retention: 2 due, 0 for evaluation, 0 ended holds, 0 open batches on 2099-01-01 \(exit 0\)$'
rm -f "$LOG"
# A bundle kept at execution because it changed is a failure: logged.
"$ARCHIVE" --store sl disposal propose --now 2099-01-01 >/dev/null
"$ARCHIVE" --store sl hold remove "$ID2" --reason 'FOI answered' >/dev/null
"$ARCHIVE" --store sl disposal review 2099-01-01-1 --all --decision destroy --by x --reason y >/dev/null
ID3=$("$ARCHIVE" --store sl disposal show 2099-01-01-1 --json | python3 -c "import json,sys; print(json.loads(sys.stdin.readlines()[1])['id'])")
printf x >> "$(ls sl/bundles/*/"$ID3".tar.gz)"
check syslog_kept_changed_exit_1 run_rc 1 "$ARCHIVE" --store sl --log-syslog disposal execute 2099-01-01-1
check syslog_kept_changed_logged has "$LOG" "^err disposal: $ID3: kept: its SHA-256 is now [0-9a-f]{64}, not the frozen [0-9a-f]{64}\$"
check syslog_execute_summary has "$LOG" '^warning disposal: batch 2099-01-01-1: 1 destroyed, 0 kept on hold, 1 kept \(changed or missing\), 0 reset or deferred \(exit 1\)$'
unset ARCHIVE_TEST_SYSLOG_FILE

# -- options before the command, with their values; values never options ------
S2=$PWD/store-before
check options_before_command_with_values run_rc 0 "$ARCHIVE" --store "$S2" --json --date 2024-04-01 \
	--retention 3y ingest rel/en-2024-06-03-quantum-strategy
check options_before_command_took_effect python3 - <<'PY'
import json, tarfile
line = json.loads(open('out').readline())
assert line['id'].startswith('2024-04-01_'), line['id']
info = tarfile.open(line['bundle']).extractfile(line['id'] + '/bag-info.txt').read().decode()
assert 'Retention-Period: 3y' in info, info
PY
b2=$(find "$S2/bundles" -name '*.tar.gz')
id2=$(basename "$b2" .tar.gz)
check fast_before_verify run_rc 0 "$ARCHIVE" --store "$S2" --fast verify "$b2"
check reason_dash_v_is_a_value run_rc 0 "$ARCHIVE" --store "$S2" hold add "$id2" --reason -v
check reason_dash_v_recorded sh -c "'$ARCHIVE' --store '$S2' hold list | grep -q ': -v\$'"

# -- usage errors before the store; --date strict; --dry-run makes nothing -----
S3=$PWD/store-never
for d in 2024-4-1 2024-02-30 "2024. 4. 1." 20240401 2024-04-01x; do
	check "date_strict_$(echo "$d" | tr -c '0-9a-z' _)" run_rc 2 "$ARCHIVE" --store "$S3" ingest --date "$d" rel
done
check bad_retention_usage run_rc 2 "$ARCHIVE" --store "$S3" ingest --retention 3q rel
check usage_errors_made_no_store test ! -e "$S3"
check dry_run_ok run_rc 0 "$ARCHIVE" --store "$S3" ingest --dry-run rel
check dry_run_says_would_archive has out '^would archive '
check dry_run_made_no_store test ! -e "$S3"
check dry_run_left_no_work_folder sh -c '! ls "${TMPDIR:-/tmp}" | grep -q archive-dry-run'
(cd "$S2" && find . -printf '%p %s %T@\n' | grep -v catalog.sqlite-shm | sort) > before.dry
check dry_run_on_a_store run_rc 0 "$ARCHIVE" --store "$S2" ingest --dry-run rel
check dry_run_knows_what_is_archived has out '^already archived  '
(cd "$S2" && find . -printf '%p %s %T@\n' | grep -v catalog.sqlite-shm | sort) > after.dry
check dry_run_changed_nothing cmp before.dry after.dry

# -- ingest --json: every key on every line, null where there is no value ------
S4=$PWD/store-keys
A4() { "$ARCHIVE" --store "$S4" "$@"; }
A4 ingest -q rel/en-2024-06-03-quantum-strategy
check json_keys_mixed_run run_rc 1 A4 ingest --json rel bad
cp out keys.jsonl
"$ARCHIVE" --store "$PWD/store-none" ingest --json --dry-run rel bad > keys-dry.jsonl
check json_every_key_on_every_line python3 - <<'PY'
import json
rows = []
for name in ('keys.jsonl', 'keys-dry.jsonl'):
    rows += [(name, json.loads(l)) for l in open(name)]
rows = [(n, l) for n, l in rows if not l.get('summary')]
keys = {'release', 'status', 'id', 'bundle', 'quarantine', 'title', 'checks'}
seen = set()
for name, l in rows:
    assert set(l) == keys, (sorted(l), l['status'])
    seen.add(l['status'])
    if l['status'] == 'quarantined':  # a dry run only says it would be
        assert l['bundle'] is None and bool(l['quarantine']) == (name == 'keys.jsonl'), l
    elif l['status'] in ('archived', 'already-archived'):
        assert l['bundle'] and l['quarantine'] is None, l
    else:
        assert l['bundle'] is None and l['quarantine'] is None, l
    assert l['id'], l
assert seen == {'archived', 'already-archived', 'quarantined', 'dry-run'}, seen
PY
