# End-to-end: HWP 5, HWPX and ODT attachments through ingest (issue 17).
# The documents are made at test time by scripts/gen-hwp and scripts/gen-odf
# (no Hancom software: the records, the compound file and the zips are
# written from the published formats). Each release here is ingested by the
# real binary and its bundle read back with tar and python3: the text in
# data/text/attachments/NAME.txt, the facts in release.json, the checks,
# the licence found in a document, and what hostile files, a crashing and
# a hanging worker cost (a warning; the release is still archived).
. "$TOP/tests/lib.sh"

S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }
G=$PWD/gen
python3 "$TOP/scripts/gen-hwp" "$G" >/dev/null || { echo "FAIL gen_hwp"; exit 1; }
python3 "$TOP/scripts/gen-odf" "$G" >/dev/null || { echo "FAIL gen_odf"; exit 1; }
KO=$FIXTURES/releases/ko-2024-07-15-ai-semiconductor
TITLE='2024년 인공지능 반도체 산업 육성 전략 발표'

# release DIR LICENCE-LINE: a release document whose headline is the
# generated documents' title; the licence line may be empty.
release() {
	mkdir -p "$1"
	cat >"$1/$(basename "$1").txt" <<EOF
보도자료

$TITLE

2024. 5. 10. 과학기술정보통신부

과학기술정보통신부는 인공지능 반도체 산업을 국가 전략 산업으로 육성하기 위해 2027년까지 총 1조 2천억 원을 투자한다고 밝혔다.

문의: 반도체정책과 (전화: 044-202-6000, 이메일: ai-chip@msit.go.kr)

붙임: 세부 추진 과제 1부.

$2
EOF
}

