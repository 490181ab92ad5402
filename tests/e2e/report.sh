# archive report: the numbers (--json) of a store of three bundles with
# different retention periods, a hold with a hostile reason, and two
# fixity runs, the second finding a damaged bundle; the HTML page is
# well-formed, self-contained, escapes what came from outside, and renders
# in headless Chromium to a picture that is not blank.
. "$TOP/tests/lib.sh"

S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }
cp -R "$FIXTURES/releases" rel
# The numbers below count from the release date: the old start rule.
mkdir -p "$S" && printf '[retention]\nstart = release-date\n' > "$S/archive.conf"
ingest_one() {
	A ingest --json --retention "$1" "$2" | python3 -c "
import json,sys
print([j for j in map(json.loads, sys.stdin) if 'id' in j][0]['id'])"
}
ID1=$(ingest_one 1y rel/msit-2024-05-10-ai-digital-diplomacy)
ID10=$(ingest_one 10y rel/en-2024-06-03-quantum-strategy)
IDP=$(ingest_one permanent rel/ko-2024-07-15-ai-semiconductor)
check report_store_made sh -c "[ -n '$ID1' ] && [ -n '$ID10' ] && [ -n '$IDP' ]"
EVIL='<script>alert("x")</script> & <img src=http://evil.example/x.png> FOI'
A hold add "$ID10" --reason "$EVIL" >/dev/null
check report_no_fixity_run_yet run_rc 0 A report --json --now 2026-01-01
check report_no_fixity_run_is_null python3 -c "
import json; j=json.loads(open('out').read()); assert j['last_fixity_run'] is None, j"
A -q verify >/dev/null 2>&1

check report_usage_needs_html_or_json run_rc 2 A report
check report_bad_now_exit_2 run_rc 2 A report --json --now 2026-13-01
check report_exit_0 run_rc 0 A report --html page1.html --now 2026-01-01
check report_says_written has out '^report of 3 bundles written to page1.html$'
check report_html_written test -s page1.html

# A second fixity run that finds a damaged bundle: the report's "last run"
# is this one only.
python3 -c "
import sys
p='$S/bundles/2024/$IDP.tar.gz'
b=bytearray(open(p,'rb').read()); b[len(b)//2]^=0xff; open(p,'wb').write(bytes(b))"
A -q verify >/dev/null 2>&1
check report_json_exit_0 run_rc 0 A report --json --html page.html --now 2026-01-01
check report_json_numbers python3 -c "
import json
L=open('out').read().splitlines()
assert len(L)==1, L
j=json.loads(L[0])
assert j['summary'] is True and j['html']=='page.html' and j['now']=='2026-01-01', j
assert j['bundles']==3 and j['by_year']=={'2024':3} and j['by_license']=={'KOGL-Type-1':3}, j
d=j['disposals']
assert d['due_now']==1 and d['permanent']==1 and d['later']==0, d   # 1y: 2025-05-10, before now
assert len(d['by_year'])==30 and min(d['by_year'])=='2026' and max(d['by_year'])=='2055', d
assert d['by_year']['2034']==1 and sum(d['by_year'].values())==1, d
assert j['warnings'].get('release.contact')==1, j['warnings']
assert [h['id'] for h in j['holds']]==['$ID10'] and j['holds'][0]['reason'].startswith('<script>'), j['holds']
r=j['last_fixity_run']
assert r['verified']==3 and r['failed']==1, r
assert [f['id'] for f in r['failures']]==['$IDP'] and r['failures'][0]['problems'], r
"
check report_first_run_all_valid grep -q 'all valid' page1.html

cat > htmlcheck.py <<'PY'
import sys
from html.parser import HTMLParser
VOID = {'meta', 'br', 'hr', 'img', 'input', 'link', 'wbr', 'col', 'area', 'base', 'source'}
FORBIDDEN_TAGS = {'script', 'link', 'img', 'iframe', 'object', 'embed', 'base', 'image', 'use'}
FORBIDDEN_ATTRS = {'src', 'href', 'xlink:href', 'srcset', 'action', 'data', 'background'}
SELF_CLOSING_SVG = {'rect', 'line', 'circle', 'path'}

class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.text = [], [], {}, []
    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag in FORBIDDEN_TAGS:
            self.errors.append(f'<{tag}> in the page')
        for k, v in attrs:
            if k in FORBIDDEN_ATTRS or k.startswith('on'):
                self.errors.append(f'<{tag} {k}=...> in the page')
            if v and ('url(' in v or 'http:' in v or 'https:' in v):
                self.errors.append(f'<{tag} {k}="{v}">: external reference')
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f'</{tag}> closes <{self.stack[-1] if self.stack else None}>')
        else:
            self.stack.pop()
    def handle_data(self, data):
        if self.stack and self.stack[-1] == 'style' and ('url(' in data or '@import' in data):
            self.errors.append('style loads something')
        self.text.append(data)

