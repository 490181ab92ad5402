# End-to-end: the sample release in four forms (fixtures/forms: text, HTML,
# EUC-KR, UTF-16) archives to the same fields; each bundle verifies, keeps
# its release document byte-exact and holds a normalised UTF-8 text.
. "$TOP/tests/lib.sh"

FORMS="text html euc-kr utf-16"
cp -R "$FIXTURES/forms" forms

for f in $FORMS; do
	S=$PWD/store-$f
	check "ingest_${f}_exit_0" run_rc 0 "$ARCHIVE" --store "$S" ingest --json "forms/$f"
	cp out "ingest-$f.json"
	check "ingest_${f}_archived" python3 -c "
import json, sys
L = [json.loads(l) for l in open('ingest-$f.json')]
assert L[0]['status'] == 'archived', L[0]
assert L[-1]['summary'] is True and L[-1]['archived'] == 1, L[-1]
"
	check "verify_${f}_exit_0" run_rc 0 "$ARCHIVE" --store "$S" verify
done

# One line per form: the fields of its metadata/release.json, and checks
# on its bundle's files, read with the tarfile module alone.
cat > fields.py <<'EOF'
import json, sys, tarfile, os
form, json_line, src_dir = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.loads(open(json_line).readline())
t = tarfile.open(r['bundle'])
top = t.getnames()[0].split('/')[0]
def read(name):
    return t.extractfile(top + '/' + name).read()
meta = json.loads(read('metadata/release.json'))
doc = [n for n in os.listdir(src_dir) if n.endswith(('.txt', '.html', '.htm'))]
assert len(doc) == 1, doc
original = open(os.path.join(src_dir, doc[0]), 'rb').read()
kept = read('data/release/' + doc[0])
text = read('data/text/release.txt')
out = {
    'title': meta['title'],
    'date': meta['date'],
    'date_source': meta.get('date_source'),
    'organisation': meta.get('organisation'),
    'license': meta['license']['id'],
    'release_byte_exact': kept == original,
    'text_utf8': text.decode('utf-8') is not None,
    'text_no_bom': not text.startswith(b'\xef\xbb\xbf'),
    'text_no_nav': b'Search Area' not in text and b'News & Notice' not in text,
    'text_lf': b'\r' not in text,
    'text_title_line': meta['title'].encode() in text.split(b'\n')[:5],
}
print(json.dumps(out, sort_keys=True))
EOF

for f in $FORMS; do
	check "fields_${f}_read" sh -c "python3 fields.py $f ingest-$f.json forms/$f > fields-$f.json"
	for k in release_byte_exact text_utf8 text_no_bom text_no_nav text_lf text_title_line; do
		check "${f}_$k" python3 -c "import json; assert json.load(open('fields-$f.json'))['$k'] is True"
	done
done

# The same title, date, organisation and licence whatever the form.
check forms_same_fields python3 -c "
import json
F = {f: json.load(open('fields-%s.json' % f)) for f in '$FORMS'.split()}
want = {'title': 'No Barriers Between Ministries in AI and Digital Diplomacy', 'date': '2024-05-10',
        'organisation': 'Ministry of Science and ICT', 'license': 'KOGL-Type-1'}
for f, v in F.items():
    for k, w in want.items():
        assert v[k] == w, (f, k, v[k], w)
"
# The text forms have no full date: it comes from the PDF; the page's from
# its <meta name=\"date\">, which release.json records as html-meta.
check html_date_source python3 -c "
import json
v = json.load(open('fields-html.json'))
assert v['date_source'] == 'html-meta', v['date_source']
"
check text_forms_date_from_pdf python3 -c "
import json
for f in ('text', 'euc-kr', 'utf-16'):
    v = json.load(open('fields-%s.json' % f))
    assert v['date_source'] == 'pdf', (f, v['date_source'])
"
# The encodings were recognised as such.
check forms_encodings_recorded python3 -c "
import json
want = {'text': 'UTF-8', 'html': 'UTF-8', 'euc-kr': 'EUC-KR', 'utf-16': 'UTF-16LE with BOM'}
for f, enc in want.items():
    c = [x for x in json.loads(open('ingest-%s.json' % f).readline())['checks'] if x['id'] == 'release.readable']
    assert c and c[0]['status'] == 'pass' and c[0]['message'].endswith('read as ' + enc), (f, c)
"
# The page's footer and navigation stay out of its text; its licence statement does not.
check html_text_no_footer python3 -c "
import json, tarfile
r = json.loads(open('ingest-html.json').readline())
t = tarfile.open(r['bundle'])
top = t.getnames()[0].split('/')[0]
text = t.extractfile(top + '/data/text/release.txt').read().decode()
assert 'Copyright' not in text and 'Skip to content' not in text and 'Sitemap' not in text, text
assert text.rstrip().endswith('\"KOGL Type 1\".'), text[-200:]
"
