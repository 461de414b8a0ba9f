#!/usr/bin/env python3
"""`varde serve` under load, measured end to end (python3 standard library only).

Entry point: bench/serve-load.sh (builds varde first). This file has three modes, each run as its
own process so the feed, the stream client and the orchestrator never share a GIL:

  serve_load.py main --root ROOT [--vessels N] [--x1-min M] [--x20-min M] [--speeds "1 20"]
  serve_load.py feed --file F --speed S --times OUT      (TCP server Varde connects to)
  serve_load.py sse  --addr HOST:PORT --token T --out F  (subscriber of /api/stream)

All clocks are CLOCK_MONOTONIC (time.monotonic), which is system-wide on Linux, so the send time
recorded by the feed and the receive time recorded by the stream client compare directly.
"""

import argparse
import array
import bisect
import datetime
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

SELF = os.path.abspath(__file__)
# The tag block's `c:` (unix seconds) — only in the tag block, before the sentence.
C_RE = re.compile(rb"^\\[^\\]*?c:(\d+)")
FRAG_RE = re.compile(rb"!..VDM,(\d),(\d),")
TOKEN = "serve-load-token"
# A speed this high means "as fast as Varde takes it" (TCP back-pressure paces the feed).
MAX_SPEED = 1e9


def now():
    return time.monotonic()


def line_secs(lines):
    out = array.array("q")
    for l in lines:
        m = C_RE.search(l)
        if not m:
            raise SystemExit(f"serve-load: line without tag-block c: time: {l[:80]!r}")
        out.append(int(m.group(1)))
    return out


def schedule(secs, speed):
    """Offset (s) of each line from the start: its `c:` second, with the lines of one second spread
    evenly over it (a real feed does not arrive in one burst a second), divided by the speed."""
    n = len(secs)
    sched = array.array("d", bytes(8 * n))
    if n == 0:
        return sched
    c0 = secs[0]
    i = 0
    while i < n:
        j = i
        while j < n and secs[j] == secs[i]:
            j += 1
        k = j - i
        base = secs[i] - c0
        for x in range(i, j):
            sched[x] = (base + (x - i) / k) / speed
        i = j
    return sched


def read_lines(path):
    with open(path, "rb") as f:
        return [l for l in f.read().split(b"\n") if l]


# ------------------------------------------------------------------------------------------ feed
def cmd_feed(a):
    lines = read_lines(a.file)
    secs = line_secs(lines)
    sched = schedule(secs, a.speed)
    data = [l + b"\n" for l in lines]
    n = len(lines)
    sent = array.array("d", bytes(8 * n))
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    print(f"PORT {srv.getsockname()[1]}", flush=True)
    conn, _ = srv.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    print("CONNECTED", flush=True)
    if sys.stdin.readline().strip() != "GO":
        return
    t0 = now()
    lags = []
    i = 0
    batches = 0
    while i < n:
        t = now() - t0
        if sched[i] > t:
            time.sleep(min(sched[i] - t, 0.05))
            continue
        j = min(bisect.bisect_right(sched, t, i), i + 20000)
        ts = now()
        conn.sendall(b"".join(data[i:j]))
        for k in range(i, j):
            sent[k] = ts
        lags.append(ts - t0 - sched[i])
        batches += 1
        i = j
    t_end = now()
    with open(a.times, "wb") as f:
        sent.tofile(f)
    lags.sort()
    stats = {
        "lines": n,
        "bytes": sum(len(d) for d in data),
        "t_go": t0,
        "t_end": t_end,
        "batches": batches,
        "lag_p99_ms": 1000 * lags[min(len(lags) - 1, int(0.99 * len(lags)))] if lags else 0,
        "lag_max_ms": 1000 * lags[-1] if lags else 0,
    }
    print("DONE " + json.dumps(stats), flush=True)
    sys.stdin.read()  # hold the connection open until the orchestrator closes our stdin
    conn.close()


# ------------------------------------------------------------------------------------------- sse
class Stop(Exception):
    pass


