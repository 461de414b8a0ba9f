"""Fan-out cost of the TAK feed (serve::tak): CPU per partner feed and latency added, at the
national rate. Driven by ./run (see there); needs the py-peers virtualenv (pyais for encoding)."""
import asyncio, os, random, ssl, subprocess, sys, time, json

VARDE, OUT = sys.argv[1], sys.argv[2]  # or: client PKI PORT ID (one partner's reader)
RATE = int(os.environ.get("RATE", "230"))           # lines/s, the national AIS rate
VESSELS = int(os.environ.get("VESSELS", "2000"))
WARMUP = float(os.environ.get("WARMUP", "5"))
DURATION = float(os.environ.get("DURATION", "20"))
COUNTS = [int(x) for x in os.environ.get("PARTNERS", "0 1 5 20").split()]
PROBE_MMSI = 259999999
PROBES_PER_S = 10
TICK = os.sysconf("SC_CLK_TCK")

from pyais.encode import encode_dict


def line(mmsi, lat, lon):
    return encode_dict({"type": 1, "mmsi": mmsi, "lat": lat, "lon": lon, "speed": 10.0,
                        "course": 90.0, "heading": 90}, radio_channel="A", talker_id="AIVDM")[0]


def cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def free_port():
    import socket
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def pct(xs, q):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


async def run_one(n, pki, fingerprints):
    d = os.path.join(OUT, f"n{n}")
    os.makedirs(d, exist_ok=True)
    feed_port, tak_port = free_port(), free_port()
    partners = "".join(
        f'\n[[share.partners]]\nid = "{p}"\nsatisfies = ["NOR", "NATO"]\nfeeds = ["cot"]\n'
        f'certificate = "{fingerprints[p]}"\n' for p in sorted(fingerprints))
    cfg = (f'[serve]\nlisten = "127.0.0.1:0"\n[[serve.sources]]\nname = "ais"\nkind = "tcp"\n'
           f'address = "127.0.0.1:{feed_port}"\n\n[tak]\nlisten = "127.0.0.1:{tak_port}"\n'
           f'cert = "{pki}/server.pem"\nkey = "{pki}/server.key"\nclient_ca = "{pki}/ca.pem"\n'
           f'{partners}')
    with open(f"{d}/varde.toml", "w") as f:
        f.write(cfg)
    sent = {}          # probe lat (rounded) -> send time
    feeder_ready = asyncio.Event()
    stop = asyncio.Event()

    async def feeder(reader, writer):
        try:
            await feed(writer)
        except (asyncio.CancelledError, ConnectionError):
            pass

    async def feed(writer):
        rnd = random.Random(1)
        pos = {257000000 + i: (rnd.uniform(58, 71), rnd.uniform(4, 30)) for i in range(VESSELS)}
        mmsis = list(pos)
        feeder_ready.set()
        k, t0, i = 0, time.monotonic(), 0
        while not stop.is_set():
            batch = []
            for _ in range(RATE // PROBES_PER_S - 1):  # and one probe
                m = mmsis[i % len(mmsis)]; i += 1
                lat, lon = pos[m]
                batch.append(line(m, lat, lon))
            k += 1
            plat = round(58 + (k % 100000) * 0.0001, 4)
            batch.append(line(PROBE_MMSI, plat, 5.0))
            writer.write(("\r\n".join(batch) + "\r\n").encode())
            await writer.drain()
            sent[plat] = time.monotonic()
            t0 += 1 / PROBES_PER_S
            await asyncio.sleep(max(0, t0 - time.monotonic()))
        writer.close()

    server = await asyncio.start_server(feeder, "127.0.0.1", feed_port)
    proc = subprocess.Popen([VARDE, "serve", "--config", f"{d}/varde.toml"],
                            stdout=subprocess.DEVNULL, stderr=open(f"{d}/varde.log", "w"),
                            env={**os.environ, "RUST_LOG": "warn"})
    try:
        for _ in range(300):
            try:
                r, w = await asyncio.open_connection("127.0.0.1", tak_port); w.close(); break
            except OSError:
                await asyncio.sleep(0.1)
        await asyncio.wait_for(feeder_ready.wait(), 30)
        # One reader process per partner (one Python process would be the bottleneck, not Varde).
        procs = [await asyncio.create_subprocess_exec(
            sys.executable, __file__, "client", pki, str(tak_port), f"p{j:02d}",
            stdout=asyncio.subprocess.PIPE) for j in range(n)]
        await asyncio.sleep(WARMUP)
        c0, t0 = cpu_s(proc.pid), time.monotonic()
        w0 = time.time()
        await asyncio.sleep(DURATION)
        c1, t1 = cpu_s(proc.pid), time.monotonic()
        w1 = time.time()
        stop.set()
        lat_ms, events = [], 0
        sent_wall = {k: v - time.monotonic() + time.time() for k, v in sent.items()}
        for p in procs:
            p.send_signal(15)
            out = json.loads((await p.communicate())[0] or b"{}")
            for plat, at in out.get("probes", []):
                if w0 <= at <= w1 and plat in sent_wall:
                    lat_ms.append((at - sent_wall[plat]) * 1000)
            events += sum(1 for at in out.get("arrivals", []) if w0 <= at <= w1)
        return {"partners": n, "cpu_pct": 100 * (c1 - c0) / (t1 - t0),
                "events_per_s_per_partner": (events / n / (w1 - w0)) if n else 0,
                "p50_ms": pct(lat_ms, 0.5), "p99_ms": pct(lat_ms, 0.99), "samples": len(lat_ms)}
    finally:
        stop.set()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        server.close()


async def client_main(pki, port, p):
    """Reads one partner's stream until SIGTERM; prints probe arrivals and event arrival times."""
    import signal
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(f"{pki}/ca.pem")
    ctx.load_cert_chain(f"{pki}/{p}.pem", f"{pki}/{p}.key")
    r, w = await asyncio.open_connection("127.0.0.1", int(port), ssl=ctx, server_hostname="localhost")
    probes, arrivals, buf = [], [], b""
    probe = f'uid="MMSI-{PROBE_MMSI}"'.encode()
    done = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, done.set)

    async def read():
        nonlocal buf
        while True:
            data = await r.read(65536)
            if not data:
                return
            buf += data
            now = time.time()
            *events, buf = buf.split(b"</event>")
            for ev in events:
                arrivals.append(now)
                if probe in ev:
                    i = ev.index(b' lat="') + 6
                    probes.append((round(float(ev[i:ev.index(b'"', i)]), 4), now))

    t = asyncio.create_task(read())
    await done.wait()
    t.cancel()
    print(json.dumps({"probes": probes, "arrivals": arrivals}))


