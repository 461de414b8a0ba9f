#!/usr/bin/env python3
"""Detection harness (run through bench/detection/run).

1. Simulated day: `varde sim --vessels 100 --hours 8 --scenario builtin:all` replayed with the
   incidents' layer and watch list, scored as crates/varde/tests/replay_scenarios.rs scores it:
   per alert kind, scenarios caught / expected and controls silent / controls; stray alerts on
   background traffic.
2. Real captures: each replayed alone; alerts per vessel-hour by kind and severity (vessel-hours
   from the replay summary: over vessels with a position, last minus first report time).
3. Every real alert goes to real-alerts.tsv; classified.md holds a person's true/false verdict
   with its reason for each; alerts of this run without a verdict are listed.

Writes results.md and real-alerts.tsv next to this file and prints the tables. Exit status 0
whatever the scores (it measures; the tests enforce).
"""

import collections
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("VARDE_BIN", os.path.join(HERE, "../../target/release/varde"))
DATA = os.environ.get("VARDE_AIS_DATA", os.path.join(HERE, "../../../shared/data/ais"))

# The captures of replay_scenarios.rs::real_captures_replay_clean, plus the DMA network sample.
CAPTURES = [
    "dma-aisabnormal/ais-sample.txt.gz",
    "kystverket-aisnet/Ais1000Lines.nm4",
    "kystverket-gpsd-timestamp/norwegian.raw",
    "aisdb/test_data_20211101.nm4",
    "amsa-risky/exact-earth-with-tag-block.txt",
    "amsa-risky/nmea-timestamped.txt",
    "dma-aislib/stream_example.txt",
    "libais/tagblock.nmea",
    "pyais/timestamped.ais",
]
SEVERITIES = ["high", "medium", "low"]


def varde(args, stdout=None):
    p = subprocess.run([BIN] + args, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"varde {' '.join(args)} failed ({p.returncode}):\n{p.stderr}")
    return p.stderr


def replay(path, out, extra=()):
    summary = varde(["replay", path, "--alerts", out, "--quiet", *extra])
    alerts = [json.loads(l) for l in open(out) if l.strip()]
    return summary, alerts


def unix_s(rfc3339):
    t = datetime.datetime.fromisoformat(rfc3339.replace("Z", "+00:00"))
    return t.timestamp()


def involves(a, mmsis):
    return a["mmsi"] in mmsis or any(m in mmsis for m in a.get("related_mmsi") or [])


def summary_field(summary, pattern, default=0.0):
    m = re.search(pattern, summary)
    return float(m.group(1)) if m else default


# ---------------------------------------------------------------- simulated day
def simulated(tmp):
    p = lambda n: os.path.join(tmp, n)
    with open(p("day.nmea"), "w") as f:
        varde(["sim", "--vessels", "100", "--hours", "8", "--scenario", "builtin:all",
               "--layer-out", p("assets.geojson"), "--expect-out", p("expect.json")], stdout=f)
    expectations = json.load(open(p("expect.json")))
    listed = [str(m) for e in expectations if e.get("watchlist") for m in e["mmsi"]]
    with open(p("watch.txt"), "w") as f:
        f.write("\n".join(listed) + "\n")
    t0 = time.time()
    summary, alerts = replay(p("day.nmea"), p("alerts.jsonl"),
                             ["--layer", p("assets.geojson"), "--watchlist", p("watch.txt")])
    elapsed = time.time() - t0

    kinds = collections.OrderedDict()  # kind -> counters
    def k(kind):
        return kinds.setdefault(kind, {"caught": 0, "expected": 0, "silent": 0, "controls": 0,
                                       "missed": [], "noisy": []})
    incidents = []
    for e in expectations:
        mmsis = e["mmsi"]
        lo, hi = e["window"]
        mine = [a for a in alerts if involves(a, mmsis)]
        name = e["incident"] + (" (control)" if e["control"] else "")
        problems = []
        for kind in e["expected_kinds"]:
            c = k(kind)
            c["expected"] += 1
            hit = [a for a in mine if a["kind"] == kind and lo <= unix_s(a["start"]) <= hi]
            named = not (kind.startswith("infrastructure") and e.get("asset")) or any(
                e["asset"] in json.dumps(a.get("asset")) for a in hit)
            if hit and named:
                c["caught"] += 1
            else:
                c["missed"].append(name)
                problems.append(f"missed {kind}" if not hit else f"{kind} without asset")
        for kind in e["silent_kinds"]:
            c = k(kind)
            c["controls"] += 1
            noisy = [a for a in mine if a["kind"] == kind]
            if noisy:
                c["noisy"].append(name)
                problems.append(f"raised {kind} ×{len(noisy)}")
            else:
                c["silent"] += 1
        incidents.append((name, problems))
    scripted = {m for e in expectations for m in e["mmsi"]}
    stray = collections.Counter(a["kind"] for a in alerts if a["mmsi"] not in scripted)
    reports = summary_field(summary, r"(\d+) reports")
    return {"kinds": kinds, "incidents": incidents, "stray": stray, "alerts": len(alerts),
            "reports": reports, "elapsed": elapsed, "summary": summary}


