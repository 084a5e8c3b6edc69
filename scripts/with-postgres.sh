#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on loopback (Debian's postgresql
# package), its address in TEND_TEST_PG; the server and its data are gone afterwards.
# Usage: scripts/with-postgres.sh COMMAND...
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "error: PostgreSQL is not installed (Debian package postgresql): run make deps" >&2
  exit 1
fi
port=${TEND_PG_PORT:-54329}
data=$(mktemp -d /tmp/tend-pg.XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then
  # The server refuses to run as root: run it as Debian's postgres user.
  chown postgres: "$data"
  as=(runuser -u postgres --)
fi
stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap stop EXIT
"${as[@]}" "$bin/initdb" -D "$data/db" -A trust -U tend >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$data/db" -l "$data/log" -w \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
"${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U tend tend_test
export TEND_TEST_PG="postgres://tend@127.0.0.1:$port/tend_test"
"$@"
