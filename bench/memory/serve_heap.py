#!/usr/bin/env python3
"""bench/memory/serve_heap.py — what `varde serve` holds per vessel, measured at several fleet sizes.

    bench/memory/run                         # 10 k and 100 k vessels, this checkout's varde
    BASELINE=703f028 bench/memory/run        # also that commit's varde, on the same feeds, side by side
    VESSELS=100000 bench/memory/run          # one fleet size (space-separated list)
    HEAPTRACK=1 VESSELS=10000 bench/memory/run   # live heap by allocation site (this checkout only)
    MALLOC_ARENA_MAX=2 bench/memory/run      # environment passes through to varde
    VARDE_PRELOAD=/usr/lib/x86_64-linux-gnu/libmimalloc.so.2 bench/memory/run   # varde on another malloc

Per fleet size N: `varde sim --vessels N` for SIM_MIN (default 3) event-minutes with serve-load's
scenario (every incident 1 min in, watch-listed vessels trickling in), written once to
target/bench-memory/feed-N/ and reused. Per build: a fresh `varde serve` connects to a python TCP feed
(serve_load.py's) that sends the lines as fast as the service takes them; the bench waits until the
service has read every line and the store stopped committing, then reads VmRSS (before the feed
and at the end once the RSS has settled: jemalloc purges freed pages over a second or two). Printed:
vessels, RSS before the feed and at the end, RSS growth per vessel, and the growth by kind (RssAnon:
the heap and stacks; RssFile: the binary's code pages the feed touched first). SMAPS=1 keeps
/proc/PID/smaps before the feed and at the end (target/bench-memory/smaps-TAG-*.txt). With HEAPTRACK=1 varde runs under heaptrack
(needs `heaptrack`, `heaptrack_print`): heap at its peak and the allocation sites holding most of it,
in target/bench-memory/heaptrack-N.txt.
"""
import argparse, os, re, shutil, signal, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVE_LOAD = os.path.join(HERE, "..", "serve-load", "serve_load.py")
sys.path.insert(0, os.path.dirname(SERVE_LOAD))
import serve_load as sl  # noqa: E402


def rss_kb(pid):
    return rss_parts(pid)["VmRSS"]


def rss_parts(pid):
    """VmRSS and its parts, KiB: RssAnon (heap, stacks), RssFile (the binary's code and data pages
    touched so far, mapped files), RssShmem (SQLite's WAL index)."""
    out = {"VmRSS": 0, "RssAnon": 0, "RssFile": 0, "RssShmem": 0}
    with open(f"/proc/{pid}/status") as f:
        for ln in f:
            k = ln.split(":")[0]
            if k in out:
                out[k] = int(ln.split()[1])
    return out


def settle(pid, within_kb=256, most_s=15):
    """Waits until two RSS readings a second apart differ by at most `within_kb` (jemalloc's
    background thread purges freed pages over a second or two), `most_s` seconds at most."""
    prev, t0 = rss_kb(pid), time.monotonic()
    while time.monotonic() - t0 < most_s:
        time.sleep(1.0)
        now_kb = rss_kb(pid)
        if abs(now_kb - prev) <= within_kb:
            return
        prev = now_kb


def child_pid(pid, name):
    """heaptrack runs varde as its child: the pid whose RSS counts."""
    for _ in range(100):
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            for k in (int(k) for k in f.read().split()):
                with open(f"/proc/{k}/comm") as c:
                    if c.read().strip() == name[:15]:
                        return k
        time.sleep(0.1)
    raise SystemExit("bench/memory: varde not found under heaptrack")


