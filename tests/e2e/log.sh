# End-to-end: the transparency log (SPEC, "Transparency log"): every audit
# event a leaf of an RFC 6962 tree under STORE/log/ (C2SP tlog-tiles), a
# checkpoint signed by the store's Ed25519 key after every writing run,
# proofs checkable without this tool (scripts/tlog-verify: python3 and
# openssl), and history rewrites caught.
. "$TOP/tests/lib.sh"

S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }
CHECK=$TOP/scripts/tlog-verify
cp -R "$FIXTURES/releases" rel
# root LOG N: the RFC 6962 root of the first N lines of LOG, computed here
# (python3 hashlib), independently of the tool.
root() {
	python3 - "$1" "$2" <<'PY'
import base64, hashlib, sys
lines = open(sys.argv[1], 'rb').read().split(b'\n')[:-1][:int(sys.argv[2])]
def mth(d):
    if not d: return hashlib.sha256(b'').digest()
    if len(d) == 1: return hashlib.sha256(b'\x00' + d[0]).digest()
    k = 1
    while k * 2 < len(d): k *= 2
    return hashlib.sha256(b'\x01' + mth(d[:k]) + mth(d[k:])).digest()
print(base64.b64encode(mth(lines)).decode())
PY
}
cp_size() { sed -n 2p "$S/log/checkpoint"; }
cp_root() { sed -n 3p "$S/log/checkpoint"; }
lines() { wc -l <"$S/audit.log" | tr -d ' '; }

check ingest_exit_0 run_rc 0 A ingest rel
check log_files_there sh -c "[ -s '$S/log/checkpoint' ] && [ -s '$S/log/verifier.key' ] && [ -d '$S/log/tile/0' ] && [ -d '$S/log/tile/entries' ]"
check key_made_private [ "$(stat -c %a "$S/archive-log.key")" = 600 ]
check checkpoint_covers_every_line [ "$(cp_size)" = "$(lines)" ]
check checkpoint_root_is_rfc6962_of_audit_lines [ "$(cp_root)" = "$(root "$S/audit.log" "$(lines)")" ]
check checkpoint_origin_is_key_name sh -c "[ \"\$(sed -n 1p '$S/log/checkpoint')\" = \"\$(cut -d+ -f1 '$S/log/verifier.key')\" ]"
check log_checkpoint_prints_it run_rc 0 A log checkpoint
check log_checkpoint_same cmp out "$S/log/checkpoint"
check log_verify_ok run_rc 0 A log verify
check log_verify_says_ok has out "^OK   log of [0-9]+ entries: signed, the audit log's, the tiles'\$"
check log_verify_json run_rc 0 A log verify --json
check log_verify_json_valid python3 -c "
import json; L=[json.loads(l) for l in open('out')]; assert L[-1]['valid'] is True and L[-1]['size'] == L[-1]['audit_lines'], L"
check log_usage_error run_rc 2 A log bogus
check log_since_only_with_verify run_rc 2 A log checkpoint --since x

# Every writing run ends with a checkpoint covering its events.
cp "$S/log/checkpoint" cp.first
check verify_run_exit_0 run_rc 0 A verify
check checkpoint_grew [ "$(cp_size)" = "$(lines)" ] && [ "$(cp_size)" -gt "$(sed -n 2p cp.first)" ]
check log_verify_since_first run_rc 0 A log verify --since cp.first
check log_verify_since_says_grown has out "grown only since the older checkpoint"
check read_only_run_leaves_log sh -c "cp '$S/log/checkpoint' c1 && '$ARCHIVE' --store '$S' list >/dev/null && cmp -s c1 '$S/log/checkpoint'"

