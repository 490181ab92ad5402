# End-to-end: the hostile corpus (scripts/gen-hostile): damaged, random,
# deeply nested and page-bomb PDFs, a release of 100,000 lines, binary
# garbage as release text, 255-byte names, a zip bomb attachment; and a
# tar bomb given to verify. Ingest must finish, archive or quarantine
# every release with a reason, never crash or leak (ASan/LSan/UBSan watch
# the run under `make check`), and stay within a memory bound; the zip
# bomb is archived byte-exact, never unpacked; verify refuses the tar bomb
# without writing anything to disk.
. "$TOP/tests/lib.sh"

S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }

check gen_hostile_corpus python3 "$TOP/scripts/gen-hostile" corpus
cp -R corpus/batch batch.orig
mkdir -p "$S"
# Limits small enough to keep CI quick; worker_memory is not applied under
# ASan (see worker.h), and holds in a release build.
printf '[limits]\nworker_timeout_seconds = 20\nworker_memory = 1G\nworker_cpu_seconds = 30\n' >"$S/archive.conf"

TIME=
[ -x /usr/bin/time ] && TIME="/usr/bin/time -v -o time.ingest"
check time_installed [ -n "$TIME" ]
# shellcheck disable=SC2086
check ingest_exit_1 run_rc 1 timeout 600 $TIME "$ARCHIVE" --store "$S" ingest --json --license kogl-1 corpus/batch
cp out ingest.json
cp err ingest.err
check ingest_no_sanitizer_report sh -c '! grep -E "AddressSanitizer|LeakSanitizer|runtime error:" ingest.err'
check ingest_no_core [ -z "$(find . "$S" -name 'core*' -type f)" ]
check ingest_summary has ingest.json '"summary": ?true'

# Every release: archived, or quarantined with a failed error check and a
# reason.json that says so.
check every_release_archived_or_quarantined python3 - "$S" <<'PY'
import json, os, sys
store = sys.argv[1]
lines = [json.loads(l) for l in open("ingest.json")]
rel = [l for l in lines if "release" in l]
names = sorted(os.listdir("corpus/batch"))
assert sorted(os.path.basename(l["release"]) for l in rel) == names, [l["release"] for l in rel]
for l in rel:
    st = l["status"]
    assert st in ("archived", "quarantined"), l
    if st == "quarantined":
        errs = [c for c in l["checks"] if c["level"] == "error" and c["status"] == "fail"]
        assert errs and all(c["message"] for c in errs), l
        reason = json.load(open(os.path.join(store, "quarantine", os.path.basename(l["release"]), "reason.json")))
        assert [c for c in reason["checks"] if c["level"] == "error" and c["status"] == "fail"], reason
    else:
        assert os.path.exists(l["bundle"]), l
PY

status_of() { python3 -c "
import json, sys
for l in map(json.loads, open('ingest.json')):
    if l.get('release', '').endswith('/$1'):
        print(l['status'] + ' ' + ' '.join(c['id'] for c in l['checks'] if c['level'] == 'error' and c['status'] == 'fail'))
"; }
check good_archived [ "$(status_of good)" = "archived " ]
check garbage_release_unreadable [ "$(status_of release-garbage)" = "quarantined release.readable" ]
check empty_release_unreadable [ "$(status_of release-empty)" = "quarantined release.readable" ]
check random_pdf_does_not_open [ "$(status_of pdf-random)" = "quarantined pdf.open" ]
check truncated_pdf_does_not_open [ "$(status_of pdf-truncated)" = "quarantined pdf.open" ]
check long_release_archived [ "$(status_of release-100k-lines)" = "archived " ]
check zip_bomb_archived [ "$(status_of zip-bomb)" = "archived " ]
check name_255_archived [ "$(status_of "$(printf 'd%.0s' $(seq 255))")" = "archived " ]
check pdf_name_254_refused [ "$(status_of pdf-name-254)" = "quarantined input.file" ]

# The zip bomb is kept byte-exact, never unpacked.
zb=$(python3 -c "
import json
for l in map(json.loads, open('ingest.json')):
    if l.get('release', '').endswith('/zip-bomb'): print(l['bundle'])
")
check zip_bomb_byte_exact sh -c "tar xzOf '$zb' --wildcards '*/data/attachments/zip-bomb.zip' | cmp - corpus/batch/zip-bomb/zip-bomb.zip"
# Every bundle unpacks with plain tar (no name over 255 bytes).
check bundles_unpack_with_tar sh -c "for b in \$(find '$S/bundles' -name '*.tar.gz'); do mkdir -p untar && tar xzf \"\$b\" -C untar || exit 1; done"
check zip_bomb_bundle_small [ "$(stat -c %s "$zb")" -lt 4000000 ]

# Memory: the whole run (main process and its largest worker) stays under
# 1 GiB of resident memory, ASan's shadow included.
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.ingest)
echo "ingest max RSS: ${rss:-?} KiB" >&2
check ingest_memory_bounded [ "${rss:-9999999}" -lt 1048576 ]

check store_verifies run_rc 0 A verify
check tmp_empty [ -z "$(ls -A "$S/tmp")" ]
check input_untouched diff -r batch.orig corpus/batch

# Ingest of the same corpus again: the archived ones are already there,
# the others quarantined again, and still no crash.
check ingest_again_exit_1 run_rc 1 timeout 600 "$ARCHIVE" --store "$S" ingest --license kogl-1 corpus/batch
check ingest_again_nothing_new has out ' 0 archived, '
# The 255-byte release quarantined twice: the second folder's name is cut
# to make room for "-2", still 255 bytes (it once stopped the run, exit 3).
q255=$(printf 'q%.0s' $(seq 255))
check quarantine_255_first [ -d "$S/quarantine/$q255" ]
check quarantine_255_second [ -d "$S/quarantine/$(printf 'q%.0s' $(seq 253))-2" ]

# The tar bomb: 1 GiB of zeros in 1 MiB of gzip, entries escaping the
# bag, links, a device, a FIFO. verify streams it: refused, named, quick,
# within memory, and nothing written.
before=$(find . -type f | wc -l)
t0=$(date +%s)
check verify_tar_bomb_exit_1 run_rc 1 timeout 300 /usr/bin/time -v -o time.verify "$ARCHIVE" verify corpus/bombs/tar-bomb.tar.gz
took=$(( $(date +%s) - t0 ))
echo "verify of the tar bomb: ${took} s" >&2
check verify_tar_bomb_names_escape has out 'bomb/\.\./\.\./escape\.txt: escapes the bag'
check verify_tar_bomb_names_absolute has out '/tmp/absolute\.txt: absolute path'
check verify_tar_bomb_names_link has out 'data/link: symbolic link'
check verify_tar_bomb_names_device has out 'data/dev: device or FIFO'
check verify_tar_bomb_quick [ "$took" -lt 120 ]
check verify_tar_bomb_no_sanitizer_report sh -c '! grep -E "AddressSanitizer|LeakSanitizer|runtime error:" err'
vrss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.verify)
check verify_tar_bomb_memory_bounded [ "${vrss:-9999999}" -lt 262144 ]
check verify_tar_bomb_wrote_nothing [ "$(find . -type f | wc -l)" -eq $((before + 1)) ]
check verify_tar_bomb_no_escape sh -c "[ ! -e ../escape.txt ] && [ ! -e /tmp/absolute.txt ]"
