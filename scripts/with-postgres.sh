#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on loopback (Debian's postgresql
# package), its address in TEND_TEST_PG; the server and its data are gone afterwards.
# The server also speaks TLS with a certificate for localhost signed by a throwaway CA,
# whose certificate's path is in TEND_TEST_PG_CA (for sslmode=verify-full, sslrootcert).
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
# A throwaway CA, and a server certificate for localhost that it signs (rustls refuses a
# self-signed certificate used as the server's own).
openssl req -x509 -nodes -newkey rsa:2048 -days 2 -subj /CN=tend-test-ca \
  -keyout "$data/ca.key" -out "$data/ca.crt" >/dev/null 2>&1
openssl req -nodes -newkey rsa:2048 -subj /CN=localhost \
  -keyout "$data/server.key" -out "$data/server.csr" >/dev/null 2>&1
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$data/ext"
openssl x509 -req -in "$data/server.csr" -CA "$data/ca.crt" -CAkey "$data/ca.key" \
  -CAcreateserial -days 2 -extfile "$data/ext" -out "$data/server.crt" >/dev/null 2>&1
chmod 600 "$data/server.key"
[ "$(id -u)" = 0 ] && chown postgres: "$data/server.key" "$data/server.crt"
"${as[@]}" "$bin/pg_ctl" -D "$data/db" -l "$data/log" -w \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on -c ssl_cert_file=$data/server.crt -c ssl_key_file=$data/server.key" start >/dev/null
"${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U tend tend_test
export TEND_TEST_PG="postgres://tend@127.0.0.1:$port/tend_test"
export TEND_TEST_PG_CA="$data/ca.crt"
"$@"
