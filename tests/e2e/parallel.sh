# End-to-end: parallel ingest (-j N) changes nothing but the time it takes.
# The same input ingested with -j 1 and with -j 4 (one clock, fixed by
# SOURCE_DATE_EPOCH) gives the same output lines in the same order, the
# same quarantine folders and byte-identical bundles, which gzip, tar,
# Python's tarfile, sha256sum and verify all accept; a -j 4 run killed
# midway leaves nothing half-done that the next run does not finish.
. "$TOP/tests/lib.sh"

export SOURCE_DATE_EPOCH=1717200000 # 2024-06-01T00:00:00Z
mkpdf=$(dirname "$ARCHIVE")/mkpdf
[ -x "$mkpdf" ] || mkpdf=$TOP/build/mkpdf
# mkpdf may be a sanitizer build; cairo's own allocations are not ours.
check parallel_corpus_made env ASAN_OPTIONS=detect_leaks=0 \
	python3 "$TOP/scripts/gen-corpus" 12 corpus "$mkpdf"
# The same content twice in one batch: the second is already archived,
# whichever child finished first.
mkdir dup && cp -R corpus/en-00002 dup/copy-of-en-00002 2>/dev/null ||
	cp -R "corpus/$(ls corpus | head -n 1)" dup/copy
INPUT="corpus $FIXTURES/releases $FIXTURES/checks dup"

# A PDF with a trailer /ID gets the save time in its access copy's /ID
# (poppler), so two runs could differ by luck. Only the one poppler cannot
# open (no access copy) may have one; with another, this test would not
# prove what it claims.
ids=$(for f in $(find corpus "$FIXTURES/releases" "$FIXTURES/checks" -name '*.pdf'); do
	grep -aq '/ID *\[' "$f" && basename "$f"; done | grep -vx 'pdf-open-password.pdf')
check parallel_no_pdf_with_trailer_id [ -z "$ids" ]

"$ARCHIVE" --store s1 ingest -j 1 $INPUT >out1 2>err1
rc1=$?
"$ARCHIVE" --store s4 ingest -j 4 $INPUT >out4 2>err4
rc4=$?
check parallel_exit_1_for_quarantines [ "$rc1" -eq 1 ]
check parallel_same_exit [ "$rc1" -eq "$rc4" ]
# Only the store's name differs: the indented path under each line (not a
# "s1/" elsewhere, such as in the checkout's own path).
sed 's|^\( *\)s1/|\1S/|' out1 >o1 && sed 's|^\( *\)s4/|\1S/|' out4 >o4
check parallel_same_output_same_order sh -c 'cmp -s o1 o4 || { diff o1 o4 >&2; exit 1; }'
check parallel_summary has out4 '^[0-9]+ releases: [1-9][0-9]* archived, 1 already archived, [1-9][0-9]* quarantined$'
check parallel_duplicate_already_archived has out4 '^already archived  '
check parallel_same_stderr cmp err1 err4

(cd s1 && find bundles quarantine -type f | sort) >files1
(cd s4 && find bundles quarantine -type f | sort) >files4
check parallel_same_files cmp files1 files4
check parallel_has_bundles [ "$(grep -c '\.tar\.gz$' files4)" -ge 12 ]
same_bundles() {
	for f in $(grep '\.tar\.gz' files1); do
		cmp "s1/$f" "s4/$f" || return 1
	done
}
check parallel_bundles_byte_identical same_bundles
check parallel_quarantine_identical diff -r s1/quarantine s4/quarantine
"$ARCHIVE" --store s1 list --json >l1
"$ARCHIVE" --store s4 list --json >l4
check parallel_same_list cmp l1 l4
check parallel_tmp_empty [ -z "$(ls -A s4/tmp)" ]
check parallel_verify_store run_rc 0 "$ARCHIVE" --store s4 verify

# One standard gzip stream, whatever was stored or squeezed in it.
standard_tools() {
	for b in s4/bundles/*/*.tar.gz; do
		gzip -t "$b" && tar tzf "$b" >/dev/null &&
			(cd "$(dirname "$b")" && sha256sum -c --quiet "$(basename "$b").sha256") || return 1
		[ "$(gzip -dc "$b" | head -c 262 | tail -c 5)" = ustar ] || return 1
	done
	python3 - s4/bundles/*/*.tar.gz <<'PY'
import sys, tarfile
for b in sys.argv[1:]:
    with tarfile.open(b, "r:gz") as t:
        for m in t.getmembers():
            if m.isfile():
                t.extractfile(m).read()
PY
}
check parallel_bundles_read_by_standard_tools standard_tools
# PDFs (originals and access copies) go into stored blocks, not deflate:
# every bundle is at least as big as its PDFs (deflate would save ~20% on
# these small ones, so a bundle with deflated PDFs would be smaller).
pdf_stored() {
	python3 - s4/bundles/*/*.tar.gz <<'PY'
import os, sys, tarfile
for b in sys.argv[1:]:
    with tarfile.open(b, "r:gz") as t:
        pdf = sum(m.size for m in t.getmembers() if m.name.endswith(".pdf"))
    assert os.path.getsize(b) >= pdf, "%s: %d bytes, its PDFs %d" % (b, os.path.getsize(b), pdf)
PY
}
check parallel_pdfs_stored pdf_stored

# Killed midway (parent SIGKILLed once a bundle is out): the next run
# finishes the job, and what it makes equals the undisturbed run's.
"$ARCHIVE" --store s5 -q ingest -j 4 corpus >/dev/null 2>&1 &
pid=$!
n=0
while [ $n -lt 600 ] && [ -z "$(ls s5/bundles/*/*.tar.gz 2>/dev/null)" ] && kill -0 $pid 2>/dev/null; do
	sleep 0.1; n=$((n + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
# The killed run's children still hold the store lock while they finish:
# the next run waits for them (exit 75) rather than race them in tmp/.
rc=75 n=0
while [ $rc -eq 75 ] && [ $n -lt 120 ]; do
	"$ARCHIVE" --store s5 ingest -j 4 corpus >out5 2>err5
	rc=$?
	[ $rc -eq 75 ] && sleep 1
	n=$((n + 1))
done
check parallel_killed_run_finished [ $rc -eq 0 ]
check parallel_killed_tmp_empty [ -z "$(ls -A s5/tmp)" ]
check parallel_killed_verify run_rc 0 "$ARCHIVE" --store s5 verify
killed_same_bundles() {
	for b in s5/bundles/*/*.tar.gz; do
		cmp "$b" "s1/${b#s5/}" || return 1
	done
	[ "$(ls s5/bundles/*/*.tar.gz | wc -l)" -eq "$(ls corpus | wc -l)" ]
}
check parallel_killed_bundles_as_undisturbed killed_same_bundles
one_ingest_line_each() {
	python3 - s5 <<'PY'
import json, os, sys, collections
n = collections.Counter(json.loads(l)["id"] for l in open(os.path.join(sys.argv[1], "audit.log"))
                        if json.loads(l)["event"] == "ingest")
assert n and all(v == 1 for v in n.values()), n
PY
}
check parallel_killed_one_ingest_line_each one_ingest_line_each
