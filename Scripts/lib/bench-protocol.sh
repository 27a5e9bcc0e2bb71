#!/usr/bin/env bash
# Admin protocol benchmark (issue 3), each figure a ratio to a baseline measured in the same
# run:
# - PING over TLS, requests/s: our in-process AdminServer driven by `charter-bench protocol
#   ping` versus redis-server (TLS only, same certificate) driven by `redis-benchmark -t
#   PING_INLINE --tls`, with the same connections, pipelining and requests: -c 1 -P 1,
#   -c 1 -P 16, -c 50 -P 1. Rounds alternate which goes first; reported: the best round of
#   each, their ratio, and the median per-round ratio. Target: at least 0.5 in each case.
#   Our load generator is also run once against redis-server: when it gets what
#   redis-benchmark gets, the ratio measures our server, not our client.
# - Memory per idle session: resident memory of a fresh server before and after N idle
#   logged-out sessions (TLS handshake done, PING answered once), divided by N; the same
#   for redis-server with N idle TLS clients.
# - New TLS sessions per second, openssl s_time -new: our AdminServer versus redis-server,
#   then `charter-bench tls` (our TLS layer alone versus openssl s_server, same certificate).
# Installs redis-server (apt) when missing. Usage: Scripts/lib/bench-protocol.sh PATH_TO_charter-bench
# Environment: BENCH_ROUNDS (default 3), BENCH_IDLE_SESSIONS (default 1000),
# BENCH_TLS_SECONDS (default 3), BENCH_REQUESTS_SINGLE / _PIPELINED / _MANY (requests per case).
set -euo pipefail
bench=${1:?usage: bench-protocol.sh PATH_TO_charter-bench}
cd "$(dirname "$0")/../.."

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-benchmark >/dev/null 2>&1; then
    echo "bench protocol: installing redis-server"
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi

