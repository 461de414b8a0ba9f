#!/usr/bin/env bash
# bench/serve-load.sh — `varde serve` under a national AIS feed, measured end to end.
#
#   bench/serve-load.sh                                  # defaults: 3000 vessels, x1 for 4 min, x20 for 60 sim-min (3 min)
#   VESSELS=4000 X1_MIN=5 X20_MIN=20 bench/serve-load.sh
#   SPEEDS="1 20" bench/serve-load.sh                    # playback speeds, one fresh service each
#   SPEEDS="1 400 max" BASELINE=8163f19 bench/serve-load.sh   # also run that commit's varde, side by side
#   BASELINE=703f028 BASELINE_BIN=/tmp/varde-703f028 bench/serve-load.sh  # that build, already made
#   VESSELS=100000 SPEEDS=max MAX_MIN=10 bench/serve-load.sh  # RSS growth per vessel at 100 k vessels
#   LATENCY_EVENTS=alerts SPEEDS=400 bench/serve-load.sh     # latency client on /api/stream?events=alerts
#
# What it does (details in bench/serve-load/README.md):
#  1. cargo build --release -p varde; `varde sim` traffic (VESSELS vessels, every scripted incident
#     started 1 min in, plus a trickle of watch-listed vessels), its incident layer and watch list.
#  2. Per speed: a python TCP feed that Varde connects to replays the lines paced by their tag-block
#     `c:` time (spread evenly within each second), recording the wall-clock send time of each line.
#  3. A python SSE client on /api/stream: alert latency = first sight of an alert id minus the send
#     time of its last evidence line (the sentence that completed it); position events counted.
#  4. CPU (utime+stime) and RSS of the varde process every second; /metrics every second and at the end.
#  5. A table on stdout, also written to target/bench-serve-load.md with date, machine and git commit.
#     Raw samples, alerts and logs stay in target/bench-serve-load/.
#
# Needs: cargo, python3 (standard library only). Linux (/proc).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v python3 >/dev/null || { echo "bench/serve-load.sh: python3 is required" >&2; exit 1; }
printf '\n== cargo build --release -p varde\n' >&2
cargo build --release -p varde
if [ -n "${BASELINE:-}" ] && [ -n "${BASELINE_BIN:-}" ]; then
  # A baseline binary built already (e.g. a copy of target/release/varde taken before a change).
  export BASELINE_BIN BASELINE
elif [ -n "${BASELINE:-}" ]; then
  # The baseline commit in its own worktree and target directory (kept, so a rerun builds nothing).
  rev="$(git rev-parse --short "$BASELINE")"
  src="$ROOT/target/bench-baseline/src-$rev"
  if [ ! -d "$src" ]; then
    git worktree add --detach "$src" "$rev" >&2
  fi
  printf '\n== cargo build --release -p varde (baseline %s)\n' "$rev" >&2
  CARGO_TARGET_DIR="$ROOT/target/bench-baseline/target" cargo build --release -p varde --manifest-path "$src/Cargo.toml"
  export BASELINE_BIN="$ROOT/target/bench-baseline/target/release/varde" BASELINE="$rev"
fi
exec python3 "$ROOT/bench/serve-load/serve_load.py" main --root "$ROOT" "$@"