async def main():
    pki = os.path.join(OUT, "pki")
    ids = [f"p{j:02d}" for j in range(max(COUNTS))]
    out = subprocess.run([VARDE, "share", "mint-pki", "--out", pki] +
                         [a for p in ids for a in ("--partner", p)],
                         check=True, capture_output=True, text=True).stdout
    fps = {l.split()[1].rstrip(":"): l.split('"')[1] for l in out.splitlines()
           if l.startswith("partner ")}
    results = []
    for n in COUNTS:
        r = await run_one(n, pki, {p: fps[p] for p in ids[:n]})
        results.append(r)
        print(json.dumps(r), flush=True)
    base = results[0] if results[0]["partners"] == 0 else None
    one = next((r for r in results if r["partners"] == 1), None)
    print(f"\nrate {RATE} lines/s, {VESSELS} vessels, {DURATION:.0f} s measured per run")
    print(f"{'partners':>8} {'CPU %':>7} {'CPU %/partner':>14} {'ev/s/partner':>13} "
          f"{'p50 ms':>7} {'p99 ms':>7} {'p99 added ms':>13}")
    for r in results:
        per = ((r["cpu_pct"] - base["cpu_pct"]) / r["partners"]) if base and r["partners"] else float("nan")
        added = (r["p99_ms"] - one["p99_ms"]) if one and r["partners"] else float("nan")
        print(f"{r['partners']:>8} {r['cpu_pct']:>7.2f} {per:>14.3f} "
              f"{r['events_per_s_per_partner']:>13.1f} {r['p50_ms']:>7.2f} {r['p99_ms']:>7.2f} {added:>13.2f}")


if sys.argv[1] == "client":
    asyncio.run(client_main(*sys.argv[2:5]))
else:
    asyncio.run(main())
