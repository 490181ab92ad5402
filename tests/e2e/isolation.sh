# End-to-end: a PDF that crashes or hangs poppler costs only its own
# release. The worker hooks (include/core/testhook.h, ARCHIVE_TEST_WORKER) make
# the PDF worker crash with SIGSEGV, sleep for ever, or burn CPU for a PDF
# of a given name; the batch must finish, quarantine those releases with
# a pdf.open reason, archive the others, and exit 1. The limits come from
# archive.conf's [limits] group.
. "$TOP/tests/lib.sh"

S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }

# Three good releases and two bad ones, copies of a fixture with the PDF
# renamed so that the hook can name it.
mkdir batch
cp -R "$FIXTURES/releases/." batch/
for bad in bad-crash bad-hang; do
	mkdir batch/$bad
	cp "$FIXTURES/releases/en-2024-06-03-quantum-strategy/en-2024-06-03-quantum-strategy.txt" batch/$bad/$bad.txt
	cp "$FIXTURES/releases/en-2024-06-03-quantum-strategy/en-2024-06-03-quantum-strategy.pdf" batch/$bad/$bad.pdf
	# Different content from the good copy, or it would be "already archived".
	echo "Copy $bad." >>batch/$bad/$bad.txt
done
cp -R batch batch.orig
mkdir -p "$S"
printf '[limits]\nworker_timeout_seconds = 2\n' >"$S/archive.conf"

reason() { # release check: the message of its failed check
	python3 - "$S/quarantine/$1/reason.json" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print("\n".join(c["message"] for c in j["checks"] if c["id"] == sys.argv[2] and c["status"] == "fail"))
PY
}

t0=$(date +%s)
check batch_exit_1 run_rc 1 timeout 300 env ARCHIVE_TEST_WORKER=crash:bad-crash.pdf,hang:bad-hang.pdf \
	"$ARCHIVE" --store "$S" ingest batch
took=$(( $(date +%s) - t0 ))
check batch_summary has out '^5 releases: 3 archived, 0 already archived, 2 quarantined$'
check batch_crash_quarantined has out '^quarantined +batch/bad-crash$'
check batch_hang_quarantined has out '^quarantined +batch/bad-hang$'
check batch_crash_reason [ "$(reason bad-crash pdf.open)" = "bad-crash.pdf: cannot be opened: worker killed by signal 11 (Segmentation fault)" ]
check batch_hang_reason [ "$(reason bad-hang pdf.open)" = "bad-hang.pdf: cannot be opened: worker timed out after 2 s" ]
check batch_hang_took_the_configured_timeout [ "$took" -lt 60 ]
check batch_three_bundles [ "$(find "$S/bundles" -name '*.tar.gz' | wc -l)" -eq 3 ]
check batch_verify_store run_rc 0 A verify
check batch_no_core [ -z "$(find . -name 'core*' -type f)" ]
check batch_no_worker_left sh -c "! pgrep -f \"[a]rchive --store $S\" >/dev/null"
check batch_tmp_empty [ -z "$(ls -A "$S/tmp")" ]
check batch_input_untouched diff -r batch.orig batch
check batch_quarantine_keeps_pdf cmp batch/bad-crash/bad-crash.pdf "$S/quarantine/bad-crash/release/bad-crash.pdf"

# The CPU limit: a worker burning CPU dies of SIGXCPU well before the
# wall-clock deadline.
S=$PWD/cpu
mkdir -p "$S"
printf '[limits]\nworker_cpu_seconds = 1\nworker_timeout_seconds = 60\n' >"$S/archive.conf"
mkdir spin && cp -R batch/bad-hang spin/bad-spin
mv spin/bad-spin/bad-hang.txt spin/bad-spin/bad-spin.txt
mv spin/bad-spin/bad-hang.pdf spin/bad-spin/bad-spin.pdf
check cpu_exit_1 run_rc 1 timeout 120 env ARCHIVE_TEST_WORKER=spin:bad-spin.pdf "$ARCHIVE" --store "$S" ingest spin/bad-spin
check cpu_reason [ "$(reason bad-spin pdf.open)" = "bad-spin.pdf: cannot be opened: worker killed by signal 24 (CPU time limit exceeded)" ]