def cmd_sse(a):
    def on_term(*_):
        raise Stop()

    signal.signal(signal.SIGTERM, on_term)
    host, port = a.addr.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=None)
    query = "" if a.events == "all" else f"&events={a.events}"
    conn.request("GET", f"/api/stream?access_token={a.token}{query}", headers={"Accept": "text/event-stream"})
    resp = conn.getresponse()
    if resp.status != 200:
        raise SystemExit(f"serve-load sse: HTTP {resp.status}")
    seen = {}
    alert_events = 0
    positions = 0
    lagged = {"events": 0, "positions": 0, "alerts": 0}
    pos_by_sec = {}
    hello = False
    event = None
    buf = b""
    out = open(a.out, "w")
    try:
        while True:
            chunk = resp.read1(1 << 16)
            t = now()
            if not chunk:
                break
            buf += chunk
            *complete, buf = buf.split(b"\n")
            sec = int(t)
            for line in complete:
                if line.startswith(b"event:"):
                    event = line[6:].strip()
                    if event == b"position":
                        positions += 1
                        pos_by_sec[sec] = pos_by_sec.get(sec, 0) + 1
                elif line.startswith(b"data:"):
                    if event == b"alert":
                        alert_events += 1
                        al = json.loads(line[5:])
                        if al["id"] not in seen:
                            ev = al.get("evidence") or []
                            rec = {
                                "t_recv": t,
                                # Wall clock too, for feeds in other processes that stamp it
                                # (bench/api-load's).
                                "t_wall": time.time(),
                                "id": al["id"],
                                "kind": al["kind"],
                                "mmsi": al["mmsi"],
                                "start": al["start"],
                                "evidence_n": len(ev),
                                "last_evidence": ev[-1] if ev else None,
                            }
                            seen[al["id"]] = rec
                            out.write(json.dumps(rec) + "\n")
                    elif event == b"lagged":
                        # What the service says this client lost (issue 10); older builds never say.
                        lagged["events"] += 1
                        try:
                            info = json.loads(line[5:])
                        except ValueError:
                            info = {}
                        for k in ("positions", "alerts"):
                            if isinstance(info.get(k), (int, float)):
                                lagged[k] += int(info[k])
                    elif event == b"hello" and not hello:
                        hello = True
                        print("READY", flush=True)
                        if a.pause > 0:
                            # A slow client: reads nothing for a while, as a map in a background tab.
                            time.sleep(a.pause)
                elif not line:
                    event = None
    except Stop:
        pass
    out.close()
    with open(a.summary, "w") as f:
        json.dump(
            {
                "alerts": len(seen),
                "alert_events": alert_events,
                "alert_ids": sorted(seen),
                "positions": positions,
                "pos_by_sec": pos_by_sec,
                "lagged": lagged,
            },
            f,
        )