# -- proofs, checked without the tool ---------------------------------------------
ID=$(A list --json | python3 -c "import json,sys; print([json.loads(l)['id'] for l in sys.stdin if 'id' in l][0])")
OTHER=$(A list --json | python3 -c "import json,sys; print([json.loads(l)['id'] for l in sys.stdin if 'id' in l][1])")
B=$(ls "$S"/bundles/*/"$ID.tar.gz")
check proof_exit_0 run_rc 0 A log proof "$ID" -o p.proof
check proof_format sh -c "head -1 p.proof | grep -qx 'c2sp.org/tlog-proof@v1' && sed -n 3p p.proof | grep -Eq '^index [0-9]+\$'"
check proof_checked_without_tool run_rc 0 "$CHECK" "$S/log/verifier.key" p.proof "$B"
check proof_checker_says_ok has out "^OK   $ID: entry [0-9]+ of [0-9]+ in .*the bundle's SHA-256 is the logged one\$"
check proof_entry_has_tagmanifest python3 -c "
import base64, hashlib, json, tarfile
p = open('p.proof').read().split('\n')
e = json.loads(base64.b64decode(p[1][6:]))
with tarfile.open('$B', 'r:gz') as t:
    tm = hashlib.sha256(t.extractfile('$ID/tagmanifest-sha256.txt').read()).hexdigest()
assert e['event'] == 'ingest' and e['id'] == '$ID' and e['tagmanifest_sha256'] == tm, (e, tm)"
check proof_not_of_another_bundle run_rc 1 "$CHECK" "$S/log/verifier.key" p.proof "$(ls "$S"/bundles/*/"$OTHER.tar.gz")"
cp "$B" b.copy && printf x >>b.copy && mv b.copy "$ID.tar.gz"
check proof_not_of_a_changed_bundle run_rc 1 "$CHECK" "$S/log/verifier.key" p.proof "$ID.tar.gz"
sed '4s/^./A/' p.proof >p.bad
cmp -s p.proof p.bad && sed '4s/^./B/' p.proof >p.bad
check proof_with_a_changed_hash_fails run_rc 1 "$CHECK" "$S/log/verifier.key" p.bad "$B"
"$ARCHIVE" --store other key generate >other.vkey 2>/dev/null
check proof_with_another_key_fails run_rc 1 "$CHECK" other.vkey p.proof "$B"
check proof_unknown_id run_rc 1 A log proof 2024-01-01_nope_00000000

# -- an insider rewrites history --------------------------------------------------
# rechain LOG N TEXT: line N's title replaced, every later prev recomputed:
# a chain that verifies, as a person with write access could make it.
rechain() {
	python3 - "$1" "$2" <<'PY'
import hashlib, json, sys
path, n = sys.argv[1], int(sys.argv[2])
raw = open(path, 'rb').read().split(b'\n')[:-1]
out, prev = [], '0' * 64
for i, line in enumerate(raw, 1):
    e = json.loads(line)
    if i == n: e['user'] = 'mallory'
    e['prev'] = prev
    line = json.dumps(e, ensure_ascii=False, separators=(',', ':')).encode()
    out.append(line)
    prev = hashlib.sha256(line).hexdigest()
open(path, 'wb').write(b'\n'.join(out) + b'\n')
PY
}
cp -a "$S" pristine
cp "$S/log/checkpoint" cp.kept
rechain "$S/audit.log" 2
check rewritten_audit_log_caught run_rc 1 A log verify
check rewritten_audit_log_named has out "^FAIL audit.log: its first [0-9]+ lines do not make the checkpoint's root"
# The insider also rebuilds the log and re-signs it with the store's key
# (it is in the store): the log is consistent again, but the checkpoint an
# auditor kept proves the rewrite.
rm -rf "$S/log" && mkdir -p "$S/log" && cp pristine/log/verifier.key "$S/log/"
check resigned_by_next_run run_rc 0 A verify
check resigned_log_verifies run_rc 0 A log verify
check resigned_caught_by_kept_checkpoint run_rc 1 A log verify --since cp.kept
check resigned_caught_says_rewritten has out "^FAIL audit.log: its first [0-9]+ lines do not make the older checkpoint's root: history was rewritten\$"

# A bundle replaced by another of the same id (the same release bagged again,
# another organisation named), with its sidecar, and the catalog rebuilt:
# a valid bag, sidecar and catalog agree, but its ingest entry (in the
# audit log and the transparency log) records another SHA-256.
rm -rf "$S" && cp -a pristine "$S"
REL=rel/en-2024-06-03-quantum-strategy
check replace_setup run_rc 0 "$ARCHIVE" --store forged ingest --org Mallory "$REL"
FID=$(basename "$(ls forged/bundles/*/*.tar.gz)" .tar.gz)
check replace_same_id sh -c "ls '$S'/bundles/*/'$FID.tar.gz' >/dev/null"
check replace_differs sh -c "! cmp -s forged/bundles/*/'$FID.tar.gz' '$S'/bundles/*/'$FID.tar.gz'"
check replace_proof_before run_rc 0 A log proof "$FID" -o f.proof
cp forged/bundles/*/"$FID.tar.gz" forged/bundles/*/"$FID.tar.gz.sha256" "$(dirname "$(ls "$S"/bundles/*/"$FID.tar.gz")")"/
check replace_reindexed run_rc 0 A reindex
check replaced_bundle_caught_by_verify run_rc 1 A verify
check replaced_bundle_named has out "^FAIL $FID: audit.log: the ingest of $FID records sha256 [0-9a-f]{64}, the sidecar [0-9a-f]{64}: not the bundle archived"
check replaced_bundle_fails_its_proof run_rc 1 "$CHECK" "$S/log/verifier.key" f.proof "$(ls "$S"/bundles/*/"$FID.tar.gz")"
check replaced_bundle_proof_says_why has err "its SHA-256 [0-9a-f]{64} is not the one its ingest entry records"
# A rewritten audit log fails store verify too, and the run signs nothing.
rm -rf "$S" && cp -a pristine "$S"
rechain "$S/audit.log" 2
check store_verify_fails_on_rewritten_audit run_rc 1 A verify
check store_verify_names_log has err "the audit log was changed; not signed"

