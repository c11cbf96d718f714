"""The outbox: messages for users kept in the store until delivered.

A notice (a worker told that their application is approved, with their
UAN; sent back; rejected), a reminder or an official's digest is written
to the store's outbox (``bot.store.outbox``) in the transaction of the
change that causes it: the desk's notices inside the staff update's unit of
work (``bot.dispatch``), so an approval and the message announcing it are
kept together or not at all. After the commit the process that wrote it
delivers it at once (``kick``); if that process dies first, any process
delivers it on its next round (``deliver_forever``, every ``ROUND``
seconds): each row is claimed for ``LEASE`` by the process delivering it,
and deleted once handed to its channel, so a message is delivered once (a
process killed between sending and deleting would send it again: at
least once, never lost).

**One send budget per bot** across processes (``SendBudget``): each message
takes a slot of the second it is sent in (counted in the store's
``send_slots`` where several processes share it, PostgreSQL; in memory on
SQLite's one process), at most ``per_second`` a second; bulk messages
(reminders, digests) take slots only while the second is less than 60% full,
notices 90% (``SHARE``), so the workers' own replies
(which take slots too, see ``bot.channels.telegram.app``) are never kept
waiting by a burst of reminders. Telegram allows a bot about 30 messages a
second overall.

A message the channel refuses (the user blocked the bot) is tried again a
few times, later each time (``RETRY_AFTER``), then dropped and counted; a
message for a user no running channel reaches (a walk-in) is dropped at
once, as the notifier logs it.
"""
from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from bot.domain.models import utcnow
from bot.messages import Choice, Hint, Notice, Reply
from bot.store import outbox as rows

log = logging.getLogger(__name__)

#: priorities: the worker's own replies, the desk's notices, reminders and digests
REPLY, NOTICE, BULK = 0, 1, 2
#: how full a second may be before a message of each priority waits for the next
SHARE = {REPLY: 1.0, NOTICE: 0.9, BULK: 0.6}
#: a process delivering a row holds it this long; after that, another may
LEASE = timedelta(seconds=60)
#: how often each process looks for rows no one is delivering
ROUND = 2.0
#: rows claimed at once
BATCH = 50
#: a worker's replies not sent this long after they were written: their process died
STALE_REPLIES = timedelta(seconds=10)
#: a refused message is tried again after these delays, then dropped
RETRY_AFTER = (timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=1))


# -- a notice as a row's body --------------------------------------------------------

#: the encryption context of a message's body (``bot.store.crypto.Keyring``)
SEALED = "outbox"


def encode(notice: Notice, keyring: Any = None) -> str:
    """A notice as a row's body: JSON, encrypted with the store's key (a
    reply may show the worker's mobile number, a decision their UAN)."""
    body = json.dumps({"lang": notice.lang, "replies": [_reply(r) for r in notice.replies]}, ensure_ascii=False)
    return keyring.encrypt(body, SEALED) if keyring is not None else body


def decode(user_id: str, body: str, keyring: Any = None) -> Notice:
    data = json.loads(keyring.decrypt(body, SEALED) if keyring is not None else body)
    return Notice(user_id, data["lang"], [_reply_of(r) for r in data["replies"]])


def _bytes(pair: tuple[str, bytes] | None) -> list[str] | None:
    return None if pair is None else [pair[0], base64.b64encode(pair[1]).decode()]


def _pair(value: list[str] | None) -> tuple[str, bytes] | None:
    return None if value is None else (value[0], base64.b64decode(value[1]))


def _reply(reply: Reply) -> dict[str, Any]:
    return {"text": reply.text, "choices": [[c.id, c.label, c.msgid] for c in reply.choices],
            "question": reply.question, "hint": reply.hint.value if reply.hint else None,
            "qr_reference": reply.qr_reference, "photo": _bytes(reply.photo), "document": _bytes(reply.document),
            "delete_after": reply.delete_after, "deep_link": reply.deep_link, "link_qr": reply.link_qr,
            "voice": reply.voice}


