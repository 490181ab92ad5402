# The manual: man/archive.1 lints clean with mandoc, and each command's
# section documents exactly the options its -h text lists (both ways), its
# usage lines appear in SYNOPSIS, and archive -h's common options are in
# OPTIONS. The comparison is also run on a broken copy of the page, which
# it must reject.
. "$TOP/tests/lib.sh"

PAGE=$TOP/man/archive.1
# Every command archive --help lists (a new one cannot be left out).
CMDS=$("$ARCHIVE" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | tr '\n' ' ')
[ -n "$CMDS" ] || echo "FAIL no_commands_in_help"

if ! command -v mandoc >/dev/null 2>&1; then
	echo "SKIP man: mandoc is not installed (scripts/bootstrap installs it)" >&2
	echo "FAIL mandoc_installed"
	exit 0
fi

check man_lint_clean sh -c "mandoc -T lint -W warning '$PAGE' >lint 2>&1"
[ -s lint ] && sed 's/^/  /' lint >&2
check man_renders sh -c "mandoc -T ascii '$PAGE' | col -b > page.txt && [ -s page.txt ]"
for c in $CMDS; do
	"$ARCHIVE" "$c" -h > "help.$c" 2>&1 || echo "archive $c -h failed" >&2
done
"$ARCHIVE" -h > help.main

cat > compare.py <<'PY'
import re, sys
# Options as a reader sees them: --long-name or -x standing alone (not
# the inside of kogl-1, YYYY-MM-DD or Check-Status).
OPT = re.compile(r'(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\w-])')
COMMON = {'--store', '-q', '-v', '--quiet', '--verbose', '--log-syslog', '-h', '--help', '--version'}

def sections(text):
    """Top-level sections (NAME, SYNOPSIS, ...) and the command subsections
    of COMMANDS ('   archive ingest')."""
    top, sub, cur, cursub = {}, {}, None, None
    for line in text.splitlines():
        if re.match(r'^[A-Z][A-Z ]+$', line):
            cur, cursub = line.strip(), None
            top[cur] = []
            continue
        m = re.match(r'^   archive ([a-z]+)$', line)
        if cur == 'COMMANDS' and m:
            cursub = m.group(1)
            sub[cursub] = []
            continue
        if cur:
            top[cur].append(line)
        if cursub:
            sub[cursub].append(line)
    return ({k: '\n'.join(v) for k, v in top.items()},
            {k: '\n'.join(v) for k, v in sub.items()})

def norm(s):
    return ' '.join(s.split())

page, cmds = sys.argv[1], sys.argv[2:]
top, sub = sections(open(page).read())
bad = 0
def fail(msg):
    global bad
    bad += 1
    print(msg, file=sys.stderr)

for c in cmds:
    helptext = open('help.' + c).read()
    if c not in sub:
        fail(f'{c}: no subsection "archive {c}" in COMMANDS')
        continue
    want = set(OPT.findall(helptext)) - COMMON
    have = set(OPT.findall(sub[c])) - COMMON
    for o in sorted(want - have):
        fail(f'{c}: {o} is in "archive {c} -h" but not in its man section')
    for o in sorted(have - want):
        fail(f'{c}: {o} is in its man section but not in "archive {c} -h"')
    # Each usage line (continuations joined) is in SYNOPSIS, word for word.
    usage = re.findall(r'^(?:usage:|      ) +(archive .*(?:\n {20,}.*)*)', helptext, re.M)
    if not usage:
        fail(f'{c}: no usage line in -h')
    for u in usage:
        if norm(u) not in norm(top.get('SYNOPSIS', '')):
            fail(f'{c}: usage "{norm(u)}" is not in SYNOPSIS')
main = open('help.main').read()
for o in sorted(set(OPT.findall(main))):
    if o not in set(OPT.findall(top.get('OPTIONS', ''))):
        fail(f'archive -h: {o} is not in OPTIONS')
for s in ['SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'COMMANDS', 'EXIT STATUS', 'ENVIRONMENT',
          'FILES', 'EXAMPLES', 'SEE ALSO']:
    if s not in top:
        fail(f'no section {s}')
for code in ['0', '1', '2', '3', '75']:
    if not re.search(r'^     ' + code + r'\s', top.get('EXIT STATUS', ''), re.M):
        fail(f'EXIT STATUS does not list {code}')
sys.exit(1 if bad else 0)
PY

check man_options_match_help python3 compare.py page.txt $CMDS
check man_lists_every_command sh -c "for c in $CMDS; do grep -q \"^   archive \$c\$\" page.txt || exit 1; done"
check man_examples_cron has page.txt 'archive -q retention --apply'
check man_environment has page.txt '^     ARCHIVE_STORE'

# The checker must be able to fail: drop verify's --fast from the page,
# add an option -h does not know to list's section.
sed -e '/^     --fast/d' -e 's/^     --json  One JSON object per bundle, then a summary object\.$/&\n     --bogus-option  nothing/' page.txt > broken.txt
check man_checker_rejects_missing_option sh -c "! python3 compare.py broken.txt verify 2>why && grep -q 'verify: --fast is in' why"
check man_checker_rejects_extra_option sh -c "! python3 compare.py broken.txt list 2>why && grep -q 'list: --bogus-option is in its man section' why"