def make_feed(varde, wd, vessels, sim_min, seed):
    """serve-load's traffic for `vessels` vessels, cut at `sim_min` event-minutes: feed.nmea, the
    incident layer and the watch list in `wd` (kept: a rerun reuses them)."""
    feed = os.path.join(wd, "feed.nmea")
    if os.path.exists(feed):
        return
    os.makedirs(wd, exist_ok=True)
    scen = os.path.join(wd, "scenario.toml")
    sl.write_scenario(scen, 0.5, sim_min)
    layer, expect, sim = (os.path.join(wd, n) for n in ("incident-assets.geojson", "expect.json", "sim.nmea"))
    print(f"== varde sim --vessels {vessels} ({sim_min:g} event-min) -> {wd}", file=sys.stderr, flush=True)
    with open(sim, "wb") as f:
        subprocess.run([varde, "sim", "--vessels", str(vessels), "--hours", f"{sim_min / 60 + 1 / 60:.6f}",
                        "--scenario", scen, "--seed", str(seed), "--layer-out", layer, "--expect-out", expect],
                       stdout=f, check=True)
    import json
    with open(expect) as f:
        watch = sorted({m for e in json.load(f) if e.get("watchlist") for m in e["mmsi"]})
    with open(os.path.join(wd, "watchlist.txt"), "w") as f:
        f.write("# watch-listed MMSIs from varde sim --expect-out\n" + "".join(f"{m}\n" for m in watch))
    lines = sl.read_lines(sim)
    secs = sl.line_secs(lines)
    c_end = secs[0] + int(sim_min * 60)
    with open(feed + ".part", "wb") as f:
        for l, c in zip(lines, secs):
            if c >= c_end:
                break
            f.write(l + b"\n")
    os.rename(feed + ".part", feed)
    os.remove(sim)


