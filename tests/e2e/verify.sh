# End-to-end: archive verify on BagIt bags made with standard tools alone
# (mkdir, printf, sha256sum, tar), so that it does not depend on ingest:
# a valid bag passes as .tar.gz, .zip and directory; each kind of damage
# fails with the file named; --json, -q, the store and the usage errors.
. "$TOP/tests/lib.sh"

id=2024-05-10_e2e-verify_0c0ffee0

# mkbag DIR: a valid BagIt 1.0 bag named like our bundles.
mkbag() {
	rm -rf "$1"
	mkdir -p "$1/data/sub"
	printf 'hello\n' >"$1/data/a.txt"
	printf 'world!\n' >"$1/data/sub/b c.txt"
	printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$1/bagit.txt"
	printf 'Bagging-Date: 2024-05-10\nPayload-Oxum: 13.2\n' >"$1/bag-info.txt"
	(cd "$1" && sha256sum data/a.txt "data/sub/b c.txt" >manifest-sha256.txt) || return 1
	retag "$1"
}

# retag DIR: recompute the tag manifest (after a deliberate change).
retag() {
	(cd "$1" && sha256sum bagit.txt bag-info.txt manifest-sha256.txt >tagmanifest-sha256.txt)
}

# variant NAME CMD...: a copy of the bag changed by CMD (run inside it),
# packed as NAME.tar.gz with the top directory still named $id.
variant() {
	vname=$1; shift
	rm -rf "$vname"; mkdir "$vname"
	cp -R "$id" "$vname/$id"
	(cd "$vname/$id" && "$@") || return 1
	(cd "$vname" && tar czf "../$vname.tar.gz" "$id")
}

mkbag "$id" || { echo "FAIL setup"; exit 1; }
tar czf "$id.tar.gz" "$id"

valid_bundle() {
	run_rc 0 "$ARCHIVE" verify "$id.tar.gz" && has out "^OK  $id\$" &&
		has out "^1 verified: 1 OK, 0 FAIL\$"
}
check valid_bundle valid_bundle

valid_directory() {
	run_rc 0 "$ARCHIVE" verify "$id" && has out "^OK  $id\$"
}
check valid_directory valid_directory

valid_zip() {
	command -v zip >/dev/null || return 0 # no zip tool: nothing to test
	zip -qr "$id.zip" "$id" && run_rc 0 "$ARCHIVE" verify "$id.zip" && has out "^OK  $id\$"
}
check valid_zip valid_zip

valid_plain_tar() {
	tar cf "$id.tar" "$id" && run_rc 0 "$ARCHIVE" verify "$id.tar" && has out "^OK  $id\$"
}
check valid_plain_tar valid_plain_tar

# The sidecar is checked when it exists; sha256sum agrees with verify.
sidecar() {
	sha256sum "$id.tar.gz" >"$id.tar.gz.sha256" && sha256sum -c --quiet "$id.tar.gz.sha256" &&
		run_rc 0 "$ARCHIVE" verify "$id.tar.gz" &&
		printf '%064d  %s\n' 0 "$id.tar.gz" >"$id.tar.gz.sha256" &&
		run_rc 1 "$ARCHIVE" verify "$id.tar.gz" &&
		has out "^FAIL $id: $id.tar.gz.sha256: sha256 of the bundle differs\$"
	rc=$?
	rm -f "$id.tar.gz.sha256"
	return $rc
}
check sidecar sidecar

# Not only a .tar.gz: any FILE given is checked against FILE.sha256 when
# it exists, a plain tar and a zip bag alike.
sidecar_any_file() {
	rm -f side.zip && tar cf side.tar "$id" && python3 -m zipfile -c side.zip "$id" || return 1
	for f in side.tar side.zip; do
		sha256sum "$f" >"$f.sha256" && run_rc 0 "$ARCHIVE" verify "$f" &&
			has out "^OK  $id\$" &&
			printf '%064d  %s\n' 0 "$f" >"$f.sha256" &&
			run_rc 1 "$ARCHIVE" verify "$f" &&
			has out "^FAIL $id: $f.sha256: sha256 of the bundle differs\$" &&
			has out "^1 verified: 0 OK, 1 FAIL\$" || { rm -f "$f.sha256"; return 1; }
		rm -f "$f.sha256"
	done
}
check sidecar_any_file sidecar_any_file

flip_payload() { printf 'hellO\n' >data/a.txt; }
payload_mismatch() {
	variant flip flip_payload && run_rc 1 "$ARCHIVE" verify flip.tar.gz &&
		has out "^FAIL $id: data/a.txt: sha256 mismatch\$" &&
		has out "^1 verified: 0 OK, 1 FAIL\$"
}
check payload_mismatch payload_mismatch

