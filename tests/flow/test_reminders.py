"""Reminders for stale drafts, on every store backend: who gets one (idle two
days, still on the way), in their language, once, however many processes
run the job at the same time; and how one reaches a Telegram user (through
the notifier, with Telegram's sender registered)."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from bot.addresses import TELEGRAM
from bot.channels.telegram.outgoing import notice_sender
from bot.domain.models import Draft, Phase
from bot.i18n import translate
from bot.jobs.reminders import REMINDER, remind, tick_slot
from bot.notify import Notifier
from bot.store.contract import Store

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


async def idle(store: Store, user_id: str, days: float, phase: Phase = Phase.FORM, lang: str | None = "hi") -> None:
    await store.save_draft(Draft(user_id=user_id, lang=lang, phase=phase, step="name",
                                 answers={"name": "Ram"}, updated_at=NOW - timedelta(days=days)))


class Outbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    async def __call__(self, user_id: str, lang: str, text: str) -> bool:
        self.sent.append((user_id, lang, text))
        return True


async def test_stale_drafts_get_one_reminder_in_their_language(store: Store) -> None:
    await idle(store, "tg:1", 3)                            # due
    await idle(store, "tg:2", 2.5, Phase.PAUSED, "en")      # due, in English
    await idle(store, "tg:3", 1)                            # not yet
    await idle(store, "tg:4", 3, Phase.SUBMITTED)           # done: nothing
    await idle(store, "tg:5", 3, Phase.INELIGIBLE)          # told why: nothing
    await idle(store, "tg:6", 3, Phase.DECLINED)            # said no: nothing
    await idle(store, "tg:7", 45)                           # long gone: left alone
    await idle(store, "tg:8", 4, lang=None)                 # never chose: the default language
    outbox = Outbox()
    assert await remind(store, outbox, runner="p1", now=NOW, per_second=0) == 3
    assert sorted(outbox.sent) == [("tg:1", "hi", translate("hi", REMINDER)),
                                   ("tg:2", "en", translate("en", REMINDER)),
                                   ("tg:8", "hi", translate("hi", REMINDER))]
    assert "ई-श्रम" in translate("hi", REMINDER)

    outbox.sent.clear()
    assert await remind(store, outbox, runner="p1", now=NOW + timedelta(hours=5), per_second=0) == 0
    # an answer makes a new draft; idle two days again, it gets a new reminder
    await idle(store, "tg:1", 0)
    # (and tg:3, idle one day at first, is now due too)
    assert await remind(store, outbox, runner="p1", now=NOW + timedelta(days=2, hours=1), per_second=0) == 2
    assert sorted(user for user, _, _ in outbox.sent) == ["tg:1", "tg:3"]


async def test_processes_running_at_once_send_each_reminder_once(store: Store) -> None:
    for i in range(12):
        await idle(store, f"tg:{i}", 3)
    outboxes = [Outbox() for _ in range(3)]
    counts = await asyncio.gather(*(remind(store, box, runner=f"p{n}", now=NOW, per_second=0)
                                    for n, box in enumerate(outboxes)))
    sent = [item for box in outboxes for item in box.sent]
    assert sum(counts) == 12 and len(sent) == 12 and len({user for user, _, _ in sent}) == 12


async def test_a_failed_send_does_not_stop_the_rest(store: Store) -> None:
    for i in range(3):
        await idle(store, f"tg:{i}", 3 + i)
    delivered = []

    async def flaky(user_id: str, lang: str, text: str) -> bool:
        if user_id == "tg:2":  # the oldest: first in line
            raise RuntimeError("Forbidden: bot was blocked by the user")
        delivered.append(user_id)
        return True

    assert await remind(store, flaky, runner="p1", now=NOW, per_second=0) == 2
    assert sorted(delivered) == ["tg:0", "tg:1"]


def test_tick_slots() -> None:
    assert tick_slot(datetime(2026, 11, 25, 10, 47, 12, tzinfo=timezone.utc)) == "2026-11-25T10:40"
    assert tick_slot(datetime(2026, 11, 25, 10, 49, 59, tzinfo=timezone.utc)) == "2026-11-25T10:40"


async def test_the_telegram_sender_writes_to_the_users_chat() -> None:
    calls = []

    class Bot:
        async def send_message(self, chat_id: int, text: str, reply_markup=None) -> None:
            calls.append((chat_id, text, reply_markup))

    notifier = Notifier()
    notifier.register(TELEGRAM, notice_sender(Bot()))
    send = notifier.send_text
    assert await send("tg:4242", "hi", "नमस्ते") is True
    assert await send("console:local", "hi", "नमस्ते") is False
    assert calls == [(4242, "नमस्ते", None)]
    assert notifier.unreachable == {"console": 1}
