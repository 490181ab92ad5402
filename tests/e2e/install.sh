# make install honours PREFIX and DESTDIR, and the installed binary runs.
. "$TOP/tests/lib.sh"

build=$(dirname "$ARCHIVE")
B=${build#"$TOP"/}
check install_exit_0 run_rc 0 make -s -C "$TOP" install B="$B" PREFIX=/opt/arc DESTDIR="$PWD/root"
check install_puts_binary_under_prefix test -x root/opt/arc/bin/archive
check installed_binary_runs sh -c "root/opt/arc/bin/archive --version | grep -q '^archive [0-9]'"
check install_nothing_else sh -c "[ \$(find root -type f | wc -l) -eq 1 ]"
check uninstall_exit_0 run_rc 0 make -s -C "$TOP" uninstall B="$B" PREFIX=/opt/arc DESTDIR="$PWD/root"
check uninstall_removes_binary test ! -e root/opt/arc/bin/archive
