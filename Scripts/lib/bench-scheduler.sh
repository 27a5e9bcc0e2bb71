#!/usr/bin/env bash
# Scheduler benchmark: deadline jobs claimed (and claimed + completed) per second with
# charter.claim_due_jobs leasing 100 jobs per statement versus 1, on one throwaway server in
# the same run. The ratio is the figure to watch (PLATFORM.md: batch the claim).
# Usage: Scripts/lib/bench-scheduler.sh PATH_TO_charter-bench
# Environment: BENCH_JOBS (per round, default 5000), BENCH_ROUNDS (default 3).
set -euo pipefail
bench=${1:?usage: bench-scheduler.sh PATH_TO_charter-bench}
cd "$(dirname "$0")/../.."
. Scripts/lib/postgres.sh

pg_dir=$(mktemp -d /tmp/charter-bench.XXXXXX)
trap 'pg_throwaway_stop' EXIT
trap 'exit 130' INT TERM
pg_throwaway_start "$pg_dir"

"$bench" scheduler --url "$CHARTER_TEST_DATABASE_URL" --repository . \
    --jobs "${BENCH_JOBS:-5000}" --rounds "${BENCH_ROUNDS:-3}"