page = open(sys.argv[1], encoding='utf-8').read()
c = Check()
c.feed(page)
c.close()
if c.stack:
    c.errors.append(f'unclosed: {c.stack}')
if not page.startswith('<!DOCTYPE html>'):
    c.errors.append('no doctype')
for e in c.errors:
    print(e, file=sys.stderr)
want = sys.argv[2:]
text = ''.join(c.text)
for w in want:
    if w not in text:
        print(f'not in the page text: {w}', file=sys.stderr)
        c.errors.append(w)
print(c.tags.get('svg', 0), c.tags.get('rect', 0), c.tags.get('table', 0))
sys.exit(1 if c.errors else 0)
PY
check report_html_well_formed_self_contained python3 htmlcheck.py page.html "$ID10" "$IDP" \
	'<script>alert("x")</script> & <img src=http://evil.example/x.png> FOI' \
	'Bundles per release year' 'Bundles per licence' 'Warnings by check id' \
	'Disposals due per year, 2026' 'Holds' 'Last fixity run' 'release.contact' 'KOGL-Type-1'
check report_html_has_charts_and_tables sh -c "python3 htmlcheck.py page.html | awk '{ exit !(\$1 >= 4 && \$2 >= 5 && \$3 >= 3) }'"
check report_html_escapes_hostile_text sh -c "grep -q '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img' page.html && ! grep -q '<script' page.html && ! grep -q '<img' page.html"
# (Quotes from outside are escaped, so src=" can only be a real attribute.)
check report_html_no_external_reference sh -c "! grep -Eiq '<link|<script|<img| src=\"| href=\"|@import|url\\(' page.html"
# The checker must be able to fail: a page with a script and a broken nesting.
printf '<!DOCTYPE html><html><body><div><script src="http://x/y.js"></script></span></body></html>' > badpage.html
check report_checker_rejects_bad_page sh -c "! python3 htmlcheck.py badpage.html 2>/dev/null"
check report_unwritable_file_exit_3 run_rc 3 A report --html no-such-dir/page.html
check report_unwritable_file_named has err '^archive: report: no-such-dir/page.html: cannot write'

# -- the disposal pipeline and holds by body --------------------------------------
# A second store, taken through the real disposal workflow: five bundles of
# 1y due on 2025-05-10, a sixth of 1y held by 감사원, a semi-permanent one
# held by a body with a hostile name, a permanent one held by nobody named,
# and a hold placed and removed (its body, 검찰, must not count). The
# report is read after each step: before the proposal, after it, after two
# reviews, after executions dated 2030 and 2031 (ARCHIVE_TEST_NOW sets the
# audit clock).
S=$PWD/dstore
mkdir -p "$S" drel && printf '[retention]\nstart = release-date\n' > "$S/archive.conf"
M=$FIXTURES/releases/msit-2024-05-10-ai-digital-diplomacy
for n in a1 a2 a3 a4 a5 h1; do
	mkdir drel/$n
	cp "$M/msit-2024-05-10-ai-digital-diplomacy.pdf" drel/$n/$n.pdf
	cp "$M/msit-2024-05-10-ai-digital-diplomacy.txt" drel/$n/$n.txt
	# Different content from the others, or it would be "already archived".
	echo "Copy $n." >>drel/$n/$n.txt
