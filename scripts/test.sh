#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what is missing (Debian packages, npm packages),
# starts throwaway database servers on 127.0.0.1, runs every test, and stops the servers again.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v npm >/dev/null || missing+=(nodejs npm)
command -v chromium >/dev/null || missing+=(chromium)
command -v clickhouse-server >/dev/null || missing+=(clickhouse-server clickhouse-client)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
if ((${#missing[@]})); then
  echo "Installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The real Pendo agent, for the compatibility tests only: installed here at test time, never committed.
[ -d tests/e2e/node_modules/@pendo/agent ] || npm ci --prefix tests/e2e --no-audit --no-fund --silent

# Guidepost's own agent: its unit tests (TypeScript, vitest); its packages are (re)installed when its lock file
# changed, as the server's build does.
[ agent/node_modules/.package-lock.json -nt agent/package-lock.json ] || npm ci --prefix agent --no-audit --no-fund --silent
npm test --prefix agent --silent

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d /tmp/guidepost-test.XXXXXX)
chmod 755 "$work"
cleanup() {
  [ -n "${pg_ctl:-}" ] && $pg_user "$pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root, so root runs it as the 'postgres' user the package creates.
pg_bin=$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -n 1)")
pg_ctl="$pg_bin/pg_ctl"
pg_user=""
if [ "$(id -u)" = 0 ]; then pg_user="runuser -u postgres --"; chown postgres "$work"; fi
pg_port=$(free_port)
$pg_user "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust --no-sync >/dev/null
$pg_user "$pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" >/dev/null
export GUIDEPOST_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
export GUIDEPOST_TEST_REQUIRE_SERVERS=1

dotnet test Guidepost.slnx "$@"
