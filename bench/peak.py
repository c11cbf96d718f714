"""The record day as a benchmark: several webhook processes sharing PostgreSQL.

e-Shram's record day took 44.48 lakh registrations, about 51 a second. Here
N simulated workers (default 600, 31 updates each: bench/throughput.py's
script) register at once, each waiting for the bot's answer before its next
update, as a person does. Every update is POSTed over HTTP, with Telegram's
secret header, to one of the webhook processes picked at random (so one
worker's answers are applied by different processes). Each process is the
real webhook server (``bot.channels.telegram.runners.webhook_app`` under
uvicorn) with the Bot API answered in memory (``tests/telegram/fake_bot_api.py``): no
network, and no send-rate limit (SHRAM_MAX_MESSAGES_PER_SECOND=0), so this
measures what the processes and the database handle, not Telegram's 30
messages/s (see docs/capacity.md for that).

In the same run, the same load goes to ONE webhook process on SQLite: the
embedded default, for comparison. Printed for each: sustained registrations/s,
updates/s, p50/p99 latency of an update (POST to 200: the answer is applied
and the replies sent), and a check that every registration was submitted.

    python bench/peak.py [--workers 600] [--concurrency 200] [--processes 3] [--bots 2]
                         [--database postgresql://postgres@127.0.0.1:5432/test]

With ``--bots N`` every process serves N bots (SHRAM_BOT_TOKENS, each on its own
webhook path with its own secret) and worker ``i`` writes to bot ``i % N``; the
PostgreSQL runs also print each bot's peak messages in one second (what that
bot would ask of Telegram, which allows about 30).

Everything (load generator, bot processes, PostgreSQL) shares this machine's
cores; the load generator speaks bare HTTP/1.1 over keep-alive connections
to cost as little as it can.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


TOKEN = "123456:PEAK"
SECRET = "peak-bench-secret-0123456789"
VAULT_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="


# -- a bot process (``peak.py serve PORT``) -------------------------------------

def serve(port: int) -> None:
    """One webhook process, the Bot API answered in memory."""
    import uvicorn

    from bot.channels.telegram.runners import webhook_app
    from bot.config import Settings
    from tests.telegram.fake_bot_api import FakeBotAPI

    class Counting(FakeBotAPI):
        """The fake Bot API, counting each bot's messages per second."""
        sends: Counter = Counter()

        last = [0]

        async def do_request(self, url, method, request_data=None, **kwargs):
            name = url.rsplit("/", 1)[-1]
            if name in ("sendMessage", "sendPhoto", "sendDocument", "sendVoice"):
                now = int(time.time())
                Counting.sends[(url.rsplit("/", 2)[-2].removeprefix("bot").split(":", 1)[0], now)] += 1
                if now != self.last[0]:  # written as each second ends (uvicorn ends the process by a signal)
                    self.last[0] = now
                    Path(f"sends-{port}.json").write_text(
                        json.dumps([[b, t, n] for (b, t), n in Counting.sends.items()]))
            return await super().do_request(url, method, request_data, **kwargs)
    app = webhook_app(Settings(), request=Counting())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tokens(bots: int) -> list[str]:
    return [TOKEN] if bots == 1 else [f"{123456 + n}:PEAK" for n in range(bots)]


def bot_settings(bots: int) -> dict[str, str]:
    one = bots == 1
    return {"SHRAM_BOT_TOKEN" if one else "SHRAM_BOT_TOKENS": ",".join(tokens(bots))}


def served(bots: int) -> list[tuple[str, str, str]]:
    """(token, webhook path, secret) of each bot, as the processes serve them."""
    from bot.config import Settings
    settings = Settings(_env_file=None, webhook_secret=SECRET, webhook_url="https://bench.example/telegram",
                        **{key.removeprefix("SHRAM_").lower(): value for key, value in bot_settings(bots).items()})
    return [(bot.token, bot.webhook_path, bot.webhook_secret or SECRET) for bot in settings.telegram_bots()]


