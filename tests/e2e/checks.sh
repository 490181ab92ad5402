# End-to-end: every check of SPEC's table fails on the release made for it
# (fixtures/checks/, see fixtures/README.md), with its level, its file, the
# status and exit code that level means, and the same failures in the
# quarantine's reason.json; and it stays silent on the clean releases.
. "$TOP/tests/lib.sh"

C=$FIXTURES/checks
ALL_IDS="release.readable input.file release.title release.date release.contact
attachment.present attachment.type pdf.open pdf.text pdf.matches_release
license.detected license.consistent pdf.active_content pdf.stamp"

# judge.py MODE OUT ARGS: asserts on the --json output of one ingest.
cat > judge.py <<'EOF'
import glob, json, os, sys

mode, out = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
lines = [json.loads(l) for l in open(out)]
assert len(lines) == 2 and lines[-1].get("summary") is True, lines
r = lines[0]
ids = set(os.environ["ALL_IDS"].split())

def failed(checks):
    return {(c["id"], c["level"], c["file"] or "-") for c in checks if c["status"] == "fail"}

for c in r["checks"]:
    assert set(c) == {"id", "level", "status", "message", "file"}, c
    assert c["id"] in ids and c["level"] in ("error", "warning"), c
    assert c["status"] in ("pass", "fail") and c["message"], c
    # A failure names the file it is about, in words a person reads.
    if c["status"] == "fail" and c["file"]:
        assert c["file"] in c["message"], c

if mode == "fails":  # SPEC: exactly these id:level:file failed ("-": no file)
    want = {tuple(s.split(":")) for s in args[0].split()}
    got = failed(r["checks"])
    assert got == want, "failed %s, want %s" % (sorted(got), sorted(want))
elif mode == "status":  # STATUS
    assert r["status"] == args[0], (r["status"], args[0])
elif mode == "reason":  # STORE: reason.json in quarantine lists the same failures
    q = glob.glob(os.path.join(args[0], "quarantine", "*", "reason.json"))
    assert len(q) == 1, q
    reason = json.load(open(q[0]))
    assert failed(reason["checks"]) == failed(r["checks"]), (reason["checks"], r["checks"])
elif mode == "silent":  # every check ran and passed, except those named in ARGS (not run)
    ran = {c["id"] for c in r["checks"]}
    assert not failed(r["checks"]), failed(r["checks"])
    assert ran == ids - set(args), "ran %s" % sorted(ran)
elif mode == "fired":  # print the ids that failed, one a line
    for i in sorted({f[0] for f in failed(r["checks"])}):
        print(i)
elif mode == "absent":  # ID did not run
    assert args[0] not in {c["id"] for c in r["checks"]}, r["checks"]
elif mode == "message":  # ID's message holds TEXT
    m = [c["message"] for c in r["checks"] if c["id"] == args[0] and c["status"] == "fail"]
    assert m and all(args[1] in x for x in m), m
else:
    sys.exit("judge.py: unknown mode " + mode)
EOF
export ALL_IDS
judge() { python3 judge.py "$@"; }
: > fired

# ingest NAME STORE OPTIONS...: ingest ./NAME into STORE with --json;
# output in NAME.out, exit status in NAME.rc.
ingest() {
	_n=$1 _s=$2
	shift 2
	timeout 120 "$ARCHIVE" --store "$_s" ingest --json "$@" "$_n" >"$_n.out" 2>"$_n.err"
	echo $? >"$_n.rc"
}

# expect NAME STATUS RC 'ID:LEVEL:FILE ...' OPTIONS...: ingest ./NAME into a
# store of its own (store-NAME, already there when the test made one) and
# assert what failed, the status, the exit code, and for quarantined
# releases the reason.json.
expect() {
	_n=$1 _st=$2 _rc=$3 _fails=$4
	shift 4
	ingest "$_n" "$PWD/store-$_n" "$@"
	_tag=$(echo "${_fails:-nothing}" | sed 's/:[^ ]*//g; s/ /+/g')_$_n
	check "fires_$_tag" judge fails "$_n.out" "$_fails"
	check "status_${_st}_$_n" judge status "$_n.out" "$_st"
	check "exit_${_rc}_$_n" [ "$(cat "$_n.rc")" -eq "$_rc" ]
	if [ "$_st" = quarantined ]; then
		check "reason_json_$_n" judge reason "$_n.out" "$PWD/store-$_n"
		check "no_bundle_$_n" sh -c "! ls '$PWD/store-$_n'/bundles/*/*.tar.gz 2>/dev/null | grep -q ."
	fi
	judge fired "$_n.out" >>fired
}

