#!/usr/bin/env python3
"""A slow `/api/stream` client under a fast feed: are alerts lost, and is the client told?

    bench/stream-slow.sh                               # builds varde --release, then runs this
    python3 bench/stream-slow/stream_slow.py --varde target/release/varde [--vessels 3000]
        [--sim-min 20] [--stall-s 20] [--watch-every-min 0.25] [--label after]

One run: `varde sim` traffic (VESSELS vessels for SIM_MIN sim-minutes, every scripted incident 1 min
in, a watch-listed vessel every WATCH_EVERY_MIN sim-minutes, so alerts are spread over the run)
fed over TCP as fast as `varde serve` takes it, with two `/api/stream` clients:

- fast: reads all the time (on a thread);
- slow: reads its `hello`, then nothing for STALL_S seconds (the feed runs meanwhile), then
  reads until the stream has been quiet for 3 s.

Per client it prints alert events delivered, alert events announced lost by `event: lagged`, and
the rest: alert events the service raised (`varde_alert_events_total`) that the client neither got
nor was told of (lost silently). Works against binaries without `event: lagged` (the "before"
figures): nothing is announced there. Standard library only; Linux.
"""

import argparse
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "serve-load"))
from serve_load import write_scenario as serve_load_scenario  # noqa: E402


def write_scenario(path, every_min, until_min):
    """serve-load's incidents without their controls, and a longer trickle of watch-listed vessels."""
    serve_load_scenario(path, every_min, until_min, title="stream-slow", controls=False,
                        first_extra_min=1.5, max_extra=2000, digits=4)
import urllib.request

TOKEN = "stream-slow-token"


def say(msg):
    print(msg, file=sys.stderr, flush=True)


