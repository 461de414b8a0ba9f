#!/usr/bin/env python3
"""Lines per second `varde serve` takes from one TCP feed pushed as fast as the socket allows.

Usage: ingest.py VARDE_BINARY NMEA_FILE [LINES] [LABEL]

Serves the first LINES (default 1,000,000) lines of NMEA_FILE (e.g. the simulated day of
bench/replay/run) from a loopback TCP server as fast as Varde reads them, starts
`VARDE_BINARY serve` with that feed as its one source (store on, in a fresh temporary data
directory; snapshots off), and samples `/metrics` (`varde_lines_total`,
`varde_reports_committed_total`) and the process's CPU (`/proc/PID/stat`) every 0.2 s until every
line was taken by the engine and the store stops moving. Prints lines per wall second through the
engine (first to last line taken), the same with every report committed, and Varde's CPU time per
line, then the store's size on disk after a clean stop (bytes per report committed), and Varde's CPU
time per line by thread (the engine thread, the store writer, the Tokio workers that read the
socket). The temporary data directory is removed at the end.

The feeder runs in this process, on the same machine, but costs next to nothing: the whole input
is one `sendall` of a buffer prepared before Varde starts (a loop in C over `send(2)`, no Python per
line), so the kernel hands the bytes over as fast as Varde reads them and Varde, not the feeder,
sets the rate. Its CPU time is printed too (`feeder CPU`), to show that.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


FEEDER_CPU = [0.0]


def serve_feed(data):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)

    def run():
        conn, _ = srv.accept()
        t0 = time.thread_time()
        conn.sendall(data)
        FEEDER_CPU[0] = time.thread_time() - t0
        time.sleep(3600)  # keep the connection open: no reconnect, no replay of the feed

    threading.Thread(target=run, daemon=True).start()
    return srv.getsockname()[1]


def metrics(port, token):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/metrics",
                                 headers={"Authorization": f"Bearer {token}"})
    text = urllib.request.urlopen(req, timeout=5).read().decode()
    out = {}
    for name in ("varde_lines_total", "varde_reports_committed_total"):
        m = re.search(rf"^{name}(?:{{[^}}]*}})? (\d+)", text, re.M)
        out[name] = int(m.group(1)) if m else 0
    return out


def cpu_s(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def thread_cpu(pid):
    """CPU seconds by thread name (threads of one name summed)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            raw = open(f"/proc/{pid}/task/{tid}/stat").read()
        except OSError:
            continue
        name = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw.rsplit(")", 1)[1].split()
        t = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        out[name] = out.get(name, 0.0) + t
    return out


def main():
    binary, path = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    label = sys.argv[4] if len(sys.argv) > 4 else binary
    lines = []
    with open(path, "rb") as f:
        for _ in range(n):
            line = f.readline()
            if not line:
                break
            lines.append(line)
    data = b"".join(lines)
    n = len(lines)
    feed = serve_feed(data)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        http = s.getsockname()[1]
    work = tempfile.mkdtemp(prefix="varde-ingest-")
    token = "bench"
    cfg = os.path.join(work, "varde.toml")
    with open(cfg, "w") as f:
        f.write(f'[serve]\nlisten = "127.0.0.1:{http}"\ntoken = "{token}"\ndata_dir = "{work}/data"\n'
                f'snapshot_every_s = 0\nthroughput_log_s = 0\n\n'
                f'[[serve.sources]]\nname = "feed"\nkind = "tcp"\naddress = "127.0.0.1:{feed}"\n')
    # INGEST_WRAP: a command to run Varde under, e.g. the callgrind recipe in README.md.
    wrap = os.environ.get("INGEST_WRAP", "").split()
    proc = subprocess.Popen(wrap + [binary, "serve", "--config", cfg], stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(work, "serve.log"), "w"))
    try:
        first = None
        samples = []
        stable = 0
        last = None
        while True:
            time.sleep(0.2)
            try:
                m = metrics(http, token)
            except OSError:
                continue
            now = time.monotonic()
            samples.append((now, m["varde_lines_total"], m["varde_reports_committed_total"],
                            cpu_s(proc.pid)))
            if first is None and m["varde_lines_total"] > 0:
                first = samples[-2] if len(samples) > 1 else samples[-1]
            key = (m["varde_lines_total"], m["varde_reports_committed_total"])
            stable = stable + 1 if key == last else 0
            last = key
            if m["varde_lines_total"] >= n and stable >= 10:
                break
            if first and now - first[0] > float(os.environ.get("INGEST_TIMEOUT_S", 600)):
                print("timed out")
                break
        t_lines = next(s for s in samples if s[1] >= n)
        t_done = next(s for s in samples if (s[1], s[2]) == last)
        lines_s = n / (t_lines[0] - first[0])
        done_s = n / (t_done[0] - first[0])
        cpu = t_done[3] - first[3]
        summary = (f"{label}: {n} lines; engine took them at {lines_s:,.0f} lines/s; "
                   f"all {last[1]} reports committed at {done_s:,.0f} lines/s; "
                   f"CPU {cpu:.1f} s = {cpu / n * 1e6:.1f} us per line")
        threads = thread_cpu(proc.pid)
        by_thread = ", ".join(f"{k} {v / n * 1e6:.2f}" for k, v in
                              sorted(threads.items(), key=lambda kv: -kv[1]) if v / n * 1e6 >= 0.05)
        summary += f"\n  CPU us per line by thread (whole run, start-up included): {by_thread}"
        summary += f"\n  feeder CPU {FEEDER_CPU[0]:.2f} s = {FEEDER_CPU[0] / n * 1e6:.2f} us per line"
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    data = os.path.join(work, "data")
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(data) for f in fs)
    print(f"{summary}; store {size / 1e6:.1f} MB = {size / max(last[1], 1):.1f} B per report")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
