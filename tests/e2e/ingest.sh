# End-to-end: archive ingest on the fixtures, then the bundles checked with
# standard tools (tar, sha256sum) and with archive verify; corruption of
# each kind named by verify; quarantine; input forms; re-ingest.
. "$TOP/tests/lib.sh"

S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }
cp -R "$FIXTURES/releases" rel
SAMPLE=msit-2024-05-10-ai-digital-diplomacy

# -- the fixtures, as a batch --------------------------------------------
check ingest_batch_exit_0 run_rc 0 A ingest rel
check ingest_batch_archives_three has out '^3 releases: 3 archived, 0 already archived, 0 quarantined$'
check ingest_names_contact_warning has out 'warning release.contact: .*no e-mail address'
n=$(ls "$S"/bundles/*/*.tar.gz 2>/dev/null | wc -l)
check three_bundles_in_store [ "$n" -eq 3 ]
check input_left_intact diff -r "$FIXTURES/releases" rel
check verify_store_all_ok run_rc 0 A verify
check verify_store_says_ok has out '^3 verified: 3 OK, 0 FAIL; audit log: [0-9]+ lines, chain intact$'

sample=$(ls "$S"/bundles/*/*no-barriers*.tar.gz)
id=$(basename "$sample" .tar.gz)
check id_shape sh -c "echo '$id' | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}_no-barriers-between-ministries-in-ai-and-digital_[0-9a-f]{8}$'"

# -- standard tools alone ----------------------------------------------------
for b in "$S"/bundles/*/*.tar.gz; do
	name=$(basename "$b" .tar.gz)
	check "sidecar_sha256sum_c_$name" sh -c "cd '$(dirname "$b")' && sha256sum -c --quiet '$name.tar.gz.sha256'"
	mkdir -p "un/$name"
	check "tar_xzf_$name" tar xzf "$b" -C "un/$name"
	check "manifest_sha256sum_c_$name" sh -c "cd 'un/$name/$name' && sha256sum -c --quiet manifest-sha256.txt"
	check "tagmanifest_sha256sum_c_$name" sh -c "cd 'un/$name/$name' && sha256sum -c --quiet tagmanifest-sha256.txt"
	check "bagit_txt_$name" sh -c "printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' | cmp - 'un/$name/$name/bagit.txt'"
	# Every payload file is in the manifest, and nothing else is.
	check "manifest_complete_$name" sh -c "cd 'un/$name/$name' && find data -type f | sort > /tmp/\$\$.f && cut -c67- manifest-sha256.txt | sort | diff - /tmp/\$\$.f; rc=\$?; rm -f /tmp/\$\$.f; exit \$rc"
	check "oxum_$name" sh -c "cd 'un/$name/$name' && want=\$(find data -type f -printf '%s\n' | awk '{s+=\$1; n++} END {print s \".\" n}') && grep -qx \"Payload-Oxum: \$want\" bag-info.txt"
	check "unpacked_dir_verifies_$name" run_rc 0 A verify "un/$name/$name"
done
U=un/$id/$id
check sample_license_type_1 grep -qx 'License: KOGL-Type-1' "$U/bag-info.txt"
check sample_license_url grep -qx 'License-URL: https://www.kogl.or.kr/info/licenseType1.do' "$U/bag-info.txt"
check sample_check_status_warn grep -qx 'Check-Status: warn' "$U/bag-info.txt"
check sample_retention_start grep -qx 'Retention-Start: 2025-01-01' "$U/bag-info.txt"
check sample_disposal_date grep -qx 'Disposal-Date: 2035-01-01' "$U/bag-info.txt"
for f in Source-Organization Bagging-Date Bag-Software-Agent Payload-Oxum External-Identifier \
	External-Description Release-Date License License-Name License-URL Retention-Period \
	Retention-Start Disposal-Date Check-Status; do
	check "bag_info_has_$f" grep -q "^$f: ." "$U/bag-info.txt"
done
check sample_external_identifier grep -qx "External-Identifier: $id" "$U/bag-info.txt"
check sample_release_json_contact_warning python3 -c "
import json,sys
j=json.load(open('$U/metadata/release.json'))
c=[x for x in j['checks'] if x['id']=='release.contact']
assert c and c[0]['status']=='fail' and c[0]['level']=='warning', c
assert j['title']=='No Barriers Between Ministries in AI and Digital Diplomacy'
assert j['license']['id']=='KOGL-Type-1'
assert j['pdfs'][0]['pages']>=2
assert all(set(x)=={'id','level','status','message','file'} for x in j['checks'])
"
check sample_dc_xml_rights grep -q '<dc:rights xml:lang="en">Korea Open Government License (KOGL) Type 1' "$U/metadata/dc.xml"
check sample_xmp_marked grep -q '<xmpRights:Marked>True</xmpRights:Marked>' "$U/metadata/$SAMPLE.pdf.xmp"
check sample_text_normalised sh -c "! grep -q 'Search Area' '$U/data/text/release.txt' && head -1 '$U/data/text/release.txt' | grep -qx 'No Barriers Between Ministries in AI and Digital Diplomacy'"
check sample_pdf_text_extracted grep -q 'No Barriers Between Ministries' "$U/data/text/attachments/$SAMPLE.pdf.txt"
check original_byte_exact cmp "$U/data/attachments/$SAMPLE.pdf" "rel/$SAMPLE/$SAMPLE.pdf"
check release_byte_exact cmp "$U/data/release/$SAMPLE.txt" "rel/$SAMPLE/$SAMPLE.txt"
orig_size=$(stat -c %s "$U/data/attachments/$SAMPLE.pdf")
acc_size=$(stat -c %s "$U/data/access/$SAMPLE.pdf")
check access_copy_prefix_is_original cmp -n "$orig_size" "$U/data/attachments/$SAMPLE.pdf" "$U/data/access/$SAMPLE.pdf"
check access_copy_has_update [ "$acc_size" -gt "$orig_size" ]
check access_copy_keywords sh -c "pdfinfo '$U/data/access/$SAMPLE.pdf' | grep -q 'KOGL-Type-1'"

# Tar order: bagit.txt, bag-info.txt, manifest, metadata/*, payload, tagmanifest.
tar tzf "$sample" | sed "s|^$id/||" > order
check tar_order sh -c "sed -n 1p order | grep -qx bagit.txt && sed -n 2p order | grep -qx bag-info.txt && sed -n 3p order | grep -qx manifest-sha256.txt && sed -n 4p order | grep -q '^metadata/' && tail -1 order | grep -qx tagmanifest-sha256.txt && awk '/^data\//{d=1} /^metadata\//{if(d) exit 1}' order"
check tar_single_top_dir sh -c "tar tzf '$sample' | grep -v '^$id/' | wc -l | grep -qx 0"

# -- re-ingest: identical content is not archived twice ------------------
check reingest_exit_0 run_rc 0 A ingest rel
check reingest_already has out '^3 releases: 0 archived, 3 already archived, 0 quarantined$'
check reingest_names_id has out "^already archived  $id\$"
n=$(ls "$S"/bundles/*/*.tar.gz | wc -l)
check reingest_no_new_bundle [ "$n" -eq 3 ]

