#!/usr/bin/env bash
# Workflows benchmark (issue 5): one AII tenant with 100,000 members and 5 years of meetings
# (council 4 a year, general assembly once, with attendance), seeded in bulk by
# `charter-bench workflows seed` on a throwaway server. Three commands through the real
# handlers (an in-process protocol session of an operator, TENANT USE, as charterd's demo
# loader runs them), each against the same statement run directly with psql as charter_app
# (row-level security on) against the same server in the same run:
# - REGISTER LIST (first page, 100 members)  vs  its SELECT, 100 rows;
# - MEMBER HISTORY of the member with the longest history (first page, 100 records)  vs  its
#   SELECT;
# - REGISTER EXPORT of the whole register, in the pages of 10,000 the shell's
#   \export-register asks for (a reply holds at most 16 MiB)  vs  psql \copy of the same
#   SELECT, all rows at once, as CSV.
# Each figure is the mean time of one command over a round of repeats (after a warm-up for
# ours); psql's time is its whole run minus a run that only connects and sets the tenant,
# divided by the repeats. Rounds alternate which goes first. Reported: best and median round
# of each and the ratio charter / psql (time: lower is better; 1.0 = as fast as psql).
# Usage: Scripts/lib/bench-workflows.sh PATH_TO_charter-bench
# Environment: BENCH_MEMBERS (default 100000), BENCH_ROUNDS (default 5), BENCH_REPEAT_LIST
# (default 200), BENCH_REPEAT_HISTORY (default 100), BENCH_REPEAT_EXPORT (default 2).
set -euo pipefail
bench=${1:?usage: bench-workflows.sh PATH_TO_charter-bench}
cd "$(dirname "$0")/../.."
. Scripts/lib/postgres.sh

members=${BENCH_MEMBERS:-100000}
rounds=${BENCH_ROUNDS:-5}
declare -A repeats=(
    [list]=${BENCH_REPEAT_LIST:-200}
    [history]=${BENCH_REPEAT_HISTORY:-100}
    [export]=${BENCH_REPEAT_EXPORT:-2}
)

pg_dir=$(mktemp -d /tmp/charter-bench.XXXXXX)
work=$(mktemp -d /tmp/charter-bench-workflows.XXXXXX)
chmod 0755 "$work"
trap 'pg_throwaway_stop; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
pg_throwaway_start "$pg_dir"
url=$CHARTER_TEST_DATABASE_URL

seed=$("$bench" workflows seed --url "$url" --repository . --folder "$work" --members "$members")
database=$(echo "$seed" | awk '$1 == "database" { print $2 }')
tenant=$(echo "$seed" | awk '$1 == "tenant" { print $2 }')
member=$(echo "$seed" | awk '$1 == "member" { print $2 }')
echo "workflows: $(echo "$seed" | grep '^seeded')"

psql=$PG_THROWAWAY_BINDIR/psql
[ -x "$psql" ] || psql=$(command -v psql)
run_psql() { "$psql" -X -A -t -q -v ON_ERROR_STOP=1 -h "$pg_dir" -U charter_app -d "$database" "$@"; }

echo "set charter.tenant = '$tenant';" >"$work/connect.sql"
for name in list history export; do
    { cat "$work/connect.sql"; for _ in $(seq 1 "${repeats[$name]}"); do cat "$work/$name.sql"; done; } \
        >"$work/$name.run.sql"
done

now_ns() { date +%s%N; }
measure_psql() { # case -> ms per statement
    local t0 t1 t2
    t0=$(now_ns)
    run_psql -f "$work/$1.run.sql" -o /dev/null
    t1=$(now_ns)
    run_psql -f "$work/connect.sql" -o /dev/null
    t2=$(now_ns)
    awk -v run=$((t1 - t0)) -v connect=$((t2 - t1)) -v n="${repeats[$1]}" \
        'BEGIN { v = (run - connect) / n / 1e6; printf "%.3f\n", (v > 0 ? v : 0.001) }'
}
measure_ours() { # case -> ms per command
    "$bench" workflows measure --url "$url" --repository . --database "$database" \
        --case "$1" --member "$member" --repeat "${repeats[$1]}" | awk '/^ms_per_command/ { print $2 }'
}

# What each side returns, once: the same rows.
ours_list=$("$bench" workflows measure --url "$url" --repository . --database "$database" \
    --case list --member "$member" --repeat 1)
ours_history=$("$bench" workflows measure --url "$url" --repository . --database "$database" \
    --case history --member "$member" --repeat 1)
ours_export=$("$bench" workflows measure --url "$url" --repository . --database "$database" \
    --case export --member "$member" --repeat 1)
psql_list=$(run_psql -f "$work/connect.sql" -f "$work/list.sql" | wc -l)
psql_history=$(run_psql -f "$work/connect.sql" -f "$work/history.sql" | wc -l)
history_total=$(run_psql -f "$work/connect.sql" -c "select (select count(*) from charter.member_register where member_id = '$member') + (select count(*) from charter.decisions where subject = 'member:$member')")
sed "s|to '/dev/null'|to '$work/export.csv'|" "$work/export.sql" >"$work/export-file.sql"
run_psql -f "$work/connect.sql" -f "$work/export-file.sql"
psql_export=$(wc -l <"$work/export.csv")
echo "workflows replies: REGISTER LIST $(echo "$ours_list" | awk '/^reply_lines/ { print $2 - 2 }') rows (psql $psql_list);" \
    "MEMBER HISTORY $(echo "$ours_history" | awk '/^reply_lines/ { print $2 - 2 }') rows of $history_total records (psql $psql_history);" \
    "REGISTER EXPORT $(echo "$ours_export" | awk '/^reply_lines/ { print $2 }') CSV lines," \
    "$(echo "$ours_export" | awk '/^reply_bytes/ { printf "%.1f MB", $2 / 1e6 }') in pages of 10,000 (psql \\copy $psql_export lines)"

median() { printf '%s\n' "$@" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { printf '%s\n' "$@" | sort -n | head -1; }

declare -A ours_times=() psql_times=() ratios=()
for round in $(seq 1 "$rounds"); do
    line="workflows round $round:"
    for name in list history export; do
        if [ $((round % 2)) = 1 ]; then
            p=$(measure_psql "$name")
            o=$(measure_ours "$name")
        else
            o=$(measure_ours "$name")
            p=$(measure_psql "$name")
        fi
        ours_times[$name]+="$o "
        psql_times[$name]+="$p "
        ratios[$name]+="$(awk -v a="$o" -v b="$p" 'BEGIN { printf "%.3f", a / b }') "
        line+=" $name charter $o ms / psql $p ms;"
    done
    echo "$line"
done

declare -A labels=(
    [list]="REGISTER LIST, first page (100 of $members members)"
    [history]="MEMBER HISTORY, first page (100 records)"
    [export]="REGISTER EXPORT, all members (pages of 10,000; psql \\copy all at once)"
)
for name in list history export; do
    read -ra o <<<"${ours_times[$name]}"
    read -ra p <<<"${psql_times[$name]}"
    read -ra r <<<"${ratios[$name]}"
    best_o=$(minimum "${o[@]}")
    best_p=$(minimum "${p[@]}")
    echo "workflows ${labels[$name]}: charter best $best_o ms, median $(median "${o[@]}") ms;" \
        "psql best $best_p ms, median $(median "${p[@]}") ms;" \
        "ratio charter/psql (time, lower is better) of best rounds" \
        "$(awk -v a="$best_o" -v b="$best_p" 'BEGIN { printf "%.2f", a / b }'), median per-round $(median "${r[@]}")"
done
