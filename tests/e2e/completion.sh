# Bash completion (completion/archive.bash): commands, options per command
# (the same as each command's -h), values, and bundle ids from the store.
. "$TOP/tests/lib.sh"

COMP=$TOP/completion/archive.bash
mkdir -p s/bundles/2024 s/bundles/2025 other/bundles/2023
: > s/bundles/2024/2024-05-10_ai-diplomacy_60f0c0d9.tar.gz
: > s/bundles/2024/2024-05-10_ai-diplomacy_60f0c0d9.tar.gz.sha256
: > s/bundles/2025/2025-01-02_budget_0a1b2c3d.tar.gz
: > other/bundles/2023/2023-03-04_elsewhere_99999999.tar.gz

# complete WORDS...: the completions bash offers for the last word (one a
# line, sorted), as `archive WORDS` typed at the prompt.
complete_words() {
	bash -c '
		source "$1"; shift
		COMP_WORDS=(archive "$@"); COMP_CWORD=$#
		_archive
		printf "%s\n" "${COMPREPLY[@]}" | sed "/^\$/d" | sort' sh "$COMP" "$@"
}
# offers WANT WORDS...: the completions are exactly WANT (space separated).
offers() {
	want=$(printf '%s\n' $1 | sort); shift
	got=$(complete_words "$@")
	[ "$got" = "$want" ] || { echo "archive $*<TAB>: got [$got], want [$want]" | tr '\n' ' ' >&2; echo >&2; return 1; }
}

check completion_bash_syntax bash -n "$COMP"
check completion_registers bash -c "source '$COMP'; complete -p archive | grep -q -- '-F _archive'"
# Every command archive --help lists (a new one cannot be left out).
CMDS=$("$ARCHIVE" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | tr '\n' ' ')
check completion_commands offers "$CMDS" ""
check completion_command_prefix offers "reindex report retention" re
check completion_retention_options offers "--now --apply --json --store --quiet --verbose --log-syslog --help" retention --
check completion_report_options offers "--html --help" report --h
check completion_license_values offers "kogl-1 kogl-2 kogl-3 kogl-4" ingest --license ""
check completion_retention_values offers "1y 3y 5y 10y 30y semi-permanent permanent" ingest --retention ""
check completion_retention_semi offers "semi-permanent" ingest --retention se
check completion_hold_subcommands offers "add extend remove list" hold ""
check completion_disposal_subcommands offers "propose list show review execute" disposal ""
check completion_decision_values offers "destroy reset= defer=" disposal review B --decision ""
check completion_decision_reset_periods offers "3y 30y" disposal review B --decision reset = 3
check completion_decision_takes_value offers "" disposal review B --decision destroy --by ""
check completion_show_ids offers "2024-05-10_ai-diplomacy_60f0c0d9 2025-01-02_budget_0a1b2c3d" --store s show ""
check completion_show_id_prefix offers "2025-01-02_budget_0a1b2c3d" --store s show 2025
check completion_hold_add_ids offers "2024-05-10_ai-diplomacy_60f0c0d9" --store s hold add 2024
check completion_hold_add_more_ids offers "2025-01-02_budget_0a1b2c3d" --store s hold add 2024-05-10_ai-diplomacy_60f0c0d9 2025
check completion_hold_extend_ids offers "2025-01-02_budget_0a1b2c3d" --store s hold extend 2025
check completion_hold_extend_one_id_only offers "" --store s hold extend 2025-01-02_budget_0a1b2c3d --until 2030-01-01 ""
check completion_log_subcommands offers "checkpoint proof verify" log ""
check completion_log_proof_ids offers "2025-01-02_budget_0a1b2c3d" --store s log proof 2025
check completion_key_subcommands offers "generate" key ""
check completion_review_ids offers "2025-01-02_budget_0a1b2c3d" --store s disposal review 2035-01-01-1 2025
in_other_store() { (ARCHIVE_STORE=other; export ARCHIVE_STORE; "$@"); }
check completion_store_from_env in_other_store offers 2023-03-04_elsewhere_99999999 show ""
check completion_show_one_id_only offers "" --store s show 2024-05-10_ai-diplomacy_60f0c0d9 ""

# Each command's options are those its -h lists (the common ones aside).
for c in $CMDS; do
	"$ARCHIVE" "$c" -h > help
	want=$(grep -oE -- '(^|[^A-Za-z0-9_-])(--[a-z][a-z-]*|-[a-zA-Z])([^A-Za-z0-9_-]|$)' help |
		grep -oE -- '--?[a-zA-Z][a-z-]*' |
		grep -vxE -- '--store|-q|-v|--quiet|--verbose|--log-syslog|-h|--help' | sort -u | tr '\n' ' ')
	got=$(complete_words "$c" - | grep -vxE -- '--store|-q|-v|--quiet|--verbose|--log-syslog|-h|--help' | tr '\n' ' ')
	check "completion_${c}_options_match_help" [ "$got" = "$want" ]
	[ "$got" = "$want" ] || echo "$c: completion [$got], -h [$want]" >&2
done