# -- a witness: a second custodian's key and state -------------------------------
rm -rf "$S" && cp -a pristine "$S"
W="$ARCHIVE --store $S witness cosign --state wstate --key wkeys/witness.key"
check witness_key_needs_out run_rc 2 "$ARCHIVE" key generate --witness
check witness_key_exit_0 run_rc 0 "$ARCHIVE" key generate --witness --out wkeys
check witness_key_printed has out '^witness\.local/[0-9a-f]{16}\+[0-9a-f]{8}\+[A-Za-z0-9+/=]{44}$'
cp out witness.vkey
check witness_key_private [ "$(stat -c %a wkeys/witness.key)" = 600 ]
mkdir wstate
A log checkpoint >c1
check witness_needs_log_key run_rc 1 $W c1
check witness_needs_log_key_says has err "log.vkey: missing: put the store's log/verifier.key there"
cp "$S/log/verifier.key" wstate/log.vkey
check witness_cosigns run_rc 0 $W c1
cp out c1.cosigned
check witness_cosignature_added sh -c "[ \$(grep -c '^— ' c1.cosigned) -eq 2 ] && grep -q '^— witness.local/' c1.cosigned"
check witness_state_moves_on cmp -s c1 wstate/last
mkdir -p "$S/log/cosigned" "$S/log/witnesses"
cp c1.cosigned "$S/log/cosigned/$(sed -n 2p c1)"
cp witness.vkey "$S/log/witnesses/w1.vkey"
check log_verify_checks_cosignature run_rc 0 A log verify
check log_verify_counts_cosignature has out "; 1 cosignature\$"
check next_run run_rc 0 A verify
A log checkpoint >c2
check witness_cosigns_the_grown_log run_rc 0 $W c2
check witness_refuses_an_older_one run_rc 1 $W c1
check witness_older_says has err "fewer than the [0-9]+ last cosigned: not cosigned"
"$ARCHIVE" --store other log checkpoint >c.other 2>/dev/null || "$ARCHIVE" --store other ingest rel/en-2024-06-03-quantum-strategy >/dev/null 2>&1
"$ARCHIVE" --store other log checkpoint >c.other
check witness_refuses_another_log run_rc 1 $W c.other
sed 's/^\(— witness[^ ]* \)./\1A/' c1.cosigned >bad.cosigned
cmp -s c1.cosigned bad.cosigned && sed 's/^\(— witness[^ ]* \)./\1B/' c1.cosigned >bad.cosigned
cp bad.cosigned "$S/log/cosigned/$(sed -n 2p c1)"
check log_verify_catches_a_bad_cosignature run_rc 1 A log verify
cp c1.cosigned "$S/log/cosigned/$(sed -n 2p c1)"
# The history rewritten and re-signed with the store's key: the witness
# refuses it, and the kept cosigned checkpoint no longer fits the log.
rechain "$S/audit.log" 2
rm -rf "$S/log/tile" "$S/log/checkpoint"
check rewrite_resigned run_rc 0 A verify
A log checkpoint >c3
check witness_refuses_the_rewrite run_rc 1 $W c3
check witness_rewrite_says has err "history was rewritten; not cosigned"
check log_verify_cosigned_no_longer_fits run_rc 1 A log verify
check log_verify_cosigned_says has out "^FAIL log/cosigned/[0-9]+: not a prefix of this log: history was rewritten\$"

