# make install honours PREFIX and DESTDIR, and the installed binary runs.
. "$TOP/tests/lib.sh"

build=$(dirname "$ARCHIVE")
B=${build#"$TOP"/}
# -o: install the binary under test as it is; never rebuild the suite's
# (sanitizer) build with install's flags halfway through a run.
check install_exit_0 run_rc 0 make -s -C "$TOP" install B="$B" -o "$B/archive" PREFIX=/opt/arc DESTDIR="$PWD/root"
check install_puts_binary_under_prefix test -x root/opt/arc/bin/archive
check installed_binary_runs sh -c "root/opt/arc/bin/archive --version | grep -q '^archive [0-9]'"
check install_puts_man_page cmp root/opt/arc/share/man/man1/archive.1 "$TOP/man/archive.1"
check install_puts_completion cmp root/opt/arc/share/bash-completion/completions/archive "$TOP/completion/archive.bash"
check installed_man_page_reads sh -c "MANPATH=root/opt/arc/share/man man -P cat archive 2>/dev/null | grep -q 'archive ingest' || mandoc -T ascii root/opt/arc/share/man/man1/archive.1 | grep -q 'archive ingest'"
check install_nothing_else sh -c "[ \$(find root -type f | wc -l) -eq 3 ]"
check uninstall_exit_0 run_rc 0 make -s -C "$TOP" uninstall B="$B" -o "$B/archive" PREFIX=/opt/arc DESTDIR="$PWD/root"
check uninstall_removes_binary test ! -e root/opt/arc/bin/archive
check uninstall_removes_everything sh -c "[ \$(find root -type f | wc -l) -eq 0 ]"
