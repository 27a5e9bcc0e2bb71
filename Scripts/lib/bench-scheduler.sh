#!/usr/bin/env bash
# Scheduler benchmark (issue 6), on one throwaway server, each figure beside its baseline or
# target from the same run:
# - claim: deadline jobs claimed (and claimed + completed) per second with
#   charter.claim_due_jobs leasing 100 jobs per statement versus 1 (PLATFORM.md: batch the claim).
# - memory: resident memory of an idle Scheduler (after a safety poll) with no pending jobs
#   and with 1,000,000 over 1,000 tenants; each figure from a fresh process. Target: < 20 MB more.
# - firing throughput: jobs completed per second by the Scheduler (as charterd runs it:
#   8 workers, claims of up to 2,000, up to 50 jobs of one tenant due in the same second per
#   transaction), each job writing one outbox row, versus pgqueuer and
#   procrastinate (PyPI) running no-op jobs on the same server; the jobs are queued before
#   each worker starts. Rounds alternate the order. Target: at least 1.0 of the faster. Also
#   shown, outside the ratio: the Scheduler with a handler that writes nothing.
# - lateness: 10,000 jobs due evenly within 10 s, written while the scheduler is idle;
#   p50/p99/max of start and completion minus due time, by the database clock. Target p99 < 100 ms.
#   Then 1,000 within 10 s: the timer's own lateness when completions keep up.
# - catch-up: 100,000 jobs overdue when the scheduler starts; time until all have fired.
# pgqueuer and procrastinate are installed into a virtualenv under .build (pinned versions);
# they are baselines of this benchmark only, never dependencies of Charter or of CI.
# Usage: Scripts/lib/bench-scheduler.sh PATH_TO_charter-bench [PART...]
#   PART: claim memory throughput lateness catch-up (default: all).
# Environment: BENCH_JOBS (claim, per round, default 5000), BENCH_ROUNDS (claim, default 3),
# BENCH_FIRING_JOBS (default 20000), BENCH_FIRING_ROUNDS (default 2),
# BENCH_MEMORY_JOBS (default 1000000), BENCH_LATENESS_JOBS (default 10000),
# BENCH_LATENESS_LIGHT_JOBS (default 1000),
# BENCH_CATCHUP_JOBS (default 100000), BENCH_VENV (default .build/bench-venv).
set -euo pipefail
bench=${1:?usage: bench-scheduler.sh PATH_TO_charter-bench [PART...]}
shift
cd "$(dirname "$0")/../.."
. Scripts/lib/postgres.sh

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(claim memory throughput lateness catch-up)
wants() { local part; for part in "${parts[@]}"; do [ "$part" = "$1" ] && return 0; done; return 1; }

pg_dir=$(mktemp -d /tmp/charter-bench.XXXXXX)
trap 'pg_throwaway_stop' EXIT
trap 'exit 130' INT TERM
pg_throwaway_start "$pg_dir"
url=$CHARTER_TEST_DATABASE_URL

if wants claim; then
    "$bench" scheduler claim --url "$url" --repository . \
        --jobs "${BENCH_JOBS:-5000}" --rounds "${BENCH_ROUNDS:-3}"
fi

if wants memory; then
    "$bench" scheduler memory --url "$url" --repository . \
        --jobs "${BENCH_MEMORY_JOBS:-1000000}" --tenants 1000
fi

if wants throughput; then
    venv=${BENCH_VENV:-.build/bench-venv}
    if [ ! -x "$venv/bin/python" ] ||
        ! "$venv/bin/python" -c 'import pgqueuer, procrastinate' 2>/dev/null; then
        echo "bench scheduler: installing pgqueuer and procrastinate into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q pgqueuer==1.6.0 procrastinate==3.10.0 asyncpg==0.32.0 \
            'psycopg[binary,pool]==3.3.9'
    fi
    python=$venv/bin/python
    jobs=${BENCH_FIRING_JOBS:-20000}
    measure() { # charter|charter-noop|pgqueuer|procrastinate -> jobs/s
        if [ "$1" = charter ]; then
            "$bench" scheduler throughput --url "$url" --repository . --jobs "$jobs" --concurrency 8
        elif [ "$1" = charter-noop ]; then
            "$bench" scheduler throughput --url "$url" --repository . --jobs "$jobs" --concurrency 8 \
                --no-op
        else
            "$python" Scripts/bench-support/queue_baselines.py "$1" --url "$url" --jobs "$jobs" \
                --batch 100 --concurrency 8
        fi | awk '/jobs\/s/ { print $NF }'
    }
    best_charter=0 best_noop=0 best_pgqueuer=0 best_procrastinate=0
    for round in $(seq 1 "${BENCH_FIRING_ROUNDS:-2}"); do
        order=(charter pgqueuer procrastinate charter-noop)
        [ $((round % 2)) = 1 ] || order=(charter-noop procrastinate pgqueuer charter)
        declare -A rate=()
        for who in "${order[@]}"; do rate[$who]=$(measure "$who"); done
        echo "scheduler firing round $round ($jobs jobs): charter ${rate[charter]} jobs/s," \
            "pgqueuer ${rate[pgqueuer]} jobs/s, procrastinate ${rate[procrastinate]} jobs/s," \
            "charter with a no-op handler ${rate[charter-noop]} jobs/s"
        [ "${rate[charter]}" -gt "$best_charter" ] && best_charter=${rate[charter]}
        [ "${rate[charter-noop]}" -gt "$best_noop" ] && best_noop=${rate[charter-noop]}
        [ "${rate[pgqueuer]}" -gt "$best_pgqueuer" ] && best_pgqueuer=${rate[pgqueuer]}
        [ "${rate[procrastinate]}" -gt "$best_procrastinate" ] && best_procrastinate=${rate[procrastinate]}
    done
    faster=$best_pgqueuer faster_name=pgqueuer
    [ "$best_procrastinate" -gt "$faster" ] && faster=$best_procrastinate faster_name=procrastinate
    echo "scheduler firing: charter $best_charter jobs/s (8 workers, claims of 2,000, batches of" \
        "one tenant's jobs, each job writes an outbox row), pgqueuer $best_pgqueuer jobs/s (1 worker, batch 100, no-op)," \
        "procrastinate $best_procrastinate jobs/s (1 worker, concurrency 8, no-op)," \
        "ratio charter / $faster_name $(awk -v a="$best_charter" -v b="$faster" \
            'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }') (target >= 1.0)"
    echo "scheduler firing, for comparison: charter with a no-op handler $best_noop jobs/s," \
        "ratio to $faster_name $(awk -v a="$best_noop" -v b="$faster" \
            'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }') (not the target's measure)"
fi

if wants lateness; then
    "$bench" scheduler lateness --url "$url" --repository . \
        --jobs "${BENCH_LATENESS_JOBS:-10000}" --window 10 --concurrency 8
    # The same at a tenth of the rate: the timer's own lateness, when completions keep up.
    "$bench" scheduler lateness --url "$url" --repository . \
        --jobs "${BENCH_LATENESS_LIGHT_JOBS:-1000}" --window 10 --concurrency 8
fi

if wants catch-up; then
    "$bench" scheduler catch-up --url "$url" --repository . \
        --jobs "${BENCH_CATCHUP_JOBS:-100000}" --concurrency 8
fi
