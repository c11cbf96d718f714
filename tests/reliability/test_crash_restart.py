"""Crash and restart: many workers register at once with the real bot
process (``python -m bot.cli run`` against the Bot API emulator) while it is
killed with SIGKILL at random moments and started again on the same data.
Every registration completes, with every answer kept, and nothing is applied
twice. ``pytest -s tests/reliability/test_crash_restart.py`` prints the figures;
CRASH_WORKERS and CRASH_KILLS (default 10 and 8) make it bigger.

Each worker types the next line of their script once the bot has answered
the last one. When the bot was killed after saving an answer but before
replying, the answer is kept and Telegram's redelivery of the update is not
applied again; being the worker's newest update, the restarted bot asks its
question again (``bot.service``). Should a reply still not come, the
worker sends /status, as a person would, and goes on.
"""
from __future__ import annotations

import itertools
import os
import random
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from bot.config import Settings
from bot.store import open_store
from tests.telegram.bot_api_server import BotAPIServer
from tests.telegram.test_bot_process import Phone, api, launch, logs, stop  # noqa: F401 (fixtures)
from tests.workers import Worker

WORKERS = int(os.environ.get("CRASH_WORKERS", "10"))
KILLS = int(os.environ.get("CRASH_KILLS", "8"))
NO_REPLY = 3.0  # seconds without an answer before the worker looks again

pytestmark = pytest.mark.timeout(300)


class Typist:
    """One worker going through their script over Telegram."""

    def __init__(self, api: BotAPIServer, update_ids, worker: Worker) -> None:
        self.worker = worker
        self.phone = Phone(api, update_ids, 10_000 + worker.i, worker.lang)
        self.api = api
        self.position = 0                  # the next line of the script
        self.sent: list[dict] = []         # every update this worker sent
        self.waiting: dict | None = None   # the update whose answer we wait for
        self.since = 0.0
        self.replies = 0                   # bot messages seen
        self.lost = 0                      # answers kept whose reply never came

    @property
    def done(self) -> bool:
        return self.position >= len(self.worker.script) and self.waiting is None

    def send(self, text: str) -> None:
        self.waiting = self.phone.send(text)
        self.sent.append(self.waiting)
        self.since = time.monotonic()

    def step(self, applied: set[int]) -> None:
        """Look whether the bot answered; send the next line if so."""
        if self.waiting is not None:
            chat = self.phone.user["id"]
            seen = len(self.api.of("sendMessage", chat))
            if seen > self.replies:
                self.replies = seen
            elif time.monotonic() - self.since > NO_REPLY and self.waiting["update_id"] in applied:
                self.lost += 1             # kept, but the reply died with the process
                if self.waiting["message"]["text"] != "/status":
                    self.position += 1
                    self.send("/status")   # "did it get that?"
                    return
            else:
                if time.monotonic() - self.since > 90:
                    raise AssertionError(f"worker {self.worker.i} got no answer to update "
                                         f"{self.waiting['update_id']} in 90 s")
                return
            if self.waiting["message"]["text"] != "/status":
                self.position += 1
            self.waiting = None
        if self.position < len(self.worker.script):
            self.send(self.worker.script[self.position])


def applied_update_ids(db_path: Path) -> set[int]:
    """The update ids the bot has recorded as applied (read like any other
    SQLite reader, next to the running bot)."""
    if not db_path.exists():
        return set()
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as db:
            rows = db.execute("SELECT key FROM applied_updates").fetchall()
    except sqlite3.OperationalError:  # not migrated yet
        return set()
    return {int(key.split(":")[1]) for (key,) in rows if key.startswith("tg:")}


async def test_registrations_survive_random_kills(api: BotAPIServer, launch, tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("CRASH_SEED", time.time_ns() % 10**6)))
    db_path = tmp_path / "data" / "shram.db"
    update_ids = itertools.count(1)
    typists = [Typist(api, update_ids, Worker.make(i)) for i in range(WORKERS)]
    bot = launch("run")
    kills, finished = 0, threading.Event()
    lock = threading.Lock()

    def killer() -> None:
        nonlocal bot, kills
        while kills < KILLS and not finished.wait(rng.uniform(0.2, 1.5)):
            with lock:
                assert stop(bot, signal.SIGKILL) == -signal.SIGKILL
                kills += 1
                bot = launch("run")

    thread = threading.Thread(target=killer, daemon=True)
    started = time.monotonic()
    thread.start()
    try:
        while not all(t.done for t in typists):
            applied = applied_update_ids(db_path)
            for typist in typists:
                typist.step(applied)
            time.sleep(0.02)
        # a question asked again may have reached a worker before the answer to their
        # last line was applied: wait until every update sent is (as a person would wait)
        wanted = {u["update_id"] for t in typists for u in t.sent}
        deadline = time.monotonic() + 60
        while not wanted <= applied_update_ids(db_path):
            assert time.monotonic() < deadline, "updates sent were never applied"
            time.sleep(0.05)
    finally:
        finished.set()
        thread.join(15)
    elapsed = time.monotonic() - started
    with lock:
        assert stop(bot) == 0  # a clean stop at the end

    store = await open_store(Settings(data_dir=tmp_path / "data", _env_file=None))
    try:
        for typist in typists:
            worker, user_id = typist.worker, f"tg:{typist.phone.user['id']}"
            application = await store.application_for_user(user_id)
            assert application is not None, f"worker {worker.i} has no application"
            answers = {k: application.answers.get(k) for k in worker.expected}
            assert answers == worker.expected, f"worker {worker.i} lost an answer"
        rows = await store._db.execute_fetchall("SELECT user_id, count(*) FROM applications GROUP BY user_id")
        assert len(rows) == WORKERS and all(n == 1 for _, n in rows), "one application per worker"
        applied = await store._db.execute_fetchall("SELECT key FROM applied_updates")
    finally:
        await store.close()
    sent = {f"tg:{u['update_id']}" for t in typists for u in t.sent}
    assert {key for (key,) in applied} == sent, "every update applied, each once"
    asked_again = 0
    for typist in typists:  # nothing applied twice: one reply per update, one QR code, and
        chat = typist.phone.user["id"]  # at most one question asked again per restart
        extra = len(api.of("sendMessage", chat)) - len(typist.sent)
        assert extra <= kills, f"worker {typist.worker.i}: {extra} more replies than updates"
        asked_again += max(extra, 0)
        assert len(api.of("sendPhoto", chat)) <= 1
    output = logs(tmp_path)
    for typist in typists:
        assert not any(number in output for number in typist.worker.numbers)
    updates, lost = sum(len(t.sent) for t in typists), sum(t.lost for t in typists)
    print(f"\n{WORKERS} registrations, {updates} updates, {kills} SIGKILLs in {elapsed:.0f} s: "
          f"{WORKERS} applications, every answer kept, every update applied once; "
          f"{asked_again} questions asked again after a restart, "
          f"{lost} replies still missing (the worker asked /status)")
    assert kills >= KILLS // 2, f"the process was killed only {kills} times of {KILLS}"