# case NAME: a fresh copy of fixtures/checks/NAME as ./NAME.
case_() { rm -rf "$1" && cp -R "$C/$1" "$1"; }
# bag_file NAME FILE: FILE of the bundle in store-NAME, into ./NAME.FILE
# (its base name), for the asserts that follow.
bag_file() { tar xzOf "$(ls "$PWD/store-$1"/bundles/*/*.tar.gz)" --wildcards "*/$2" >"$1.${2##*/}"; }

# -- one release per check ------------------------------------------------
case_ release-readable
expect release-readable quarantined 1 "release.readable:error:release-readable.txt"

# input.file: git holds no FIFO, so the links and FIFOs are made here.
case_ input-file
expect input-file archived 0 "" # the release itself is clean
cp -R "$C/input-file" input-file-link
ln -s /etc/passwd input-file-link/annex.pdf
expect input-file-link quarantined 1 "input.file:error:annex.pdf"
check quarantine_keeps_link_as_link test -L "$PWD/store-input-file-link/quarantine/input-file-link/release/annex.pdf"
cp -R "$C/input-file" input-file-fifo
mkfifo input-file-fifo/annex.pdf
expect input-file-fifo quarantined 1 "input.file:error:annex.pdf"
check message_names_fifo judge message input-file-fifo.out input.file FIFO
check quarantine_leaves_fifo_out sh -c "! test -e '$PWD/store-input-file-fifo/quarantine/input-file-fifo/release/annex.pdf'"

case_ release-title
expect release-title quarantined 1 "release.title:error:release-title.txt"
case_ release-date
expect release-date archived 0 "release.date:warning:release-date.txt"
case_ release-contact
expect release-contact archived 0 "release.contact:warning:release-contact.txt"
case_ attachment-present
expect attachment-present quarantined 1 "attachment.present:error:attachment-present.txt"
case_ attachment-type-not-pdf
expect attachment-type-not-pdf quarantined 1 "attachment.type:error:attachment-type-not-pdf.pdf"
case_ attachment-type-empty
expect attachment-type-empty quarantined 1 "attachment.type:error:attachment-type-empty.pdf"
check message_says_empty judge message attachment-type-empty.out attachment.type empty
case_ pdf-open-truncated
expect pdf-open-truncated quarantined 1 "pdf.open:error:pdf-open-truncated.pdf"
case_ pdf-open-password
expect pdf-open-password quarantined 1 "pdf.open:error:pdf-open-password.pdf"
check message_says_password judge message pdf-open-password.out pdf.open password
case_ pdf-text
expect pdf-text archived 0 "pdf.text:warning:pdf-text.pdf"
# pdf.matches_release is about all the PDFs together: no file.
case_ pdf-matches-release
expect pdf-matches-release archived 0 "pdf.matches_release:warning:-"

case_ license-detected
expect license-detected quarantined 1 "license.detected:error:-"
mkdir -p store-license-detected-default
printf '[defaults]\nlicense = kogl-1\n' >store-license-detected-default/archive.conf
cp -R "$C/license-detected" license-detected-default
expect license-detected-default archived 0 "license.detected:warning:-"
bag_file license-detected-default bag-info.txt
check default_license_stamped grep -qx 'License: KOGL-Type-1' license-detected-default.bag-info.txt

case_ license-consistent-en
expect license-consistent-en quarantined 1 "license.consistent:error:license-consistent-en.pdf"
check message_names_types_en judge message license-consistent-en.out license.consistent "KOGL-Type-1 but license-consistent-en.pdf states KOGL-Type-3"
case_ license-consistent-ko
expect license-consistent-ko quarantined 1 "license.consistent:error:license-consistent-ko.pdf"
check message_names_types_ko judge message license-consistent-ko.out license.consistent "KOGL-Type-1 but license-consistent-ko.pdf states KOGL-Type-4"