done
for n in a1 a2 a3 a4 a5 h1; do
	eval "$n=\$(ingest_one 1y drel/$n)"
done
SP=$(ingest_one semi-permanent rel/en-2024-06-03-quantum-strategy)
PP=$(ingest_one permanent rel/ko-2024-07-15-ai-semiconductor)
check report_dstore_made sh -c "[ -n '$a1' ] && [ -n '$a5' ] && [ -n '$h1' ] && [ -n '$SP' ] && [ -n '$PP' ]"
# Ended holds: an --until after today (the command wants that), judged by
# a report of 2099; one of today has it in force.
TODAY=$(date -u +%Y-%m-%d)
UNTIL=$(date -u -d '+2 days' +%Y-%m-%d)
HOSTILE='<script>alert(1)</script>'
A hold add "$h1" --reason '감사 중' --by 감사원 >/dev/null
A hold add "$SP" --reason 'review' --by "$HOSTILE" >/dev/null
A hold add "$PP" --reason 'FOI request' >/dev/null
A hold add "$a3" --reason 'briefly' --by 검찰 >/dev/null
A hold remove "$a3" --reason 'lifted' >/dev/null

# rep NAME NOW: the report as of NOW, NAME.json and NAME.html.
rep() { A report --json --html "$1.html" --now "$2" >"$1.json" 2>"$1.err"; }
cat > jcheck.py <<'PY'
# jcheck.py FILE EXPR: EXPR holds of the report's JSON (j; d its "disposal").
import json, sys
j = json.loads(open(sys.argv[1]).read())
d = j['disposal']
assert eval('(' + sys.argv[2] + ')'), (sys.argv[2], d, j['disposals'], j['holds_by_body'])
PY
cat > rows.py <<'PY'
# rows.py PAGE CLASS CELLS...: each CELLS ("a|b|c") begins some row of the
# page's table of that class (cell text as a browser shows it).
import sys
from html.parser import HTMLParser
class T(HTMLParser):
    def __init__(self, cls):
        super().__init__(convert_charrefs=True)
        self.cls, self.depth, self.rows, self.cell = cls, 0, [], None
    def handle_starttag(self, tag, attrs):
        if tag == 'table':
            if self.depth or ('class', self.cls) in attrs:
                self.depth += 1
        elif self.depth and tag == 'tr':
            self.rows.append([])
        elif self.depth and tag in ('td', 'th'):
            self.cell = ''
    def handle_endtag(self, tag):
        if tag == 'table' and self.depth:
            self.depth -= 1
        elif self.depth and tag in ('td', 'th') and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
t = T(sys.argv[2])
t.feed(open(sys.argv[1], encoding='utf-8').read())
bad = 0
for w in sys.argv[3:]:
    want = w.split('|')
    if not any(r[:len(want)] == want for r in t.rows):
        print(f'no row {want} in table.{sys.argv[2]}: {t.rows}', file=sys.stderr)
        bad = 1
sys.exit(bad)
PY

rep r0 2025-12-31
check report_d_before_proposal_exit_0 [ $? -eq 0 ]
check report_d_before_proposal_json python3 jcheck.py r0.json "
d['due_now']==5 and d['held_past_date']==1 and d['open_batches']==0 and d['proposed']==0 and
d['decided']=={'destroy':0,'reset':0,'defer':0} and d['executed']['destroyed']==0 and
d['by_year']=={} and j['disposals']['due_now']==5 and j['disposals']['past_date']==6 and
d['semi_permanent']==1 and d['permanent']==1 and d['evaluation_due']==0 and
j['disposals']['later']==0 and sum(j['disposals']['by_year'].values())==0"
check report_d_before_proposal_html python3 rows.py r0.html pipeline 'due now|5' \
	'held past the date|1' 'proposed, undecided|0' 'destroyed|0'
