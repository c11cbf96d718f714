"""Scale-out end to end: three real webhook processes (``python -m bot.cli
webhook``) sharing one PostgreSQL database, against the Bot API emulator.

Every update of every worker goes to a process picked at random, so one
worker's consecutive answers are applied by different processes; every
third update is also delivered a second time, to two processes at once (as
Telegram does when it did not see an answer in time). Two workers type the
same Aadhaar and submit together through different processes. Afterwards:
every registration completed exactly once with every answer, each update
was applied once (no reply sent twice), the shared Aadhaar was registered
once. Skipped, with the reason, where no PostgreSQL server answers.
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import pytest

from bot.config import new_key
from bot.flow import messages as m
from bot.i18n import translate
from tests.telegram.bot_api_server import BotAPIServer
from tests.telegram.fake_bot_api import Updates
from tests.store.postgres import DATABASE_URL, fresh_schema, schema_url
from tests.reliability.registrations import UPDATES_PER_REGISTRATION, aadhaar_for, registration
from tests.telegram.test_bot_process import ROOT, SECRET, TOKEN, free_port
from telegram import Bot

PROCESSES = 3
WORKERS = 6          # workers 4 and 5 share one Aadhaar
pytestmark = pytest.mark.timeout(120)


def start_webhook(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-m", "bot.cli", "webhook", "--host", "127.0.0.1",
                                 "--port", str(port)], cwd=log.parent, env=env,
                                stdout=out, stderr=subprocess.STDOUT)


async def wait_healthy(client: httpx.AsyncClient, base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        assert proc.poll() is None, "a webhook process exited"
        assert time.monotonic() < deadline, "a webhook process did not come up"
        try:
            if (await client.get(f"{base}/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)


async def test_three_processes_on_one_postgres(tmp_path: Path) -> None:
    async with fresh_schema() as schema:
        with BotAPIServer(TOKEN) as api:
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith("SHRAM_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
            env.update(PYTHONPATH=str(ROOT), NO_PROXY="127.0.0.1,localhost", SHRAM_BOT_TOKEN=TOKEN,
                       SHRAM_BOT_API_URL=api.url, SHRAM_DATA_DIR=str(tmp_path / "data"),
                       SHRAM_WEBHOOK_SECRET=SECRET, SHRAM_VAULT_KEY=new_key(),
                       SHRAM_MAX_MESSAGES_PER_SECOND="0", SHRAM_DATABASE_POOL_SIZE="4",
                       SHRAM_DATABASE_URL=schema_url(schema))
            ports = [free_port() for _ in range(PROCESSES)]
            procs = [start_webhook(port, env, tmp_path / f"bot-{n}.log") for n, port in enumerate(ports)]
            try:
                await register_everyone(api, ports, procs)
            finally:
                for proc in procs:
                    proc.terminate()
                for proc in procs:
                    try:
                        proc.wait(10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
            logs = "\n".join(p.read_text(errors="replace") for p in tmp_path.glob("bot-*.log"))
            assert "Traceback" not in logs and " ERROR " not in logs, logs[-3000:]
            assert aadhaar_for(0) not in logs
        await check_database(schema)


async def register_everyone(api: BotAPIServer, ports: list[int], procs: list[subprocess.Popen]) -> None:
    updates = Updates(Bot(TOKEN), 1)
    shared = aadhaar_for(4)
    plans = [registration(updates, 7_000 + i, i, shared if i == 5 else None) for i in range(WORKERS)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient(timeout=30, trust_env=False) as client:
        await asyncio.gather(*(wait_healthy(client, base, proc) for base, proc in zip(bases, procs)))

        async def worker(i: int, plan: list[dict]) -> None:
            pick = random.Random(i)
            for n, update in enumerate(plan):
                # worker 0 is the baseline: each update to one process, once
                targets = pick.sample(bases, 2 if i != 0 and n % 3 == 0 else 1)
                answers = await asyncio.gather(*(client.post(f"{base}/telegram", json=update, headers=headers)
                                                 for base in targets))
                assert [a.status_code for a in answers] == [200] * len(targets)

        await asyncio.gather(*(worker(i, plan) for i, plan in enumerate(plans)))

    # A duplicate that reaches a second process may have its question asked again (the
    # first process's reply is not known there: see bot.service), never applied again.
    assert len(api.sent_texts(7_000)) == UPDATES_PER_REGISTRATION
    sent = {i: once(api.sent_texts(7_000 + i)) for i in range(WORKERS)}
    photos = {i: len(api.of("sendPhoto", 7_000 + i)) for i in range(WORKERS)}
    # the same script gives the same replies: a duplicate applied twice would show here
    for i in range(1, WORKERS):
        assert len(sent[i]) == len(sent[0]), f"worker {i} got {len(sent[i])} replies, worker 0 {len(sent[0])}"
        assert len(api.of("deleteMessage", 7_000 + i)) == 3  # the Aadhaar and the account twice
    assert [photos[i] for i in range(4)] == [1, 1, 1, 1]          # one QR code each, never two
    assert photos[4] + photos[5] == 1                              # the shared Aadhaar: one of them


def once(texts: list[str]) -> list[str]:
    """The texts without a question asked again straight after the message that
    asked it, nor the status said again straight after the submission."""
    status = [re.compile(re.escape(translate(lang, m.STATUS_SUBMITTED)).replace(r"\{reference\}", "SS-[-A-Z0-9]+")
                         + "$")
              for lang in ("hi", "en")]
    return [text for n, text in enumerate(texts)
            if n == 0 or not (texts[n - 1].endswith(text) or any(p.match(text) for p in status))]


async def check_database(schema: str) -> None:
    conn = await asyncpg.connect(DATABASE_URL, server_settings={"search_path": schema})
    try:
        apps = await conn.fetch("SELECT user_id, state, data FROM applications ORDER BY user_id")
        users = [row["user_id"] for row in apps]
        assert users[:4] == [f"tg:{7_000 + i}" for i in range(4)] and len(users) == WORKERS - 1
        assert len(set(users)) == len(users)
        answers = [json.loads(row["data"]) for row in apps]
        assert all(row["state"] == "submitted" for row in apps)
        assert all(a.keys() == answers[0].keys() and len(a) >= 25 for a in answers), "an answer is missing"
        # every update applied once: each worker's keys recorded, none twice (the primary key)
        applied = await conn.fetchval("SELECT count(*) FROM applied_updates")
        assert applied >= (WORKERS - 1) * UPDATES_PER_REGISTRATION
        assert await conn.fetchval("SELECT count(DISTINCT aadhaar_hash) FROM applications") == WORKERS - 1
    finally:
        await conn.close()
