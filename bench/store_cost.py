"""What one update costs in each store, in one process: the quick check
behind bench/peak.py.

The same registrations as bench/throughput.py (N workers, 31 updates each,
through PTB's real ``Application.process_update`` with the Bot API answered
in memory) run once on SQLite and once on PostgreSQL, in this one process,
no HTTP. Printed for each: updates/s and registrations/s, and the CPU time
one update costs, split into this Python process and the PostgreSQL server
processes serving it (read from /proc, so Linux only), plus the
transactions per update PostgreSQL counted (``pg_stat_database.xact_commit``:
a statement run outside BEGIN/COMMIT counts as one).

    python bench/store_cost.py [--workers 200] [--concurrency 100]
                               [--database postgresql://postgres@127.0.0.1:5432/test]

The CPU split is what decides how many processes two cores can hold: on a
machine where the bot processes and the database share the cores, an
update's Python time plus its database time is what one update costs.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.peak import drop_schema, fresh_postgres  # noqa: E402
from bench.throughput import build_updates, drive, started_bot  # noqa: E402
from bot.store.crypto import Keyring  # noqa: E402
from bot.store.sqlite import SQLiteStore  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


async def server_pids(conn, application_name: str) -> list[int]:
    return [r["pid"] for r in await conn.fetch(
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1", application_name)]


async def run(store, workers: int, concurrency: int, workdir: Path, stats=None) -> dict:
    app, _ = await started_bot(store, workdir)
    try:
        per_worker = build_updates(app.bot, workers)
        before = await stats() if stats else None
        cpu = time.process_time()
        elapsed, _ = await drive(app, per_worker, concurrency)
        cpu = time.process_time() - cpu
        after = await stats() if stats else None
    finally:
        await app.shutdown()
        await store.close()
    updates = sum(map(len, per_worker))
    result = {"updates/s": updates / elapsed, "registrations/s": workers / elapsed,
              "python ms/update": cpu * 1000 / updates}
    if before is not None:
        result["database ms/update"] = (after[0] - before[0]) * 1000 / updates
        result["transactions/update"] = (after[1] - before[1]) / updates
    return result


async def main(args: argparse.Namespace) -> None:
    import asyncpg

    from bot.store.postgres import PostgresStore

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.db", Keyring(bytes(range(32))))
        results["SQLite"] = await run(store, args.workers, args.concurrency, Path(tmp))
    url, schema = await fresh_postgres(args.database)
    watcher = await asyncpg.connect(args.database)
    try:
        async def stats() -> tuple[float, int]:
            # every server process of the store's pool (they live as long as the pool)
            cpu = cpu_seconds(await server_pids(watcher, "shram-sahayak"))
            commits = await watcher.fetchval(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
            await watcher.execute("SELECT pg_stat_clear_snapshot()")
            return cpu, commits

        with tempfile.TemporaryDirectory() as tmp:
            store = PostgresStore(url, Keyring(bytes(range(32))), server_settings={"search_path": schema})
            results["PostgreSQL"] = await run(store, args.workers, args.concurrency, Path(tmp), stats)
    finally:
        await watcher.close()
        await drop_schema(args.database, schema)
    print(f"workers: {args.workers}, at once: {args.concurrency}, one process, cores: {os.cpu_count()}")
    for name, r in results.items():
        line = "  ".join(f"{value:7.2f} {key}" for key, value in r.items())
        print(f"{name:<11}: {line}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--uvloop", action="store_true", help="run on uvloop (as uvicorn does when it is installed)")
    parser.add_argument("--database", default=os.environ.get("SHRAM_TEST_DATABASE_URL",
                                                             "postgresql://postgres@127.0.0.1:5432/test"))
    arguments = parser.parse_args()
    if arguments.uvloop:
        import uvloop
        uvloop.run(main(arguments))
    else:
        asyncio.run(main(arguments))
