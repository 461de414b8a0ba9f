#!/usr/bin/env python3
"""Alert latency under the API load (bench/api-load/run): for each alert first seen on the alarm
panel's stream (/api/stream?events=alerts) while the clients ran, the time from the feed writing
the alert's last evidence line to the socket to the alert's arrival, both wall clock.

    alert_latency.py --sim SIM --times TIMES --seen SSE.jsonl --from-line FILL --window T0 T1

Alerts completed by a line of the fill (sent as fast as Varde reads, not paced) or seen outside
the window [T0, T1] (wall seconds) are left out. Prints `alert_latency_* key value` lines."""
import argparse
import array
import json


def pct(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, -(-len(xs) * p // 100) - 1))  # nearest rank
    return xs[int(k)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", required=True)
    ap.add_argument("--times", required=True)
    ap.add_argument("--seen", required=True)
    ap.add_argument("--from-line", type=int, default=0)
    ap.add_argument("--window", type=float, nargs=2, required=True)
    a = ap.parse_args()
    sent = array.array("d")
    with open(a.times, "rb") as f:
        sent.frombytes(f.read())
    with open(a.seen) as f:
        seen = [json.loads(l) for l in f if l.strip()]
    t0, t1 = a.window
    seen = [s for s in seen if t0 <= s["t_wall"] <= t1 and s.get("last_evidence")]
    want = {s["last_evidence"].encode(): [] for s in seen}
    # Line indices as the feed counts them: non-empty lines.
    idx = 0
    with open(a.sim, "rb") as f:
        for line in f:
            if len(line) <= 1:
                continue
            key = line.rstrip(b"\n").rstrip(b"\r")
            if key in want:
                want[key].append(idx)
            idx += 1
    lat, fill, unmatched = [], 0, 0
    for s in seen:
        idxs = [i for i in want[s["last_evidence"].encode()] if i < len(sent) and sent[i] <= s["t_wall"]]
        if not idxs:
            unmatched += 1
            continue
        i = max(idxs, key=lambda i: sent[i])
        if i < a.from_line:
            fill += 1
            continue
        lat.append(1000 * (s["t_wall"] - sent[i]))
    print(f"alert_latency_n {len(lat)}")
    print(f"alert_latency_left_out_fill {fill}")
    print(f"alert_latency_unmatched {unmatched}")
    if lat:
        print(f"alert_latency_p50_ms {pct(lat, 50):.1f}")
        print(f"alert_latency_p99_ms {pct(lat, 99):.1f}")
        print(f"alert_latency_max_ms {max(lat):.1f}")


if __name__ == "__main__":
    main()
