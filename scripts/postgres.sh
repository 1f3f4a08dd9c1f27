#!/usr/bin/env bash
# Starts the PostgreSQL the server tests use, on a fresh Debian machine or an already prepared one
# (idempotent; ~1 s when the cluster exists). Installs Debian's `postgresql` if it is missing, creates a
# cluster in RELAIS_PG_DIR (default /tmp/relais-pg, owned by the postgres user), starts it on 127.0.0.1
# port RELAIS_PG_PORT (default 55432) unless it already runs, creates the role `relais` (password
# `relais`, CREATEDB: tests create and drop one database per server they start) and the database
# `relais`, and prints the connection string as its only line on stdout.
#
#   export RELAIS_TEST_POSTGRES="$(scripts/postgres.sh)"
#   scripts/postgres.sh stop      # stops the cluster (the data directory stays)
set -euo pipefail
dir="${RELAIS_PG_DIR:-/tmp/relais-pg}"
port="${RELAIS_PG_PORT:-55432}"
log() { echo "postgres.sh: $*" >&2; }

if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "installing Debian postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
bin="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)")"
[ -x "$bin/initdb" ] || bin="$(dirname "$(command -v initdb)")"

# Run a PostgreSQL tool as the postgres user (the server refuses to run as root).
as_pg() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"
  else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
}

if [ "${1:-}" = stop ]; then
  as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi

id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
if [ ! -f "$dir/PG_VERSION" ]; then
  mkdir -p "$dir"; chown postgres: "$dir"; chmod 700 "$dir"
  as_pg "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$dir'"
    echo "max_connections = 300"
    # A test cluster: durability is not the point, speed is.
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "full_page_writes = off"
  } >>"$dir/postgresql.conf"
fi

if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  as_pg "$bin/pg_ctl" -D "$dir" -w -l "$dir/server.log" start >/dev/null \
    || { log "PostgreSQL did not start; see $dir/server.log"; tail -20 "$dir/server.log" >&2; exit 1; }
fi

psql_pg() { as_pg psql -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_pg -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'relais'")" != 1 ]; then
  psql_pg -d postgres -c "CREATE ROLE relais LOGIN CREATEDB PASSWORD 'relais'" >/dev/null
fi
# `DROP DATABASE … WITH (FORCE)` ends the sessions still on a test database; one may be an autovacuum worker, which
# only a member of pg_signal_backend may end (idempotent).
psql_pg -d postgres -c "GRANT pg_signal_backend TO relais" >/dev/null
if [ "$(psql_pg -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'relais'")" != 1 ]; then
  psql_pg -d postgres -c "CREATE DATABASE relais OWNER relais" >/dev/null
fi
echo "Host=127.0.0.1;Port=$port;Username=relais;Password=relais;Database=relais"
