"""Duplicates and disorder through the Telegram layer (``process_update``, the
service, an on-disk store): an update delivered twice, one after the other or
at the same moment, changes nothing the second time; a worker's updates that
arrive together (one polling batch, applied concurrently) are applied in the
order they were sent; updates of many workers interleaved at random all land;
a worker's update arriving before an earlier one (a webhook retry) loses no
answer: each is applied once, and the worker is asked again what is missing.
(Up to the flood control's ``MAX_IN_PROGRESS`` updates of one worker at once:
more is a flood.)
``pytest -s tests/reliability/test_disorder.py`` prints the figures."""
from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import Application

from bot.channels.telegram.app import build_application, start_application
from bot.channels.telegram.flood import MAX_IN_PROGRESS
from bot.channels.telegram.polling import apply_batch
from bot.config import Settings
from bot.domain.models import Phase
from bot.flow.steps import STEP_BY_KEY
from bot.i18n import translate
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from bot.service import Registration
from tests.telegram.fake_bot_api import FakeBotAPI, Updates
from tests.workers import Worker


@dataclass
class Bot:
    app: Application
    api: FakeBotAPI
    store: SQLiteStore
    updates: Updates


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    store = SQLiteStore(tmp_path / "shram.db", Keyring(bytes(range(32))))
    await store.migrate()
    api = FakeBotAPI()
    settings = Settings(bot_token="123456:TEST", data_dir=tmp_path, max_messages_per_second=0, _env_file=None)
    app = build_application(settings, Registration(store), request=api)
    await start_application(app)
    try:
        yield Bot(app, api, store, Updates(app.bot))
    finally:
        await app.shutdown()
        await store.close()


def user_of(worker: Worker) -> dict:
    return Updates.user(50_000 + worker.i, worker.lang)


def script_updates(bot: Bot, worker: Worker) -> list[Update]:
    user = user_of(worker)
    return [bot.updates.text(user, line) for line in worker.script]


async def assert_registered(bot: Bot, worker: Worker) -> None:
    application = await bot.store.application_for_user(f"tg:{user_of(worker)['id']}")
    assert application is not None, f"worker {worker.i} has no application"
    assert {k: application.answers.get(k) for k in worker.expected} == worker.expected


async def count_rows(bot: Bot, sql: str) -> int:
    return (await bot.store._db.execute_fetchall(sql))[0][0]


async def test_every_update_delivered_twice(bot: Bot) -> None:
    worker = Worker.make(1)
    for update in script_updates(bot, worker):
        await bot.app.process_update(update)
        before = len(bot.api.calls)
        await bot.app.process_update(update)          # Telegram delivers it again
        assert [c.method for c in bot.api.calls[before:]] == []
    await assert_registered(bot, worker)
    chat = user_of(worker)["id"]
    assert len(bot.api.of("sendMessage", chat)) == len(worker.script)   # one answer per update
    assert len(bot.api.of("sendPhoto", chat)) == 1
    assert await count_rows(bot, "SELECT count(*) FROM applications") == 1


async def test_the_same_update_twice_at_the_same_moment(bot: Bot) -> None:
    worker = Worker.make(2)
    updates = script_updates(bot, worker)
    for update in updates:
        await asyncio.gather(bot.app.process_update(update), bot.app.process_update(update),
                             bot.app.process_update(update))
    await assert_registered(bot, worker)
    assert len(bot.api.of("sendMessage", user_of(worker)["id"])) == len(updates)
    assert len(bot.api.of("sendPhoto")) == 1


async def test_a_whole_registration_in_batches_is_applied_in_order(bot: Bot) -> None:
    """Workers who typed everything while the bot was down: getUpdates
    batches, each applied concurrently, each holding the next
    ``MAX_IN_PROGRESS`` updates of every worker (more of one user at once is
    a flood, dropped by the flood control: see tests/reliability/test_flood_control.py);
    each worker's updates are still applied in order."""
    workers = [Worker.make(i) for i in range(10, 16)]
    per_worker = [script_updates(bot, w) for w in workers]
    for at in range(0, max(map(len, per_worker)), MAX_IN_PROGRESS):
        batch = sorted((u for updates in per_worker for u in updates[at:at + MAX_IN_PROGRESS]),
                       key=lambda u: u.update_id)
        await apply_batch(bot.app, batch)
    for worker in workers:
        await assert_registered(bot, worker)


async def test_many_workers_interleaved_at_random(bot: Bot) -> None:
    """Each worker's updates in order, all workers' interleaved at random,
    in random small batches applied concurrently, every update delivered
    twice somewhere later in the stream."""
    rng = random.Random(7)
    workers = [Worker.make(i) for i in range(20, 40)]
    queues = [script_updates(bot, w) for w in workers]
    stream: list[Update] = []
    while any(queues):
        queue = rng.choice([q for q in queues if q])
        stream.append(queue.pop(0))
    for at in range(len(stream)):                    # a second delivery, later on
        if rng.random() < 0.5:
            stream.insert(rng.randrange(at, len(stream)) + 1, stream[at])
    applied = 0
    while stream:
        size = rng.randint(1, 8)
        batch, stream = stream[:size], stream[size:]
        ordered = []
        for update in batch:  # within one batch, a repeat waits for its first delivery (as in polling)
            if update not in ordered:
                ordered.append(update)
        await apply_batch(bot.app, ordered)
        applied += len(ordered)
    for worker in workers:
        await assert_registered(bot, worker)
    assert await count_rows(bot, "SELECT count(*) FROM applications") == len(workers)
    total = sum(len(w.script) for w in workers)
    assert await count_rows(bot, "SELECT count(*) FROM applied_updates") == total
    print(f"\n{len(workers)} workers, {total} updates delivered {applied} times, interleaved in random "
          f"batches: {len(workers)} applications, every answer kept, each update applied once")


async def test_a_later_answer_arriving_first_loses_nothing(bot: Bot) -> None:
    """The date of birth and the next answer ("no" to EPFO/ESIC) arrive the
    wrong way round: "no" is not a date, so the date is asked again, then the
    late date is taken, and EPFO/ESIC is asked again. Both updates are applied
    once, nothing is stored against the wrong question."""
    worker = Worker.make(3, "en")
    user = user_of(worker)
    updates = script_updates(bot, worker)
    dob = worker.script.index("03-04-1985")
    for update in updates[:dob]:
        await bot.app.process_update(update)
    birth, epfo = updates[dob], updates[dob + 1]
    await bot.app.process_update(epfo)
    await bot.app.process_update(birth)
    draft = await bot.store.load_draft(f"tg:{user['id']}")
    assert draft.phase is Phase.FORM and draft.step == "epfo_esic"
    assert draft.answers["dob"] == "1985-04-03" and "epfo_esic" not in draft.answers
    last = bot.api.sent_texts(user["id"])[-1]
    assert translate("en", STEP_BY_KEY["epfo_esic"].prompt) in last
    for update in (epfo, birth):                     # and delivered again: nothing more happens
        before = len(bot.api.calls)
        await bot.app.process_update(update)
        assert bot.api.calls[before:] == []
