# End-to-end: the Library of Congress BagIt conformance suite
# ($TOP/../shared/conformance/bagit), every bag judged as its folder says:
#   v*/valid/*                          exit 0
#   v*/invalid/*, v0.97/linux-only/*    exit 1 and a FAIL line (the reason)
#   v0.97/warning/*                     exit 0 and a WARN line
#   v0.97/windows-only/*                skipped on Linux, with a note
# once as the directory it is stored as, then packed as .tar.gz and as .zip
# (python3 zipfile): a serialisation must get the same verdict.
#
# The suite is not part of this repository. Where it is absent the script
# says "SKIP" (tests/run counts it as skipped, not passed); in CI it is
# always there.
. "$TOP/tests/lib.sh"

suite=$TOP/../shared/conformance/bagit
if [ ! -d "$suite" ]; then
	echo "SKIP conformance: ../shared/conformance not found"
	exit 0
fi

# The suite is read-only in CI and must stay untouched: work on a copy.
cp -R "$suite" bags || { echo "FAIL copy_suite"; exit 1; }
chmod -R u+w bags

# judge KIND LABEL PATH: the verdict for a bag of folder KIND.
judge() {
	_kind=$1 _label=$2 _path=$3
	case $_kind in
	valid)
		run_rc 0 "$ARCHIVE" verify "$_path" && has out '^OK  ' ;;
	invalid | linux-only)
		run_rc 1 "$ARCHIVE" verify "$_path" && has out '^FAIL [^:]+: .+: .+' ;;
	warning)
		run_rc 0 "$ARCHIVE" verify "$_path" && has out '^OK  ' && has out '^WARN [^:]+: .+: .+' ;;
	esac
}

# pack DIR: DIR.tar.gz and DIR.zip beside it, top directory the bag's name.
pack() {
	(cd "$(dirname "$1")" && tar czf "$(basename "$1").tar.gz" "$(basename "$1")") &&
		python3 - "$1" <<'EOF'
import os, sys, zipfile
bag = sys.argv[1].rstrip("/")
parent, name = os.path.split(bag)
with zipfile.ZipFile(bag + ".zip", "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(bag):
        dirs.sort()
        for f in sorted(files):
            full = os.path.join(root, f)
            z.write(full, os.path.relpath(full, parent))
EOF
}

n=0 skipped=0
for bag in bags/v*/*/*/; do
	bag=${bag%/}
	kind=$(basename "$(dirname "$bag")")
	label=${bag#bags/}
	if [ "$kind" = windows-only ]; then
		echo "SKIP $label: a Windows path case, not judged on Linux"
		skipped=$((skipped + 1))
		continue
	fi
	n=$((n + 1))
	check "dir/$label" judge "$kind" "$label" "$bag"
	if pack "$bag"; then
		check "tar.gz/$label" judge "$kind" "$label" "$bag.tar.gz"
		check "zip/$label" judge "$kind" "$label" "$bag.zip"
	else
		echo "FAIL pack/$label"
	fi
done

# The suite holds 58 bags today (6 of them windows-only); fewer would mean
# a glob that silently matched nothing.
enough() { [ "$n" -ge 50 ] && [ "$skipped" -eq 6 ]; }
check suite_complete enough
