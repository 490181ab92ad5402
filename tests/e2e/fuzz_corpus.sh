# End-to-end: replay every fuzz target's corpus (fuzz/corpus/<target>/:
# the seeds, and each input that once crashed or leaked) through the
# target's entry function, built without libFuzzer (fuzz/replay.c) by the
# same compiler and sanitizers as the rest of the suite. The fuzzing
# itself is `make fuzz-run`, not part of CI.
. "$TOP/tests/lib.sh"

build=$(dirname "$ARCHIVE")
for src in "$TOP"/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	check "${t}_replay_built" [ -x "$build/fuzz/replay_$t" ]
	check "${t}_has_corpus" [ -n "$(ls -A "$TOP/fuzz/corpus/$t" 2>/dev/null)" ]
	check "${t}_corpus_replays_clean" run_rc 0 "$build/fuzz/replay_$t" "$TOP/fuzz/corpus/$t"
	check "${t}_replayed_all" has out "^replayed $(ls "$TOP/fuzz/corpus/$t" | wc -l) inputs?\$"
	check "${t}_no_sanitizer_report" sh -c '! grep -E "AddressSanitizer|LeakSanitizer|runtime error:" err'
done