# ---------------------------------------------------------------- real captures
def captures(tmp):
    rows = []
    for rel in CAPTURES:
        path = os.path.join(DATA, rel)
        if not os.path.exists(path):
            rows.append({"capture": rel, "missing": True})
            continue
        summary, alerts = replay(path, os.path.join(tmp, "real.jsonl"))
        rows.append({
            "capture": rel,
            "missing": False,
            "vessels": int(summary_field(summary, r"(\d+) vessels")),
            "reports": int(summary_field(summary, r"(\d+) reports")),
            "vessel_hours": summary_field(summary, r"vessel-hours: ([0-9.]+)"),
            "alerts": alerts,
        })
    return rows


def read_classified():
    """(capture, kind, mmsi, start) -> (verdict, reason) from classified.md's table rows."""
    out = {}
    path = os.path.join(HERE, "classified.md")
    if not os.path.exists(path):
        return out
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 7 or not line.lstrip().startswith("|") or cells[0] in ("capture", "") \
                or set(cells[0]) <= set("-: "):
            continue
        capture, kind, _severity, mmsi, start, verdict, reason = cells[:7]
        out[(capture, kind, mmsi.strip("`"), start.strip("`"))] = (verdict.lower(), reason)
    return out


def alert_key(capture, a):
    return (capture, a["kind"], str(a["mmsi"]), a["start"])