# json BUNDLE EXPR: evaluate a python expression over the bundle's
# release.json (as j), its names (names) and its files' bytes (read(path)).
json() {
	python3 - "$@" <<'PY'
import json, sys, tarfile
t = tarfile.open(sys.argv[1])
top = t.getnames()[0].split('/')[0]
names = [n[len(top) + 1:] for n in t.getnames()]
def read(p):
    return t.extractfile(top + '/' + p).read()
j = json.loads(read('metadata/release.json'))
checks = {}
for c in j['checks']:
    checks.setdefault((c['id'], c['file']), c)
docs = {d['file']: d for d in j['documents']}
ok = eval(sys.argv[2])
if not ok:
    print('not true:', sys.argv[2], file=sys.stderr)
    print(json.dumps({'checks': j['checks'], 'documents': j['documents']}, ensure_ascii=False, indent=1), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}
bundle_of() { python3 -c "import json,sys; print(json.loads(open('out').readline())['bundle'])"; }

# 1. The sample release with its PDF and an HWP: both texts in the bundle,
# the HWP byte-exact, its facts recorded, every check passing.
mkdir -p r1 && cp "$KO"/* r1/ && cp "$G/press.hwp" r1/
check pdf_and_hwp_archived run_rc 0 A --json ingest r1
B1=$(bundle_of)
check hwp_text_in_bundle json "$B1" "'$TITLE' in read('data/text/attachments/press.hwp.txt').decode()"
check hwp_text_has_its_table json "$B1" "'\n예산(억 원)\n' in read('data/text/attachments/press.hwp.txt').decode()"
check hwp_text_one_form_feed json "$B1" "read('data/text/attachments/press.hwp.txt').count(b'\f') == 1"
check hwp_byte_exact json "$B1" "read('data/attachments/press.hwp') == open('$G/press.hwp', 'rb').read()"
check hwp_facts json "$B1" "docs['press.hwp']['format'] == 'hwp' and docs['press.hwp']['version'].startswith('5.') and docs['press.hwp']['sections'] == 2 and docs['press.hwp']['compressed'] and docs['press.hwp']['kogl_flag'] and docs['press.hwp']['license_stated'] == 'KOGL-Type-1'"
check hwp_mime json "$B1" "[f['mime'] for f in j['files'] if f['path'] == 'data/attachments/press.hwp'] == ['application/x-hwp']"
check hwp_document_text_passes json "$B1" "checks[('document.text', 'press.hwp')]['status'] == 'pass'"
check hwp_no_active_content json "$B1" "checks[('document.active_content', 'press.hwp')]['status'] == 'pass'"
check hwp_licence_agrees json "$B1" "checks[('license.consistent', None)]['status'] == 'pass'"
check no_document_match_with_pdf_text json "$B1" "not any(k[0] == 'document.matches_release' for k in checks)"
check dc_names_hwp json "$B1" "b'<dc:format>application/x-hwp</dc:format>' in read('metadata/dc.xml')"
check pdf_and_hwp_bundle_verifies run_rc 0 A verify "$B1"
check pdf_and_hwp_sidecar sh -c "cd '$(dirname "$B1")' && sha256sum -c --quiet '$(basename "$B1").sha256'"

# 2. A release whose only attachment is an HWP, and whose text states no
# licence: the HWP's KOGL statement is found and stamped; its title is
# looked for in the HWP's text.
release r2 ''
cp "$G/press.hwp" r2/
check hwp_only_archived run_rc 0 A --json ingest r2
B2=$(bundle_of)
check licence_from_hwp json "$B2" "j['license']['id'] == 'KOGL-Type-1' and j['license']['source'] == 'document' and checks[('license.detected', None)]['status'] == 'pass' and 'press.hwp' in checks[('license.detected', None)]['message']"
check title_found_in_hwp json "$B2" "checks[('document.matches_release', None)]['status'] == 'pass'"
check bag_info_licence sh -c "tar xzOf '$B2' --wildcards '*/bag-info.txt' | grep -qx 'License: KOGL-Type-1'"

# The same release whose HWP does not hold the title: the check fails (a warning).
release r2b ''
sed 's/인공지능 반도체 산업 육성 전략 발표/양자 기술 클러스터 지정/' r2/r2.txt >r2b/r2b.txt
cp "$G/press.hwp" r2b/
check title_not_in_hwp_still_archived run_rc 0 A --json ingest r2b
check title_not_in_hwp_warns json "$(bundle_of)" "checks[('document.matches_release', None)]['status'] == 'fail'"

# 3. The release says Type 1, its HWP Type 4 (the uncompressed copy with
# one UTF-16 digit changed): license.consistent fails, quarantined.
release r3 '공공누리 제1유형: 출처표시'
python3 - "$G/plain.hwp" r3/type4.hwp <<'PY'
import sys
b = open(sys.argv[1], 'rb').read()
old = '제1유형'.encode('utf-16-le')
assert b.count(old) == 1, b.count(old)
open(sys.argv[2], 'wb').write(b.replace(old, '제4유형'.encode('utf-16-le')))
PY
check licence_conflict_quarantined run_rc 1 A --json ingest r3
check licence_conflict_named has out '"license.consistent".*the release states KOGL-Type-1 but type4.hwp states KOGL-Type-4'

# 4. Protected, scripted, embedded, distribution and many-section HWPs.
mkdir -p r4 && cp "$KO"/* r4/
for f in password drm script-default script-active ole distribution sections12; do cp "$G/$f.hwp" r4/; done
printf 'HWP Document File V3.00 \032\001\002\003\004\005' >r4/old.hwp
check protected_still_archived run_rc 0 A --json ingest r4
B4=$(bundle_of)
check password_warns json "$B4" "checks[('document.text', 'password.hwp')]['level'] == 'warning' and checks[('document.text', 'password.hwp')]['status'] == 'fail' and 'password-protected' in checks[('document.text', 'password.hwp')]['message']"
check drm_warns json "$B4" "'DRM-protected' in checks[('document.text', 'drm.hwp')]['message']"
check hwp3_warns json "$B4" "checks[('document.text', 'old.hwp')]['status'] == 'fail' and 'HWP 3' in checks[('document.text', 'old.hwp')]['message'] and docs['old.hwp']['format'] == 'hwp3'"
check protected_have_no_text json "$B4" "not any(n.endswith(('password.hwp.txt', 'drm.hwp.txt', 'old.hwp.txt')) for n in names)"
check protected_kept_byte_exact json "$B4" "read('data/attachments/password.hwp') == open('$G/password.hwp', 'rb').read()"
check default_script_is_no_active_content json "$B4" "checks[('document.active_content', 'script-default.hwp')]['status'] == 'pass'"
check script_is_active_content json "$B4" "checks[('document.active_content', 'script-active.hwp')]['status'] == 'fail' and 'scripts' in checks[('document.active_content', 'script-active.hwp')]['message'] and docs['script-active.hwp']['scripts']"
check ole_is_active_content json "$B4" "checks[('document.active_content', 'ole.hwp')]['status'] == 'fail' and docs['ole.hwp']['embedded_objects']"
check distribution_decrypted json "$B4" "docs['distribution.hwp']['distribution'] and '$TITLE' in read('data/text/attachments/distribution.hwp.txt').decode()"
check twelve_sections_in_order json "$B4" "docs['sections12.hwp']['sections'] == 12 and read('data/text/attachments/sections12.hwp.txt').count(b'\f') == 11"
check protected_bundle_verifies run_rc 0 A verify "$B4"

# 5. Hostile HWPs: each ends in document.text with the reason, in bounded
# memory and time; the release is archived, the files byte-exact.
mkdir -p r5 && cp "$KO"/* r5/ && cp "$G"/hostile-*.hwp r5/
check hostile_hwp_archived run_rc 0 A --json ingest r5
B5=$(bundle_of)
for pair in fat-cycle:loops sector-range:beyond huge-stream:'larger than 64 MiB' dir-cycle:loops \
	difat-cycle:loops bomb:inflates record-overrun:'past the end' sections-1100:'more than 1024' \
	truncated:beyond; do
	f=hostile-${pair%%:*}.hwp why=${pair#*:}
	check "hostile_${pair%%:*}" json "$B5" "checks[('document.text', '$f')]['status'] == 'fail' and '$why' in checks[('document.text', '$f')]['message']"
done
check hostile_bundle_verifies run_rc 0 A verify "$B5"

# 6. A document worker that crashes or hangs costs only its document's text.
mkdir -p r6 && cp "$KO"/* r6/ && cp "$G/press.hwp" r6/crash.hwp && cp "$G/plain.hwp" r6/hang.hwp
mkdir -p S6 && printf '[limits]\nworker_timeout_seconds = 2\n' >S6/archive.conf
check worker_faults_archived run_rc 0 env ARCHIVE_TEST_WORKER=crash:crash.hwp,hang:hang.hwp \
	"$ARCHIVE" --store S6 --json ingest r6
B6=$(bundle_of)
check worker_crash_named json "$B6" "'signal 11' in checks[('document.text', 'crash.hwp')]['message']"
check worker_hang_named json "$B6" "'timed out' in checks[('document.text', 'hang.hwp')]['message']"
check worker_faults_keep_pdf json "$B6" "checks[('pdf.open', 'ko-2024-07-15-ai-semiconductor.pdf')]['status'] == 'pass'"

# 7. The same releases give the same payload with -j 1 and -j 2.
mkdir batch && cp -R r1 r2 r4 r5 batch/
check batch_j1 run_rc 0 "$ARCHIVE" --store Sj1 -q ingest -j 1 batch
check batch_j2 run_rc 0 "$ARCHIVE" --store Sj2 -q ingest -j 2 batch
check same_bundles_any_j sh -c '
	for b in Sj1/bundles/*/*.tar.gz; do
		o=Sj2/bundles/${b#Sj1/bundles/}
		[ -f "$o" ] || exit 1
		[ "$(tar xzOf "$b" --wildcards "*/manifest-sha256.txt")" = "$(tar xzOf "$o" --wildcards "*/manifest-sha256.txt")" ] || exit 1
	done'

# 8. HWPX and ODT: the text (spine order, a form feed between sections or
# pages), the media type SPEC names for HWPX (libmagic says zip), the
# licence found in them.
release r8 ''
cp "$G/release.hwpx" r8/
check hwpx_only_archived run_rc 0 A --json ingest r8
B8=$(bundle_of)
check hwpx_mime json "$B8" "[f['mime'] for f in j['files'] if f['path'] == 'data/attachments/release.hwpx'] == ['application/hwp+zip'] and b'<dc:format>application/hwp+zip</dc:format>' in read('metadata/dc.xml')"
check hwpx_text_spine_order json "$B8" "(lambda x: x.count('\f') == 1 and x.index('$TITLE') < x.index('\f') < x.index('공공누리'))(read('data/text/attachments/release.hwpx.txt').decode())"
check hwpx_nested_cell_own_line json "$B8" "'\n내부 표 셀\n' in read('data/text/attachments/release.hwpx.txt').decode()"
check licence_from_hwpx json "$B8" "j['license']['source'] == 'document' and j['license']['id'] == 'KOGL-Type-1' and docs['release.hwpx']['format'] == 'hwpx' and docs['release.hwpx']['version'] == '5.1.1.0' and docs['release.hwpx']['sections'] == 2"
check title_found_in_hwpx json "$B8" "checks[('document.matches_release', None)]['status'] == 'pass'"

release r9 ''
cp "$G/release.odt" r9/
check odt_only_archived run_rc 0 A --json ingest r9
B9=$(bundle_of)
check odt_pages_as_form_feeds json "$B9" "read('data/text/attachments/release.odt.txt').count(b'\f') == 2 and docs['release.odt']['sections'] == 3"
check licence_from_odt json "$B9" "j['license']['source'] == 'document' and docs['release.odt']['format'] == 'odt' and docs['release.odt']['license_stated'] == 'KOGL-Type-1'"
check odt_mime json "$B9" "[f['mime'] for f in j['files'] if f['path'] == 'data/attachments/release.odt'] == ['application/vnd.oasis.opendocument.text']"
check hwpx_odt_bundles_verify run_rc 0 A verify "$B8" "$B9"

# Scripts, macros and objects; both OWPML namespaces give the same text.
mkdir -p r10 && cp "$KO"/* r10/
for f in script-default.hwpx script-active.hwpx ole.hwpx macro.odt object.odt release-2024.hwpx release.hwpx; do cp "$G/$f" r10/; done
check active_zips_archived run_rc 0 A --json ingest r10
B10=$(bundle_of)
check hwpx_default_script_passes json "$B10" "checks[('document.active_content', 'script-default.hwpx')]['status'] == 'pass'"
check hwpx_script_fails json "$B10" "checks[('document.active_content', 'script-active.hwpx')]['status'] == 'fail'"
check hwpx_ole_fails json "$B10" "checks[('document.active_content', 'ole.hwpx')]['status'] == 'fail' and docs['ole.hwpx']['embedded_objects']"
check odt_macro_fails json "$B10" "checks[('document.active_content', 'macro.odt')]['status'] == 'fail' and docs['macro.odt']['macros']"
check odt_object_fails json "$B10" "checks[('document.active_content', 'object.odt')]['status'] == 'fail' and docs['object.odt']['embedded_objects']"
check owpml_2024_same_text json "$B10" "read('data/text/attachments/release-2024.hwpx.txt') == read('data/text/attachments/release.hwpx.txt')"

# Hostile zips: a reason each, archived all the same.
mkdir -p r11 && cp "$KO"/* r11/ && cp "$G"/hostile-*.hwpx "$G"/hostile-*.odt r11/
check hostile_zips_archived run_rc 0 A --json ingest r11
B11=$(bundle_of)
for pair in bomb:inflates ratio:inflates entries:'more than 10000' laughs:DTD external:DTD \
	deep:depth truncated: escape:leaves missing:'not in the package' utf8: ; do
	f=hostile-${pair%%:*}.hwpx why=${pair#*:}
	check "hostile_zip_${pair%%:*}" json "$B11" "checks[('document.text', '$f')]['status'] == 'fail' and '$why' in checks[('document.text', '$f')]['message']"
done
check hostile_odt_laughs json "$B11" "'DTD' in checks[('document.text', 'hostile-laughs.odt')]['message']"
check hostile_nomime_is_a_zip json "$B11" "not any(k == ('document.text', 'hostile-nomime.hwpx') for k in checks) and [f['mime'] for f in j['files'] if f['path'] == 'data/attachments/hostile-nomime.hwpx'] == ['application/zip']"
check no_secret_in_text sh -c "! tar xzOf '$B11' --wildcards '*/data/text/*' | grep -q 'root:'"
