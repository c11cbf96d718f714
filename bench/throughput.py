"""Throughput of the Telegram channel in one process.

N simulated workers (default 500) register at the same time, each sending a
full registration (31 updates: /start, every answer typed or tapped, the
Aadhaar and account numbers, the inline "Submit" button) through
python-telegram-bot's real ``Application.process_update``, with a fake Bot
API that answers every call in memory (``tests/telegram/fake_bot_api.py``) and an
on-disk SQLite store (WAL), as in production with one process.

In the same run, the same updates go through a bare PTB echo bot (one
handler that replies with the text it got) on the same fake Bot API: the
cost of PTB itself. Printed: updates/s, registrations/s, p50/p99 latency per
update, and the ratio ours/echo.

    python bench/throughput.py [--workers 500] [--concurrency 500]

Both bots run without the overall send-rate limit (SHRAM_MAX_MESSAGES_PER_SECOND=0):
this measures what one process can handle, not Telegram's 30 messages/s.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update  # noqa: E402
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler  # noqa: E402

from bot.channels.telegram.app import build_application, start_application  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.bootstrap import build_dispatcher  # noqa: E402
from bot.store.crypto import Keyring  # noqa: E402
from bot.store.sqlite import SQLiteStore  # noqa: E402
from tests.telegram.fake_bot_api import FakeBotAPI, Updates  # noqa: E402
from tests.reliability.registrations import registration  # noqa: E402

TOKEN = "123456:BENCH"


def build_updates(bot, workers: int) -> list[list[bytes]]:
    """Each worker's updates as the JSON bytes Telegram sends (webhook body or getUpdates item)."""
    updates = Updates(bot)
    return [[json.dumps(u).encode() for u in registration(updates, 10_000_000 + i, i)] for i in range(workers)]


async def drive(app, per_worker: list[list[bytes]], concurrency: int) -> tuple[float, list[float]]:
    """Each worker sends its updates one after another (waiting for the bot's
    answer, as a person does); up to ``concurrency`` workers at once. An
    update is timed from its JSON to the last reply sent, as in production."""
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def worker(updates: list[bytes]) -> None:
        async with gate:
            for raw in updates:
                start = time.perf_counter()
                await app.process_update(Update.de_json(json.loads(raw), app.bot))
                latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(worker(u) for u in per_worker))
    return time.perf_counter() - start, latencies


async def started_bot(store, workdir: Path) -> tuple[Application, FakeBotAPI]:
    """The bot as it runs (behind the dispatcher) on ``store``, migrated, with a
    fake Bot API and no send-rate limit."""
    await store.migrate()
    api = FakeBotAPI()
    settings = Settings(bot_token=TOKEN, data_dir=workdir, max_messages_per_second=0)
    app = build_application(settings, build_dispatcher(settings, store), request=api)
    await start_application(app)
    return app, api


async def run_ours(workers: int, concurrency: int, workdir: Path) -> dict:
    store = SQLiteStore(workdir / "bench.db", Keyring(bytes(range(32))))
    app, api = await started_bot(store, workdir)
    try:
        per_worker = build_updates(app.bot, workers)
        elapsed, latencies = await drive(app, per_worker, concurrency)
        submitted = await store._read(lambda conn: conn.execute("SELECT count(*) FROM applications").fetchone()[0])
    finally:
        await app.shutdown()
        await store.close()
    if submitted != workers:
        raise SystemExit(f"only {submitted} of {workers} registrations were submitted")
    return {"elapsed": elapsed, "latencies": latencies, "updates": sum(map(len, per_worker)),
            "calls": len(api.calls), "submitted": submitted}


async def run_echo(workers: int, concurrency: int) -> dict:
    api = FakeBotAPI()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
        elif update.effective_message is not None and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    app = ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api).updater(None) \
        .concurrent_updates(64).build()
    app.add_handler(TypeHandler(Update, echo))
    await app.initialize()
    try:
        per_worker = build_updates(app.bot, workers)
        elapsed, latencies = await drive(app, per_worker, concurrency)
    finally:
        await app.shutdown()
    return {"elapsed": elapsed, "latencies": latencies, "updates": sum(map(len, per_worker)), "calls": len(api.calls)}


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=500, help="workers registering at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        echo = await run_echo(args.workers, args.concurrency)
        ours = await run_ours(args.workers, args.concurrency, Path(tmp))
    ours_ups = ours["updates"] / ours["elapsed"]
    echo_ups = echo["updates"] / echo["elapsed"]
    print(f"workers: {args.workers}, at once: {args.concurrency}, updates each: {ours['updates'] // args.workers}")
    print(f"shram-sahayak : {ours_ups:8.0f} updates/s  {ours['submitted'] / ours['elapsed']:6.1f} registrations/s"
          f"  p50 {pct(ours['latencies'], 50):6.2f} ms  p99 {pct(ours['latencies'], 99):6.2f} ms"
          f"  ({ours['calls'] / ours['updates']:.1f} Bot API calls per update, {ours['elapsed']:.1f} s)")
    print(f"bare PTB echo : {echo_ups:8.0f} updates/s  "
          f"                      p50 {pct(echo['latencies'], 50):6.2f} ms  p99 {pct(echo['latencies'], 99):6.2f} ms"
          f"  ({echo['calls'] / echo['updates']:.1f} Bot API calls per update, {echo['elapsed']:.1f} s)")
    print(f"ratio ours/echo: {ours_ups / echo_ups:.2f}   (targets: ratio >= 0.7, >= 30 registrations/s)")


if __name__ == "__main__":
    asyncio.run(main())
