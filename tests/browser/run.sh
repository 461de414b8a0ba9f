#!/usr/bin/env bash
# Runs the real-browser test of the web map (tests/browser/map.test.mjs).
#
#   VARDE_URL='http://127.0.0.1:8080/?token=abc' tests/browser/run.sh   # against a running `varde serve`
#   tests/browser/run.sh --mock                                         # against tests/browser/mock-server.mjs
#
# Without VARDE_URL it uses the mock server too (and says so). Installs what it needs, idempotently:
# Debian's chromium (the only browser that works here: playwright cannot download its own) and
# playwright-core, pinned by tests/browser/package-lock.json. Screenshots go to target/browser/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

mock=0
for arg in "$@"; do
  case "$arg" in
    --mock) mock=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
if [ -z "${VARDE_URL:-}" ] && [ "$mock" = 0 ]; then
  echo "run.sh: VARDE_URL is not set; testing the page against tests/browser/mock-server.mjs" >&2
  mock=1
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "run.sh: installing Debian's chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

command -v node >/dev/null || { echo "run.sh: node is required (Node.js 20)" >&2; exit 2; }
want="$(node -p "require('$here/package-lock.json').packages['node_modules/playwright-core'].version")"
have="$(node -p "try { require('$here/node_modules/playwright-core/package.json').version } catch { '' }")"
if [ "$want" != "$have" ]; then
  echo "run.sh: npm ci in tests/browser (playwright-core $want)" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ ! -f "$repo/web/dist/index.html" ]; then
  echo "run.sh: web/dist/index.html is missing (build it: cd web && npm ci && npm run build)" >&2
  exit 2
fi

mock_pid=""
cleanup() { if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

if [ "$mock" = 1 ]; then
  out="$(mktemp)"
  node "$here/mock-server.mjs" --port 0 --token "mock-$RANDOM$RANDOM" >"$out" 2>&1 &
  mock_pid=$!
  for _ in $(seq 1 100); do
    grep -q '^VARDE_URL=' "$out" && break
    kill -0 "$mock_pid" 2>/dev/null || { cat "$out" >&2; echo "run.sh: mock server died" >&2; exit 1; }
    sleep 0.1
  done
  VARDE_URL="$(sed -n 's/^VARDE_URL=//p' "$out" | head -n1)"
  rm -f "$out"
  [ -n "$VARDE_URL" ] || { echo "run.sh: mock server did not start" >&2; exit 1; }
  echo "run.sh: mock server at ${VARDE_URL%%\?*}" >&2
fi

export VARDE_URL
node "$here/map.test.mjs"
