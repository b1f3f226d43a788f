#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for tests and the demo: 127.0.0.1 only, a
# non-default port, trust authentication, no Unix socket. Idempotent.
# Usage: pg_embedded.sh start|stop|status|restart-immediate|destroy
# restart-immediate: crash-style restart (pg_ctl -m immediate: no checkpoint, the
# server recovers from WAL on start), for the fault tests of scripts/stress.py.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-54329}
PG_DATA=${PG_DATA:-/tmp/buildtracker-pg-$PG_PORT}
LOG=${PG_DATA}.log

if [ ! -x "$PG_BIN/initdb" ]; then
  echo "pg_embedded: PostgreSQL 15 server binaries not found in $PG_BIN." >&2
  echo "  Install them (apt-get install postgresql-15) or set PG_BIN, or point DATABASE_URL at a server." >&2
  exit 1
fi

# initdb and pg_ctl refuse to run as root: run them as the postgres user then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

running() { as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

# Settings given on the server's command line at every start, so they hold
# for a data directory made by an older version of this script too (the
# command line overrides postgresql.conf). fsync off: a throwaway cluster
# need not survive an OS crash. synchronous_commit on: an acknowledged commit
# is in the WAL before the client hears of it, so it survives a server crash
# (the fault tests of scripts/stress.py restart the server with -m immediate).
SERVER_OPTIONS="-c fsync=off -c full_page_writes=off -c synchronous_commit=on -c max_connections=200"

setting() {
  "$PG_BIN/psql" -X -Atq -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "SHOW $1" 2>/dev/null
}

case "${1:-}" in
  start)
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
      if [ "$(id -u)" = 0 ]; then install -d -o postgres -g postgres -m 700 "$PG_DATA"; else install -d -m 700 "$PG_DATA"; fi
      as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
log_min_messages = warning
CONF
    fi
    if running; then
      if [ "$(setting synchronous_commit)" != off ]; then
        # on, or not readable right now (busy): leave a running server alone
        echo "embedded PostgreSQL already running on 127.0.0.1:$PG_PORT"; exit 0
      fi
      # started by an older version of this script, with settings that lose
      # acknowledged commits on a crash: restart it with the current ones
      echo "embedded PostgreSQL on 127.0.0.1:$PG_PORT runs with outdated settings; restarting it"
      as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi
    if [ "$(id -u)" = 0 ]; then touch "$LOG" && chown postgres "$LOG"; fi
    as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG" -o "$SERVER_OPTIONS" -w -t 60 start >/dev/null
    echo "embedded PostgreSQL started on 127.0.0.1:$PG_PORT (data in $PG_DATA)"
    ;;
  stop)
    if running; then as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null; echo "embedded PostgreSQL stopped"; else echo "embedded PostgreSQL not running"; fi
    ;;
  restart-immediate)
    if ! running; then echo "embedded PostgreSQL not running on 127.0.0.1:$PG_PORT" >&2; exit 3; fi
    if [ "$(id -u)" = 0 ]; then touch "$LOG" && chown postgres "$LOG"; fi
    as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG" -o "$SERVER_OPTIONS" -m immediate -w -t 60 restart >/dev/null
    # pg_ctl -w returns once the postmaster reports ready; also wait until it
    # really accepts connections on the TCP port
    for _ in $(seq 1 120); do
      if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -t 1; then
        echo "embedded PostgreSQL restarted (immediate) on 127.0.0.1:$PG_PORT"; exit 0
      fi
      sleep 0.5
    done
    echo "embedded PostgreSQL did not accept connections after an immediate restart" >&2; exit 1
    ;;
  status)
    if running; then echo "running on 127.0.0.1:$PG_PORT ($PG_DATA)"; else echo "not running"; exit 3; fi
    ;;
  destroy)
    "$0" stop
    rm -rf "$PG_DATA" "$LOG"
    ;;
  *) echo "usage: $0 start|stop|status|restart-immediate|destroy" >&2; exit 2 ;;
esac