# -- corruption: verify names the file -----------------------------------
# repack DIR OUT: tar a (changed) unpacked bag back up as a .tar.gz.
repack() { tar czf "$2" -C "$(dirname "$1")" "$(basename "$1")"; }
flip_bit() { python3 -c "
import sys
p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=1; open(p,'wb').write(bytes(b))" "$1"; }
i=0
for f in $(cd "$U" && find data -type f | sort); do
	i=$((i+1))
	rm -rf c && mkdir c && cp -R "$U" c/
	flip_bit "c/$id/$f"
	repack "c/$id" c.tar.gz
	check "bitflip_fails_$i" run_rc 1 A verify c.tar.gz
	check "bitflip_names_file_$i" has out "^FAIL $id: $f: .*sha256"
done
rm -rf c && mkdir c && cp -R "$U" c/ && rm "c/$id/data/text/release.txt" && repack "c/$id" c.tar.gz
check removed_file_fails run_rc 1 A verify c.tar.gz
check removed_file_named has out "^FAIL $id: data/text/release.txt: "
rm -rf c && mkdir c && cp -R "$U" c/ && echo extra > "c/$id/data/extra.txt" && repack "c/$id" c.tar.gz
check added_file_fails run_rc 1 A verify c.tar.gz
check added_file_named has out "^FAIL $id: data/extra.txt: "
cp "$sample" t.tar.gz && cp "$sample.sha256" t.tar.gz.sha256
check sidecar_checked_ok run_rc 0 A verify t.tar.gz
size=$(stat -c %s "$sample")
head -c $((size / 2)) "$sample" > t.tar.gz
check truncated_bundle_fails run_rc 1 A verify t.tar.gz

# -- input forms -------------------------------------------------------------
mkdir -p form/files
cp "rel/$SAMPLE/$SAMPLE.txt" form/files/x.txt
cp "rel/$SAMPLE/$SAMPLE.pdf" form/files/x.pdf
cp "rel/$SAMPLE/$SAMPLE.pdf" form/files/x-1.pdf
printf 'HWP stand-in\n' > form/files/x.hwp
cp "rel/$SAMPLE/$SAMPLE.pdf" form/files/other.pdf
check release_file_form run_rc 0 A ingest --json form/files/x.txt
check release_file_attachments python3 -c "
import json
lines=[json.loads(l) for l in open('out')]
r=lines[0]; s=lines[-1]
assert r['status']=='archived' and r['release'].endswith('x.txt'), r
assert s['summary'] is True and s['archived']==1, s
import tarfile
names=tarfile.open(r['bundle']).getnames()
att=sorted(n.split('/data/attachments/')[1] for n in names if '/data/attachments/' in n)
assert att==['x-1.pdf','x.hwp','x.pdf'], att
"

# -- quarantine: an error-level check keeps a release out; the others go on --
mkdir -p bad/no-title bad/missing-pdf bad/fake-pdf bad/broken-pdf bad/linked
printf '\n\n   \n' > bad/no-title/r.txt
printf 'A Title Line\n\nBody text.\n\nPlease refer to the attached PDF.\n\nKOGL Type 1\n' > bad/missing-pdf/r.txt
printf 'A Title Line\n\nBody text.\n\nKOGL Type 1\n' > bad/fake-pdf/r.txt
printf 'this is not a pdf\n' > bad/fake-pdf/r.pdf
cp bad/fake-pdf/r.txt bad/broken-pdf/r.txt
head -c 700 "rel/$SAMPLE/$SAMPLE.pdf" > bad/broken-pdf/r.pdf
cp bad/fake-pdf/r.txt bad/linked/r.txt
ln -s /etc/passwd bad/linked/r.pdf
cp -R "rel/$SAMPLE" bad/
check quarantine_exit_1 run_rc 1 A ingest --json bad
check quarantine_json python3 -c "
import json
L=[json.loads(l) for l in open('out')]
by={l['release'].split('/')[-1]: l for l in L if 'release' in l}
def failed(name, cid):
    r=by[name]; assert r['status']=='quarantined', r
    ids=[c['id'] for c in r['checks'] if c['status']=='fail' and c['level']=='error']
    assert cid in ids, (name, ids)
failed('no-title','release.readable')
failed('missing-pdf','attachment.present')
failed('fake-pdf','attachment.type')
failed('broken-pdf','pdf.open')
failed('linked','input.file')
assert by['$SAMPLE']['status']=='already-archived', by['$SAMPLE']
assert L[-1]['summary'] and L[-1]['quarantined']==5, L[-1]
"
for q in no-title missing-pdf fake-pdf broken-pdf linked; do
	check "quarantine_reason_$q" test -s "$S/quarantine/$q/reason.json"
done
check quarantine_keeps_link_as_link test -L "$S/quarantine/linked/release/r.pdf"
check quarantine_input_not_deleted test -f bad/fake-pdf/r.pdf
# A release holding files named like the quarantine's own reason file is
# quarantined like any other, and the batch goes on (it once stopped with
# exit 3: the reason file could not be created).
mkdir -p odd/a-clash
cp bad/fake-pdf/r.txt bad/fake-pdf/r.pdf odd/a-clash/
echo '{"mine": true}' > odd/a-clash/reason.json
echo '{"mine": 2}' > odd/a-clash/archive-reason.json
cp -R "rel/$SAMPLE" odd/b-good
check quarantine_clash_exit_1 run_rc 1 A ingest odd
check quarantine_clash_batch_goes_on has out '^2 releases: 0 archived, 1 already archived, 1 quarantined$'
check quarantine_clash_reason_ours python3 -c "
import json
r = json.load(open('$S/quarantine/a-clash/reason.json'))
assert any(c['id'] == 'attachment.type' and c['status'] == 'fail' for c in r['checks']), r
"
check quarantine_clash_release_as_given diff -r odd/a-clash "$S/quarantine/a-clash/release"
check quarantine_no_bundle sh -c "! ls '$S'/bundles/*/*title-line* 2>/dev/null | grep -q ."
check force_archives_fake_pdf run_rc 0 A ingest --force bad/fake-pdf
check force_check_status_fail sh -c "tar xzOf \"\$(ls '$S'/bundles/*/*a-title-line*.tar.gz)\" --wildcards '*/bag-info.txt' | grep -qx 'Check-Status: fail'"

# -- paths and usage ---------------------------------------------------------
check missing_path_exit_1 run_rc 1 A ingest nonexistent rel
check missing_path_named has err '^archive: ingest: nonexistent: No such file or directory$'
check missing_path_others_go_on has out '3 already archived'
check unknown_option_exit_2 run_rc 2 A ingest --bogus rel
check unknown_option_message has err "^archive: ingest: unknown option '--bogus'"
check bad_license_exit_2 run_rc 2 A ingest --license kogl-9 rel
check bad_date_exit_2 run_rc 2 A ingest --date 2024-02-30 rel
check bad_retention_exit_2 run_rc 2 A ingest --retention 5w rel
check no_path_exit_2 run_rc 2 A ingest
check help_exit_0 run_rc 0 A ingest -h
check help_usage has out '^usage: archive ingest'
check options_after_operands run_rc 0 A ingest rel --store "$S" -q
check dry_run_writes_nothing sh -c "'$ARCHIVE' --store '$PWD/dry' ingest --dry-run rel/$SAMPLE >/dev/null; ! ls '$PWD/dry/bundles'/*/* 2>/dev/null | grep -q ."
mkdir -p ro && chmod 555 ro
if [ "$(id -u)" -ne 0 ]; then
	check readonly_store_exit_3 run_rc 3 "$ARCHIVE" --store ro/s ingest rel
fi
exec 9>"$S/lock"
if flock -n 9; then
	check locked_store_exit_75 run_rc 75 A ingest rel
	check locked_store_message has err 'locked by another run'
fi
exec 9>&-

# -- the retention period: its start and the disposal date ----------------------
# SPEC "Retention and disposal": the period starts on 1 January after the
# release date (Decree Art. 26(5)), or on the release date with
# [retention] start = release-date; the disposal date is the start plus
# the period. Each store holds one bundle: of the sample (dated 2024-05-10
# by its PDF) or of the Korean release (2024-07-15, no warnings).
KO=ko-2024-07-15-ai-semiconductor
# field STORE NAME: the value of NAME in the bag-info.txt of STORE's one bundle.
field() { tar xzOf "$(ls "$1"/bundles/*/*.tar.gz)" --wildcards '*/bag-info.txt' | sed -n "s/^$2: //p"; }
# json_field STORE KEY: KEY of STORE's one bundle's release.json, as JSON.
json_field() { tar xzOf "$(ls "$1"/bundles/*/*.tar.gz)" --wildcards '*/metadata/release.json' |
	python3 -c "import json,sys; print(json.dumps(json.load(sys.stdin)['$2']))"; }
# with_conf STORE TEXT: a new store whose archive.conf is TEXT (printf format).
with_conf() { mkdir -p "$1" && printf "$2" > "$1/archive.conf"; }

check start_default_exit_0 run_rc 0 "$ARCHIVE" --store next ingest "rel/$SAMPLE"
check start_default_release_date [ "$(field next Release-Date)" = 2024-05-10 ]
check start_default_next_january [ "$(field next Retention-Start)" = 2025-01-01 ]
check start_default_disposal_10y [ "$(field next Disposal-Date)" = 2035-01-01 ]
check start_default_line_order sh -c "tar xzOf \"\$(ls next/bundles/*/*.tar.gz)\" --wildcards '*/bag-info.txt' |
	grep -A2 '^Retention-Period: ' | tr '\n' '|' | grep -qx 'Retention-Period: 10y|Retention-Start: 2025-01-01|Disposal-Date: 2035-01-01|'"
check start_default_json_start [ "$(json_field next retention_start)" = '"2025-01-01"' ]
check start_default_json_statutory [ "$(json_field next retention_statutory)" = true ]
check start_default_json_disposal [ "$(json_field next disposal_date)" = '"2035-01-01"' ]
# The last day of a year starts the next one the day after.
check start_dec31_exit_0 run_rc 0 "$ARCHIVE" --store dec31 ingest --date 2024-12-31 --retention 1y "rel/$KO"
check start_dec31_next_day [ "$(field dec31 Retention-Start)" = 2025-01-01 ]
check start_dec31_disposal [ "$(field dec31 Disposal-Date)" = 2026-01-01 ]
# Said in so many words, the default is the same.
with_conf named '[retention]\nstart = next-year\n'
check start_next_year_exit_0 run_rc 0 "$ARCHIVE" --store named ingest "rel/$SAMPLE"
check start_next_year_same [ "$(field named Retention-Start) $(field named Disposal-Date)" = "2025-01-01 2035-01-01" ]

# The old rule: from the release date.
with_conf old '[defaults]\nretention = 5y\n[retention]\nstart = release-date\n'
check start_release_date_exit_0 run_rc 0 "$ARCHIVE" --store old ingest "rel/$SAMPLE"
check start_release_date_start [ "$(field old Retention-Start)" = 2024-05-10 ]
check start_release_date_disposal [ "$(field old Disposal-Date)" = 2029-05-10 ]
check start_release_date_period [ "$(field old Retention-Period)" = 5y ]
with_conf leap '[retention]\nstart = release-date\n'
check start_release_date_leap_exit_0 run_rc 0 "$ARCHIVE" --store leap ingest --date 2024-02-29 --retention 1y "rel/$KO"
check start_release_date_leap_start [ "$(field leap Retention-Start)" = 2024-02-29 ]
check start_release_date_leap_disposal [ "$(field leap Disposal-Date)" = 2025-02-28 ]

# Semi-permanent (준영구): statutory, no disposal date.
check semi_permanent_exit_0 run_rc 0 "$ARCHIVE" --store semi ingest --retention semi-permanent "rel/$SAMPLE"
check semi_permanent_period [ "$(field semi Retention-Period)" = semi-permanent ]
check semi_permanent_start [ "$(field semi Retention-Start)" = 2025-01-01 ]
check semi_permanent_disposal [ "$(field semi Disposal-Date)" = semi-permanent ]
check semi_permanent_statutory [ "$(json_field semi retention_statutory)" = true ]
check permanent_disposal sh -c "'$ARCHIVE' --store perm ingest -q --retention permanent 'rel/$KO' &&
	[ \"\$(tar xzOf \"\$(ls perm/bundles/*/*.tar.gz)\" --wildcards '*/bag-info.txt' | sed -n 's/^Disposal-Date: //p')\" = permanent ]"

# A period the Decree does not name: kept, recorded as such, no check of its own.
check period_18m_exit_0 run_rc 0 "$ARCHIVE" --store m18 ingest --retention 18m "rel/$KO"
check period_18m_no_warning sh -c "! grep -qi 'warning\|statutory\|18m' out err"
check period_18m_check_status_pass [ "$(field m18 Check-Status)" = pass ]
check period_18m_start [ "$(field m18 Retention-Start)" = 2025-01-01 ]
check period_18m_disposal [ "$(field m18 Disposal-Date)" = 2026-07-01 ]
check period_18m_not_statutory [ "$(json_field m18 retention_statutory)" = false ]
check period_18m_json_period [ "$(json_field m18 retention)" = '"18m"' ]

# A start that is neither: the store's configuration is wrong, nothing is written.
with_conf bad '[retention]\nstart = tomorrow\n'
check bad_start_exit_3 run_rc 3 "$ARCHIVE" --store bad ingest "rel/$SAMPLE"
check bad_start_names_conf_key_value has err '^archive: ingest: archive.conf: \[retention\] start = tomorrow: '
check bad_start_no_bundle sh -c "! ls bad/bundles/*/* 2>/dev/null | grep -q ."
check bad_start_no_audit sh -c "[ ! -s bad/audit.log ]"
check bad_start_dry_run_exit_3 run_rc 3 "$ARCHIVE" --store bad ingest --dry-run "rel/$SAMPLE"
check bad_start_dry_run_names_it has err 'archive.conf: \[retention\] start = tomorrow'
# Even with --retention given, the start still has to be known.
check bad_start_with_option_exit_3 run_rc 3 "$ARCHIVE" --store bad ingest --retention 1y "rel/$SAMPLE"
check bad_start_still_no_bundle sh -c "! ls bad/bundles/*/* 2>/dev/null | grep -q ."

# -- durability: a new entry's folder is flushed -----------------------------
# A power cut may lose a new folder or file whose parent folder was never
# flushed, although its content was: the first bundle of a year (its
# bundles/YYYY) and a new audit.log. ARCHIVE_TEST_FSYNC_LOG (the test
# build's hook) lists each fsync in order.
D=$PWD/durable
check durable_ingest_exit_0 run_rc 0 env ARCHIVE_TEST_FSYNC_LOG="$PWD/fsyncs" \
	"$ARCHIVE" --store "$D" ingest "rel/$SAMPLE"
check durable_year_folder_flushed grep -qxF "$D/bundles" fsyncs
check durable_bundle_flushed_before_its_record python3 -c "
L = open('fsyncs').read().split('\n')
assert L.index('$D/bundles') < L.index('$D/audit.log'), L
"
check durable_new_audit_log_flushed python3 -c "
L = open('fsyncs').read().split('\n')
assert '$D' in L[L.index('$D/audit.log'):], L
"