# ------------------------------------------------------------------------------------------ main
def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, -(-len(xs) * p // 100) - 1))  # nearest rank
    return xs[int(k)]


def get_metrics(addr):
    host, port = addr.rsplit(":", 1)
    c = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        c.request("GET", "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        body = c.getresponse().read().decode()
    finally:
        c.close()
    m = {}
    for ln in body.splitlines():
        if ln and not ln.startswith("#"):
            k, _, v = ln.rpartition(" ")
            try:
                m[k] = float(v)
            except ValueError:
                pass
    return m


def proc_sample(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    rss = hwm = 0
    threads = 0
    with open(f"/proc/{pid}/status") as f:
        for ln in f:
            if ln.startswith("VmRSS:"):
                rss = int(ln.split()[1])
            elif ln.startswith("VmHWM:"):
                hwm = int(ln.split()[1])
            elif ln.startswith("Threads:"):
                threads = int(ln.split()[1])
    return cpu, rss, hwm, threads


class Sampler(threading.Thread):
    def __init__(self, pid, addr):
        super().__init__(daemon=True)
        self.pid, self.addr = pid, addr
        self.rows = []
        self.stop = threading.Event()

    def sample(self):
        t = now()
        cpu, rss, hwm, thr = proc_sample(self.pid)
        try:
            m = get_metrics(self.addr)
        except OSError:
            m = {}
        row = {
            "t": t,
            "cpu_s": cpu,
            "rss_kb": rss,
            "hwm_kb": hwm,
            "threads": thr,
            "lines": m.get("varde_lines_total", 0),
            "reports": m.get("varde_reports_total", 0),
            "committed": m.get("varde_reports_committed_total", 0),
            "alert_events": m.get("varde_alert_events_total", 0),
            "lagged": m.get("varde_live_lagged_total", 0),
            "vessels": m.get("varde_vessels", 0),
            "metrics_ms": 1000 * (now() - t),
        }
        self.rows.append(row)
        return row

    def run(self):
        nxt = now()
        while not self.stop.is_set():
            self.sample()
            nxt += 1.0
            self.stop.wait(max(0.0, nxt - now()))


def wait_line(proc, prefix, timeout, what):
    """Reads proc.stdout until a line starting with prefix (in a thread, to bound the wait)."""
    box = {}

    def rd():
        for ln in proc.stdout:
            if ln.startswith(prefix):
                box["line"] = ln.rstrip("\n")
                return

    th = threading.Thread(target=rd, daemon=True)
    th.start()
    th.join(timeout)
    if "line" not in box:
        raise SystemExit(f"serve-load: timed out waiting for {what} ({prefix!r})")
    return box["line"]


def speed_name(speed):
    return "max" if speed >= MAX_SPEED else f"x{speed:g}"


def run_phase(ctx, speed, sim_min, build):
    wd = ctx["wd"]
    tag = f"{build['label']}-{speed_name(speed)}"
    say(f"phase {tag} ({build['varde']}): {sim_min:g} min of event time at {speed_name(speed)}"
        + ("" if speed >= MAX_SPEED else f" (~{sim_min * 60 / speed:.0f} s wall)"))
    src = os.path.join(wd, f"feed-{speed_name(speed)}.nmea")
    c_end = ctx["c0"] + int(sim_min * 60)
    n_lines = 0
    nonfinal = 0
    with open(src, "wb") as f:
        for l, c in zip(ctx["lines"], ctx["secs"]):
            if c >= c_end:
                break
            f.write(l + b"\n")
            n_lines += 1
            m = FRAG_RE.search(l)
            if m and m.group(2) != m.group(1):
                nonfinal += 1
    ref = replay_reference(ctx, src, tag, build["varde"])
    data_dir = os.path.join(wd, f"data-{tag}")
    shutil.rmtree(data_dir, ignore_errors=True)
    times = os.path.join(wd, f"sent-{tag}.f64")
    feed = subprocess.Popen(
        [sys.executable, SELF, "feed", "--file", src, "--speed", str(speed), "--times", times],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    port = int(wait_line(feed, "PORT ", 120, "feed port").split()[1])
    cfg = os.path.join(wd, f"serve-{tag}.toml")
    with open(cfg, "w") as f:
        f.write(
            f'[serve]\nlisten = "127.0.0.1:0"\ntoken = "{TOKEN}"\ndata_dir = "{data_dir}"\n\n'
            f'[[serve.sources]]\nname = "feed"\nkind = "tcp"\naddress = "127.0.0.1:{port}"\n'
        )
    err_path = os.path.join(wd, f"varde-serve-{tag}.stderr")
    err = open(err_path, "w")
    t_spawn = now()
    varde = subprocess.Popen(
        [build["varde"], "serve", "--config", cfg, "--layer", ctx["layer"], "--watchlist", ctx["watchlist"]],
        stdout=subprocess.PIPE,
        stderr=err,
        text=True,
        env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "info"), "NO_COLOR": "1"},
    )
    line = wait_line(varde, "Varde is watching.", 120, "varde serve to listen")
    t_listen = now()
    addr = re.search(r"http://([^/]+)/", line).group(1)
    wait_line(feed, "CONNECTED", 60, "varde to connect to the feed")
    sse_out = os.path.join(wd, f"alerts-{tag}.jsonl")
    sse_sum = os.path.join(wd, f"stream-{tag}.json")
    sse = subprocess.Popen(
        [sys.executable, SELF, "sse", "--addr", addr, "--token", TOKEN, "--out", sse_out, "--summary", sse_sum,
         "--events", ctx["latency_events"]],
        stdout=subprocess.PIPE,
        text=True,
    )
    wait_line(sse, "READY", 60, "the stream's hello")
    # A second, slow subscriber: reads nothing for SLOW_PAUSE s after its hello, then everything. Every
    # alert the fast client saw must reach it too, or be announced lost by an `event: lagged`.
    slow_out = os.path.join(wd, f"alerts-{tag}-slow.jsonl")
    slow_sum = os.path.join(wd, f"stream-{tag}-slow.json")
    slow = subprocess.Popen(
        [sys.executable, SELF, "sse", "--addr", addr, "--token", TOKEN, "--out", slow_out, "--summary", slow_sum,
         "--pause", str(ctx["slow_pause"])],
        stdout=subprocess.PIPE,
        text=True,
    )
    wait_line(slow, "READY", 60, "the slow stream's hello")
    t_slow_ready = now()
    sampler = Sampler(varde.pid, addr)
    base = sampler.sample()
    sampler.start()
    feed.stdin.write("GO\n")
    feed.stdin.flush()
    fstats = json.loads(wait_line(feed, "DONE ", sim_min * 60 / speed + 600, "the feed to finish")[5:])
    # Drain: the engine has read every line and the store has stopped committing.
    t_feed_end = now()
    last, stable_since = None, now()
    while now() - t_feed_end < 120:
        m = get_metrics(addr)
        key = (m.get("varde_lines_total"), m.get("varde_reports_total"), m.get("varde_reports_committed_total"))
        if key != last:
            last, stable_since = key, now()
        elif m.get("varde_lines_total", 0) >= n_lines and now() - stable_since >= 1.0:
            break
        time.sleep(0.1)
    t_drained = stable_since
    end = sampler.sample()
    time.sleep(1.0)  # let the stream client read what is in flight
    # The slow client must have woken and read what was queued for it.
    while now() < t_slow_ready + ctx["slow_pause"] + 3.0:
        time.sleep(0.2)
    sampler.stop.set()
    sampler.join()
    for client in (sse, slow):
        client.send_signal(signal.SIGTERM)
        client.wait(30)
    final = get_metrics(addr)
    # Stop the service before the feed closes, so its log has no "feed closed; reconnecting".
    t_stop = now()
    varde.send_signal(signal.SIGTERM)
    try:
        rc = varde.wait(60)
    except subprocess.TimeoutExpired:
        varde.kill()
        rc = "killed after 60 s"
    stop_s = now() - t_stop
    store_bytes = sum(
        os.path.getsize(os.path.join(data_dir, n)) for n in os.listdir(data_dir) if os.path.isfile(os.path.join(data_dir, n))
    )
    feed.stdin.close()
    feed.wait(30)
    err.close()

    # ---- results
    with open(sse_sum) as f:
        stream = json.load(f)
    with open(slow_sum) as f:
        slow_stream = json.load(f)
    fast_ids = set(stream["alert_ids"])
    slow_missing = len(fast_ids - set(slow_stream["alert_ids"]))
    with open(sse_out) as f:
        alerts = [json.loads(l) for l in f if l.strip()]
    sent = array.array("d")
    with open(times, "rb") as f:
        sent.frombytes(f.read())
    want = {}
    for a in alerts:
        if a["last_evidence"]:
            want.setdefault(a["last_evidence"].encode(), [])
    with open(src, "rb") as f:
        for idx, l in enumerate(f):
            l = l.rstrip(b"\n")
            if l in want:
                want[l].append(idx)
    lat = []
    unmatched = 0
    by_kind = {}
    for a in alerts:
        idxs = want.get((a["last_evidence"] or "").encode(), [])
        ts = [sent[i] for i in idxs if sent[i] <= a["t_recv"]]
        if not ts:
            unmatched += 1
            a["latency_ms"] = None
            continue
        ms = 1000 * (a["t_recv"] - max(ts))
        a["latency_ms"] = ms
        lat.append(ms)
        by_kind.setdefault(a["kind"], []).append(ms)
    with open(os.path.join(wd, f"alerts-{tag}-latency.jsonl"), "w") as f:
        for a in alerts:
            f.write(json.dumps(a) + "\n")
    # offered/processed timeline: backlog = lines offered by the feed's schedule but not yet read by the engine
    sched = schedule(ctx["secs"][:n_lines], speed)
    t_go = fstats["t_go"]
    backlog_max = 0
    commit_gap_max = 0
    cpu_peak = 0.0
    rows = sampler.rows
    for r0, r1 in zip(rows, rows[1:]):
        dt = r1["t"] - r0["t"]
        if dt > 0.2 and r0["t"] >= t_go - 0.5:
            cpu_peak = max(cpu_peak, 100 * (r1["cpu_s"] - r0["cpu_s"]) / dt)
    for r in rows:
        if r["t"] < t_go:
            continue
        offered = bisect.bisect_right(sched, r["t"] - t_go)
        backlog_max = max(backlog_max, offered - (r["lines"] - base["lines"]))
        commit_gap_max = max(commit_gap_max, r["reports"] - r["committed"])
    with open(os.path.join(wd, f"samples-{tag}.csv"), "w") as f:
        keys = list(rows[0].keys())
        f.write("t_rel," + ",".join(keys) + "\n")
        for r in rows:
            f.write(f"{r['t'] - t_go:.3f}," + ",".join(str(r[k]) for k in keys) + "\n")
    # stalls on the stream: longest run of wall seconds without a position event while the feed ran
    pbs = {int(k): v for k, v in stream["pos_by_sec"].items()}
    longest_quiet = 0
    run_ = 0
    for s in range(int(t_go) + 1, int(fstats["t_end"])):
        run_ = run_ + 1 if pbs.get(s, 0) == 0 else 0
        longest_quiet = max(longest_quiet, run_)
    pos_rates = [pbs.get(s, 0) for s in range(int(t_go) + 1, int(fstats["t_end"]))]
    send_s = fstats["t_end"] - t_go
    busy_s = t_drained - t_go
    lines_total = final.get("varde_lines_total", 0)
    reports_total = final.get("varde_reports_total", 0)
    committed = final.get("varde_reports_committed_total", 0)
    rejects = sum(v for k, v in final.items() if k.startswith("varde_rejects_total"))
    expected_commit = n_lines - nonfinal - rejects
    all_committed = (
        lines_total == n_lines
        and committed == expected_commit
        and committed == ref.get("messages", committed)
        and final.get("varde_store_errors_total", 0) == 0
    )
    with open(err_path) as f:
        err_lines = [re.sub(r"\x1b\[[0-9;]*m", "", l.rstrip("\n")) for l in f]
    bad = [l for l in err_lines if re.search(r"\b(WARN|ERROR)\b|panicked", l)]
    live_ids = {a["id"] for a in alerts}
    ref_ids = ref.get("ids", set())
    res = {
        "tag": tag,
        "build": build["label"],
        "build_desc": build["desc"],
        "speed": speed,
        "store_bytes": store_bytes,
        "store_b_per_report": store_bytes / committed if committed else float("nan"),
        "store_b_per_line": store_bytes / n_lines if n_lines else float("nan"),
        "rss_per_vessel_b": 1024 * (end["rss_kb"] - base["rss_kb"]) / max(1, final.get("varde_vessels", 0)),
        "cpu_us_per_line": 1e6 * (end["cpu_s"] - base["cpu_s"]) / max(1, lines_total),
        "replay_cpu_us_per_line": 1e6 * ref.get("cpu_s", float("nan")) / max(1, n_lines),
        "lines_ps": lines_total / busy_s if busy_s > 0 else 0,
        "slow_pause_s": ctx["slow_pause"],
        "slow_alerts": len(slow_stream["alert_ids"]),
        "slow_missing": slow_missing,
        "slow_lagged": slow_stream["lagged"],
        "slow_silent_loss": max(0, slow_missing - slow_stream["lagged"]["alerts"]),
        "sim_min": sim_min,
        "lines": n_lines,
        "send_s": send_s,
        "busy_s": busy_s,
        "drain_s": t_drained - fstats["t_end"],
        "offered_lps": n_lines / send_s,
        "reports_ps": reports_total / busy_s if busy_s > 0 else 0,
        "cpu_pct": 100 * (end["cpu_s"] - base["cpu_s"]) / (end["t"] - base["t"]),
        "cpu_peak_pct": cpu_peak,
        "rss_peak_mib": max([r["rss_kb"] for r in rows] + [end["hwm_kb"]]) / 1024,
        "rss_end_mib": end["rss_kb"] / 1024,
        "rss_before_mib": base["rss_kb"] / 1024,
        "startup_s": t_listen - t_spawn,
        "alerts": len(alerts),
        "alert_events": stream["alert_events"],
        "alert_events_metric": final.get("varde_alert_events_total", 0),
        "ref_alerts": len(ref_ids),
        "live_not_ref": len(live_ids - ref_ids),
        "ref_not_live": len(ref_ids - live_ids),
        "lat_n": len(lat),
        "lat_unmatched": unmatched,
        "lat_p50": pct(lat, 50),
        "lat_p99": pct(lat, 99),
        "lat_max": max(lat) if lat else float("nan"),
        "lat_by_kind": {k: (len(v), pct(v, 50), max(v)) for k, v in sorted(by_kind.items())},
        "positions": stream["positions"],
        "pos_ps": stream["positions"] / send_s,
        "pos_ps_min": min(pos_rates) if pos_rates else 0,
        "pos_ps_max": max(pos_rates) if pos_rates else 0,
        "longest_quiet_s": longest_quiet,
        "lagged": final.get("varde_live_lagged_total", 0),
        "lines_total": lines_total,
        "reports_total": reports_total,
        "committed": committed,
        "expected_commit": expected_commit,
        "nonfinal_fragments": nonfinal,
        "rejects": rejects,
        "ref_messages": ref.get("messages"),
        "ref_reports": ref.get("reports"),
        "store_errors": final.get("varde_store_errors_total", 0),
        "batches": final.get("varde_store_batches_total", 0),
        "all_committed": all_committed,
        "backlog_max_lines": backlog_max,
        "commit_gap_max": commit_gap_max,
        "feed_lag_p99_ms": fstats["lag_p99_ms"],
        "feed_lag_max_ms": fstats["lag_max_ms"],
        "metrics_ms_max": max(r["metrics_ms"] for r in rows),
        "vessels": final.get("varde_vessels", 0),
        "exit": rc,
        "stop_s": stop_s,
        "stderr_lines": len(err_lines),
        "stderr_bad": bad[:20],
        "stderr_bad_n": len(bad),
    }
    with open(os.path.join(wd, f"result-{tag}.json"), "w") as f:
        json.dump(res, f, indent=1, default=str)
    say(
        f"phase {tag}: {n_lines} lines in {send_s:.1f} s, drained {res['drain_s']:.2f} s later; "
        f"{len(alerts)} alerts; slow client missed {slow_missing} ({slow_stream['lagged']['alerts']} announced); "
        f"store {store_bytes / 1e6:.1f} MB = {res['store_b_per_report']:.0f} B/report; exit {rc}"
    )
    return res


def replay_reference(ctx, src, tag, varde):
    """The same input through `varde replay` (offline, same engine): message/report counts and the
    alert ids the live service should raise too."""
    out = os.path.join(ctx["wd"], f"replay-{tag}.jsonl")
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(
        [varde, "replay", "--quiet", "--layer", ctx["layer"], "--watchlist", ctx["watchlist"],
         "--alerts", out, src],
        capture_output=True,
        text=True,
    )
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    ref = {"cpu_s": (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)}
    m = re.search(r"(\d+) lines, (\d+) messages, (\d+) reports", p.stderr + p.stdout)
    if m:
        ref.update({"lines": int(m.group(1)), "messages": int(m.group(2)), "reports": int(m.group(3))})
    if p.returncode == 0 and os.path.exists(out):
        with open(out) as f:
            ref["ids"] = {json.loads(l)["id"] for l in f if l.strip()}
    else:
        say(f"varde replay failed ({p.returncode}): {p.stderr[-500:]}")
    return ref


def say(msg):
    print(f"\n== {msg}", file=sys.stderr, flush=True)


def fmt_ms(x):
    return "n/a" if x != x else (f"{x:.0f}" if x >= 10 else f"{x:.1f}")


def write_scenario(path, extra_every_min, until_min, *, title="serve-load", controls=True,
                   first_extra_min=2.0, max_extra=500, digits=3):
    """Every built-in incident 1 min in (and its control 1.5 min in, with `controls`), plus a steady
    trickle of watch-listed vessels from `first_extra_min` every `extra_every_min` sim-minutes (alert
    on first sight), so short runs have alerts spread over the whole run. Also used by
    bench/stream-slow."""
    kinds = [
        "eagle_s", "newnew_polar_bear", "yi_peng3", "svalbard_cable_trawler", "nord_stream_gap",
        "research_vessel_territorial", "circling_state_vessel", "spoofed_fix", "fix_on_land",
        "shared_mmsi", "sts_rendezvous", "watchlisted",
    ]
    with open(path, "w") as f:
        and_controls = " and control" if controls else ""
        f.write(f'name = "{title}: every incident{and_controls} 1 min in, plus watch-listed vessels"\n')
        for k in kinds:
            f.write(f'\n[[incident]]\nkind = "{k}"\nstart_min = 1\n')
            if controls:
                f.write(f'\n[[incident]]\nkind = "{k}"\ncontrol = true\nstart_min = 1.5\n')
        k, t = 0, first_extra_min
        while extra_every_min > 0 and t < until_min and k < max_extra:
            f.write(
                f'\n[[incident]]\nkind = "watchlisted"\nstart_min = {t:g}\nmmsi = {636990000 + k}\n'
                f'name = "LISTED SIM {k:0{digits}d}"\nat = {{ lat = {71.2 + 0.01 * (k % 40):.2f}, lon = {20.0 + 0.1 * (k // 40):.2f} }}\n'
            )
            k += 1
            t += extra_every_min


def cmd_main(a):
    root = a.root
    wd = os.path.join(root, "target", "bench-serve-load")
    os.makedirs(wd, exist_ok=True)
    varde = os.path.join(root, "target", "release", "varde")
    builds = [{"label": "new", "varde": varde, "desc": "this checkout"}]
    if a.baseline_bin:
        builds.append({"label": "base", "varde": a.baseline_bin, "desc": f"commit {a.baseline_rev}"})
    speeds = [MAX_SPEED if s == "max" else float(s) for s in a.speeds.split()]
    durations = {s: (a.x1_min if s <= 1 else a.max_min if s >= MAX_SPEED else a.x20_min) for s in speeds}
    sim_min = max(durations.values())
    scen = os.path.join(wd, "scenario.toml")
    write_scenario(scen, a.watch_every_min, sim_min)
    layer = os.path.join(wd, "incident-assets.geojson")
    expect = os.path.join(wd, "expect.json")
    sim = os.path.join(wd, "sim.nmea")
    say(f"varde sim --vessels {a.vessels} --hours {sim_min / 60:.4f} --scenario {os.path.relpath(scen, root)}")
    t = now()
    with open(sim, "wb") as f:
        subprocess.run(
            [varde, "sim", "--vessels", str(a.vessels), "--hours", f"{sim_min / 60 + 1 / 60:.6f}",
             "--scenario", scen, "--seed", str(a.seed), "--layer-out", layer, "--expect-out", expect],
            stdout=f,
            check=True,
        )
    with open(expect) as f:
        exp = json.load(f)
    watch = sorted({m for e in exp if e.get("watchlist") for m in e["mmsi"]})
    wl = os.path.join(wd, "watchlist.txt")
    with open(wl, "w") as f:
        f.write("# watch-listed MMSIs from varde sim --expect-out\n" + "".join(f"{m}\n" for m in watch))
    lines = read_lines(sim)
    secs = line_secs(lines)
    say(f"{len(lines)} lines ({os.path.getsize(sim) / 1e6:.0f} MB) in {now() - t:.1f} s; {len(watch)} watch-listed MMSIs")
    ctx = {"wd": wd, "varde": varde, "layer": layer, "watchlist": wl, "lines": lines, "secs": secs, "c0": secs[0],
           "slow_pause": a.slow_pause, "latency_events": a.latency_events}
    # Per speed, every build on the same input, one after the other (side by side in one run).
    results = [run_phase(ctx, s, durations[s], b) for s in speeds for b in builds]
    report(root, a, results)


def report(root, a, results):
    def git(*args):
        try:
            return subprocess.run(["git", "-C", root, *args], capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    cpu_model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    cpu_model = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    dirty = git("status", "--porcelain", "--untracked-files=no")
    L = []
    L.append("# bench/serve-load — `varde serve` under a national AIS feed")
    L.append("")
    L.append(f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
    L.append(
        f"- machine: {os.cpu_count()} CPU(s) (nproc), {cpu_model}; {platform.system()} {platform.release()}; "
        f"load average at end {os.getloadavg()[0]:.2f} (shared machine)"
    )
    L.append(f"- git: {git('rev-parse', '--short', 'HEAD')}{' (working tree has uncommitted changes)' if dirty else ''}")
    L.append(
        f"- input: `varde sim --vessels {a.vessels} --seed {a.seed}` + every built-in incident and control 1 min in"
        f" + a watch-listed vessel every {a.watch_every_min:g} sim-min; fed over TCP by a python server paced by"
        " the tag-block `c:` time (lines of one second spread evenly over it); one fresh `varde serve` (fresh data"
        " dir) per speed; feed, stream client and sampler are separate processes on the same 2 cores;"
        f" the latency client asks /api/stream for `events={a.latency_events}`"
    )
    L.append("")
    L.append(
        "| build | speed | event time | offered lines/s | achieved reports/s | CPU % (1 core) avg / peak | peak RSS MiB |"
        " alerts (live / replay) | alert latency p50 / p99 / max ms | position events/s on stream | all committed |"
        " store B/report (B/line) | achieved lines/s | CPU µs/line live / replay (ratio) | slow client: alerts missed / announced lost |"
    )
    L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        L.append(
            f"| {r['build']} | {speed_name(r['speed'])} | {r['sim_min']:g} min | {r['offered_lps']:,.0f} | {r['reports_ps']:,.0f} |"
            f" {r['cpu_pct']:.0f} / {r['cpu_peak_pct']:.0f} | {r['rss_peak_mib']:.0f} |"
            f" {r['alerts']} / {r['ref_alerts']} |"
            f" {fmt_ms(r['lat_p50'])} / {fmt_ms(r['lat_p99'])} / {fmt_ms(r['lat_max'])}"
            f"{'' if not r['lat_n'] else ' (p99 < 100 ms: yes)' if r['lat_p99'] < 100 else ' (p99 < 100 ms: NO)'} |"
            f" {r['pos_ps']:,.0f} | {'yes' if r['all_committed'] else 'NO'} |"
            f" {r['store_b_per_report']:.0f} ({r['store_b_per_line']:.0f}) | {r['lines_ps']:,.0f} |"
            f" {r['cpu_us_per_line']:.1f} / {r['replay_cpu_us_per_line']:.2f}"
            f" ({r['cpu_us_per_line'] / r['replay_cpu_us_per_line']:.1f}×) |"
            f" {r['slow_missing']} / {r['slow_lagged']['alerts']} |"
        )
    L.append("")
    L.append("Builds: " + "; ".join(sorted({f"{r['build']} = {r['build_desc']}" for r in results})) + ".")
    L.append("")
    L.append("Details per speed:")
    L.append("")
    for r in results:
        L.append(
            f"- {r['tag']}: {r['lines']:,} lines sent in {r['send_s']:.1f} s (feed lateness p99 "
            f"{r['feed_lag_p99_ms']:.1f} ms, max {r['feed_lag_max_ms']:.1f} ms); engine read {r['lines_total']:,.0f}"
            f" lines, {r['reports_total']:,.0f} reports, committed {r['committed']:,.0f} (expected {r['expected_commit']:,.0f}"
            f" = lines − {r['nonfinal_fragments']:,} non-final fragments − {r['rejects']:,.0f} rejects; offline replay:"
            f" {r['ref_messages']} messages), {r['batches']:,.0f} store batches, {r['store_errors']:,.0f} store errors;"
            f" drained {r['drain_s']:.2f} s after the last line; max engine backlog {r['backlog_max_lines']:,.0f} lines,"
            f" max reports not yet committed {r['commit_gap_max']:,.0f} (1 s samples)."
        )
        L.append(
            f"  Alerts: {r['alerts']} opened on the stream ({r['alert_events']} alert events; metric"
            f" {r['alert_events_metric']:.0f}); replay of the same input opens {r['ref_alerts']} (live not in replay:"
            f" {r['live_not_ref']}, replay not live: {r['ref_not_live']}); latency measured for {r['lat_n']}"
            f" ({r['lat_unmatched']} without a matching sent line). Slow client (read nothing for {r['slow_pause_s']:g} s):"
            f" {r['slow_alerts']} alerts, missed {r['slow_missing']} the fast client saw, `lagged` events"
            f" {r['slow_lagged']['events']} announcing {r['slow_lagged']['alerts']} alerts and"
            f" {r['slow_lagged']['positions']} positions lost (silent alert loss {r['slow_silent_loss']})."
            f" Store {r['store_bytes'] / 1e6:.1f} MB after stop. RSS growth per vessel {r['rss_per_vessel_b']:.0f} B. By kind (n, p50 ms, max ms): "
            + ", ".join(f"{k} {n}/{fmt_ms(p)}/{fmt_ms(m)}" for k, (n, p, m) in r["lat_by_kind"].items())
            + "."
        )
        L.append(
            f"  Stream: {r['positions']:,} position events ({r['pos_ps']:,.0f}/s, per wall second min"
            f" {r['pos_ps_min']} max {r['pos_ps_max']}; longest run without one {r['longest_quiet_s']} s), lagged"
            f" (dropped for the client) {r['lagged']:.0f}. RSS {r['rss_before_mib']:.0f} MiB before the feed,"
            f" {r['rss_end_mib']:.0f} at the end; {r['vessels']:.0f} vessels in the picture; start-up to listening"
            f" {r['startup_s']:.1f} s; SIGTERM to exit {r['stop_s']:.1f} s; slowest /metrics {r['metrics_ms_max']:.0f} ms; exit code {r['exit']};"
            f" stderr {r['stderr_lines']} lines, {r['stderr_bad_n']} WARN/ERROR."
        )
        for b in r["stderr_bad"][:5]:
            L.append(f"  - stderr: `{b[:200]}`")
    L.append("")
    L.append(
        "Latency = first sight of an alert id on /api/stream (python client) − wall-clock time the feed handed"
        " that alert's last evidence line to the socket. CPU % = utime+stime of the varde process over the"
        " feed run (100 = one core). Raw samples, alerts with latencies and logs: target/bench-serve-load/."
    )
    text = "\n".join(L) + "\n"
    print("\n" + text)
    with open(os.path.join(root, "target", "bench-serve-load.md"), "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("main")
    m.add_argument("--root", required=True)
    m.add_argument("--vessels", type=int, default=int(os.environ.get("VESSELS", 3000)))
    m.add_argument("--x1-min", type=float, default=float(os.environ.get("X1_MIN", 4)),
                   help="event minutes replayed at speeds <= 1 (= wall minutes at x1)")
    m.add_argument("--x20-min", type=float, default=float(os.environ.get("X20_MIN", 60)),
                   help="event minutes replayed at faster speeds")
    m.add_argument("--speeds", default=os.environ.get("SPEEDS", "1 20"),
                   help='playback speeds; "max" = as fast as the service takes it')
    m.add_argument("--max-min", type=float, default=float(os.environ.get("MAX_MIN", 60)),
                   help="event minutes fed at speed max")
    m.add_argument("--slow-pause", type=float, default=float(os.environ.get("SLOW_PAUSE", 10)),
                   help="seconds the slow stream client reads nothing")
    m.add_argument("--baseline-bin", default=os.environ.get("BASELINE_BIN"),
                   help="a second varde binary run on the same input, side by side")
    m.add_argument("--baseline-rev", default=os.environ.get("BASELINE", "?"))
    m.add_argument("--seed", type=int, default=int(os.environ.get("SEED", 1)))
    m.add_argument("--latency-events", default=os.environ.get("LATENCY_EVENTS", "all"), choices=["all", "alerts"],
                   help="what the latency client asks /api/stream for: all (a map) or alerts (an alarm panel)")
    m.add_argument("--watch-every-min", type=float, default=float(os.environ.get("WATCH_EVERY_MIN", 0.5)))
    f = sub.add_parser("feed")
    f.add_argument("--file", required=True)
    f.add_argument("--speed", type=float, required=True)
    f.add_argument("--times", required=True)
    s = sub.add_parser("sse")
    s.add_argument("--addr", required=True)
    s.add_argument("--token", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--summary", required=True)
    s.add_argument("--pause", type=float, default=0.0, help="seconds to read nothing after hello (a slow client)")
    s.add_argument("--events", default="all", choices=["all", "alerts"],
                   help="what the client asks /api/stream for (events=alerts: no positions)")
    a = ap.parse_args()
    {"main": cmd_main, "feed": cmd_feed, "sse": cmd_sse}[a.cmd](a)


if __name__ == "__main__":
    main()