# ---------------------------------------------------------------- output
def render(sim, real, classified):
    L = []
    L.append("## Scripted incidents (`varde sim --vessels 100 --hours 8 --scenario builtin:all`)\n")
    L.append(f"{int(sim['reports']):,} reports replayed in {sim['elapsed']:.1f} s, {sim['alerts']} alerts.\n")
    L.append("| kind | scenarios caught / expected | controls silent / controls | missed | noisy controls |")
    L.append("|---|---|---|---|---|")
    for kind, c in sorted(sim["kinds"].items()):
        exp = f"{c['caught']} / {c['expected']}" if c["expected"] else "–"
        ctl = f"{c['silent']} / {c['controls']}" if c["controls"] else "–"
        L.append(f"| {kind} | {exp} | {ctl} | {', '.join(c['missed']) or ''} | {', '.join(c['noisy']) or ''} |")
    stray = ", ".join(f"{k} {n}" for k, n in sorted(sim["stray"].items())) or "none"
    L.append(f"\nAlerts on background (unscripted) vessels: {stray}.\n")
    failing = [(n, p) for n, p in sim["incidents"] if p]
    if failing:
        L.append("Incidents with problems: " + "; ".join(f"{n}: {', '.join(p)}" for n, p in failing) + ".\n")

    L.append("## Real captures (`../shared/data/ais`)\n")
    L.append("| capture | vessels | vessel-hours | alerts | high | medium | low | per vessel-hour | per 1,000 vessels |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    by_kind = collections.Counter()
    total_vh = 0.0
    for r in real:
        if r["missing"]:
            L.append(f"| {r['capture']} | absent | | | | | | | |")
            continue
        sev = collections.Counter(a["severity"] for a in r["alerts"])
        vh = r["vessel_hours"]
        total_vh += vh
        for a in r["alerts"]:
            by_kind[(a["kind"], a["severity"])] += 1
        rate = f"{len(r['alerts']) / vh:.3f}" if vh >= 0.05 else "–"
        per_k = f"{1000 * len(r['alerts']) / r['vessels']:.1f}" if r["vessels"] else "–"
        L.append(f"| {r['capture']} | {r['vessels']} | {vh:.2f} | {len(r['alerts'])} | "
                 f"{sev['high']} | {sev['medium']} | {sev['low']} | {rate} | {per_k} |")
    L.append(f"\nAll captures: {total_vh:.1f} vessel-hours (per vessel, the time between its consecutive "
             "reports, gaps over 1 h not counted). Captures of a few seconds have almost no vessel-hours: "
             "read their rate per 1,000 vessels.\n")
    if by_kind:
        L.append("| kind | severity | alerts | per vessel-hour | true | false | unclassified |")
        L.append("|---|---|---|---|---|---|---|")
        verdicts = collections.Counter()
        for r in real:
            for a in r.get("alerts", []):
                v = classified.get(alert_key(r["capture"], a), ("unclassified", ""))[0]
                verdicts[(a["kind"], a["severity"], v if v in ("true", "false") else "unclassified")] += 1
        for (kind, s), n in sorted(by_kind.items(), key=lambda x: (x[0][0], SEVERITIES.index(x[0][1])
                                                                   if x[0][1] in SEVERITIES else 9)):
            rate = f"{n / total_vh:.4f}" if total_vh > 0 else "–"
            L.append(f"| {kind} | {s} | {n} | {rate} | {verdicts[(kind, s, 'true')]} | "
                     f"{verdicts[(kind, s, 'false')]} | {verdicts[(kind, s, 'unclassified')]} |")
    else:
        L.append("No alerts on the real captures.")
    return "\n".join(L) + "\n"


def main():
    if not os.path.exists(BIN):
        sys.exit(f"no varde binary at {BIN} (set VARDE_BIN or run bench/detection/run)")
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        sim = simulated(tmp)
        if not os.path.isdir(DATA):
            print(f"note: {DATA} not found: real captures skipped", file=sys.stderr)
        real = captures(tmp)
    classified = read_classified()

    body = render(sim, real, classified)
    try:
        commit = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", HERE, "status", "--porcelain", "--", "../../crates"],
                               capture_output=True, text=True).stdout.strip()
    except OSError:
        commit, dirty = "?", ""
    head = (f"# Detection harness results\n\nGenerated by `bench/detection/run` on "
            f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC at commit {commit}"
            f"{' (with uncommitted changes)' if dirty else ''}. Verdicts: `classified.md`.\n\n")
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write(head + body)
    print(head + body)

    # Every real alert, for classification.
    unclassified = []
    with open(os.path.join(HERE, "real-alerts.tsv"), "w") as f:
        f.write("capture\tkind\tseverity\tmmsi\tstart\tverdict\tsummary\n")
        for r in real:
            for a in r.get("alerts", []):
                key = alert_key(r["capture"], a)
                verdict = classified.get(key, ("unclassified", ""))[0]
                summary = a["summary"].replace("\t", " ").replace("\n", " ")
                f.write(f"{r['capture']}\t{a['kind']}\t{a['severity']}\t{a['mmsi']}\t{a['start']}\t"
                        f"{verdict}\t{summary}\n")
                if verdict not in ("true", "false"):
                    unclassified.append((key, a["severity"], summary))
    seen = {alert_key(r["capture"], a) for r in real for a in r.get("alerts", [])}
    stale = [k for k in classified if k not in seen]
    if unclassified:
        print(f"{len(unclassified)} real alerts not yet classified (add rows to bench/detection/classified.md):")
        for (capture, kind, mmsi, start), sev, summary in unclassified:
            print(f"| {capture} | {kind} | {sev} | {mmsi} | {start} | ? | {summary} |")
    else:
        print("Every real alert of this run is classified.")
    if stale:
        print(f"{len(stale)} classified alerts no longer raised: " +
              "; ".join(f"{c} {k} {m} {s}" for c, k, m, s in stale))
    print(f"\nharness: {time.time() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
