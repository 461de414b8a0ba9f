#!/usr/bin/env bash
# bench/stream-slow.sh — a slow /api/stream client under a fast feed: alerts delivered, announced
# lost (`event: lagged`) and lost silently, for a slow and a fast client (details at the top of
# bench/stream-slow/stream_slow.py).
#
#   bench/stream-slow.sh                                   # builds varde --release; ~1 min
#   bench/stream-slow.sh --vessels 3000 --sim-min 20 --stall-s 20
#   VARDE=/path/to/an/older/varde bench/stream-slow.sh --label before   # the "before" figures
#
# Needs: cargo, python3 (standard library only). Linux.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -z "${VARDE:-}" ]; then
  printf '\n== cargo build --release -p varde\n' >&2
  cargo build --release -p varde
  VARDE="$ROOT/target/release/varde"
fi
exec python3 "$ROOT/bench/stream-slow/stream_slow.py" --varde "$VARDE" "$@"
