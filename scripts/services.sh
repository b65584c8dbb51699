#!/usr/bin/env bash
# Real Redis and PostgreSQL on loopback, for the scale-out tests and for trying Celery locally.
#   scripts/services.sh start STATE_DIR   start both; writes STATE_DIR/env (sourceable) and prints it
#   scripts/services.sh stop STATE_DIR    stop both and delete their data
#   scripts/services.sh check             exit 0 when redis-server and PostgreSQL binaries exist
# Throwaway instances: trust authentication on 127.0.0.1 only, no persistence, fsync off.
# Never point them at data you want to keep.
set -euo pipefail

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# PostgreSQL refuses to run as root: run its tools as the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

wait_for() {  # wait_for SECONDS CMD... : poll until CMD succeeds
  local limit=$1; shift
  local i
  for ((i = 0; i < limit * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

check() {
  command -v redis-server >/dev/null 2>&1 || { echo "services: redis-server not found (apt-get install redis-server)" >&2; return 1; }
  command -v redis-cli >/dev/null 2>&1 || { echo "services: redis-cli not found (apt-get install redis-tools)" >&2; return 1; }
  pg_bin >/dev/null || { echo "services: PostgreSQL initdb not found (apt-get install postgresql)" >&2; return 1; }
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "services: running as root but there is no 'postgres' user to run PostgreSQL as" >&2; return 1
  fi
}

start() {
  local state=$1
  check
  mkdir -p "$state"
  state=$(cd "$state" && pwd)
  local bin; bin=$(pg_bin)

  # Redis: in the foreground of a background job so its pid is ours to stop.
  local rport; rport=$(free_port)
  redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize no --loglevel warning >"$state/redis.log" 2>&1 &
  echo $! >"$state/redis.pid"
  wait_for 10 redis-cli -h 127.0.0.1 -p "$rport" ping || {
    echo "services: redis-server did not answer on port $rport (see $state/redis.log)" >&2; stop "$state"; return 1; }

  # PostgreSQL: its data folder must belong to the user it runs as; a fresh /tmp folder
  # does, whatever the permissions of STATE_DIR's parents.
  local pgroot; pgroot=$(mktemp -d /tmp/recordready-pg.XXXXXX)
  echo "$pgroot" >"$state/pgroot"
  [ "$(id -u)" = 0 ] && chown postgres: "$pgroot"
  local pport; pport=$(free_port)
  as_pg "$bin/initdb" -D "$pgroot/data" -U postgres -A trust -E UTF8 --no-sync >"$state/initdb.log" 2>&1 || {
    echo "services: initdb failed (see $state/initdb.log)" >&2; stop "$state"; return 1; }
  as_pg "$bin/pg_ctl" -D "$pgroot/data" -l "$pgroot/postgres.log" -w -t 30 \
    -o "-k $pgroot -p $pport -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || {
    echo "services: PostgreSQL did not start (see $pgroot/postgres.log)" >&2; stop "$state"; return 1; }
  echo "$pport" >"$state/pgport"
  as_pg "$bin/createdb" -h 127.0.0.1 -p "$pport" -U postgres recordready

  cat >"$state/env" <<EOF
RECORDREADY_BROKER_URL=redis://127.0.0.1:$rport/0
RECORDREADY_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$pport/recordready
EOF
  cat "$state/env"
}

stop() {
  local state=$1
  [ -d "$state" ] || return 0
  if [ -f "$state/redis.pid" ]; then
    kill "$(cat "$state/redis.pid")" 2>/dev/null || true
    rm -f "$state/redis.pid"
  fi
  if [ -f "$state/pgroot" ]; then
    local pgroot; pgroot=$(cat "$state/pgroot")
    local bin; bin=$(pg_bin || true)
    if [ -n "$bin" ] && [ -f "$pgroot/data/postmaster.pid" ]; then
      as_pg "$bin/pg_ctl" -D "$pgroot/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    case "$pgroot" in /tmp/recordready-pg.*) rm -rf "$pgroot" ;; esac
    rm -f "$state/pgroot" "$state/pgport"
  fi
  rm -f "$state/env"
}

case "${1:-}" in
  start) [ $# -eq 2 ] || { echo "usage: $0 start STATE_DIR" >&2; exit 2; }; start "$2" ;;
  stop) [ $# -eq 2 ] || { echo "usage: $0 stop STATE_DIR" >&2; exit 2; }; stop "$2" ;;
  check) check ;;
  *) echo "usage: $0 {start|stop} STATE_DIR | $0 check" >&2; exit 2 ;;
esac
