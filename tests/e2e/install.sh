# make install honours PREFIX and DESTDIR, and the installed binary runs.
. "$TOP/tests/lib.sh"

build=$(dirname "$ARCHIVE")
B=${build#"$TOP"/}
# -o: install the binary under test as it is; never rebuild the suite's
# (sanitizer) build with install's flags halfway through a run.
check install_exit_0 run_rc 0 make -s -C "$TOP" install B="$B" -o "$B/archive" PREFIX=/opt/arc DESTDIR="$PWD/root"
check install_puts_binary_under_prefix test -x root/opt/arc/bin/archive
check installed_binary_runs sh -c "root/opt/arc/bin/archive --version | grep -q '^archive [0-9]'"
check install_nothing_else sh -c "[ \$(find root -type f | wc -l) -eq 1 ]"
check uninstall_exit_0 run_rc 0 make -s -C "$TOP" uninstall B="$B" -o "$B/archive" PREFIX=/opt/arc DESTDIR="$PWD/root"
check uninstall_removes_binary test ! -e root/opt/arc/bin/archive