# Lines removed from the end of the audit log: the next run refuses to sign
# a shorter history, and verify says so.
rm -rf "$S" && cp -a pristine "$S"
head -n -1 "$S/audit.log" >al && cat al >"$S/audit.log"
check removed_lines_caught_by_verify run_rc 1 A log verify
check removed_lines_named has out "^FAIL audit.log: [0-9]+ lines, but the checkpoint covers [0-9]+: lines were removed\$"
check removed_lines_run_refuses run_rc 1 A verify
check removed_lines_run_says has err "transparency log not brought up to date: .*audit.log: [0-9]+ lines, but its first [0-9]+ do not make the checkpoint.s root: the audit log was changed; not signed"

# A store made before the log: its next writing run makes the log of every
# past event.
rm -rf "$S" && cp -a pristine "$S" && rm -rf "$S/log"
check old_store_run_exit_0 run_rc 0 A verify
check old_store_log_of_every_line sh -c "[ \"\$(sed -n 2p '$S/log/checkpoint')\" = \"\$(wc -l <'$S/audit.log' | tr -d ' ')\" ]"
check old_store_log_verifies run_rc 0 A log verify

# -- keys ------------------------------------------------------------------------
K=$PWD/kstore
check key_generate_exit_0 run_rc 0 "$ARCHIVE" --store "$K" key generate
check key_generate_prints_verifier has out '^archive\.local/[0-9a-f]{16}\+[0-9a-f]{8}\+[A-Za-z0-9+/=]{44}$'
check key_generate_kept_verifier sh -c "cmp -s out '$K/log/verifier.key'"
check key_generate_private_0600 [ "$(stat -c %a "$K/archive-log.key")" = 600 ]
check key_generate_never_replaces run_rc 1 "$ARCHIVE" --store "$K" key generate
check key_generated_signs_the_log run_rc 0 "$ARCHIVE" --store "$K" ingest rel/en-2024-06-03-quantum-strategy
check key_generated_is_the_origin sh -c "[ \"\$(sed -n 1p '$K/log/checkpoint')\" = \"\$(cut -d+ -f1 '$K/log/verifier.key')\" ]"
mkdir keys
check key_out_exit_0 run_rc 0 "$ARCHIVE" --store "$PWD/kout" key generate --out keys
check key_out_in_dir [ "$(stat -c %a keys/archive-log.key)" = 600 ]
mkdir -p kout && printf '[log]\nkey = %s/keys/archive-log.key\n' "$PWD" >kout/archive.conf
check key_out_used run_rc 0 "$ARCHIVE" --store kout ingest rel/en-2024-06-03-quantum-strategy
check key_out_not_in_store [ ! -e kout/archive-log.key ]
check key_out_signs sh -c "[ \"\$(sed -n 1p kout/log/checkpoint)\" = \"\$(cut -d+ -f1 kout/log/verifier.key)\" ]"
rm keys/archive-log.key
check key_configured_missing_is_exit_3 run_rc 3 "$ARCHIVE" --store kout verify
check key_configured_missing_named has err "keys/archive-log.key"

# -- crashes while the log grows: the next run completes it ------------------------
rm -rf "$S" && mkdir -p "$S"
rm -f points
ARCHIVE_TEST_CRASH_LOG=$PWD/points A ingest -j 1 rel >/dev/null 2>&1
n=0
for k in translog.appended translog.checkpoint; do
	check "crash_log_passes_$k" grep -qx "$k" points
done
for at in $(grep -nx 'translog\.[a-z]*' points | cut -d: -f1); do
	n=$((n + 1))
	rm -rf "$S" && mkdir -p "$S"
	ARCHIVE_TEST_CRASH_AT=$at A ingest -j 1 rel >/dev/null 2>&1
	check "crash_log_${n}_killed" [ $? -eq 137 ]
	check "crash_log_${n}_checkpoint_never_claims_more" sh -c "[ ! -e '$S/log/checkpoint' ] || [ \"\$(sed -n 2p '$S/log/checkpoint')\" -le \"\$(wc -l <'$S/audit.log')\" ]"
	check "crash_log_${n}_next_run" run_rc 0 A verify
	check "crash_log_${n}_complete" sh -c "[ \"\$(sed -n 2p '$S/log/checkpoint')\" = \"\$(wc -l <'$S/audit.log' | tr -d ' ')\" ]"
	check "crash_log_${n}_verifies" run_rc 0 A log verify
done

# A writing run that succeeded but cannot sign (the audit log was changed)
# is no success: exit 3.
rm -rf "$S" && cp -a pristine "$S"
rechain "$S/audit.log" 2
check ingest_on_changed_audit_exit_3 run_rc 3 A ingest rel
check ingest_on_changed_audit_says has err "transparency log not brought up to date: .*the audit log was changed; not signed"
