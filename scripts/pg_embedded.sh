#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for tests and the demo: 127.0.0.1 only, a
# non-default port, trust authentication, no Unix socket. Idempotent.
# Usage: pg_embedded.sh start|stop|status|restart-immediate|destroy
#                       replica-start|replica-stop|replica-kill|replica-destroy
# restart-immediate: crash-style restart (pg_ctl -m immediate: no checkpoint, the
# server recovers from WAL on start), for the fault tests of scripts/stress.py.
# replica-*: a streaming hot standby of that cluster on REPLICA_PORT (default
# PG_PORT + 1), for read routing (docs/REPLICAS.md): replica-start makes it
# with pg_basebackup -R when it does not exist yet and starts it; replica-kill
# stops it the crash way (-m immediate); replica-destroy also removes its data.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-54329}
PG_DATA=${PG_DATA:-/tmp/buildtracker-pg-$PG_PORT}
LOG=${PG_DATA}.log
REPLICA_PORT=${REPLICA_PORT:-$((PG_PORT + 1))}
REPLICA_DATA=${REPLICA_DATA:-/tmp/buildtracker-pg-replica-$REPLICA_PORT}
REPLICA_LOG=${REPLICA_DATA}.log

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

replica_running() { as_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" status >/dev/null 2>&1; }

replica_sql() {
  "$PG_BIN/psql" -X -Atq -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -c "$1" 2>/dev/null
}

# The standby's data directory, made from the primary's when it is missing,
# incomplete, or a copy of another cluster (the primary was destroyed and made
# again since): pg_basebackup -R writes standby.signal and primary_conninfo.
make_replica() {
  local primary_id replica_id=""
  primary_id=$("$PG_BIN/psql" -X -Atq -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -c "SELECT system_identifier FROM pg_control_system()")
  if [ -f "$REPLICA_DATA/PG_VERSION" ] && [ -f "$REPLICA_DATA/standby.signal" ]; then
    replica_id=$(as_owner "$PG_BIN/pg_controldata" -D "$REPLICA_DATA" 2>/dev/null |
      sed -n 's/^Database system identifier: *//p')
  fi
  if [ -n "$replica_id" ] && [ "$replica_id" = "$primary_id" ]; then return 0; fi
  rm -rf "$REPLICA_DATA"
  # -c fast: an immediate checkpoint instead of waiting for the next one;
  # -N: no fsync of the copy (a throwaway standby, as the primary runs fsync=off)
  as_owner "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$REPLICA_DATA" \
    -R -X stream -c fast -N
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
    # every replica made from this cluster (any REPLICA_PORT), then the cluster
    for dir in /tmp/buildtracker-pg-replica-*; do
      if [ -d "$dir" ] && grep -qs "port=$PG_PORT " "$dir/postgresql.auto.conf"; then
        REPLICA_PORT=${dir##*-} REPLICA_DATA=$dir "$0" replica-destroy
      fi
    done
    "$0" stop
    rm -rf "$PG_DATA" "$LOG"
    ;;
  replica-start)
    if ! running; then echo "embedded PostgreSQL not running on 127.0.0.1:$PG_PORT: start it first" >&2; exit 3; fi
    if ! replica_running; then
      make_replica
      # postgresql.conf is the primary's copy (port = the primary's): the
      # command line wins. A hot standby needs max_connections at least the
      # primary's, which runs with the command line's value, not the file's.
      options="$SERVER_OPTIONS -c max_connections=$(setting max_connections)"
      options="$options -c port=$REPLICA_PORT -c hot_standby=on -c listen_addresses=127.0.0.1"
      options="$options -c unix_socket_directories=''"
      if [ "$(id -u)" = 0 ]; then touch "$REPLICA_LOG" && chown postgres "$REPLICA_LOG"; fi
      as_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -l "$REPLICA_LOG" -o "$options" -w -t 60 start >/dev/null
    fi
    # ready: accepts connections, is a standby, and streams from the primary
    for _ in $(seq 1 120); do
      if [ "$(replica_sql "SELECT pg_is_in_recovery() AND EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming')")" = t ]; then
        echo "embedded PostgreSQL replica streaming on 127.0.0.1:$REPLICA_PORT (data in $REPLICA_DATA)"; exit 0
      fi
      sleep 0.5
    done
    echo "the replica on 127.0.0.1:$REPLICA_PORT does not stream from the primary (see $REPLICA_LOG;" \
      "replica-destroy makes it again)" >&2
    exit 1
    ;;
  replica-stop)
    if replica_running; then as_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -m fast -w stop >/dev/null; echo "embedded PostgreSQL replica stopped"; else echo "embedded PostgreSQL replica not running"; fi
    ;;
  replica-kill)
    if replica_running; then as_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -m immediate -w stop >/dev/null; echo "embedded PostgreSQL replica killed (immediate)"; else echo "embedded PostgreSQL replica not running"; fi
    ;;
  replica-destroy)
    "$0" replica-stop
    rm -rf "$REPLICA_DATA" "$REPLICA_LOG"
    ;;
  *) echo "usage: $0 start|stop|status|restart-immediate|destroy|replica-start|replica-stop|replica-kill|replica-destroy" >&2; exit 2 ;;
esac
