"""A reminder tick lists the due drafts once and then goes through them; a
worker who erases their data (or answers again) while it runs gets no
reminder, and no reminder slot names them again: each reminder is claimed
and sent under the worker's lock, after checking the draft is still there
and still idle. (The race of the review's m2_reminder_race, made
deterministic.) Both backends."""
from __future__ import annotations

import asyncio
import contextvars

from bot.domain.models import Draft, Phase
from bot.messages import Input
from bot.jobs.reminders import remind
from bot.service import Registration
from bot.store.contract import Store
from tests.flow.test_reminders import NOW, Outbox, idle
from tests.store.test_store import sql


async def slots(store: Store) -> list[str]:
    return [row[0] for row in await sql(store, "SELECT slot FROM job_runs WHERE job = 'reminder' ORDER BY slot")]


async def test_a_worker_who_erases_during_a_tick_gets_no_reminder_and_no_slot_names_them(store: Store) -> None:
    await idle(store, "tg:1", 4)                      # first in line
    await idle(store, "tg:2", 3)                      # listed in the same tick
    registration = Registration(store)
    outbox = Outbox()

    async def send(user_id: str, lang: str, text: str) -> bool:
        if user_id == "tg:1":                         # while the tick goes on, tg:2 erases their data
            await registration.handle("tg:2", Input(command="delete"), default_lang="hi")
            await registration.handle("tg:2", Input(text="1"), default_lang="hi")
            assert await store.load_draft("tg:2") is None
        return await outbox(user_id, lang, text)

    assert await remind(store, send, runner="p1", now=NOW, per_second=0) == 1
    assert [user for user, _, _ in outbox.sent] == ["tg:1"]
    assert [slot for slot in await slots(store) if "tg:2" in slot] == []
    assert await store.load_draft("tg:2") is None


async def test_a_worker_who_answers_during_a_tick_gets_no_reminder(store: Store) -> None:
    await idle(store, "tg:1", 4)
    await idle(store, "tg:2", 3)
    outbox = Outbox()

    async def send(user_id: str, lang: str, text: str) -> bool:
        if user_id == "tg:1":                         # tg:2 answers: their draft is no longer idle
            await store.save_draft(Draft(user_id="tg:2", lang="hi", phase=Phase.FORM, step="father",
                                         answers={"name": "Ram"}, updated_at=NOW))
        return await outbox(user_id, lang, text)

    assert await remind(store, send, runner="p1", now=NOW, per_second=0) == 1
    assert [user for user, _, _ in outbox.sent] == ["tg:1"]
    assert [slot for slot in await slots(store) if "tg:2" in slot] == []


async def test_a_reminder_is_sent_under_the_workers_lock(store: Store) -> None:
    """An erasure asked for while the reminder goes out waits for it, and
    then leaves no slot naming the worker."""
    await idle(store, "tg:1", 4)
    erasing: list[asyncio.Task] = []

    async def erase() -> None:
        async with store.user_lock("tg:1"):
            await store.erase_user("tg:1")

    async def send(user_id: str, lang: str, text: str) -> bool:
        # another task, as the worker's /delete would be (not in this one's context)
        erasing.append(asyncio.get_running_loop().create_task(erase(), context=contextvars.Context()))
        await asyncio.sleep(0.2)
        assert not erasing[0].done()                  # the erasure waits for the reminder
        assert await store.load_draft(user_id) is not None
        return True

    assert await remind(store, send, runner="p1", now=NOW, per_second=0) == 1
    await asyncio.wait_for(erasing[0], 5)
    assert await store.load_draft("tg:1") is None
    assert await slots(store) == []
