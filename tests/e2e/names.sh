# Attachments that are not PDFs are archived byte-exact with libmagic's MIME
# type; names with spaces, Hangul, '%' and even a newline survive intact, and
# manifests encode them as RFC 8493 says (% → %25, LF → %0A, nothing else).
. "$TOP/tests/lib.sh"

SAMPLE=msit-2024-05-10-ai-digital-diplomacy
R=rel/names
mkdir -p "$R/sub dir"
cp "$FIXTURES/releases/$SAMPLE/$SAMPLE.txt" "$R/"
cp "$FIXTURES/releases/$SAMPLE/$SAMPLE.pdf" "$R/보도 자료 100%.pdf"
python3 - "$R" <<'PY'
import struct, sys, zipfile, zlib
d = sys.argv[1]
def chunk(t, data):
    return struct.pack('>I', len(data)) + t + data + struct.pack('>I', zlib.crc32(t + data))
png = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)) +
       chunk(b'IDAT', zlib.compress(b'\x00\xff\x00\x00')) + chunk(b'IEND', b''))
open(d + '/사진 1.png', 'wb').write(png)
open(d + '/line\nbreak.png', 'wb').write(png)
z = zipfile.ZipFile(d + '/sub dir/자료 모음.zip', 'w'); z.writestr('a.txt', 'hello'); z.close()
z = zipfile.ZipFile(d + '/본문.hwpx', 'w')
z.writestr(zipfile.ZipInfo('mimetype'), 'application/hwp+zip'); z.writestr('Contents/section0.xml', '<x/>'); z.close()
open(d + '/첨부 %41.hwp', 'wb').write(b'HWP Document File V5.00 \x1a\x01\x02' + bytes(range(256)))
PY
S=$PWD/store
check ingest_odd_names run_rc 0 "$ARCHIVE" --store "$S" ingest --json "$R"
bundle=$(python3 -c "import json; print(json.loads(open('out').readline())['bundle'])")
check bundle_verifies run_rc 0 "$ARCHIVE" --store "$S" verify "$bundle"

check names_byte_exact_and_mime python3 - "$bundle" "$R" <<'PY'
import hashlib, json, os, subprocess, sys, tarfile
bundle, rel = sys.argv[1], sys.argv[2]
t = tarfile.open(bundle)
top = t.getnames()[0].split('/')[0]
meta = json.load(t.extractfile(top + '/metadata/release.json'))
files = {f['path']: f for f in meta['files']}
want = ['보도 자료 100%.pdf', '사진 1.png', 'line\nbreak.png', 'sub dir/자료 모음.zip', '본문.hwpx', '첨부 %41.hwp']
for name in want:
    path = 'data/attachments/' + name
    assert path in files, (path, sorted(files))
    data = t.extractfile(top + '/' + path).read()
    orig = open(os.path.join(rel, name), 'rb').read()
    assert data == orig, name
    assert files[path]['sha256'] == hashlib.sha256(orig).hexdigest(), name
    mime = subprocess.run(['file', '-b', '--mime-type', os.path.join(rel, name)],
                          capture_output=True, text=True).stdout.strip()
    # libmagic calls HWPX a zip; its mimetype entry says what it is (SPEC).
    if name.endswith('.hwpx'):
        assert mime == 'application/zip', mime
        mime = 'application/hwp+zip'
    assert files[path]['mime'] == mime, (name, files[path]['mime'], mime)
# The PDF with '%' and a space in its name got its text, stamp and XMP.
for p in ['data/text/attachments/보도 자료 100%.pdf.txt', 'data/access/보도 자료 100%.pdf']:
    assert p in files, p
assert top + '/metadata/보도 자료 100%.pdf.xmp' in t.getnames()
PY

check manifest_encodes_percent_and_newline python3 - "$bundle" <<'PY'
import sys, tarfile
t = tarfile.open(sys.argv[1])
top = t.getnames()[0].split('/')[0]
m = t.extractfile(top + '/manifest-sha256.txt').read().decode()
paths = [line[66:] for line in m.split('\n') if line]
assert 'data/attachments/보도 자료 100%25.pdf' in paths, paths
assert 'data/attachments/line%0Abreak.png' in paths, paths
assert 'data/attachments/첨부 %2541.hwp' in paths, paths
assert 'data/attachments/sub dir/자료 모음.zip' in paths, paths
assert not any('\r' in p for p in paths)
PY

