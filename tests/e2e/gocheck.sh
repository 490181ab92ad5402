# End-to-end: the transparency log's formats (SPEC, "Transparency log")
# cross-checked by a second implementation, Go's golang.org/x/mod/sumdb/note
# and .../tlog (tests/go/tlogcheck): the checkpoint is a signed note Go
# opens with log/verifier.key, its root is tlog.TreeHash of the audit log's
# lines, every `archive log proof` is a tlog.RecordProof tlog.CheckRecord
# accepts (and the very hashes tlog.ProveRecord gives); a changed proof
# hash, another store's key, a changed audit line or checkpoint fail it.
#
# Go and x/mod come from Debian (golang-go, golang-golang-x-mod-dev, which
# scripts/bootstrap installs for this test only); nothing is downloaded:
# GOPROXY=off, x/mod replaced by Debian's sources, caches in the scratch
# dir. Without go the test says SKIP, except in CI (CI=true), where
# bootstrap has run and a missing go is a FAIL. GO names the go command.
. "$TOP/tests/lib.sh"

GO=${GO:-go}
XMOD=/usr/share/gocode/src/golang.org/x/mod
if ! command -v "$GO" >/dev/null 2>&1 || [ ! -f "$XMOD/sumdb/tlog/tlog.go" ] || [ ! -f "$XMOD/sumdb/note/note.go" ]; then
	if ! command -v "$GO" >/dev/null 2>&1; then why="go is not installed"
	else why="golang.org/x/mod is not in $XMOD (golang-golang-x-mod-dev)"; fi
	if [ "${CI:-}" = true ]; then
		echo "FAIL gocheck: $why, but CI installs it (scripts/bootstrap)"
		exit 1
	fi
	echo "SKIP gocheck: $why (scripts/bootstrap installs it)"
	exit 0
fi

# -- build tests/go/tlogcheck, offline, everything under the scratch dir -----
W=$PWD
mkdir -p gosrc gohome
cp "$TOP/tests/go/tlogcheck/main.go" "$TOP/tests/go/tlogcheck/go.mod" gosrc/
gobuild() {
	(cd gosrc && env HOME="$W/gohome" GOCACHE="$W/gohome/cache" GOPATH="$W/gohome/gopath" \
		GOMODCACHE="$W/gohome/gopath/pkg/mod" GOENV=off GOWORK=off GO111MODULE=on \
		GOPROXY=off GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local GOTELEMETRY=off \
		CGO_ENABLED=0 "$GO" build -o "$W/tlogcheck" .)
}
t0=$(date +%s)
check go_build run_rc 0 gobuild
t1=$(date +%s)
echo "gocheck: $("$GO" version), golang.org/x/mod $(dpkg-query -W -f='${Version}' golang-golang-x-mod-dev 2>/dev/null || echo '?'), built in $((t1 - t0)) s" >&2
check go_build_under_a_minute [ $((t1 - t0)) -lt 60 ]
check go_build_downloaded_nothing [ ! -d gohome/gopath/pkg/mod/cache/download ]
[ -x tlogcheck ] || { echo "FAIL gocheck: no tlogcheck binary to run"; exit 1; }

# -- a store whose log has grown over two checkpoints --------------------------
S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }
cp -R "$FIXTURES/releases" rel
check ingest_exit_0 run_rc 0 A ingest rel
cp "$S/log/checkpoint" cp.first
IDS=$(A list --json | python3 -c "import json,sys; print(' '.join(json.loads(l)['id'] for l in sys.stdin if 'id' in l))")
FIRST=${IDS%% *}
check proof_at_first_checkpoint run_rc 0 A log proof "$FIRST" -o p.first
check verify_exit_0 run_rc 0 A verify
check checkpoint_grew [ "$(sed -n 2p "$S/log/checkpoint")" -gt "$(sed -n 2p cp.first)" ]
# A few more runs: a tree of more levels, not a power of two.
check verify_again_exit_0 sh -c "'$ARCHIVE' --store '$S' verify >/dev/null && '$ARCHIVE' --store '$S' verify >/dev/null && '$ARCHIVE' --store '$S' verify >/dev/null"
nids=0 proofs=""
for id in $IDS; do
	nids=$((nids + 1))
	A log proof "$id" -o "p.$nids" || echo "FAIL proof_$nids: archive log proof $id"
	proofs="$proofs p.$nids"
