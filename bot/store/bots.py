"""The bot each Telegram user is reached through, when one deployment runs
several bots (``bot.channels.telegram.bots``): table ``user_bots``
(migration 12), one row per user, naming a bot by its id.

A worker keeps the bot they first wrote to: every message to them (the
desk's notices, reminders) goes through it, as a bot may not write first to
someone who never opened it, and it is the bot whose budget their camp or
CSC was given. Staff (in the ``staff`` table: operators, officials, admins
made on the desk) may use any bot; theirs is the bot they last wrote to.
Written by ``wrote_to`` in one statement, whichever the user is; erased with
the worker (``bot.store.core.forget_user``).
"""
from __future__ import annotations

from datetime import datetime

from bot.store.sql import Txn, one, run


def wrote_to(user_id: str, bot: str, now: datetime) -> Txn[None]:
    """``user_id`` wrote to ``bot`` (its id): recorded if they have no bot
    yet; moved to it if they are staff."""
    yield run("INSERT INTO user_bots (user_id, bot, noted_at) VALUES (?, ?, ?)"
              " ON CONFLICT (user_id) DO UPDATE SET bot = excluded.bot, noted_at = excluded.noted_at"
              " WHERE user_bots.bot <> excluded.bot"
              " AND EXISTS (SELECT 1 FROM staff WHERE staff.user_id = excluded.user_id)",
              user_id, bot, now.isoformat())


def bot_of(user_id: str) -> Txn[str | None]:
    """The id of the bot that reaches ``user_id``; None if none is recorded
    (they wrote before the bot was recorded, or never)."""
    row = yield one("SELECT bot FROM user_bots WHERE user_id = ?", user_id)
    return row["bot"] if row is not None else None


def forget(user_id: str) -> Txn[None]:
    """Drop the user's record (their erasure)."""
    yield run("DELETE FROM user_bots WHERE user_id = ?", user_id)
