// Test-only (tests/e2e/gocheck.sh). golang.org/x/mod comes from Debian's
// golang-golang-x-mod-dev (0.7.0 in Debian 12); nothing is downloaded.
module archive.test/tlogcheck

go 1.19

require golang.org/x/mod v0.7.0

replace golang.org/x/mod => /usr/share/gocode/src/golang.org/x/mod