done
check several_bundles [ "$nids" -ge 2 ]
VK=$S/log/verifier.key
CP=$S/log/checkpoint
AL=$S/audit.log
G() { ./tlogcheck "$@"; }

# -- Go accepts what the tool wrote ----------------------------------------------
# shellcheck disable=SC2086
check go_accepts_log_and_proofs run_rc 0 G "$VK" "$CP" "$AL" $proofs
cp out go.out
check go_opened_checkpoint has go.out "^OK   checkpoint: note.Open accepts the signature of $(cut -d+ -f1 "$VK")\\+"
check go_root_is_treehash has go.out "^OK   checkpoint: root = tlog.TreeHash of the first $(wc -l <"$AL" | tr -d ' ') of $(wc -l <"$AL" | tr -d ' ') audit.log lines"
check go_checkrecord_every_proof [ "$(grep -c '^OK   p\.[0-9]*: entry [0-9]* of [0-9]*: tlog.CheckRecord accepts' go.out)" -eq "$nids" ]
check go_proverecord_every_proof [ "$(grep -c "^OK   p\.[0-9]*: the hashes are tlog.ProveRecord's" go.out)" -eq "$nids" ]
check go_flipped_byte_every_proof [ "$(grep -c '^OK   p\.[0-9]*: a flipped byte .* fails tlog.CheckRecord$' go.out)" -eq "$nids" ]
check go_flipped_signature_fails has go.out "^OK   checkpoint: a flipped signature byte fails note.Open"
# The first checkpoint (kept) and a proof made then: a prefix of the grown log.
check go_accepts_older_checkpoint_and_proof run_rc 0 G "$VK" cp.first "$AL" p.first
check go_older_is_a_prefix has out "^OK   checkpoint: root = tlog.TreeHash of the first $(sed -n 2p cp.first) of $(wc -l <"$AL" | tr -d ' ') audit.log lines"

# -- and rejects what was changed --------------------------------------------------
# A proof with its first hash line (the line after "index N") changed.
awk 'f == 1 { sub(/^./, "A"); f = 2 } /^index / && !f { f = 1 } { print }' p.1 >p.bad
cmp -s p.1 p.bad && awk 'f == 1 { sub(/^./, "B"); f = 2 } /^index / && !f { f = 1 } { print }' p.1 >p.bad
check bad_proof_differs_in_one_line [ "$(diff p.1 p.bad | grep -c '^[<>]')" -eq 2 ]
check go_rejects_changed_proof_hash run_rc 1 G "$VK" "$CP" "$AL" p.bad
check go_rejects_changed_proof_hash_says has err "^FAIL p.bad: tlog.CheckRecord\\(.*\\): invalid transparency proof\$"
# The checkpoint with another store's verifier key.
check other_key_made run_rc 0 "$ARCHIVE" --store other key generate
cp out other.vkey
check go_rejects_other_key run_rc 1 G other.vkey "$CP" "$AL"
check go_rejects_other_key_says has err "^FAIL checkpoint: note.Open: note has no verifiable signatures$"
# The audit log with one line changed (a letter of its user).
sed '2s/"user":"\(.\)/"user":"X\1/' "$AL" >al.bad
check bad_audit_differs_in_one_line [ "$(diff "$AL" al.bad | grep -c '^[<>]')" -eq 2 ]
check go_rejects_changed_audit_line run_rc 1 G "$VK" "$CP" al.bad
check go_rejects_changed_audit_line_says has err "^FAIL checkpoint: root .*, but tlog.TreeHash of the first [0-9]+ audit.log lines is "
# The checkpoint's root line changed, its signature kept.
sed '3s/^./A/' "$CP" >cp.bad
cmp -s "$CP" cp.bad && sed '3s/^./B/' "$CP" >cp.bad
check go_rejects_changed_checkpoint run_rc 1 G "$VK" cp.bad "$AL"
check go_rejects_changed_checkpoint_says has err "^FAIL checkpoint: note.Open: invalid signature"