# Extract writes the Hangul names back byte-exact under any locale (cron's
# is C), and reindex reads the bundle under it too.
id=$(basename "$bundle" .tar.gz)
check extract_hangul_names_in_c_locale run_rc 0 env LC_ALL=C LANG=C "$ARCHIVE" --store "$S" extract "$id" x
check extracted_names_byte_exact cmp "$R/보도 자료 100%.pdf" "x/$id/data/attachments/보도 자료 100%.pdf"
check extracted_subfolder_name cmp "$R/sub dir/자료 모음.zip" "x/$id/data/attachments/sub dir/자료 모음.zip"
check reindex_in_c_locale run_rc 0 env LC_ALL=C "$ARCHIVE" --store "$S" reindex
check reindex_keeps_the_bundle sh -c "env LC_ALL=C '$ARCHIVE' --store '$S' list | grep -q '^$id '"

# A name that is not UTF-8 (EUC-KR "붙임" from a Windows share) fails
# input.file, named escaped, and no bundle is made that verify would refuse.
E=rel/euckr
mkdir -p "$E"
cp "$FIXTURES/releases/$SAMPLE/$SAMPLE.txt" "$E/"
cp "$FIXTURES/releases/$SAMPLE/$SAMPLE.pdf" "$E/$(printf '\272\331\300\323').pdf"
check euc_kr_name_quarantined run_rc 1 "$ARCHIVE" --store "$S" ingest --json "$E"
check euc_kr_name_fails_input_file python3 - <<'PY'
import json
line = json.loads(open('out').readline())
assert line['status'] == 'quarantined', line
bad = [c for c in line['checks'] if c['id'] == 'input.file' and c['status'] == 'fail']
assert bad and bad[0]['file'] == '\\xba\\xd9\\xc0\\xd3.pdf', line['checks']
assert '\\xba\\xd9\\xc0\\xd3.pdf: the name is not valid UTF-8' in bad[0]['message'], bad
PY
check euc_kr_name_kept_in_quarantine test -f "$S/quarantine/euckr/release/$(printf '\272\331\300\323').pdf"

# Control characters (ESC, BEL, \x01) in the title and in a PDF's name:
# stripped from the text as it enters, so bag-info, dc.xml and the XMP
# stay well-formed; the name kept byte-exact in the bag, shown escaped by
# show, never written raw to a terminal.
C=rel/controls
mkdir -p "$C"
python3 - "$FIXTURES/releases/$SAMPLE/$SAMPLE.txt" "$C/$SAMPLE.txt" <<'PY'
import sys
t = open(sys.argv[1], encoding='utf-8').read()
title = 'No Barriers Between Ministries in AI and Digital Diplomacy'
assert title in t
t = t.replace(title, 'No Barriers\x1b[31m Between\x07 Ministries\x01 in AI and Digital Diplomacy', 1)
open(sys.argv[2], 'w', encoding='utf-8').write(t)
PY
cp "$FIXTURES/releases/$SAMPLE/$SAMPLE.pdf" "$C/$(printf 'x\033[2Jy').pdf"
check controls_ingested run_rc 0 "$ARCHIVE" --store "$S" ingest --json "$C"
cbundle=$(python3 -c "import json; print(json.loads(open('out').readline())['bundle'])")
cid=$(basename "$cbundle" .tar.gz)
check controls_never_reach_metadata python3 - "$cbundle" <<'PY'
import re, sys, tarfile, xml.dom.minidom
t = tarfile.open(sys.argv[1])
top = t.getnames()[0].split('/')[0]
info = t.extractfile(top + '/bag-info.txt').read().decode()
assert not re.search('[\x00-\x08\x0b-\x1f\x7f]', info), repr(info)
assert 'External-Description: No Barriers[31m Between Ministries in AI' in info, info
xmp = [n for n in t.getnames() if n.endswith('.pdf.xmp')]
assert xmp == [top + '/metadata/x\x1b[2Jy.pdf.xmp'], xmp  # the name kept
for name in [top + '/metadata/dc.xml'] + xmp:
    xml.dom.minidom.parseString(t.extractfile(name).read())  # well-formed
assert top + '/data/attachments/x\x1b[2Jy.pdf' in t.getnames()
PY
check controls_bundle_verifies run_rc 0 "$ARCHIVE" --store "$S" verify "$cbundle"
check show_escapes_controls run_rc 0 "$ARCHIVE" --store "$S" show "$cid"
check show_writes_no_escape_sequence sh -c "! grep -q \"\$(printf '\033')\" out && grep -q 'x\\\\x1b\[2Jy.pdf' out"
check show_escapes_newline_in_name sh -c "'$ARCHIVE' --store '$S' show '$(basename "$bundle" .tar.gz)' | grep -q 'line\\\\x0abreak.png'"
