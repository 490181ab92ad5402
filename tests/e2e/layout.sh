# The tree shows the architecture (README, "Architecture"): src/ holds main.c and
# folders only, each folder says in a README what lives there, main.c is
# the table and the dispatch, a folder includes only the folders before it
# in the layer order, and only main.c, cli/ and cmd/ print or read argv.
# Each checker also runs on a tree broken on purpose: it can fail.
. "$TOP/tests/lib.sh"

# Layers in order; a folder may include its own headers and those of the
# folders its line names.
cat >layers <<'L'
core
release core
pdf core release
doc core
bag core
store core release bag
log core store bag release
ingest core release pdf doc bag store log
cli core release pdf doc bag store log ingest
cmd core release pdf doc bag store log ingest cli
L

# layering SRC INCLUDE: print each include that calls upward; fail if any.
layering() {
	bad=0
	while read -r dir allowed; do
		for f in "$1/$dir"/*.c "$1/$dir"/*.h "$2/$dir"/*.h; do
			[ -f "$f" ] || continue
			for inc in $(sed -n 's|^#include "\([a-z_]*\)/.*|\1|p' "$f" | sort -u); do
				case " $dir $allowed " in
				*" $inc "*) ;;
				*) echo "$f includes $inc/, which $dir/ may not call" >&2; bad=1 ;;
				esac
			done
		done
	done <layers
	return $bad
}

# printing SRC: library code that prints or reads argv.
printing() {
	! grep -nE '(^|[^_a-z])(printf|puts|putchar|perror)\(|fprintf\(std(out|err)|fputs\([^;]*std(out|err)\)|\bargv\b' \
		$(for d in core release pdf doc bag store log ingest; do ls "$1/$d"/*.c 2>/dev/null; done) |
		grep -v '^[^:]*:[0-9]*: *\*' >&2
}

check src_holds_main_and_folders sh -c "[ \"\$(cd '$TOP/src' && find . -maxdepth 1 ! -type d)\" = './main.c' ]"
check every_folder_has_a_readme sh -c "for d in '$TOP'/src/*/; do [ -s \"\$d/README.md\" ] || { echo \"\$d: no README.md\" >&2; exit 1; }; done"
check include_mirrors_src sh -c "for d in '$TOP'/include/*/; do [ -d '$TOP/src/'\$(basename \$d) ] || { echo \"\$d has no src/ folder\" >&2; exit 1; }; done"
check main_c_under_250_lines sh -c "[ \$(wc -l <'$TOP/src/main.c') -lt 250 ]"
check no_include_calls_upward layering "$TOP/src" "$TOP/include"
check only_cli_cmd_main_print printing "$TOP/src"

# The checkers fail on a tree that breaks them.
mkdir -p broken/src broken/include
cp -R "$TOP/src/bag" "$TOP/src/core" broken/src/
cp -R "$TOP/include/bag" "$TOP/include/core" broken/include/
echo '#include "store/store.h"' >>broken/src/bag/write.c
not() { ! "$@"; }
check layering_checker_can_fail not layering broken/src broken/include
echo 'static void f(void) { printf("x"); }' >>broken/src/core/hash.c
check printing_checker_can_fail not printing broken/src