rounds=${BENCH_ROUNDS:-3}
idle_sessions=${BENCH_IDLE_SESSIONS:-1000}
work=$(mktemp -d /tmp/charter-bench-protocol.XXXXXX)
ours_pid=""
redis_pid=""
stop_servers() {
    exec 3>&- 2>/dev/null || true
    for pid in $ours_pid $redis_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    ours_pid=""
    redis_pid=""
}
trap 'stop_servers; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# Our server runs until its stdin closes (fd 3 here), so it cannot outlive this script.
start_ours() {
    rm -f "$work/ours.in" "$work/ours.out"
    mkfifo "$work/ours.in"
    "$bench" protocol serve --folder "$work" <"$work/ours.in" >"$work/ours.out" &
    ours_pid=$!
    exec 3>"$work/ours.in"
    for _ in $(seq 1 200); do
        ours_port=$(awk '/^port / { print $2 }' "$work/ours.out")
        [ -n "$ours_port" ] && return 0
        sleep 0.05
    done
    echo "bench protocol: our server did not start" >&2
    exit 1
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
redis_tls=(--tls --cacert "$work/tls/server.crt")
start_redis() {
    redis_port=$(free_port)
    redis-server --port 0 --tls-port "$redis_port" --bind 127.0.0.1 \
        --tls-cert-file "$work/tls/server.crt" --tls-key-file "$work/tls/server.key" \
        --tls-ca-cert-file "$work/tls/server.crt" --tls-auth-clients no \
        --save "" --appendonly no --daemonize no --dir "$work" --logfile "$work/redis.log" &
    redis_pid=$!
    for _ in $(seq 1 200); do
        redis-cli -h 127.0.0.1 -p "$redis_port" "${redis_tls[@]}" PING 2>/dev/null | grep -q PONG && return 0
        sleep 0.05
    done
    echo "bench protocol: redis-server did not start" >&2
    cat "$work/redis.log" >&2
    exit 1
}

# Our server makes the certificate both servers present.
start_ours
start_redis
echo "protocol: PING over TLS (server: in-process AdminServer vs redis-server $(redis-server --version | awk '{ print $3 }' | cut -d= -f2), $rounds rounds per case)"

measure_redis() { # connections pipeline requests
    redis-benchmark -h 127.0.0.1 -p "$redis_port" "${redis_tls[@]}" -t PING_INLINE \
        -c "$1" -P "$2" -n "$3" --csv | awk -F'"' '$2 == "PING_INLINE" { printf "%d\n", $4 }'
}
measure_ours() { # connections pipeline requests
    "$bench" protocol ping --port "$ours_port" --folder "$work" \
        --connections "$1" --pipeline "$2" --requests "$3" | awk '/^requests\/s/ { print $2 }'
}
measure_ours_client_on_redis() { # connections pipeline requests
    "$bench" protocol ping --port "$redis_port" --folder "$work" \
        --connections "$1" --pipeline "$2" --requests "$3" | awk '/^requests\/s/ { print $2 }'
}
median() { printf '%s\n' "$@" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

summary=()
for spec in "1 1 ${BENCH_REQUESTS_SINGLE:-20000}" "1 16 ${BENCH_REQUESTS_PIPELINED:-200000}" \
    "50 1 ${BENCH_REQUESTS_MANY:-100000}"; do
    read -r connections pipeline requests <<<"$spec"
    best_ours=0
    best_redis=0
    ratios=()
    for round in $(seq 1 "$rounds"); do
        if [ $((round % 2)) = 1 ]; then
            redis_rate=$(measure_redis "$connections" "$pipeline" "$requests")
            ours_rate=$(measure_ours "$connections" "$pipeline" "$requests")
        else
            ours_rate=$(measure_ours "$connections" "$pipeline" "$requests")
            redis_rate=$(measure_redis "$connections" "$pipeline" "$requests")
        fi
        echo "  -c $connections -P $pipeline -n $requests round $round: charter $ours_rate requests/s, redis $redis_rate requests/s"
        [ "$ours_rate" -gt "$best_ours" ] && best_ours=$ours_rate
        [ "$redis_rate" -gt "$best_redis" ] && best_redis=$redis_rate
        ratios+=("$(awk -v a="$ours_rate" -v b="$redis_rate" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')")
    done
    client_check=$(measure_ours_client_on_redis "$connections" "$pipeline" "$requests")
    echo "  -c $connections -P $pipeline -n $requests check: charter-bench client against redis-server $client_check requests/s"
    ratio=$(awk -v a="$best_ours" -v b="$best_redis" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    summary+=("protocol PING -c $connections -P $pipeline: charter $best_ours requests/s, redis-benchmark $best_redis requests/s, ratio of best rounds $ratio, median per-round ratio $(median "${ratios[@]}") (target >= 0.50)")
done
printf '%s\n' "${summary[@]}"

# Memory on fresh servers, so that the PING runs' buffers and threads are not counted.
stop_servers
start_ours
start_redis
ours_memory=$("$bench" protocol idle --port "$ours_port" --folder "$work" --pid "$ours_pid" --sessions "$idle_sessions")
redis_memory=$("$bench" protocol idle --port "$redis_port" --folder "$work" --pid "$redis_pid" --sessions "$idle_sessions")
# New TLS sessions per second on the same two servers (after the memory figures, which
# they would disturb): full handshakes, one at a time, by openssl s_time -new (TLS 1.3).
tls_seconds=${BENCH_TLS_SECONDS:-3}
measure_new_sessions() { # port
    local start end count
    start=$(date +%s.%N)
    count=$(openssl s_time -connect "127.0.0.1:$1" -new -time "$tls_seconds" 2>/dev/null </dev/null |
        awk '/connections in .*user sec/ { print $1; exit }')
    end=$(date +%s.%N)
    awk -v n="${count:-0}" -v a="$start" -v b="$end" 'BEGIN { printf "%d\n", (b > a ? n / (b - a) : 0) }'
}
ours_sessions=$(measure_new_sessions "$ours_port")
redis_sessions=$(measure_new_sessions "$redis_port")
stop_servers
ours_kib=$(echo "$ours_memory" | awk '{ print $(NF - 1) }')
redis_kib=$(echo "$redis_memory" | awk '{ print $(NF - 1) }')
echo "protocol idle sessions ($idle_sessions, logged out, TLS done, one PING): charter: $ours_memory"
echo "protocol idle sessions ($idle_sessions): redis-server: $redis_memory"
echo "protocol memory per idle session: charter $ours_kib KiB, redis-server $redis_kib KiB, ratio $(awk -v a="$ours_kib" -v b="$redis_kib" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }') (charter / redis; lower is better)"

echo "protocol new TLS sessions/s (openssl s_time -new, ${tls_seconds} s): charter AdminServer $ours_sessions, redis-server $redis_sessions, ratio $(awk -v a="$ours_sessions" -v b="$redis_sessions" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"

# The TLS layer alone against openssl s_server (the `tls` benchmark).
"$bench" tls --seconds "$tls_seconds"
