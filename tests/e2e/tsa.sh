# End-to-end: RFC 3161 time-stamps of the log's checkpoints (SPEC,
# "Transparency log": `[log] tsa = URL`). A real TSA on 127.0.0.1: OpenSSL's
# `openssl ts -reply` behind a tiny HTTP server made here, with a throwaway
# CA. The server is bounded (at most 40 requests, 120 s) and killed at the
# end. The token is checked with `openssl ts -verify` alone; a TSA that is
# down, answers garbage or an HTTP 500 is a warning, and the next writing
# run asks again.
. "$TOP/tests/lib.sh"

S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }
cp -R "$FIXTURES/releases" rel
# The TSA is on 127.0.0.1: never through a proxy of the environment.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1

# -- a throwaway CA and a TSA certificate ----------------------------------------
T=$PWD/tsa
mkdir -p "$T"
cat >"$T/tsa.cnf" <<EOF
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = $T
serial = \$dir/serial
signer_cert = \$dir/tsa.pem
certs = \$dir/ca.pem
signer_key = \$dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[ tsa_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
EOF
echo 01 >"$T/serial"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-subj "/CN=archive test TSA CA" -keyout "$T/ca.key" -out "$T/ca.pem" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-subj "/CN=archive test TSA" -keyout "$T/tsa.key" -out "$T/tsa.csr" 2>/dev/null
openssl x509 -req -in "$T/tsa.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
	-extfile "$T/tsa.cnf" -extensions tsa_ext -out "$T/tsa.pem" 2>/dev/null
check tsa_cert_made sh -c "openssl x509 -in '$T/tsa.pem' -noout -ext extendedKeyUsage | grep -q 'Time Stamping'"

# -- the TSA: one POST, one `openssl ts -reply` ----------------------------------
# $T/mode: ok (default), garbage (200 and bytes that are no reply), 500,
# replay (the last reply again, not one made for this query).
# Every query is kept as $T/last.tsq, its Content-Type in $T/ctype.
cat >"$T/server.py" <<'PY'
import http.server, os, subprocess, sys, time
d, portfile, most = sys.argv[1], sys.argv[2], int(sys.argv[3])
served = 0
class TSA(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global served
        served += 1
        q = self.rfile.read(int(self.headers.get('Content-Length', '0')))
        open(os.path.join(d, 'ctype'), 'w').write(self.headers.get('Content-Type', '') + '\n')
        open(os.path.join(d, 'last.tsq'), 'wb').write(q)
        mode = 'ok'
        if os.path.exists(os.path.join(d, 'mode')):
            mode = open(os.path.join(d, 'mode')).read().strip()
        if mode == '500':
            self.send_error(500, 'TSA broken')
            return
        if mode == 'garbage':
            body = b'this is not a time-stamp reply\n'
        elif mode == 'replay':
            body = open(os.path.join(d, 'last.tsr'), 'rb').read()
        else:
            r = os.path.join(d, 'last.tsr')
            subprocess.run(['openssl', 'ts', '-reply', '-queryfile', os.path.join(d, 'last.tsq'),
                            '-signer', os.path.join(d, 'tsa.pem'), '-inkey', os.path.join(d, 'tsa.key'),
                            '-chain', os.path.join(d, 'ca.pem'), '-config', os.path.join(d, 'tsa.cnf'),
                            '-out', r], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            body = open(r, 'rb').read()
        self.send_response(200)
        self.send_header('Content-Type', 'application/timestamp-reply')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
srv = http.server.HTTPServer(('127.0.0.1', 0), TSA)
srv.timeout = 1
open(portfile + '.tmp', 'w').write('%d\n' % srv.server_address[1])
os.rename(portfile + '.tmp', portfile)
# Bounded: at most `most` requests, 120 s, whatever the test does.
end = time.time() + 120
while served < most and time.time() < end:
    srv.handle_request()
PY
TSA_PID=
trap '[ -n "$TSA_PID" ] && kill "$TSA_PID" 2>/dev/null' EXIT
# start_tsa: a new server; $PORT its port, archive.conf pointing at it.
start_tsa() {
	rm -f "$T/port"
	python3 "$T/server.py" "$T" "$T/port" 40 &
	TSA_PID=$!
	i=0
	while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	PORT=$(cat "$T/port")
	URL=http://127.0.0.1:$PORT/
	printf '[log]\ntsa = %s\n' "$URL" >"$S/archive.conf"
}
stop_tsa() { kill "$TSA_PID" 2>/dev/null; wait "$TSA_PID" 2>/dev/null; TSA_PID=; }
tsverify() { openssl ts -verify -in "$1" -data "$2" -CAfile "$T/ca.pem" >verify.out 2>&1 && grep -qx 'Verification: OK' verify.out; }
cp_size() { sed -n 2p "$S/log/checkpoint"; }
lines() { wc -l <"$S/audit.log" | tr -d ' '; }
# fails CMD...: CMD ran and failed (a function too, not a missing command).
fails() { "$@"; [ $? -eq 1 ]; }

mkdir -p "$S"
start_tsa
check tsa_started [ -n "$PORT" ]
check ingest_exit_0 run_rc 0 A ingest rel
check ingest_no_warning sh -c "! grep -q 'time-stamp' err"
check token_kept [ -s "$S/log/checkpoint.tsr" ]
check token_per_size cmp -s "$S/log/checkpoint.tsr" "$S/log/tsr/$(cp_size).tsr"
check token_verifies tsverify "$S/log/checkpoint.tsr" "$S/log/checkpoint"
check token_is_a_granted_reply sh -c "openssl ts -reply -in '$S/log/checkpoint.tsr' -text 2>/dev/null | grep -q '^Status: Granted.'"
check token_hash_is_sha256_of_checkpoint sh -c "openssl ts -reply -in '$S/log/checkpoint.tsr' -text 2>/dev/null | tr -d ' \n-' | grep -qi \"\$(sha256sum '$S/log/checkpoint' | cut -c1-16)\""
check query_content_type grep -qx 'application/timestamp-query' "$T/ctype"
openssl ts -query -in "$T/last.tsq" -text >query.txt 2>/dev/null
check query_sha256 has query.txt "Hash Algorithm: sha256"
check query_nonce has query.txt "^Nonce: 0x[0-9A-F]+"
check query_cert_req has query.txt "Certificate required: yes"
# Whose CA to trust is the auditor's: another CA's check fails.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-subj "/CN=another CA" -keyout other.key -out other.pem 2>/dev/null
check token_other_ca_fails sh -c "! openssl ts -verify -in '$S/log/checkpoint.tsr' -data '$S/log/checkpoint' -CAfile other.pem >/dev/null 2>&1"
# A changed checkpoint is not the one time-stamped.
sed '2s/^/1/' "$S/log/checkpoint" >changed
check changed_checkpoint_fails sh -c "! openssl ts -verify -in '$S/log/checkpoint.tsr' -data changed -CAfile '$T/ca.pem' >/dev/null 2>&1"
check checks_can_fail fails tsverify "$S/log/checkpoint.tsr" changed

# Nothing new: the token is current, no request made.
rm -f "$T/last.tsq"
cp "$S/log/checkpoint.tsr" tsr.first
check read_only_run run_rc 0 A list
check read_only_asks_nothing [ ! -e "$T/last.tsq" ]
# Each writing run adds audit lines: a new checkpoint, a new token.
check verify_run_exit_0 run_rc 0 A verify
check new_token_asked [ -e "$T/last.tsq" ]
check new_token_differs sh -c "! cmp -s tsr.first '$S/log/checkpoint.tsr'"
check new_token_verifies tsverify "$S/log/checkpoint.tsr" "$S/log/checkpoint"
check old_token_kept_by_size sh -c "ls '$S/log/tsr' | wc -l | grep -qx 2"

# -- a TSA that is down: the checkpoint written, a warning, retried --------------
stop_tsa
cp "$S/log/checkpoint" cp.before
check down_run_exit_0 run_rc 0 A verify
cp err down.err
check down_warns has err "^archive: verify: warning: log/checkpoint not time-stamped .*tsa http://127\.0\.0\.1:$PORT/: "
check down_checkpoint_grew [ "$(cp_size)" -gt "$(sed -n 2p cp.before)" ]
check down_checkpoint_covers_all [ "$(cp_size)" = "$(lines)" ]
check down_log_verifies run_rc 0 A log verify
check down_token_stale fails tsverify "$S/log/checkpoint.tsr" "$S/log/checkpoint"
# `archive log verify` reads only: no retry there.
start_tsa
rm -f "$T/last.tsq"
check log_verify_asks_nothing sh -c "'$ARCHIVE' --store '$S' log verify >/dev/null 2>&1 && [ ! -e '$T/last.tsq' ]"
# Back: the next writing run stamps the current checkpoint.
check back_run_exit_0 run_rc 0 A verify
check back_no_warning sh -c "! grep -q 'time-stamp' err"
check back_token_verifies tsverify "$S/log/checkpoint.tsr" "$S/log/checkpoint"
check back_token_per_size cmp -s "$S/log/checkpoint.tsr" "$S/log/tsr/$(cp_size).tsr"

# A run that adds no audit line but finds no current token asks again:
# the checkpoint left unstamped by a run whose TSA was down.
stop_tsa
check down_again_exit_0 run_rc 0 A verify
check down_again_warns has err "warning: log/checkpoint not time-stamped"
size_unstamped=$(cp_size)
start_tsa
rm -f "$T/last.tsq"
cp "$S/log/checkpoint" cp.unstamped
# reindex takes the lock and adds no audit line: the same checkpoint.
check retry_run_exit_0 run_rc 0 A reindex
check retry_same_checkpoint cmp -s cp.unstamped "$S/log/checkpoint"
check retry_stamped tsverify "$S/log/checkpoint.tsr" "$S/log/checkpoint"
check retry_kept_by_size cmp -s "$S/log/checkpoint.tsr" "$S/log/tsr/$size_unstamped.tsr"

# -- a TSA that answers garbage, or an HTTP 500 ---------------------------------
echo garbage >"$T/mode"
check garbage_exit_0 run_rc 0 A verify
check garbage_warns has err "warning: log/checkpoint not time-stamped .*tsa $URL: the reply \([0-9]+ bytes\) is not an RFC 3161 TimeStampResp"
echo 500 >"$T/mode"
check http_500_exit_0 run_rc 0 A verify
check http_500_warns has err "warning: log/checkpoint not time-stamped .*tsa $URL: HTTP status 500"
check http_500_checkpoint_written [ "$(cp_size)" = "$(lines)" ]
echo ok >"$T/mode"
check ok_again_exit_0 run_rc 0 A verify
check ok_again_verifies tsverify "$S/log/checkpoint.tsr" "$S/log/checkpoint"
# A replayed reply, for this very checkpoint but another request: its
# nonce is not ours.
echo replay >"$T/mode"
rm "$S/log/checkpoint.tsr"
check replay_exit_0 run_rc 0 A reindex
check replay_warns has err "warning: log/checkpoint not time-stamped .*tsa $URL: the time-stamp is not for this request: nonce mismatch"
check replay_not_kept [ ! -e "$S/log/checkpoint.tsr" ]
# A replayed reply for an older checkpoint: its imprint is not ours.
check replay_old_exit_0 run_rc 0 A verify
check replay_old_warns has err "tsa $URL: the time-stamp is not for this request: message imprint mismatch"
echo ok >"$T/mode"
check ok_after_replay run_rc 0 A reindex
check ok_after_replay_verifies tsverify "$S/log/checkpoint.tsr" "$S/log/checkpoint"
# A warning never hides a failure: a run that fails keeps its exit status.
echo 500 >"$T/mode"
rm "$S/log/checkpoint.tsr"
check failed_run_keeps_status run_rc 1 A ingest no-such-release
check failed_run_warns_too has err "warning: log/checkpoint not time-stamped .*HTTP status 500"
echo ok >"$T/mode"
stop_tsa
