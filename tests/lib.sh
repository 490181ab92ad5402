# lib.sh — sourced by every end-to-end test (tests/e2e/*.sh).
#
# tests/run starts each script in a fresh scratch directory (the cwd) with
# ARCHIVE (the binary under test), FIXTURES and TOP set. check NAME CMD...
# runs CMD and prints "PASS NAME" or "FAIL NAME"; run_rc WANT CMD passes
# when CMD exits with WANT. Every test must be able to fail: assert on output and exit codes,
# not merely that something ran.
set -u
: "${ARCHIVE:?}" "${FIXTURES:?}" "${TOP:?}"

check() {
	_check_name=$1; shift
	if "$@"; then echo "PASS $_check_name"; else echo "FAIL $_check_name"; fi
}

# run_rc WANT CMD...: run CMD, pass when its exit status is WANT.
# Its stdout and stderr are left in ./out and ./err for later asserts.
run_rc() {
	_rc_want=$1; shift
	"$@" >out 2>err
	_rc_got=$?
	if [ "$_rc_got" -ne "$_rc_want" ]; then
		echo "exit status $_rc_got, want $_rc_want: $*" >&2
		sed 's/^/  stdout: /' out >&2
		sed 's/^/  stderr: /' err >&2
		return 1
	fi
}

# has FILE PATTERN: FILE contains a line matching the extended regex.
has() {
	grep -Eq -- "$2" "$1" || { echo "no line matching '$2' in $1:" >&2; sed 's/^/  /' "$1" >&2; return 1; }
}
