"""The outbox's rows (migration 11): messages for users, written in the
transaction of the change that causes them and deleted once delivered
(``bot.outbox`` delivers them), and the per-second send counts that give
each bot one send budget across processes.

A row is claimed by the process delivering it until ``claimed_until``
(PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so several processes share the
rows and never take the same one); a row whose claim ran out (its process
died) is delivered by another. Rows come in order of priority (replies,
then notices, then bulk), then of writing.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.store.core import iso
from bot.store.sql import Statement, Txn, all_rows, one, run


def put(rows: Sequence[tuple[str, int, str]], now: datetime) -> Txn[None]:
    """Write messages: (user id, priority, body) each."""
    for user_id, priority, body in rows:
        yield run("INSERT INTO outbox (user_id, priority, body, created_at, due_at) VALUES (?, ?, ?, ?, ?)",
                  user_id, priority, body, iso(now), iso(now))


@dataclass(frozen=True)
class Replies:
    """A worker's replies to one update, written with the update's answer
    and claimed until ``claimed_until`` by the process that sends them at once."""
    user_id: str
    priority: int
    body: str
    turn: str
    claimed_until: datetime


def put_replies(replies: Replies, now: datetime) -> Statement:
    """The row of ``replies`` (a statement for the save's batch)."""
    return run("INSERT INTO outbox (user_id, priority, body, created_at, due_at, claimed_until, turn)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)", replies.user_id, replies.priority, replies.body, iso(now), iso(now),
               iso(replies.claimed_until), replies.turn)


def sent(turn: str) -> Txn[None]:
    """The replies of ``turn`` went out (PostgreSQL: not waited for on disk;
    lost in a crash, they are sent again)."""
    yield run("SELECT 1", pg="SET LOCAL synchronous_commit TO OFF")
    yield run("DELETE FROM outbox WHERE turn = ?", turn)


def users_replies(user_id: str) -> Txn[list[Any]]:
    """The user's replies not yet sent, oldest first (read under the user's
    lock: the process that wrote them died before sending them)."""
    return (yield all_rows("SELECT id, user_id, priority, body, attempts, turn FROM outbox"
                           " WHERE user_id = ? AND turn IS NOT NULL ORDER BY id", user_id))


def stale_replies(before: datetime, limit: int) -> Txn[list[str]]:
    """Users with replies written before ``before`` and still not sent."""
    rows = yield all_rows("SELECT DISTINCT user_id FROM outbox WHERE turn IS NOT NULL AND created_at < ?"
                          " LIMIT ?", iso(before), limit)
    return [row["user_id"] for row in rows]


_NEXT = ("SELECT id FROM outbox WHERE turn IS NULL AND due_at <= ?"
         " AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY priority, id LIMIT ?")


def claim(now: datetime, lease: timedelta, limit: int) -> Txn[list[Any]]:
    """Up to ``limit`` rows due and not claimed by a live process, claimed
    for ``lease``: [(id, user_id, priority, body, attempts)]. Not the
    workers' replies: those are sent under their user's lock
    (``claim_users_replies``, ``stale_replies``)."""
    rows = yield all_rows(_NEXT, iso(now), iso(now), limit, pg=_NEXT + " FOR UPDATE SKIP LOCKED")
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    yield run(f"UPDATE outbox SET claimed_until = ? WHERE id IN ({marks})", iso(now + lease), *ids)
    return (yield all_rows(f"SELECT id, user_id, priority, body, attempts FROM outbox WHERE id IN ({marks})"
                           " ORDER BY priority, id", *ids))


def delivered(row_id: int) -> Txn[None]:
    yield run("DELETE FROM outbox WHERE id = ?", row_id)


def later(row_id: int, due: datetime) -> Txn[None]:
    """Delivery failed: try again at ``due``."""
    yield run("UPDATE outbox SET attempts = attempts + 1, due_at = ?, claimed_until = NULL WHERE id = ?",
              iso(due), row_id)


def waiting() -> Txn[int]:
    """How many messages wait to be delivered."""
    row = yield one("SELECT count(*) AS n FROM outbox")
    return int(row["n"])


def take_slot(bot: str, second: int, limit: int) -> Txn[bool]:
    """One message of ``bot``'s budget in ``second`` (a Unix second), if fewer
    than ``limit`` went in it already, across every process."""
    row = yield one("INSERT INTO send_slots (bot, second, sent) VALUES (?, ?, 1)"
                    " ON CONFLICT (bot, second) DO UPDATE SET sent = send_slots.sent + 1"
                    " WHERE send_slots.sent < ? RETURNING sent", bot, second, limit)
    return row is not None


def forget_slots(before_second: int) -> Txn[int]:
    return (yield run("DELETE FROM send_slots WHERE second < ?", before_second))
