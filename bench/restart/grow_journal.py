#!/usr/bin/env python3
"""Grows a Varde store's journal to a given size, for measuring restart time at any journal size.

Usage: grow_journal.py SRC_DIR DST_DIR DAYS [LINES_PER_S]

Copies the store in SRC_DIR (a `varde serve` data directory, stopped; schema v3) to DST_DIR with DAYS
of older journal in front of its own, at LINES_PER_S (default 230, the national feed's ~20 M lines a
day), ending where the source's journal begins. The older journal is copies of the source's first
sealed journal block (`raw_blocks`, `packed = 1`; a plain one if none is sealed): a block's lines are
encoded against its own `first_seq` and `min_time_ms` (varde-store `sqlite/codec.rs`), so a copy
placed at another sequence and time needs only its columns changed. Every block the source had is
kept, in the same arrival order, after them; snapshots are moved with their journal lines.
Positions, vessels and alerts are copied as they are.
"""
import math
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
    if db.execute("PRAGMA user_version").fetchone()[0] < 3:
        raise SystemExit("grow_journal.py: the store is older than schema v3; open it once with this varde first")
    first_ms, n_src = db.execute("SELECT MIN(min_time_ms), COALESCE(SUM(lines), 0) FROM raw_blocks").fetchone()
    tpl = db.execute(
        "SELECT first_seq, last_seq, min_time_ms, max_time_ms, lines, packed, data FROM raw_blocks "
        "ORDER BY packed DESC, first_seq LIMIT 1"
    ).fetchone()
    if tpl is None:
        raise SystemExit("grow_journal.py: the source store has no journal")
    t_first, t_last, t_min, t_max, per_block, packed, data = tpl
    if t_last - t_first + 1 != per_block:
        raise SystemExit("grow_journal.py: the template block's sequence numbers are not contiguous")
    blocks = math.ceil(days * 86400 * rate / per_block)
    n = blocks * per_block
    step_ms = per_block * 1000.0 / rate
    start_ms = first_ms - blocks * step_ms - (t_max - t_min)
    print(f"source journal: {n_src} lines; adding {n} older lines ({days} days at {rate}/s) "
          f"as {blocks} copies of a {'sealed' if packed else 'plain'} block of {per_block} lines")
    t0 = time.time()
    # Move the source's blocks (and the snapshots' seq) up by n, then fill 1..n.
    db.execute(
        "CREATE TABLE raw_blocks_src AS SELECT first_seq + ? AS first_seq, last_seq + ? AS last_seq, "
        "min_time_ms, max_time_ms, lines, packed, data FROM raw_blocks",
        (n, n),
    )
    db.execute("DELETE FROM raw_blocks")
    chunk = 10_000
    for lo in range(0, blocks, chunk):
        hi = min(blocks, lo + chunk)
        rows = []
        for i in range(lo, hi):
            mn = int(start_ms + i * step_ms)
            rows.append((1 + i * per_block, (i + 1) * per_block, mn, mn + (t_max - t_min), per_block, packed, data))
        db.executemany("INSERT INTO raw_blocks VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        db.commit()
        print(f"  {hi * per_block} / {n} lines, {time.time() - t0:.0f} s", flush=True)
    db.execute("INSERT INTO raw_blocks SELECT * FROM raw_blocks_src ORDER BY first_seq")
    db.execute("DROP TABLE raw_blocks_src")
    db.execute("UPDATE snapshots SET seq = seq + ?", (n,))
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"done in {time.time() - t0:.0f} s: {os.path.getsize(out) / 1e9:.1f} GB")


if __name__ == "__main__":
    main()
