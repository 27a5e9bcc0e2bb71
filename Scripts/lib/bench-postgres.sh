#!/usr/bin/env bash
# Postgres benchmark: parameterised single-row SELECT by primary key on one connection,
# through the Swift client (charter-bench, release) versus pgbench -S -M extended, against
# the same throwaway server in the same run. Rounds alternate between the two so that noise
# from other work on the machine hits both. Reported: the best round of each and their ratio,
# and the median of the per-round ratios (each Swift round against the pgbench round next
# to it, the order alternating), which is steadier on a busy machine.
# Usage: Scripts/lib/bench-postgres.sh PATH_TO_charter-bench
# Environment: BENCH_SECONDS (per round, default 2), BENCH_ROUNDS (default 10), BENCH_SCALE (default 1).
set -euo pipefail
bench=${1:?usage: bench-postgres.sh PATH_TO_charter-bench}
cd "$(dirname "$0")/../.."
. Scripts/lib/postgres.sh

seconds=${BENCH_SECONDS:-2}
rounds=${BENCH_ROUNDS:-10}
scale=${BENCH_SCALE:-1}

pg_dir=$(mktemp -d /tmp/charter-bench.XXXXXX)
trap 'pg_throwaway_stop' EXIT
trap 'exit 130' INT TERM
pg_throwaway_start "$pg_dir"

pgbench=$PG_THROWAWAY_BINDIR/pgbench
[ -x "$pgbench" ] || pgbench=$(command -v pgbench)
run_pgbench() { pg_as_owner "$pgbench" -h "$pg_dir" -U postgres "$@" postgres; }

run_pgbench -i -s "$scale" -q >/dev/null 2>&1
accounts=$((100000 * scale))

# Each prints "rate cpu_microseconds_per_query" (client process CPU, user + system: a figure
# that noise from other work on the machine disturbs far less than the rates).
measure_pgbench() {
    local output cpu
    output=$( { TIMEFORMAT='%U %S'; time run_pgbench -n -S -M extended -c 1 -T "$seconds" 2>/dev/null; } 2>&1)
    cpu=$(echo "$output" | tail -1)
    echo "$output" | awk -v cpu="$cpu" '
        /^number of transactions actually processed:/ { n = $6 }
        /^tps = / { tps = int($3) }
        END { split(cpu, c, " "); printf "%d %.1f\n", tps, (n > 0 ? (c[1] + c[2]) * 1e6 / n : 0) }'
}
measure_swift() {
    "$bench" postgres --url "$CHARTER_TEST_DATABASE_URL" --seconds "$seconds" --accounts "$accounts" |
        awk '/client CPU/ { cpu = $4 } /round trips\/s/ { rate = $4 } END { print rate, cpu }'
}

best_pgbench=0
best_swift=0
ratios=()
pgbench_cpus=()
swift_cpus=()
median() { printf '%s\n' "$@" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for round in $(seq 1 "$rounds"); do
    # Alternate which goes first, so a trend in the machine's load favours neither.
    if [ $((round % 2)) = 1 ]; then
        read -r pgbench_rate pgbench_cpu < <(measure_pgbench)
        read -r swift_rate swift_cpu < <(measure_swift)
    else
        read -r swift_rate swift_cpu < <(measure_swift)
        read -r pgbench_rate pgbench_cpu < <(measure_pgbench)
    fi
    echo "postgres round $round: pgbench $pgbench_rate tps ($pgbench_cpu µs CPU/query)," \
        "charter $swift_rate round trips/s ($swift_cpu µs CPU/query)"
    pgbench_cpus+=("$pgbench_cpu")
    swift_cpus+=("$swift_cpu")
    [ "$pgbench_rate" -gt "$best_pgbench" ] && best_pgbench=$pgbench_rate
    [ "$swift_rate" -gt "$best_swift" ] && best_swift=$swift_rate
    ratios+=("$(awk -v a="$swift_rate" -v b="$pgbench_rate" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')")
done
median_ratio=$(median "${ratios[@]}")

ratio=$(awk -v a="$best_swift" -v b="$best_pgbench" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
echo "postgres: charter $best_swift round trips/s, pgbench -S -M extended $best_pgbench tps, ratio of best rounds $ratio, median per-round ratio $median_ratio (target >= 0.90)"
echo "postgres: client CPU per query (median): charter $(median "${swift_cpus[@]}") µs, pgbench $(median "${pgbench_cpus[@]}") µs"
