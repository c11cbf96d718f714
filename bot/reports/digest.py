"""The daily digest: officials who said ``/digest on`` get their /progress
every day at ``SHRAM_DIGEST_HOUR`` (India time).

What a digest says and ``run_digest``, one day's sending. Every bot process
runs it once a minute (``bot.jobs.digest``); each day's run is claimed in the
store (``bot.store.jobs.claim_slot``, slot = the day in India), so with
several processes the digest goes out once. A process that starts after the
hour on a day whose digest has not gone out yet sends it then.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.domain.roles import Role, Staff
from bot.messages import Notice, Reply
from bot.i18n import N_, translate
from bot.reports.chart import progress_chart
from bot.reports.progress import gather, render
from bot.store.contract import Store
from bot.store.jobs import claim_slot
from bot.store.reports import subscribers
from bot.store.tally import IST, india_day

log = logging.getLogger(__name__)
JOB = "digest"
DIGEST_HEAD = N_("Good morning. Your daily registration summary:")

#: how a digest reaches an official (the notifier's ``send``): False if it could not be sent, else sent
Send = Callable[[Notice], Awaitable[bool | None]]


async def digest_for(store: Store, staff: Staff, lang: str, now: datetime) -> list[Reply] | None:
    """The digest of one subscriber's scope, or None (an admin has no one scope)."""
    if staff.state is None:
        return None
    progress = await store.query(gather, staff.state, staff.district, india_day(now))
    text = translate(lang, DIGEST_HEAD) + "\n\n" + render(progress, lang)
    return [Reply(text, photo=("progress.png", progress_chart(progress, lang)))]


async def run_digest(store: Store, send: Send, now: datetime, hour: int, runner: str) -> int | None:
    """Send today's digest if it is time and no process has; the number sent, or None."""
    if now.astimezone(IST).hour < hour:
        return None
    if not await store.transact(claim_slot, JOB, india_day(now).isoformat(), runner, now):
        return None
    sent = 0
    for user_id, lang, state, district, role in await store.query(subscribers):
        replies = await digest_for(store, Staff(user_id, Role(role), state, district), lang, now)
        if replies is None:
            continue
        try:
            if await send(Notice(user_id, lang, replies)) is not False:
                sent += 1
        except Exception:   # one blocked chat must not stop the others
            log.exception("digest not delivered to one subscriber")
    log.info("daily digest sent to %d officials", sent)
    return sent
