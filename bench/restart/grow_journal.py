#!/usr/bin/env python3
"""Grows a Varde store's journal to a given size, for measuring restart time at any journal size.

Usage: grow_journal.py SRC_DIR DST_DIR DAYS [LINES_PER_S]

Copies the store in SRC_DIR (a `varde serve` data directory, stopped) to DST_DIR with DAYS of older
journal in front of its own: synthetic lines (the source's own lines, cycled) at LINES_PER_S
(default 230, the national feed's ~20 M lines a day), ending where the source's journal begins.
Every row the source had is kept, in the same arrival order, after them; snapshots are moved with
their journal lines. Positions, vessels and alerts are copied as they are.
"""
import os
import shutil
import sqlite3
import sys
import time


def main():
    src, dst, days = sys.argv[1], sys.argv[2], float(sys.argv[3])
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 230.0
    os.makedirs(dst, exist_ok=True)
    out = os.path.join(dst, "varde.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(out + suffix):
            os.remove(out + suffix)
    s = sqlite3.connect(os.path.join(src, "varde.sqlite3"))
    s.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    shutil.copy(os.path.join(src, "varde.sqlite3"), out)
    db = sqlite3.connect(out)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    first_ms, n_src = db.execute("SELECT MIN(time_ms), COUNT(*) FROM raw").fetchone()
    sample = [r[0] for r in db.execute("SELECT line FROM raw ORDER BY seq LIMIT 10000")]
    n = int(days * 86400 * rate)
    print(f"source journal: {n_src} lines; adding {n} older lines ({days} days at {rate}/s)")
    t0 = time.time()
    # Move the source's rows (and the snapshots' seq) up by n, then fill 1..n.
    db.execute("CREATE TABLE raw_new AS SELECT seq + ? AS seq, time_ms, source, line FROM raw", (n,))
    db.execute("DROP TABLE raw")
    db.execute(
        "CREATE TABLE raw (seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, "
        "source TEXT NOT NULL, line TEXT NOT NULL)"
    )
    step_ms = 1000.0 / rate
    start_ms = first_ms - n * step_ms
    chunk = 1_000_000
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        db.executemany(
            "INSERT INTO raw (seq, time_ms, source, line) VALUES (?, ?, 'file', ?)",
            ((i + 1, int(start_ms + i * step_ms), sample[i % len(sample)]) for i in range(lo, hi)),
        )
        db.commit()
        print(f"  {hi} / {n} lines, {time.time() - t0:.0f} s", flush=True)
    db.execute("INSERT INTO raw SELECT seq, time_ms, source, line FROM raw_new ORDER BY seq")
    db.execute("DROP TABLE raw_new")
    db.execute("CREATE INDEX raw_time ON raw (time_ms, seq)")
    db.execute("UPDATE snapshots SET seq = seq + ?", (n,))
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"done in {time.time() - t0:.0f} s: {os.path.getsize(out) / 1e9:.1f} GB")


if __name__ == "__main__":
    main()
