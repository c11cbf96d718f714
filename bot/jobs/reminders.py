"""Reminders for stale drafts: a worker who has not answered for two days
gets one short message, in their language, saying their answers are saved
and how to go on.

A scheduled job (``remind_forever``) wakes every ``EVERY`` seconds in each bot
process; the tick's slot in ``job_runs`` is claimed by one process only, and
each reminder claims its own slot too (``reminder``, ``<user>@<draft's
updated_at>``) before it is sent, so a worker gets one reminder per stale
draft however many processes run and however long a tick takes. A draft
the worker answers again becomes a new draft to wait for.

Sends are paced at ``PER_SECOND`` (a third of Telegram's 30 messages/s for a
bot), so live conversations keep most of the bot's budget; the channel's own
rate limiter still caps the total. Nothing here knows a channel: the
bootstrap hands in ``send(user_id, lang, text) -> bool``, the notifier's
(``bot.notify.Notifier.send_text``: a worker it cannot reach, a walk-in with
no chat, is logged and counted there).
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.models import Phase, utcnow
from bot.i18n import N_, default_language, translate
from bot.store.contract import Store
from bot.store.jobs import claim_slot
from bot.store.sql import Txn, all_rows, one

log = logging.getLogger(__name__)

REMIND_AFTER = timedelta(days=2)
#: drafts idle for longer than this are left alone (and job_runs rows may be forgotten after it)
LOOK_BACK = timedelta(days=30)
EVERY = 600           # seconds between ticks
PER_SECOND = 10       # reminders sent per second at most
PER_TICK = 4_000      # reminders per tick at most (< PER_SECOND * EVERY: a tick ends before the next)

#: phases of a worker still on the way; declined, ineligible and submitted drafts get nothing
WAITING = (Phase.FORM, Phase.REVIEW, Phase.EDIT_PICK, Phase.RESUME, Phase.CONFIRM_DELETE, Phase.PAUSED)

REMINDER = N_("Namaste! Your e-Shram registration is not finished yet. Your answers are saved: "
              "send any message here to go on from where you stopped. It takes only a few minutes, "
              "and registration is free.")

Send = Callable[[str, str, str], Awaitable[bool]]


@dataclass(frozen=True)
class Due:
    user_id: str
    lang: str | None
    updated_at: str      # as stored: names the reminder's slot

    @property
    def slot(self) -> str:
        return f"{self.user_id}@{self.updated_at}"


def due(now: datetime, limit: int) -> Txn[list[Due]]:
    """Drafts idle for REMIND_AFTER (but not LOOK_BACK) with no reminder yet, oldest first."""
    marks = ", ".join("?" for _ in WAITING)
    rows = yield all_rows(
        "SELECT d.user_id, d.data, d.updated_at FROM drafts d"
        " LEFT JOIN job_runs r ON r.job = 'reminder' AND r.slot = d.user_id || '@' || d.updated_at"
        f" WHERE d.phase IN ({marks}) AND d.updated_at < ? AND d.updated_at >= ? AND r.slot IS NULL"
        " ORDER BY d.updated_at LIMIT ?",
        *(phase.value for phase in WAITING), (now - REMIND_AFTER).isoformat(),
        (now - LOOK_BACK).isoformat(), limit)
    return [Due(row["user_id"], json.loads(row["data"]).get("lang"), row["updated_at"]) for row in rows]


def claim(item: Due, runner: str, now: datetime) -> Txn[bool]:
    """The reminder's slot, if the draft is still the one listed (there, not
    answered since, still on the way) and no process has claimed it yet."""
    marks = ", ".join("?" for _ in WAITING)
    draft = yield one(f"SELECT 1 FROM drafts WHERE user_id = ? AND updated_at = ? AND phase IN ({marks})",
                      item.user_id, item.updated_at, *(phase.value for phase in WAITING),
                      pg=f"SELECT 1 FROM drafts WHERE user_id = ? AND updated_at = ? AND phase IN ({marks})"
                         " FOR UPDATE")
    if draft is None:
        return False
    return (yield from claim_slot("reminder", item.slot, runner, now))


async def remind(store: Store, send: Send, *, runner: str, now: datetime | None = None,
                 default_lang: str | None = None, per_second: float = PER_SECOND, limit: int = PER_TICK) -> int:
    """One pass: send each due reminder once (across processes); how many were sent."""
    now = now or utcnow()
    sent = 0
    for item in await store.query(due, now, limit):
        async with store.user_lock(item.user_id):
            if not await store.transact(claim, item, runner, now):
                continue  # another process has it, or the draft is gone or answered
            lang = item.lang or default_lang or default_language()
            try:
                if await send(item.user_id, lang, translate(lang, REMINDER)):
                    sent += 1
            except Exception as exc:  # one worker's failure (blocked the bot...) does not stop the rest
                log.info("reminder not delivered: %s", type(exc).__name__)
        if per_second > 0:
            await asyncio.sleep(1 / per_second)
    return sent


def tick_slot(now: datetime, every: int = EVERY) -> str:
    """The slot of the tick ``now`` falls in (``2026-11-25T10:40``)."""
    start = int(now.timestamp()) // every * every
    return datetime.fromtimestamp(start, now.tzinfo).strftime("%Y-%m-%dT%H:%M")


async def remind_forever(store: Store, send: Send, *, runner: str, default_lang: str | None = None,
                         every: int = EVERY) -> None:
    """Every ``every`` seconds, in the one process that claims the tick, send due reminders."""
    while True:
        try:
            now = utcnow()
            if await store.transact(claim_slot, "reminders", tick_slot(now, every), runner, now):
                sent = await remind(store, send, runner=runner, now=now, default_lang=default_lang)
                if sent:
                    log.info("sent %d reminders", sent)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("reminders skipped this time: %s", type(exc).__name__)
        await asyncio.sleep(every)
