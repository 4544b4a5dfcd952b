#!/usr/bin/env bash
# Runs one agora command for action.yml: its annotations (`::error`, `::warning`, `::notice`
# lines) are passed on within what GitHub shows — 10 of each type per step and 50 per job (see
# https://github.com/actions/toolkit/blob/main/docs/problem-matchers.md#limitations) — the
# rest are counted; then one `::notice` gives the totals, a Markdown report goes to
# $GITHUB_STEP_SUMMARY, and agora's exit code is the step's.
#
# Inputs (environment): AGORA_COMMAND (review, docs-lint, schedule-check, wheel-check,
# bench-upload), AGORA_ARGS (split on spaces), AGORA (the binary, default `agora`),
# AGORA_MAX_PER_TYPE (default 10), AGORA_MAX_TOTAL (default 50). The annotations this action
# showed in earlier steps of the job are counted in $RUNNER_TEMP (which GitHub empties for each
# job), so that several agora steps together stay within the job's 50.
set -uo pipefail

agora="${AGORA:-agora}"
max_per_type="${AGORA_MAX_PER_TYPE:-10}"
max_total="${AGORA_MAX_TOTAL:-50}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
output="${GITHUB_OUTPUT:-/dev/null}"
read -r -a args <<< "${AGORA_ARGS:-}"

case "${AGORA_COMMAND:-}" in
    review) command=(review --format github) ;;
    docs-lint) command=(docs lint --format github) ;;
    schedule-check) command=(schedule check --format github) ;;
    wheel-check) command=(wheel check) ;;
    bench-upload) command=(bench upload) ;;
    *)
        echo "::error title=agora action::unknown command '${AGORA_COMMAND:-}': use review, docs-lint, schedule-check, wheel-check or bench-upload"
        exit 2
        ;;
esac

counter="${RUNNER_TEMP:-/tmp}/agora-annotations-shown"
already=0
if [[ -f "$counter" ]]; then already="$(cat "$counter")"; fi
[[ "$already" =~ ^[0-9]+$ ]] || already=0
# One annotation is kept for the closing ::notice.
budget=$((max_total - already - 1))

log="$(mktemp)"
"$agora" "${command[@]}" "${args[@]}" > "$log" 2>&1
status=$?

declare -A shown=([error]=0 [warning]=0 [notice]=0)
declare -A total=([error]=0 [warning]=0 [notice]=0)
shown_all=0
other=()
while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ "$line" =~ ^::(error|warning|notice)[[:space:]:] ]]; then
        kind="${BASH_REMATCH[1]}"
        total[$kind]=$((total[$kind] + 1))
        if ((shown[$kind] < max_per_type && shown_all < budget)); then
            printf '%s\n' "$line"
            shown[$kind]=$((shown[$kind] + 1))
            shown_all=$((shown_all + 1))
        fi
    else
        printf '%s\n' "$line"
        other+=("$line")
    fi
done < "$log"

all=$((total[error] + total[warning] + total[notice]))
hidden=$((all - shown_all))
line="agora ${AGORA_COMMAND}: exit ${status}; ${all} annotations (${total[error]} errors, ${total[warning]} warnings, ${total[notice]} notices)"
if ((hidden > 0)); then
    line+=", ${hidden} not shown as annotations (GitHub shows ${max_per_type} of each type per step and ${max_total} per job): see the job summary and the log"
fi
echo "::notice title=agora ${AGORA_COMMAND}::${line}"
echo "$((already + shown_all + 1))" > "$counter"

{
    echo "## agora ${AGORA_COMMAND}"
    echo
    echo "${line}."
    echo
    if ((${#other[@]} > 0)); then
        echo "<details><summary>Output</summary>"
        echo
        echo '```'
        printf '%s\n' "${other[@]}"
        echo '```'
        echo
        echo "</details>"
    fi
    if ((all > 0)); then
        echo
        echo "| type | message |"
        echo "|---|---|"
        grep -E '^::(error|warning|notice)' "$log" | sed -E 's/\|/\\|/g' | sed -E 's/^::(error|warning|notice)[^:]*::(.*)$/| \1 | \2 |/; s/%0A/ /g' | head -n 1000
    fi
} >> "$summary"

echo "exit-code=${status}" >> "$output"
echo "annotations=${all}" >> "$output"
rm -f "$log"
exit "$status"
