# bash completion for archive(1): commands, each command's options and
# subcommands, option values, and bundle ids for show, extract, hold and
# disposal review. Batch ids are not completed: they live in the catalog,
# and reading it would start a process. Installed by `make install` to
# PREFIX/share/bash-completion/completions/archive.
#
# Ids come from the file names under STORE/bundles/YYYY/ (--store on the
# command line, else $ARCHIVE_STORE, else ./archive-store): a glob, no
# process started, so it stays fast on a store of many thousand bundles.
# Keep the option lists equal to each command's -h (tests/e2e/completion.sh
# checks them against it).

_archive_ids()
{
	local f ids=()
	for f in "$1"/bundles/[0-9][0-9][0-9][0-9]/*.tar.gz; do
		[[ -e $f ]] || continue
		f=${f##*/}
		ids+=("${f%.tar.gz}")
	done
	COMPREPLY=($(compgen -W "${ids[*]}" -- "$2"))
}

_archive()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local commands="ingest verify retention disposal hold list show extract reindex report log key witness"
	local common="--store -q --quiet -v --verbose --log-syslog -h --help"
	local store=${ARCHIVE_STORE:-archive-store} cmd="" i w
	local -a args=()

	# The command, the store and the operands typed so far (option values
	# are not operands).
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--store) store=${COMP_WORDS[i + 1]}; ((i++)) ;;
		--store=*) store=${w#--store=} ;;
		-j | --date | --license | --retention | --org | --reason | --now | --html | --decision | --by | \
		--meeting | --until | --since | --out | -o | --state | --key) ((i++)) ;;
		-*) ;;
		*) if [[ -z $cmd ]]; then cmd=$w; else args+=("$w"); fi ;;
		esac
	done

	case $prev in
	--store) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
	--html | --since | -o) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
	--out | --state) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
	--key) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
	--license) COMPREPLY=($(compgen -W "kogl-1 kogl-2 kogl-3 kogl-4" -- "$cur")); return ;;
	--retention) COMPREPLY=($(compgen -W "1y 3y 5y 10y 30y semi-permanent permanent" -- "$cur")); return ;;
	--decision)
		# reset= and defer= take their value in the same word.
		COMPREPLY=($(compgen -W "destroy reset= defer=" -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return
		;;
	-j | --date | --org | --reason | --now | --by | --meeting | --until) COMPREPLY=(); return ;;
	esac
	# --decision reset=<TAB>: bash splits the word at '=' (COMP_WORDBREAKS).
	if ((COMP_CWORD >= 3)) && [[ ${COMP_WORDS[COMP_CWORD - 3]} == --decision ]] &&
		[[ ${COMP_WORDS[COMP_CWORD - 2]} == reset && $prev == = ]]; then
		COMPREPLY=($(compgen -W "1y 3y 5y 10y 30y semi-permanent permanent" -- "$cur"))
		return
	fi

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$common --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	local opts=""
	case $cmd in
	ingest) opts="-j --date --license --retention --org --dry-run --force --json" ;;
	verify) opts="-j --fast --json --stale --limit" ;;
	retention) opts="--now --apply --json" ;;
	disposal) opts="--now --all --decision --by --reason --meeting --json" ;;
	hold) opts="--reason --by --until --json" ;;
	list) opts="--all --json" ;;
	show | extract | reindex) opts="--json" ;;
	report) opts="--html --now --json" ;;
	log) opts="-o --since --json" ;;
	key) opts="--out --witness --json" ;;
	witness) opts="--state --key --json" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts $common" -- "$cur"))
		return
	fi

	case $cmd in
	ingest | verify)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		;;
	show) ((${#args[@]} == 0)) && _archive_ids "$store" "$cur" ;;
	extract)
		if ((${#args[@]} == 0)); then
			_archive_ids "$store" "$cur"
		elif ((${#args[@]} == 1)); then
			COMPREPLY=($(compgen -d -- "$cur"))
			compopt -o filenames 2>/dev/null
		fi
		;;
	disposal)
		# disposal review BATCH ID...: the ids after the batch.
		if ((${#args[@]} == 0)); then
			COMPREPLY=($(compgen -W "propose list show review execute" -- "$cur"))
		elif ((${#args[@]} >= 2)) && [[ ${args[0]} == review ]]; then
			_archive_ids "$store" "$cur"
		fi
		;;
	log)
		if ((${#args[@]} == 0)); then
			COMPREPLY=($(compgen -W "checkpoint proof verify" -- "$cur"))
		elif ((${#args[@]} == 1)) && [[ ${args[0]} == proof ]]; then
			_archive_ids "$store" "$cur"
		fi
		;;
	key) ((${#args[@]} == 0)) && COMPREPLY=($(compgen -W "generate" -- "$cur")) ;;
	witness)
		if ((${#args[@]} == 0)); then
			COMPREPLY=($(compgen -W "cosign" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
			compopt -o filenames 2>/dev/null
		fi
		;;
	hold)
		# hold add ID...; hold extend ID; hold remove ID.
		if ((${#args[@]} == 0)); then
			COMPREPLY=($(compgen -W "add extend remove list" -- "$cur"))
		elif [[ ${args[0]} == add ]] ||
			{ ((${#args[@]} == 1)) && [[ ${args[0]} == extend || ${args[0]} == remove ]]; }; then
			_archive_ids "$store" "$cur"
		fi
		;;
	esac
}
complete -F _archive archive