# What a worker hands back is checked by the process that packs the
# bundle: of the access copy the worker sends only the update, which that
# process appends to the original's bytes itself; bytes that are no update
# (the hook sends "tampered", as a worker gone wrong might) are not
# archived; the release is, with a failed pdf.stamp warning saying why.
S=$PWD/tamper
mkdir tamper-in && cp -R batch/bad-hang tamper-in/bad-tamper
mv tamper-in/bad-tamper/bad-hang.txt tamper-in/bad-tamper/bad-tamper.txt
mv tamper-in/bad-tamper/bad-hang.pdf tamper-in/bad-tamper/bad-tamper.pdf
check tamper_archived run_rc 0 env ARCHIVE_TEST_WORKER=tamper:bad-tamper.pdf "$ARCHIVE" --store "$S" ingest tamper-in/bad-tamper
check tamper_warns has out "pdf.stamp.*bad-tamper.pdf: no access copy: the update the PDF worker made does not end in %%EOF"
tamper_no_access() {
	b=$(find "$S/bundles" -name '*.tar.gz') && [ -n "$b" ] &&
		tar tzf "$b" >list && has list '/data/attachments/bad-tamper.pdf$' &&
		! grep -q '/data/access/' list && "$ARCHIVE" verify "$b" >/dev/null
}
check tamper_bundle_has_no_access_copy tamper_no_access
check tamper_untampered_has_one run_rc 0 "$ARCHIVE" --store "$S.ok" ingest tamper-in/bad-tamper
check tamper_untampered_packs_it sh -c "tar tzf \"\$(find '$S.ok/bundles' -name '*.tar.gz')\" | grep -q '/data/access/bad-tamper.pdf\$'"

# A configuration the tool does not understand stops the run before it
# starts (exit 3), naming the file and the setting: a typo must not
# silently leave a limit at its default.
for conf in 'worker_timeout_seconds = 0' 'worker_memory = 2Q' 'worker_memroy = 1G'; do
	S=$PWD/conf-$(echo "$conf" | tr -c 'a-z0-9' _)
	mkdir -p "$S"
	printf '[limits]\n%s\n' "$conf" >"$S/archive.conf"
	key=${conf%% *}
	check "bad_conf_${key}_exit_3" run_rc 3 A ingest batch/bad-crash
	check "bad_conf_${key}_names_it" has err "^archive: ingest: archive.conf: \[limits\] $key"
	check "bad_conf_${key}_nothing_written" [ -z "$(find "$S/bundles" "$S/quarantine" -mindepth 1 2>/dev/null)" ]
done

# A release worker parses hostile bytes in-process: the parent does not
# take its word for the paths it sends back. A work folder that is not one
# the store made under tmp/ is never removed, a bundle that is not the one
# in that folder never linked into the store; either stops the run (exit
# 3). The hooks (ARCHIVE_TEST_RELEASE_WORK, _BUNDLE) replace the paths in
# every result, as a damaged worker might.
victim() { rm -rf victim && mkdir victim && echo keep >victim/keep; }
victim
S=$PWD/paths-work
check worker_work_outside_exit_3 run_rc 3 env ARCHIVE_TEST_RELEASE_WORK="$PWD/victim" \
	"$ARCHIVE" --store "$S" ingest -j 2 "$FIXTURES/releases"
check worker_work_outside_named has err "^archive: ingest: .*: release worker sent a bad work folder: .*/victim: not a work folder of this store"
check worker_work_outside_not_removed [ "$(cat victim/keep)" = keep ]
check worker_work_outside_nothing_published [ -z "$(find "$S/bundles" -name '*.tar.gz')" ]
victim
S=$PWD/paths-climb
check worker_work_climbing_exit_3 run_rc 3 env ARCHIVE_TEST_RELEASE_WORK="$S/tmp/run-AAAAAA/../../../victim" \
	"$ARCHIVE" --store "$S" ingest -j 2 "$FIXTURES/releases"
check worker_work_climbing_not_removed [ "$(cat victim/keep)" = keep ]
S=$PWD/paths-bundle
echo "not a bundle" >outside.tar.gz
check worker_bundle_outside_exit_3 run_rc 3 env ARCHIVE_TEST_RELEASE_BUNDLE="$PWD/outside.tar.gz" \
	"$ARCHIVE" --store "$S" ingest -j 2 "$FIXTURES/releases"
check worker_bundle_outside_named has err "^archive: ingest: .*: release worker sent a bad bundle: .*/outside\.tar\.gz: not the bundle of its work folder"
check worker_bundle_outside_not_linked [ -z "$(find "$S/bundles" -name '*.tar.gz')" ]
check worker_bundle_outside_untouched [ "$(stat -c %h outside.tar.gz)" -eq 1 ]
check worker_paths_then_clean_run run_rc 0 "$ARCHIVE" --store "$S" ingest -j 2 "$FIXTURES/releases"
check worker_paths_tmp_empty [ -z "$(ls -A "$S/tmp")" ]