check report_d_semi_permanent_apart_html python3 rows.py r0.html disposals 'semi-permanent|1' \
	'permanent|1' 'due for evaluation|0' 'past the date, in the store|6' 'due after 2054|0'

check report_d_propose run_rc 0 A disposal propose --now 2025-12-31
B1=2025-12-31-1
rep r1 2025-12-31
check report_d_after_proposal_json python3 jcheck.py r1.json "
d['due_now']==0 and d['held_past_date']==1 and d['open_batches']==1 and d['proposed']==5 and
d['decided']=={'destroy':0,'reset':0,'defer':0} and j['disposals']['past_date']==6"
check report_d_after_proposal_html python3 rows.py r1.html pipeline 'due now|0' \
	'proposed, undecided|5' 'decided: destroy|0'

check report_d_review_destroy run_rc 0 A disposal review $B1 "$a1" "$a2" --decision destroy \
	--by '기록물평가심의회' --reason 'no further value'
check report_d_review_reset run_rc 0 A disposal review $B1 "$a3" --decision reset=30y \
	--by '기록물평가심의회' --reason 'still cited'
check report_d_review_defer run_rc 0 A disposal review $B1 "$a4" --decision defer=2026-06-30 \
	--by '기록물평가심의회' --reason 'pending an audit'
rep r2 2025-12-31
check report_d_after_review_json python3 jcheck.py r2.json "
d['proposed']==1 and d['decided']=={'destroy':2,'reset':1,'defer':1} and d['open_batches']==1 and
d['executed']=={'destroyed':0,'reset':0,'deferred':0,'kept_hold':0,'kept_changed':0,'kept_missing':0,'kept_other':0}"
check report_d_after_review_html python3 rows.py r2.html pipeline 'proposed, undecided|1' \
	'decided: destroy|2' 'decided: reset|1' 'decided: defer|1'

# The last item decided destroy, then a hold on one decided so: it is kept.
check report_d_review_rest run_rc 0 A disposal review $B1 --all --decision destroy \
	--by '기록물평가심의회' --reason 'no further value'
check report_d_hold_after_decision run_rc 0 A hold add "$a2" --reason '감사 자료' --by 감사원 \
	--until "$UNTIL"
check report_d_execute_1 run_rc 0 env ARCHIVE_TEST_NOW=2030-01-15T09:00:00Z \
	"$ARCHIVE" --store "$S" disposal execute $B1
rep r3 2030-01-15
check report_d_after_execute_json python3 jcheck.py r3.json "
d['proposed']==0 and d['decided']=={'destroy':0,'reset':0,'defer':0} and d['open_batches']==0 and
d['executed']=={'destroyed':2,'reset':1,'deferred':1,'kept_hold':1,'kept_changed':0,'kept_missing':0,'kept_other':0} and
d['by_year']=={'2030':{'destroyed':2,'reset':1,'deferred':1,'kept':1}} and j['bundles']==6"
check report_d_after_execute_html python3 rows.py r3.html pipeline 'destroyed|2' 'reset|1' \
	'deferred|1' 'kept (hold)|1' 'kept (changed or missing)|0' 'decided: destroy|0'
check report_d_after_execute_per_year_html python3 rows.py r3.html executed '2030|2|1|1|1'

# The deferred one is due again on 2026-06-30: a second batch, destroyed in 2031.
check report_d_propose_2 run_rc 0 A disposal propose --now 2026-07-01
B2=2026-07-01-1
check report_d_review_2 run_rc 0 A disposal review $B2 --all --decision destroy \
	--by '기록물평가심의회' --reason 'no further value'
check report_d_execute_2 run_rc 0 env ARCHIVE_TEST_NOW=2031-03-01T09:00:00Z \
	"$ARCHIVE" --store "$S" disposal execute $B2