# --fast reads no checksums: the same bag passes.
fast_skips_checksums() {
	run_rc 0 "$ARCHIVE" verify --fast flip.tar.gz && has out "^OK  $id\$"
}
check fast_skips_checksums fast_skips_checksums

drop_file() { rm "data/sub/b c.txt"; }
missing_file() {
	variant missing drop_file && run_rc 1 "$ARCHIVE" verify missing.tar.gz &&
		has out "^FAIL $id: data/sub/b c.txt: listed in manifest-sha256.txt but missing\$" &&
		has out "^FAIL $id: bag-info.txt: Payload-Oxum says 13.2, found 6.1\$"
}
check missing_file missing_file

add_extra() { printf 'x\n' >data/extra.txt; }
unlisted_file() {
	variant extra add_extra && run_rc 1 "$ARCHIVE" verify extra.tar.gz &&
		has out "^FAIL $id: data/extra.txt: not in manifest-sha256.txt\$"
}
check unlisted_file unlisted_file

wrong_oxum() { printf 'Payload-Oxum: 14.2\n' >bag-info.txt && retag .; }
payload_oxum() {
	variant oxum wrong_oxum && run_rc 1 "$ARCHIVE" verify oxum.tar.gz &&
		has out "^FAIL $id: bag-info.txt: Payload-Oxum says 14.2, found 13.2\$"
}
check payload_oxum payload_oxum

touch_info() { printf 'Contact-Name: someone\n' >>bag-info.txt; }
tag_mismatch() {
	variant tag touch_info && run_rc 1 "$ARCHIVE" verify tag.tar.gz &&
		has out "^FAIL $id: bag-info.txt: sha256 mismatch\$"
}
check tag_mismatch tag_mismatch

no_bagit() { rm bagit.txt; }
missing_bagit() {
	variant nobagit no_bagit && run_rc 1 "$ARCHIVE" verify nobagit.tar.gz &&
		has out "^FAIL $id: bagit.txt: missing\$"
}
check missing_bagit missing_bagit

add_link() { ln -s /etc/passwd data/link; }
symlink_entry() {
	variant link add_link && run_rc 1 "$ARCHIVE" verify link.tar.gz &&
		has out "^FAIL $id: data/link: symbolic link\$" &&
		run_rc 1 "$ARCHIVE" verify "link/$id" && has out "^FAIL $id: data/link: symbolic link\$"
}
check symlink_entry symlink_entry

# An entry that climbs out of the bag (GNU tar keeps ".." with -P).
dotdot_entry() {
	printf 'evil\n' >evil.txt
	tar czPf dotdot.tar.gz "$id" "$id/../evil.txt" &&
		run_rc 1 "$ARCHIVE" verify dotdot.tar.gz && has out "^FAIL $id: $id/\.\./evil.txt: escapes the bag"
}
check dotdot_entry dotdot_entry

# Cut in half; the bag is small, so the break may come before the first
# header and the id is then the file's name.
truncated() {
	size=$(wc -c <"$id.tar.gz")
	head -c $((size / 2)) "$id.tar.gz" >trunc.tar.gz &&
		run_rc 1 "$ARCHIVE" verify trunc.tar.gz &&
		has out "^FAIL ($id|trunc): trunc.tar.gz: truncated or corrupt: "
}
check truncated truncated

# Every problem of a bag is named, not only the first.
all_at_once() { flip_payload && drop_file && add_extra && wrong_oxum && touch_info; }
many_problems() {
	variant many all_at_once && run_rc 1 "$ARCHIVE" verify many.tar.gz &&
		has out "data/a.txt: sha256 mismatch" && has out "data/sub/b c.txt: listed in" &&
		has out "data/extra.txt: not in manifest-sha256.txt" &&
		has out "bag-info.txt: Payload-Oxum says 14.2" && has out "bag-info.txt: sha256 mismatch"
}
check many_problems many_problems

json_output() {
	run_rc 1 "$ARCHIVE" verify --json "$id.tar.gz" flip.tar.gz &&
		has out "^\{\"bundle\":\"$id.tar.gz\",\"id\":\"$id\",\"valid\":true,\"problems\":\[\],\"warnings\":\[\]\}\$" &&
		has out "^\{\"bundle\":\"flip.tar.gz\",\"id\":\"$id\",\"valid\":false,\"problems\":\[\{\"file\":\"data/a.txt\",\"reason\":\"sha256 mismatch\"\}\]" &&
		has out "^\{\"summary\":true,\"verified\":2,\"ok\":1,\"failed\":1\}\$" &&
		[ "$(wc -l <out)" -eq 3 ]
}
check json_output json_output

