#!/usr/bin/env python3
"""bench/memory/serve_heap.py — what `varde serve` holds per vessel, from one feed, measured.

    bench/memory/run                       # after bench/serve-load.sh: its feed, layer and watch list
    HEAPTRACK=1 bench/memory/run           # the same under heaptrack: live heap by allocation site
    MALLOC_ARENA_MAX=2 bench/memory/run    # environment passes through to varde
    VARDE_PRELOAD=/usr/lib/x86_64-linux-gnu/libmimalloc.so.2 bench/memory/run   # varde on another malloc
    SERVE_LOAD_DIR=/other/target/bench-serve-load bench/memory/run   # another checkout's feed

Feeds target/bench-serve-load/feed-max.nmea (written by `VESSELS=N SPEEDS=max bench/serve-load.sh`)
as fast as `varde serve` takes it (serve_load.py's feed), waits until the service has read every line
and the store stopped committing, then prints: vessels, RSS before the feed and at the end, RSS
growth per vessel. With HEAPTRACK=1 varde runs under heaptrack (needs `heaptrack`, `heaptrack_print`):
heap at its peak (= at the end of the load) per vessel, and the allocation sites holding most of it.
"""
import argparse, os, re, shutil, signal, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVE_LOAD = os.path.join(HERE, "..", "serve-load", "serve_load.py")
sys.path.insert(0, os.path.dirname(SERVE_LOAD))
import serve_load as sl  # noqa: E402


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for ln in f:
            if ln.startswith("VmRSS:"):
                return int(ln.split()[1])
    return 0


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--varde", required=True)
    ap.add_argument("--heaptrack", action="store_true")
    ap.add_argument("--out", required=True)
    ap.add_argument("--wd", default=os.environ.get("SERVE_LOAD_DIR"),
                    help="serve-load's working directory (default: target/bench-serve-load)")
    a = ap.parse_args()
    wd = a.wd or os.path.join(a.root, "target", "bench-serve-load")
    feed_file = os.path.join(wd, "feed-max.nmea")
    if not os.path.exists(feed_file):
        raise SystemExit("bench/memory: run `VESSELS=N SPEEDS=max bench/serve-load.sh` first (its feed is reused)")
    os.makedirs(a.out, exist_ok=True)
    n_lines = sum(1 for _ in open(feed_file, "rb"))
    data_dir = os.path.join(a.out, "data")
    shutil.rmtree(data_dir, ignore_errors=True)
    feed = subprocess.Popen([sys.executable, SERVE_LOAD, "feed", "--file", feed_file, "--speed", str(sl.MAX_SPEED),
                             "--times", os.path.join(a.out, "sent.f64")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(sl.wait_line(feed, "PORT ", 300, "feed port").split()[1])
    cfg = os.path.join(a.out, "serve.toml")
    with open(cfg, "w") as f:
        f.write(f'[serve]\nlisten = "127.0.0.1:0"\ntoken = "{sl.TOKEN}"\ndata_dir = "{data_dir}"\n\n'
                f'[[serve.sources]]\nname = "feed"\nkind = "tcp"\naddress = "127.0.0.1:{port}"\n')
    cmd = [a.varde, "serve", "--config", cfg, "--layer", os.path.join(wd, "incident-assets.geojson"),
           "--watchlist", os.path.join(wd, "watchlist.txt")]
    ht_out = os.path.join(a.out, "heaptrack")
    if a.heaptrack:
        cmd = ["heaptrack", "-o", ht_out] + cmd
    err = open(os.path.join(a.out, "varde.stderr"), "w")
    env = {**os.environ, "RUST_LOG": "warn,varde=info", "NO_COLOR": "1"}
    if os.environ.get("VARDE_PRELOAD"):  # another malloc for varde only (not for the feed)
        env["LD_PRELOAD"] = os.environ["VARDE_PRELOAD"]
    varde = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True,
                             env=env)
    line = sl.wait_line(varde, "Varde is watching.", 300, "varde serve to listen")
    addr = re.search(r"http://([^/]+)/", line).group(1)
    pid = child_pid(varde.pid, os.path.basename(a.varde)) if a.heaptrack else varde.pid
    sl.wait_line(feed, "CONNECTED", 120, "varde to connect to the feed")
    time.sleep(1.0)
    before = rss_kb(pid)
    feed.stdin.write("GO\n")
    feed.stdin.flush()
    sl.wait_line(feed, "DONE ", 3600, "the feed to finish")
    last, stable = None, time.monotonic()
    while True:
        m = sl.get_metrics(addr)
        key = (m.get("varde_lines_total"), m.get("varde_reports_committed_total"))
        if key != last:
            last, stable = key, time.monotonic()
        elif m.get("varde_lines_total", 0) >= n_lines and time.monotonic() - stable >= 2.0:
            break
        time.sleep(0.2)
    time.sleep(2.0)
    end = rss_kb(pid)
    vessels = int(sl.get_metrics(addr).get("varde_vessels", 0))
    varde.send_signal(signal.SIGTERM)
    try:
        varde.wait(600)
    except subprocess.TimeoutExpired:
        varde.kill()
    feed.stdin.close()
    feed.wait(30)
    print(f"lines {n_lines}, vessels {vessels}")
    print(f"RSS {before / 1024:.1f} MiB before the feed, {end / 1024:.1f} MiB at the end: "
          f"{1024 * (end - before) / max(1, vessels):.0f} B per vessel (RSS growth)")
    if a.heaptrack:
        files = sorted(f for f in os.listdir(a.out) if f.startswith("heaptrack"))
        data = os.path.join(a.out, files[-1])
        rep = subprocess.run(["heaptrack_print", "-f", data, "--print-peaks", "1", "--print-allocators", "0",
                              "--print-temporary", "0", "--print-leaks", "0", "-n", "25", "-s", "5"],
                             capture_output=True, text=True).stdout
        with open(os.path.join(a.out, "heaptrack.txt"), "w") as f:
            f.write(rep)
        m = re.search(r"peak heap memory consumption: ([\d.]+)(\w+)", rep)
        print(rep[-3000:])
        if m:
            print(f"heap at peak: {m.group(1)}{m.group(2)}")
        print(f"full report: {os.path.join(a.out, 'heaptrack.txt')}")


if __name__ == "__main__":
    main()