rep r4 2099-01-01
check report_d_second_year_json python3 jcheck.py r4.json "
d['executed']['destroyed']==3 and d['executed']['deferred']==1 and
d['by_year']=={'2030':{'destroyed':2,'reset':1,'deferred':1,'kept':1},
               '2031':{'destroyed':1,'reset':0,'deferred':0,'kept':0}} and
d['evaluation_due']==2 and j['disposals']['semi_permanent']==1"
check report_d_second_year_html python3 rows.py r4.html executed '2030|2|1|1|1' '2031|1|0|0|0'

# Holds by body: 감사원 twice (one past its --until on 2099-01-01), the
# hostile name once, not named once; 검찰's removed hold counts nowhere.
check report_d_holds_by_body_json python3 jcheck.py r4.json "
j['holds_by_body']==[{'body':'$HOSTILE','holds':1,'ended':0},{'body':'감사원','holds':2,'ended':1},
                     {'body':None,'holds':1,'ended':0}]"
check report_d_holds_by_body_html python3 rows.py r4.html bodies 'body|holds|ended' \
	"$HOSTILE|1|0" '감사원|2|1' 'not named|1|0'
rep r5 "$TODAY"
check report_d_holds_not_ended_before python3 jcheck.py r5.json "
{b['body']:b['ended'] for b in j['holds_by_body']}=={'$HOSTILE':0,'감사원':0,None:0}"
check report_d_no_removed_body sh -c "! grep -q 검찰 r4.html"
check report_d_hostile_body_escaped sh -c "grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' r4.html && ! grep -q '<script' r4.html"
check report_d_html_well_formed python3 htmlcheck.py r4.html 'Disposal pipeline (bundles)' \
	'Executed, per year' 'Holds by requesting body' '감사원' '감사 자료' "$HOSTILE"

# -- rendering in headless Chromium ------------------------------------------------
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
render() { # HTML PNG
	prof=$(mktemp -d)
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$prof" --screenshot="$PWD/$2" --window-size=1200,1600 \
		"file://$PWD/$1" >/dev/null 2>&1
	rm -rf "$prof"
	[ -s "$2" ]
}
cat > pngstat.py <<'PY'
# pngstat.py PNG: decode an 8-bit non-interlaced PNG with zlib alone and
# print: width height distinct_colours non_white_permille.
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, hdr = 8, b'', None
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        hdr = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
w, h, depth, ctype, _, _, interlace = hdr
assert depth == 8 and interlace == 0 and ctype in (0, 2, 4, 6), hdr
bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
raw, stride = zlib.decompress(idat), w * bpp
prev, colours, nonwhite, i = bytearray(stride), set(), 0, 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 2:  # every other row is plenty, and twice as fast
        continue
    for x in range(0, stride, bpp * 2):
        px = bytes(line[x:x + min(bpp, 3)])
        colours.add(px)
        if any(v < 235 for v in px):
            nonwhite += 1
print(w, h, len(colours), nonwhite * 1000 // ((h // 2) * (w // 2)))
PY
# not_blank PNG: more than a few colours, and at least 2% of it not white.
not_blank() { python3 pngstat.py "$1" | awk '{ exit !($3 >= 8 && $4 >= 20) }'; }
is_blank() { ! not_blank "$1"; }
if [ -z "$CHROMIUM" ]; then
	echo "SKIP report_renders_in_chromium: chromium is not installed (scripts/bootstrap installs it)"
elif ! render page.html page.png; then
	echo "FAIL report_renders_in_chromium"
	echo "chromium made no picture" >&2
else
	echo "PASS report_renders_in_chromium"
	check report_png_size sh -c "python3 pngstat.py page.png | awk '{ exit !(\$1 == 1200 && \$2 == 1600) }'"
	check report_png_not_blank not_blank page.png
	python3 pngstat.py page.png >&2
	# The same measure calls a blank page blank.
	printf '<!DOCTYPE html><html><body></body></html>' > blank.html
	check report_blank_page_renders render blank.html blank.png
	check report_blank_png_is_blank is_blank blank.png
fi