quiet() {
	run_rc 1 "$ARCHIVE" -q verify flip.tar.gz && has out "^FAIL " && ! grep -q verified out
}
check quiet quiet

missing_path() {
	run_rc 1 "$ARCHIVE" verify nope.tar.gz "$id.tar.gz" &&
		has err "^archive: verify: nope.tar.gz: No such file or directory\$" &&
		has out "^OK  $id\$" && has out "^2 verified: 1 OK, 1 FAIL\$"
}
check missing_path missing_path

usage_errors() {
	run_rc 2 "$ARCHIVE" verify --bogus "$id.tar.gz" && has err "unknown option '--bogus'" &&
		run_rc 2 "$ARCHIVE" verify -j 0 "$id.tar.gz" &&
		run_rc 0 "$ARCHIVE" verify -j 2 "$id.tar.gz" &&
		run_rc 0 "$ARCHIVE" verify -h && has out "^usage: archive verify"
}
check usage_errors usage_errors

# -j N: bags are verified by a few long-lived workers. One that dies
# (a test hook crashes it on crash.tar.gz) fails that bag alone, with the
# reason; the bags before and after it, verified by the worker that takes
# its place and by the other, pass, in the order given.
worker_crash() {
	cp "$id.tar.gz" a.tar.gz && cp "$id.tar.gz" crash.tar.gz && cp "$id.tar.gz" z.tar.gz &&
		run_rc 1 env ARCHIVE_TEST_WORKER=crash:crash.tar.gz "$ARCHIVE" verify -j 2 \
			a.tar.gz crash.tar.gz z.tar.gz a.tar.gz z.tar.gz &&
		[ "$(grep -c "^OK  $id\$" out)" -eq 4 ] &&
		has out "^FAIL crash: crash.tar.gz: not verified: worker killed by signal 11 \(Segmentation fault\)\$" &&
		[ "$(sed -n 2p out | cut -c1-4)" = "FAIL" ] &&
		run_rc 0 "$ARCHIVE" verify -j 2 a.tar.gz crash.tar.gz z.tar.gz
}
check worker_crash worker_crash

# -j 40 polls up to 80 workers' descriptors at once; under `ulimit -n 64`
# poll() refuses that many. The bags cannot be verified: exit 3 with the
# reason, never "0 verified" and exit 0 as if all were. With -j 20 the
# same bags all pass under the same limit.
poll_fails() {
	mkdir -p many && i=0
	while [ $i -lt 100 ]; do
		cp "$id.tar.gz" "many/b$i.tar.gz" || return 1
		i=$((i + 1))
	done
	(ulimit -n 64 && run_rc 3 "$ARCHIVE" verify -j 40 many/*.tar.gz) &&
		has err "^archive: verify: cannot wait for the verifying workers: poll on 80 descriptors: .*open-file limit, 64" &&
		! grep -q "verified" out &&
		(ulimit -n 64 && run_rc 0 "$ARCHIVE" verify -j 20 many/*.tar.gz) &&
		has out "^100 verified: 100 OK, 0 FAIL\$"
}
check poll_fails poll_fails

# No argument: every bundle of the store. A bag dropped into bundles/ by
# hand is not in the catalog; one whose bytes changed fails on them.
whole_store() {
	mkdir -p store/bundles/2024 && cp "$id.tar.gz" store/bundles/2024/ &&
		(cd store/bundles/2024 && sha256sum "$id.tar.gz" > "$id.tar.gz.sha256") &&
		cp flip.tar.gz store/bundles/2024/2024-05-11_flip_00000000.tar.gz &&
		run_rc 1 "$ARCHIVE" --store store verify &&
		has out "^FAIL $id: catalog.sqlite: the catalog does not list this bundle\$" &&
		has out "^FAIL $id: data/a.txt: sha256 mismatch\$" &&
		has out "^FAIL $id: 2024-05-11_flip_00000000.tar.gz: the file is named 2024-05-11_flip_00000000 but holds bag $id\$" &&
		has out "^FAIL $id: 2024-05-11_flip_00000000.tar.gz.sha256: missing" &&
		has out "^2 verified: 0 OK, 2 FAIL; audit log: [0-9]+ lines, chain intact\$" &&
		has err "cannot be indexed" &&
		mkdir empty-store && run_rc 0 "$ARCHIVE" verify --store empty-store &&
		has out "^0 verified: 0 OK, 0 FAIL; audit log: 0 lines, chain intact\$" &&
		run_rc 3 "$ARCHIVE" verify --store no-such-store && has err "no-such-store: cannot read store" &&
		test ! -e no-such-store
}
check whole_store whole_store