def start_processes(count: int, database_url: str, workdir: Path,
                    bots: int = 1) -> tuple[list[subprocess.Popen], list[int]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHRAM_")}
    env.update(bot_settings(bots))
    env.update(PYTHONPATH=str(ROOT), SHRAM_WEBHOOK_SECRET=SECRET, SHRAM_WEBHOOK_URL="https://bench.example/telegram",
               SHRAM_VAULT_KEY=VAULT_KEY, SHRAM_DATA_DIR=str(workdir), SHRAM_DATABASE_URL=database_url,
               SHRAM_MAX_MESSAGES_PER_SECOND="0")
    ports = [free_port() for _ in range(count)]
    procs = [subprocess.Popen([sys.executable, __file__, "serve", str(port)], env=env, cwd=workdir,
                              stdout=open(workdir / f"bot-{port}.log", "wb"), stderr=subprocess.STDOUT)
             for port in ports]
    return procs, ports


# -- the load ----------------------------------------------------------------------

class Connection:
    """One keep-alive HTTP/1.1 connection to a webhook process."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def post(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await self.reader.readexactly(length)
        return status


class Pool:
    def __init__(self, port: int, size: int) -> None:
        self.port, self.size = port, size
        self.free: asyncio.Queue[Connection] = asyncio.Queue()

    async def open(self) -> None:
        for _ in range(self.size):
            self.free.put_nowait(Connection(*await asyncio.open_connection("127.0.0.1", self.port)))

    async def post(self, request: bytes) -> int:
        conn = await self.free.get()
        try:
            return await conn.post(request)
        finally:
            self.free.put_nowait(conn)

    def close(self) -> None:
        while not self.free.empty():
            self.free.get_nowait().writer.close()


def http_request(port: int, update: dict, path: str = "/telegram", secret: str = SECRET) -> bytes:
    body = json.dumps(update, ensure_ascii=False).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


async def wait_up(ports: list[int], procs: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 60
    for port, proc in zip(ports, procs):
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"a bot process exited (status {proc.returncode}); see its log")
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                if b" 200 " in await reader.readuntil(b"\r\n"):
                    writer.close()
                    break
                writer.close()
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the bot processes did not come up")
            await asyncio.sleep(0.1)


async def drive(ports: list[int], plans: list[tuple[list[dict], str, str]],
                concurrency: int) -> tuple[float, list[float]]:
    pools = [Pool(port, max(4, concurrency // len(ports))) for port in ports]
    for pool in pools:
        await pool.open()
    # requests built before the clock starts, for a process picked at random per update
    pick = random.Random(7)
    prepared = [[(pool, http_request(pool.port, u, path, secret)) for u in plan for pool in [pick.choice(pools)]]
                for plan, path, secret in plans]
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def worker(steps: list[tuple[Pool, bytes]]) -> None:
        async with gate:
            for pool, request in steps:
                start = time.perf_counter()
                status = await pool.post(request)
                latencies.append(time.perf_counter() - start)
                if status != 200:
                    raise SystemExit(f"a webhook answered {status}")

    start = time.perf_counter()
    await asyncio.gather(*(worker(steps) for steps in prepared))
    elapsed = time.perf_counter() - start
    for pool in pools:
        pool.close()
    return elapsed, latencies


async def submitted_count(database_url: str) -> int:
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url[len("sqlite:///"):]) as conn:
            return conn.execute("SELECT count(*) FROM applications").fetchone()[0]
    import asyncpg
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval("SELECT count(*) FROM applications")
    finally:
        await conn.close()


async def run(label: str, processes: int, database_url: str, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        bots = args.bots if processes > 1 or not database_url.startswith("sqlite") else 1
        procs, ports = start_processes(processes, database_url, Path(tmp), bots)
        try:
            await wait_up(ports, procs)
            plans = plans_for(args.workers, bots)
            elapsed, latencies = await drive(ports, plans, args.concurrency)
            submitted = await submitted_count(database_url)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        sends: Counter = Counter()
        for path in Path(tmp).glob("sends-*.json"):
            for bot, second, n in json.loads(path.read_text()):
                sends[(bot, second)] += n
    if submitted != args.workers:
        raise SystemExit(f"{label}: only {submitted} of {args.workers} registrations were submitted")
    updates = len(latencies)
    peak: dict[str, int] = {}
    for (bot, _second), n in sends.items():
        peak[bot] = max(peak.get(bot, 0), n)
    return {"label": label, "elapsed": elapsed, "updates": updates, "registrations": submitted,
            "p50": pct(latencies, 50), "p99": pct(latencies, 99), "bots": bots, "peak": peak}


def plans_for(workers: int, bots: int) -> list[tuple[list[dict], str, str]]:
    """Each worker's updates, to bot ``i % bots``, with that bot's path and secret."""
    from telegram import Bot

    from tests.reliability.registrations import registration
    from tests.telegram.fake_bot_api import Updates
    each = served(bots)
    updates = [Updates(Bot(token), 1) for token, _, _ in each]
    return [(registration(updates[i % bots], 20_000_000 + i, i), *each[i % bots][1:]) for i in range(workers)]


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000


async def fresh_postgres(base: str) -> tuple[str, str]:
    """(URL of a new schema, its name) in the database at ``base``."""
    import asyncpg
    schema = f"peak_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(base)
    await conn.execute(f'CREATE SCHEMA "{schema}"')
    await conn.close()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={schema}')}", schema


async def drop_schema(base: str, schema: str) -> None:
    import asyncpg
    conn = await asyncpg.connect(base)
    await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    await conn.close()


async def main(args: argparse.Namespace) -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(await run("1 process, SQLite", 1, f"sqlite:///{tmp}/peak.db", args))
    for count in args.processes:
        url, schema = await fresh_postgres(args.database)
        try:
            label = f"{count} process{'es' if count > 1 else ''}, {args.bots} bot{'s' if args.bots > 1 else ''}, PG"
            results.append(await run(label, count, url, args))
        finally:
            await drop_schema(args.database, schema)
    print(f"workers: {args.workers}, at once: {args.concurrency}, updates each: "
          f"{results[0]['updates'] // args.workers}, cores: {os.cpu_count()} (shared with the load generator"
          " and the database)")
    for r in results:
        print(f"{r['label']:<26}: {r['registrations'] / r['elapsed']:6.1f} registrations/s"
              f"  {r['updates'] / r['elapsed']:7.0f} updates/s  p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms"
              f"  ({r['elapsed']:.1f} s, all {r['registrations']} submitted)")
        if r["peak"]:
            print(" " * 28 + "peak messages in one second, per bot: "
                  + ", ".join(f"{bot}: {n}" for bot, n in sorted(r["peak"].items())))
    print("record day: 44.48 lakh registrations = 51.5/s averaged over 24 h; target >= 52 registrations/s")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=200, help="workers registering at once")
    parser.add_argument("--processes", type=lambda s: [int(x) for x in s.split(",")], default=[3],
                        help="bot processes on PostgreSQL, e.g. 2,3,4 for one run each (default 3)")
    parser.add_argument("--bots", type=int, default=2, help="bots each PostgreSQL process serves (default 2)")
    parser.add_argument("--database", default=os.environ.get("SHRAM_TEST_DATABASE_URL",
                                                             "postgresql://postgres@127.0.0.1:5432/test"),
                        help="a PostgreSQL database; each run gets a fresh schema in it, dropped after")
    asyncio.run(main(parser.parse_args()))