case_ pdf-active-content-javascript
expect pdf-active-content-javascript archived 0 "pdf.active_content:warning:pdf-active-content-javascript.pdf"
check message_says_javascript judge message pdf-active-content-javascript.out pdf.active_content JavaScript
# The same PDF with its link annotation dropped (its /Annots blanked, same
# length, so no offset moves) and rewritten by qpdf with object streams
# (PDF 1.5, compressed): its only JavaScript, the /OpenAction, now sits in
# a compressed object stream, where no byte scan of the file sees it and
# poppler-glib shows no /OpenAction. Issue 14: this passed the check.
objstm=pdf-active-content-objstm
mkdir -p "$objstm" && cp "$C/pdf-active-content-javascript/pdf-active-content-javascript.txt" "$objstm/$objstm.txt"
make_objstm_pdf() {
	python3 - "$C/pdf-active-content-javascript/pdf-active-content-javascript.pdf" no-link.pdf <<'EOF' &&
import re, sys
pdf = open(sys.argv[1], "rb").read()
pdf, n = re.subn(rb"/Annots \[ \d+ 0 R \]", lambda m: b" " * len(m.group(0)), pdf)
assert n == 1, n
open(sys.argv[2], "wb").write(pdf)
EOF
		qpdf --static-id --object-streams=generate --compress-streams=y no-link.pdf "$objstm/$objstm.pdf" &&
		grep -aq /ObjStm "$objstm/$objstm.pdf" &&
		! grep -aq -e /JavaScript -e /JS -e /OpenAction -e /Annots "$objstm/$objstm.pdf"
}
check objstm_pdf_hides_its_javascript make_objstm_pdf
expect "$objstm" archived 0 "pdf.active_content:warning:$objstm.pdf"
check message_says_javascript_objstm judge message "$objstm.out" pdf.active_content JavaScript

case_ pdf-active-content-embedded
expect pdf-active-content-embedded archived 0 "pdf.active_content:warning:pdf-active-content-embedded.pdf"
check message_says_embedded judge message pdf-active-content-embedded.out pdf.active_content "embedded files"

case_ pdf-stamp
expect pdf-stamp archived 0 "pdf.stamp:warning:pdf-stamp.pdf"
check pdf_stamp_no_access_copy sh -c "! tar tzf \"\$(ls '$PWD'/store-pdf-stamp/bundles/*/*.tar.gz)\" | grep -q '/data/access/'"
bag_file pdf-stamp data/attachments/pdf-stamp.pdf
check pdf_stamp_original_kept cmp pdf-stamp.pdf-stamp.pdf "$C/pdf-stamp/pdf-stamp.pdf"

# Every id of the table really failed somewhere above.
for id in $ALL_IDS; do
	check "every_check_fires_$id" grep -qx "$id" fired
done

# -- silence: the clean releases fire nothing --------------------------------
for r in "$FIXTURES"/releases/en-* "$FIXTURES"/releases/ko-*; do
	n=$(basename "$r")
	cp -R "$r" "$n"
	ingest "$n" "$PWD/store-$n"
	check "silent_on_${n%%-*}" judge silent "$n.out"
	check "status_archived_$n" judge status "$n.out" archived
	check "exit_0_$n" [ "$(cat "$n.rc")" -eq 0 ]
	bag_file "$n" bag-info.txt
	check "check_status_pass_$n" grep -qx 'Check-Status: pass' "$n.bag-info.txt"
done
# The real sample: its text has no year and its contact no e-mail address.
for r in "$FIXTURES"/releases/msit-*; do
	n=$(basename "$r")
	cp -R "$r" "$n"
	expect "$n" archived 0 "release.date:warning:$n.txt release.contact:warning:$n.txt"
done

# -- --force and --license ----------------------------------------------------
cp -R "$C/attachment-present" force-error
expect force-error archived 0 "attachment.present:error:attachment-present.txt" --force
bag_file force-error bag-info.txt
check force_check_status_fail grep -qx 'Check-Status: fail' force-error.bag-info.txt

# Release and PDF disagree: --force stamps the release's type.
cp -R "$C/license-consistent-en" force-mismatch
expect force-mismatch archived 0 "license.consistent:error:license-consistent-en.pdf" --force
bag_file force-mismatch bag-info.txt
check force_mismatch_stamps_release_type grep -qx 'License: KOGL-Type-1' force-mismatch.bag-info.txt
check force_mismatch_check_status_fail grep -qx 'Check-Status: fail' force-mismatch.bag-info.txt
bag_file force-mismatch data/access/license-consistent-en.pdf
check force_mismatch_access_copy_type_1 sh -c "pdfinfo force-mismatch.license-consistent-en.pdf | grep -q '^Keywords:.*KOGL-Type-1'"

# --license overrides every statement and skips license.consistent.
cp -R "$C/license-consistent-en" license-option
expect license-option archived 0 "" --license kogl-2
check license_option_skips_consistent judge absent license-option.out license.consistent
bag_file license-option bag-info.txt
check license_option_stamps_type_2 grep -qx 'License: KOGL-Type-2' license-option.bag-info.txt
check license_option_check_status_pass grep -qx 'Check-Status: pass' license-option.bag-info.txt
# With no statement at all, --license had to be used: license.detected
# fails as a warning, as with the store default (SPEC).
cp -R "$C/license-detected" license-option-none
expect license-option-none archived 0 "license.detected:warning:-" --license kogl-3
check license_option_none_says_used judge message license-option-none.out license.detected "KOGL-Type-3 given with --license is used"