def _reply_of(data: dict[str, Any]) -> Reply:
    return Reply(data["text"], [Choice(*c) for c in data["choices"]], question=data["question"],
                 hint=Hint(data["hint"]) if data["hint"] else None, qr_reference=data["qr_reference"],
                 photo=_pair(data["photo"]), document=_pair(data["document"]), delete_after=data["delete_after"],
                 deep_link=data["deep_link"], link_qr=data["link_qr"], voice=data["voice"])


# -- the send budget ------------------------------------------------------------------

class SendBudget:
    """At most ``per_second`` messages a second for one bot, across every
    process sharing the store (0: no limit)."""

    def __init__(self, store: Any, per_second: float, bot: str = "telegram",
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.limit = int(per_second)
        self.bot = bot
        self.clock = clock
        self.taken = 0  # slots this process took
        #: each bot's (second, count), where no other process shares the budget
        self._counts: dict[str, tuple[int, int]] = {}

    async def take(self, priority: int = REPLY, bot: str | None = None) -> None:
        """Wait for a slot of this second (or the next ones) for a message of
        ``priority``, sent by ``bot`` (its id; each bot has a budget of its own)."""
        if self.limit <= 0:
            return
        share = max(1, int(self.limit * SHARE[priority]))
        while True:
            now = self.clock()
            if await self._slot(bot or self.bot, int(now), share):
                self.taken += 1
                return
            await asyncio.sleep(max(0.01, int(now) + 1 - self.clock()))

    async def _slot(self, bot: str, second: int, share: int) -> bool:
        if not getattr(self.store, "shared", False):  # one process (SQLite): counted here, no database work
            seen, sent = self._counts.get(bot, (0, 0))
            sent = sent if seen == second else 0
            if sent >= share:
                return False
            self._counts[bot] = (second, sent + 1)
            return True
        return await self.store.transact(rows.take_slot, bot, second, share)

    async def forget_old(self) -> None:
        if getattr(self.store, "shared", False):
            await self.store.transact(rows.forget_slots, int(self.clock()) - 60)


# -- the outbox ---------------------------------------------------------------------

class Outbox:
    """Writes messages to the store and delivers them through ``deliver``
    (the notifier's, which picks the user's channel: True when handed over)."""

    def __init__(self, store: Any, deliver: Callable[[Notice], Any], budget: SendBudget | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        #: the bodies are encrypted at rest with the store's key
        self.keyring = getattr(store, "keyring", None)
        self._deliver = deliver
        self.budget = budget
        self.clock = clock
        #: the id of the bot that reaches a user (several bots: ``bot.channels.telegram.bots``), for its budget
        self.bot_of: Callable[[str], Awaitable[str]] | None = None
        self._kicked = asyncio.Event()
        self._running: asyncio.Task | None = None
        #: messages delivered, and dropped after their last retry, by this process
        self.delivered = 0
        self.dropped = 0

    async def put(self, notices: Iterable[Notice], priority: int = NOTICE) -> int:
        """Write ``notices`` (inside the caller's unit of work, if one is
        open: they commit with it). Returns how many."""
        written = [(n.user_id, priority, encode(n, self.keyring)) for n in notices if n.replies]
        if written:
            await self.store.transact(rows.put, written, self.clock())
        return len(written)

    async def send(self, notice: Notice, priority: int = NOTICE) -> bool:
        """Write one message and deliver it soon (the jobs' way to send)."""
        await self.put([notice], priority)
        self.kick()
        return True

    # -- a worker's replies: written with the answer, sent at once under their lock

    def replies(self, user_id: str, turn: str, lang: str, replies: list[Reply]) -> rows.Replies:
        """The outbox row of the replies to one update (``Store.save_draft``'s
        ``replies``), claimed by this process, which sends them at once."""
        return rows.Replies(user_id, REPLY, encode(Notice(user_id, lang, replies), self.keyring), turn,
                            self.clock() + LEASE)

    async def sent(self, turn: str) -> None:
        """The replies of ``turn`` went out: forget them, before the worker's
        lock is let go (so another process, given the same update, does not
        send them again). Not waited for on disk (PostgreSQL): lost in a
        crash, the replies are sent again, at least once."""
        await self.store.transact(rows.sent, turn)

    async def unsent_replies(self, user_id: str) -> tuple[list[Reply], list[str]]:
        """The user's replies whose process died before sending them, and
        their turns (read under the user's lock)."""
        found = await self.store.query(rows.users_replies, user_id)
        replies: list[Reply] = []
        for row in found:
            try:
                replies += decode(user_id, row["body"], self.keyring).replies
            except Exception as exc:  # sealed with a key since rotated: the question is asked again instead
                log.warning("a worker's kept replies could not be read: %s", type(exc).__name__)
        return replies, [row["turn"] for row in found]

    async def _deliver_stale_replies(self) -> int:
        """Replies a dead process wrote and did not send, each user's under their lock."""
        done = 0
        for user_id in await self.store.query(rows.stale_replies, self.clock() - STALE_REPLIES, BATCH):
            async with self.store.user_lock(user_id):
                for row in await self.store.query(rows.users_replies, user_id):
                    await self._take(REPLY, user_id)
                    try:
                        handed = await self._deliver(decode(user_id, row["body"], self.keyring))
                    except Exception as exc:
                        log.warning("a worker's replies could not be delivered: %s", type(exc).__name__)
                        handed = False
                    await self.store.transact(rows.sent, row["turn"])  # once: sent, or lost with the channel
                    done += int(handed)
        return done

    def kick(self) -> None:
        """Deliver what is waiting, now, in the background (after a commit)."""
        if self._running is None or self._running.done():
            self._running = asyncio.create_task(self.deliver_waiting(), name="outbox")
        else:
            self._kicked.set()

    async def drain(self) -> None:
        """Wait for a delivery under way (tests; a stopping process)."""
        while self._running is not None and not self._running.done():
            await asyncio.shield(self._running)

    async def deliver_waiting(self) -> int:
        """Claim and deliver every row due, in order of priority; how many were delivered."""
        done = await self._deliver_stale_replies()
        while True:
            self._kicked.clear()
            claimed = await self.store.transact(rows.claim, self.clock(), LEASE, BATCH)
            for row in claimed:
                done += await self._one(row)
            if not claimed and not self._kicked.is_set():
                return done

    async def _take(self, priority: int, user_id: str) -> None:
        if self.budget is not None:
            await self.budget.take(priority, await self.bot_of(user_id) if self.bot_of is not None else None)

    async def _one(self, row: Any) -> int:
        await self._take(row["priority"], row["user_id"])
        try:
            handed = await self._deliver(decode(row["user_id"], row["body"], self.keyring))
        except Exception as exc:  # the notifier logs and counts its own failures; anything else: later
            log.warning("an outbox message could not be delivered: %s", type(exc).__name__)
            handed = False
        if handed or row["attempts"] >= len(RETRY_AFTER):
            await self.store.transact(rows.delivered, row["id"])
            if handed:
                self.delivered += 1
            else:
                self.dropped += 1
                log.warning("an outbox message was dropped after %d attempts; %d so far",
                            row["attempts"] + 1, self.dropped)
            return int(handed)
        await self.store.transact(rows.later, row["id"], self.clock() + RETRY_AFTER[row["attempts"]])
        return 0

    async def deliver_forever(self, every: float = ROUND) -> None:
        """Deliver, every ``every`` seconds, what no process is delivering
        (left by a process that died, or due again after a refusal)."""
        while True:
            try:
                await self.deliver_waiting()
                if self.budget is not None:
                    await self.budget.forget_old()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the store away for a moment: the next round tries again
                log.warning("the outbox round failed: %s", type(exc).__name__)
            await asyncio.sleep(every)
