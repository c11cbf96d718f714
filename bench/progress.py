"""How long /progress takes as applications grow: 10k, 100k, 1M.

Fills an on-disk SQLite store with applications spread over the districts of
several states, the ten departments, camps and CSCs, in bulk (plain INSERTs
in big transactions, straight into the tables, with the counters the live
path keeps -- ``tallies``, ``tally_days`` -- added up per batch the same way
``bot.store.tally.moved`` would), then times the /progress read and text
(``gather`` + ``render``) for one district and for one state, and the chart
separately. Prints p50/p95 per size.

    python bench/progress.py                  # 10k, 100k, 1M
    python bench/progress.py --sizes 10000 100000
"""
from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.catalogues import districts  # noqa: E402
from bot.domain.departments import DEPARTMENTS  # noqa: E402
from bot.reports.chart import progress_chart  # noqa: E402
from bot.reports.progress import gather, render  # noqa: E402
from bot.store.crypto import Keyring  # noqa: E402
from bot.store.reports import Target, set_targets  # noqa: E402
from bot.store.sqlite import SQLiteStore  # noqa: E402

STATES = ("UTTAR PRADESH", "BIHAR", "UTTARAKHAND", "RAJASTHAN", "MADHYA PRADESH", "WEST BENGAL",
          "MAHARASHTRA", "ODISHA")
REVIEW = (("approved", 55), ("submitted", 20), ("in_review", 10), ("has_issues", 10), ("rejected", 5))
TODAY = date(2026, 11, 25)
BATCH = 50_000


def places() -> list[tuple[str, str]]:
    return [(s, d.code) for s in STATES for d in districts(s)]


def fill(path: Path, start: int, stop: int, rng: random.Random, where: list[tuple[str, str]]) -> None:
    """Applications ``start``..``stop`` and their counters, in batches."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    states = [s for s, _ in REVIEW]
    weights = [w for _, w in REVIEW]
    departments = [d.code for d in DEPARTMENTS]
    for lo in range(start, stop, BATCH):
        hi = min(lo + BATCH, stop)
        rows, tallies, days = [], Counter(), Counter()
        for i in range(lo, hi):
            state_code, district = where[i % len(where)] if i % 3 else rng.choice(where)
            review = rng.choices(states, weights)[0]
            department = rng.choice(departments)
            camp = f"c{hash((district, i % 40)) & 0xffff:x}" if i % 4 == 0 else None
            csc = f"CSC{(hash(district) & 0xfff) * 10 + i % 10}"
            day = TODAY - timedelta(days=rng.randrange(60))
            at = datetime(day.year, day.month, day.day, 6, tzinfo=timezone.utc).isoformat()
            rows.append((f"SS-B{i:09d}", f"bench:{i}", f"h{i}", review, "hi", "{}", "{}", at, at,
                         state_code, district, camp, csc, department))
            for dim, key in (("all", ""), ("department", department), ("camp", camp), ("csc", csc)):
                if key is not None:
                    tallies[(state_code, district, dim, key, review)] += 1
            days[(state_code, district, department, day.isoformat(), "submitted")] += 1
            if review == "approved":
                days[(state_code, district, department, day.isoformat(), "approved")] += 1
        for state_code, district in {(r[9], r[10]) for r in rows}:
            tallies[(state_code, district, "all", "", "started")] += 0
        with conn:
            conn.executemany(
                "INSERT INTO applications (reference, user_id, aadhaar_hash, state, lang, data, meta,"
                " submitted_at, updated_at, state_code, district, camp, csc, department)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.executemany(
                "INSERT INTO tallies (state_code, district, dim, key, review_state, n) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (state_code, district, dim, key, review_state) DO UPDATE SET n = n + excluded.n",
                [(*k, n) for k, n in tallies.items()])
            conn.executemany(
                "INSERT INTO tally_days (state_code, district, department, day, event, n) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (state_code, district, day, department, event) DO UPDATE SET n = n + excluded.n",
                [(*k, n) for k, n in days.items()])
    conn.close()


async def timings(store: SQLiteStore, state: str, district: str | None, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        report = await store.query(gather, state, district, TODAY)
        render(report, "hi")
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the database (default: a temp dir)")
    args = parser.parse_args()
    workdir = args.dir or Path(tempfile.mkdtemp(prefix="shram-progress-"))
    path = workdir / "progress.db"
    store = SQLiteStore(path, Keyring(bytes(range(32))))
    await store.open()
    await store.migrate()
    where = places()
    rng = random.Random(7)
    await store.transact(set_targets, [Target(s, d, dep.code, 5000, TODAY + timedelta(days=20))
                                       for s, d in where for dep in DEPARTMENTS], "bench", datetime.now(timezone.utc))
    print(f"{len(STATES)} states, {len(where)} districts, {len(DEPARTMENTS)} departments; database {path}")
    print(f"{'applications':>12} {'fill s':>7} {'district p50':>13} {'p95 ms':>7} {'state p50':>10} {'p95 ms':>7}"
          f" {'chart p50 ms':>13} {'counter rows':>13}")
    have = 0
    district_scope = ("UTTARAKHAND", "HARIDWAR")
    for size in sorted(args.sizes):
        t0 = time.perf_counter()
        await asyncio.to_thread(fill, path, have, size, rng, where)
        filled = time.perf_counter() - t0
        have = size
        await timings(store, "UTTAR PRADESH", None, 5)    # warm up
        dist = await timings(store, *district_scope, args.runs)
        state = await timings(store, "UTTAR PRADESH", None, args.runs)
        report = await store.query(gather, *district_scope, TODAY)
        charts = []
        for _ in range(10):
            t1 = time.perf_counter()
            progress_chart(report, "hi")
            charts.append((time.perf_counter() - t1) * 1000)
        rows = await store.query(_count_tallies)
        print(f"{size:>12,} {filled:>7.1f} {p(dist, 50):>13.2f} {p(dist, 95):>7.2f} {p(state, 50):>10.2f}"
              f" {p(state, 95):>7.2f} {statistics.median(charts):>13.1f} {rows:>13,}", flush=True)
    await store.close()


def _count_tallies():
    from bot.store.sql import one
    row = yield one("SELECT COUNT(*) AS n FROM tallies")
    return row["n"]


if __name__ == "__main__":
    asyncio.run(main())