def metrics(base):
    req = urllib.request.Request(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    out = {}
    with urllib.request.urlopen(req, timeout=30) as r:
        for line in r.read().decode().splitlines():
            if line and not line.startswith("#"):
                k, _, v = line.rpartition(" ")
                try:
                    out[k] = float(v)
                except ValueError:
                    pass
    return out


class Client:
    """An SSE client counting alert, position and lagged events (HTTP/1.0 on a plain socket, so the
    body is the event stream itself, and `select` tells when nothing is waiting)."""

    def __init__(self, base, name):
        host, port = base.removeprefix("http://").rsplit(":", 1)
        self.name = name
        self.sock = socket.create_connection((host, int(port)))
        self.sock.sendall(f"GET /api/stream?access_token={TOKEN} HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            assert chunk, "stream closed before its head"
            head += chunk
        head, self.buf = head.split(b"\r\n\r\n", 1)
        assert b" 200 " in head.split(b"\r\n")[0], head
        self.alerts = 0
        self.alert_ids = set()
        self.positions = 0
        self.lost_alerts = 0
        self.lost_positions = 0
        self.notices = 0
        self.event = None
        self.take(b"")

    def take(self, chunk):
        self.buf += chunk
        *complete, self.buf = self.buf.split(b"\n")
        for line in complete:
            if line.startswith(b"event:"):
                self.event = line[6:].strip()
                if self.event == b"position":
                    self.positions += 1
            elif line.startswith(b"data:"):
                if self.event == b"alert":
                    self.alerts += 1
                    self.alert_ids.add(json.loads(line[5:])["id"])
                elif self.event == b"lagged":
                    n = json.loads(line[5:])
                    self.notices += 1
                    self.lost_alerts += n.get("alerts") or 0
                    self.lost_positions += n.get("positions") or 0
            elif not line:
                self.event = None

    def read_once(self, wait_s):
        """Reads what arrives within `wait_s`; False when nothing did (or the stream ended)."""
        if not select.select([self.sock], [], [], wait_s)[0]:
            return False
        chunk = self.sock.recv(1 << 16)
        self.take(chunk)
        return bool(chunk)

    def read_until_quiet(self, quiet_s):
        """Reads until no data came for `quiet_s` (keep-alive comments come every 15 s)."""
        while self.read_once(quiet_s):
            pass

    def row(self, raised):
        silent = raised - self.alerts - self.lost_alerts
        return (
            f"| {self.name} | {raised:.0f} | {self.alerts} | {self.lost_alerts} | {silent:.0f} | "
            f"{self.positions} | {self.lost_positions} | {self.notices} |"
        )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--varde", required=True)
    ap.add_argument("--vessels", type=int, default=3000)
    ap.add_argument("--sim-min", type=float, default=20)
    ap.add_argument("--stall-s", type=float, default=20)
    ap.add_argument("--watch-every-min", type=float, default=0.25)
    ap.add_argument("--label", default="")
    a = ap.parse_args()
    wd = tempfile.mkdtemp(prefix="stream-slow-")
    scen, layer, expect, sim = (os.path.join(wd, n) for n in ("scen.toml", "layer.geojson", "expect.json", "sim.nmea"))
    write_scenario(scen, a.watch_every_min, a.sim_min)
    with open(sim, "wb") as f:
        subprocess.run(
            [a.varde, "sim", "--vessels", str(a.vessels), "--hours", f"{a.sim_min / 60:.6f}", "--scenario", scen,
             "--layer-out", layer, "--expect-out", expect],
            stdout=f, check=True)
    with open(expect) as f:
        watch = sorted({m for e in json.load(f) if e.get("watchlist") for m in e["mmsi"]})
    wl = os.path.join(wd, "watch.txt")
    with open(wl, "w") as f:
        f.write("".join(f"{m}\n" for m in watch))
    with open(sim, "rb") as f:
        data = f.read()
    lines = data.count(b"\n")
    feed = socket.socket()
    feed.bind(("127.0.0.1", 0))
    feed.listen(1)
    cfg = os.path.join(wd, "serve.toml")
    with open(cfg, "w") as f:
        f.write(f'[serve]\nlisten = "127.0.0.1:0"\ndata_dir = "{wd}/store"\nidle_timeout_s = 600\n\n'
                f'[[serve.sources]]\nname = "feed"\nkind = "tcp"\naddress = "127.0.0.1:{feed.getsockname()[1]}"\n')
    serve = subprocess.Popen(
        [a.varde, "serve", "--config", cfg, "--token", TOKEN, "--watchlist", wl, "--layer", layer],
        stdout=subprocess.PIPE, stderr=open(os.path.join(wd, "serve.stderr"), "w"),
        env={**os.environ, "RUST_LOG": "warn"})
    base = None
    for line in serve.stdout:
        line = line.decode()
        if "Open http://" in line:
            base = next(w for w in line.split() if w.startswith("http://")).split("/?")[0]
            break
    if base is None:
        raise SystemExit(f"varde serve did not start; see {wd}/serve.stderr")
    threading.Thread(target=lambda: serve.stdout.read(), daemon=True).start()
    slow = Client(base, "slow")
    fast = Client(base, "fast")
    stop = threading.Event()

    def run_fast():
        while not stop.is_set():
            fast.read_once(0.5)

    ft = threading.Thread(target=run_fast, daemon=True)
    ft.start()
    conn, _ = feed.accept()
    t0 = time.monotonic()
    conn.sendall(data)
    t_sent = time.monotonic() - t0
    while metrics(base).get("varde_lines_total", 0) < lines:
        time.sleep(0.2)
    t_done = time.monotonic() - t0
    rest = a.stall_s - (time.monotonic() - t0)
    if rest > 0:
        time.sleep(rest)
    t_slow = time.monotonic()
    slow.read_until_quiet(3.0)
    t_slow = time.monotonic() - t_slow
    time.sleep(1.0)
    stop.set()
    ft.join(5)
    m = metrics(base)
    raised = m.get("varde_alert_events_total", 0)
    serve.terminate()
    serve.wait(60)
    conn.close()
    label = f" ({a.label})" if a.label else ""
    print(f"\n### stream-slow{label}: {a.varde}")
    print(f"{lines} lines ({len(data) / 1e6:.0f} MB, {a.vessels} vessels, {a.sim_min:g} sim-min, {len(watch)} watch-listed) "
          f"handed over in {t_sent:.1f} s, all handled after {t_done:.1f} s ({lines / t_done:,.0f} lines/s); "
          f"slow client read nothing for {a.stall_s:g} s, then drained in {t_slow:.1f} s\n")
    print("| client | alert events raised | delivered | announced lost (lagged) | lost silently | positions delivered | positions announced lost | lagged notices |")
    print("|---|---|---|---|---|---|---|---|")
    print(slow.row(raised))
    print(fast.row(raised))
    keys = ["varde_live_lagged_total", "varde_live_alerts_lagged_total", "varde_live_lagged_notices_total"]
    print("\n/metrics: " + ", ".join(f"{k} {m[k]:.0f}" for k in keys if k in m))


if __name__ == "__main__":
    main()
