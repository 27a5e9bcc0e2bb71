# Throwaway PostgreSQL clusters for tests and benchmarks. Sourced, not run.
#
# pg_throwaway_start DIR   initdb + start a cluster in DIR (unix socket only, in DIR),
#                          exports PG_THROWAWAY_DIR, PG_THROWAWAY_BINDIR and the URL
#                          CHARTER_TEST_DATABASE_URL (superuser "postgres", database "postgres").
# pg_throwaway_stop        stops it by data directory and removes DIR.
#
# PostgreSQL refuses to run as root, so as root the cluster runs as the "postgres" user.

pg_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null)
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    done
    dir=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    echo "no PostgreSQL server binaries found (install the postgresql package)" >&2
    return 1
}

pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_throwaway_start() {
    local dir=$1
    PG_THROWAWAY_BINDIR=$(pg_bindir) || return 1
    PG_THROWAWAY_DIR=$dir
    mkdir -p "$dir"
    chmod 0755 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    pg_as_owner "$PG_THROWAWAY_BINDIR/initdb" -D "$dir/data" -U postgres --auth=trust \
        --locale=C -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2; return 1; }
    # max_connections: the whole suite runs in parallel, each test with its own database and
    # pools; 200 ran out once the suite passed 650 tests.
    pg_as_owner "$PG_THROWAWAY_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses= -k $dir -c fsync=off -c full_page_writes=off -c max_connections=800" \
        start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
    export PG_THROWAWAY_DIR PG_THROWAWAY_BINDIR
    export CHARTER_TEST_DATABASE_URL="postgres://postgres@/postgres?host=$dir"
    export CHARTER_TEST_PG_DATA="$dir/data"
    export CHARTER_TEST_PG_BINDIR="$PG_THROWAWAY_BINDIR"
}

pg_throwaway_stop() {
    [ -n "${PG_THROWAWAY_DIR:-}" ] || return 0
    if [ -f "$PG_THROWAWAY_DIR/data/postmaster.pid" ]; then
        pg_as_owner "$PG_THROWAWAY_BINDIR/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m immediate -w stop \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_THROWAWAY_DIR"
    PG_THROWAWAY_DIR=
}