def measure(varde, wd, out, tag, heaptrack):
    """One fresh `varde serve` on wd's feed: lines, vessels, RSS KiB before the feed, at the end and at
    its peak (VmHWM), lines/s until the last line was handled and stored, CPU µs per line."""
    feed_file = os.path.join(wd, "feed.nmea")
    n_lines = sum(1 for _ in open(feed_file, "rb"))
    data_dir = os.path.join(out, f"data-{tag}")
    shutil.rmtree(data_dir, ignore_errors=True)
    feed = subprocess.Popen([sys.executable, SERVE_LOAD, "feed", "--file", feed_file, "--speed", str(sl.MAX_SPEED),
                             "--times", os.path.join(out, f"sent-{tag}.f64")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(sl.wait_line(feed, "PORT ", 300, "feed port").split()[1])
    cfg = os.path.join(out, f"serve-{tag}.toml")
    with open(cfg, "w") as f:
        f.write(f'[serve]\nlisten = "127.0.0.1:0"\ntoken = "{sl.TOKEN}"\ndata_dir = "{data_dir}"\n\n'
                f'[[serve.sources]]\nname = "feed"\nkind = "tcp"\naddress = "127.0.0.1:{port}"\n')
    cmd = [varde, "serve", "--config", cfg, "--layer", os.path.join(wd, "incident-assets.geojson"),
           "--watchlist", os.path.join(wd, "watchlist.txt")]
    ht_dir = os.path.join(out, f"heaptrack-{tag}")
    if heaptrack:
        shutil.rmtree(ht_dir, ignore_errors=True)
        os.makedirs(ht_dir)
        cmd = ["heaptrack", "-o", os.path.join(ht_dir, "heaptrack")] + cmd
    err = open(os.path.join(out, f"varde-{tag}.stderr"), "w")
    env = {**os.environ, "RUST_LOG": "warn,varde=info", "NO_COLOR": "1"}
    if os.environ.get("VARDE_PRELOAD"):  # another malloc for varde only (not for the feed)
        env["LD_PRELOAD"] = os.environ["VARDE_PRELOAD"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    line = sl.wait_line(proc, "Varde is watching.", 300, "varde serve to listen")
    addr = re.search(r"http://([^/]+)/", line).group(1)
    pid = child_pid(proc.pid, os.path.basename(varde)) if heaptrack else proc.pid
    sl.wait_line(feed, "CONNECTED", 120, "varde to connect to the feed")
    # The start-up's garbage (the geography's loading) is purged by jemalloc's background thread
    # over a second or two: the RSS before the feed (and at the end) is read once it has settled,
    # not while it still falls.
    time.sleep(1.0)
    settle(pid)
    parts0 = rss_parts(pid)
    if os.environ.get("SMAPS"):  # the mappings and their RSS, before the feed and at the end
        shutil.copy(f"/proc/{pid}/smaps", os.path.join(out, f"smaps-{tag}-before.txt"))
    before = parts0["VmRSS"]
    cpu0 = sl.proc_sample(pid)[0]
    t_go = time.monotonic()
    feed.stdin.write("GO\n")
    feed.stdin.flush()
    sl.wait_line(feed, "DONE ", 3600, "the feed to finish")
    last, stable = None, time.monotonic()
    while True:
        m = sl.get_metrics(addr)
        key = (m.get("varde_lines_total"), m.get("varde_reports_committed_total"))
        if key != last:
            last, stable = key, time.monotonic()
            cpu1 = sl.proc_sample(pid)[0]
        elif m.get("varde_lines_total", 0) >= n_lines and time.monotonic() - stable >= 2.0:
            break
        time.sleep(0.2)
    time.sleep(2.0)
    settle(pid)
    parts1 = rss_parts(pid)
    if os.environ.get("SMAPS"):
        shutil.copy(f"/proc/{pid}/smaps", os.path.join(out, f"smaps-{tag}-end.txt"))
    end = parts1["VmRSS"]
    peak = sl.proc_sample(pid)[2]
    busy = stable - t_go
    vessels = int(sl.get_metrics(addr).get("varde_vessels", 0))
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(600)
    except subprocess.TimeoutExpired:
        proc.kill()
    feed.stdin.close()
    feed.wait(30)
    shutil.rmtree(data_dir, ignore_errors=True)
    report = None
    if heaptrack:
        files = sorted(f for f in os.listdir(ht_dir) if f.startswith("heaptrack"))
        rep = subprocess.run(["heaptrack_print", "-f", os.path.join(ht_dir, files[-1]), "--print-peaks", "1",
                              "--print-allocators", "0", "--print-temporary", "0", "--print-leaks", "0",
                              "-n", "30", "-s", "5"], capture_output=True, text=True).stdout
        report = os.path.join(out, f"heaptrack-{tag}.txt")
        with open(report, "w") as f:
            f.write(rep)
        m = re.search(r"peak heap memory consumption: ([\d.]+)(\w+)", rep)
        if m:
            print(f"{tag}: heap at peak {m.group(1)}{m.group(2)} (sites: {report})", file=sys.stderr)
    return {"lines": n_lines, "vessels": vessels, "before": before, "end": end, "peak": peak,
            "growth": {k: parts1[k] - parts0[k] for k in ("RssAnon", "RssFile", "RssShmem")},
            "lines_ps": n_lines / max(busy, 1e-9), "cpu_us": 1e6 * (cpu1 - cpu0) / n_lines}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--build", action="append", required=True, metavar="LABEL=PATH",
                    help="a varde binary to measure (repeatable; the first one also writes the feeds)")
    ap.add_argument("--heaptrack", action="store_true")
    ap.add_argument("--out", required=True)
    ap.add_argument("--vessels", default=os.environ.get("VESSELS", "10000 100000"))
    ap.add_argument("--sim-min", type=float, default=float(os.environ.get("SIM_MIN", 3)))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("SEED", 1)))
    a = ap.parse_args()
    builds = [b.split("=", 1) for b in a.build]
    os.makedirs(a.out, exist_ok=True)
    rows = []
    for n in (int(v) for v in a.vessels.split()):
        wd = os.path.join(a.out, f"feed-{n}")
        make_feed(builds[0][1], wd, n, a.sim_min, a.seed)
        for label, varde in builds:
            tag = f"{label}-{n}"
            print(f"== {tag}: {varde}", file=sys.stderr, flush=True)
            r = measure(varde, wd, a.out, tag, a.heaptrack and label == builds[0][0])
            r["per"] = 1024 * (r["end"] - r["before"]) / max(1, r["vessels"])
            rows.append((n, label, r))
            print(f"{tag}: {r['lines']} lines, {r['vessels']} vessels, RSS {r['before'] / 1024:.1f} -> "
                  f"{r['end'] / 1024:.1f} MiB (peak {r['peak'] / 1024:.1f}), {r['per']:,.0f} B per vessel; "
                  f"{r['lines_ps']:,.0f} lines/s, {r['cpu_us']:.1f} CPU-µs per line; growth by kind: "
                  + ", ".join(f"{k} {v / 1024:+.1f} MiB ({1024 * v / max(1, r['vessels']):,.0f} B/vessel)"
                              for k, v in r["growth"].items()), file=sys.stderr, flush=True)
    print("\n| fleet | build | lines | vessels | RSS before | RSS at the end (peak) | RSS growth per vessel "
          "| lines/s | CPU-µs per line |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for n, label, r in rows:
        print(f"| {n:,} | {label} | {r['lines']:,} | {r['vessels']:,} | {r['before'] / 1024:.1f} MiB "
              f"| {r['end'] / 1024:.1f} MiB ({r['peak'] / 1024:.0f}) | **{r['per']:,.0f} B** | {r['lines_ps']:,.0f} "
              f"| {r['cpu_us']:.1f} |")


if __name__ == "__main__":
    main()
