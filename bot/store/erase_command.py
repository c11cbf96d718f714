"""``shram-sahayak erase``: erase a worker's data for them, when the request
comes another way than the bot's own ``/delete`` (a letter, a visit to a
CSC, an official's instruction).

    shram-sahayak erase --reference SS-7K4M-9PQ2 --by "CSC Haridwar, request of 25/11"
    shram-sahayak erase --user tg:123456789 --by ...

It deletes what ``/delete`` deletes (draft, application, vault entries, the
worker's id in the audit trail and elsewhere, SQLite's write-ahead log) and
records the erasure, with ``--by``, in the audit trail (the actor
``cli:<by>``). The trail outlives the worker's data, so ``--by`` must not
name them: one holding a long number (a mobile, Aadhaar or account
number, or a Telegram id), a user id (``tg:``, ``walkin:``) or the erased
worker's own id is refused, and nothing is erased.

With SQLite, run it with the bot stopped: a running bot keeps recent
workers' rows in memory and would write them back at the worker's next
message. So it is refused while anything has the database open (its lock
file, ``bot.store.in_use``), and nothing is erased. PostgreSQL's processes
keep nothing of a worker in memory past the worker's lock, which the erasure
takes: there it runs with the bot running.
"""
from __future__ import annotations

import argparse
import re

from bot import addresses
from bot.config import ConfigError, Settings
from bot.domain.personal_numbers import holds_personal_number, normalise
from bot.store import DatabaseInUse, open_store

#: how user ids begin (``bot.addresses``): none belongs in ``--by``
USER_ID_PREFIXES = tuple(addresses.prefix(channel) for channel in
                         (addresses.TELEGRAM, addresses.CONSOLE, addresses.WALKIN))
BY_NAMES_SOMEONE = ("--by goes into the audit trail, which outlives the worker's data: it must not name "
                    "the worker. Leave out user ids and long numbers, e.g. --by \"CSC Haridwar, letter of 25/11\". "
                    "Nothing was erased")
BY_EMPTY = "--by is empty: say who asked for the erasure and how, e.g. --by \"CSC Haridwar, letter of 25/11\""
IN_USE = ("the bot is running on this database: stop it first, or have the worker send /delete. "
          "Nothing was erased")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--reference", help="the worker's application reference (SS-XXXX-XXXX)")
    who.add_argument("--user", help=f"the worker's user id ({addresses.prefix(addresses.TELEGRAM)}<Telegram id>)")
    parser.add_argument("--by", required=True, help="who asked and how, for the audit trail")


def check_by(by: str, user_id: str | None = None) -> str:
    """``--by`` as it goes into the trail, or ConfigError if it is empty or
    may name a worker: a long number, a user id, ``user_id`` itself (or,
    for ``tg:<n>``, the number ``n`` on its own)."""
    text = normalise(by).strip()
    if not text:
        raise ConfigError(BY_EMPTY)
    folded = text.casefold()
    names = holds_personal_number(text) or any(prefix in folded for prefix in USER_ID_PREFIXES)
    if user_id and not names:
        number = addresses.local_id(user_id, addresses.TELEGRAM) or ""
        names = user_id.casefold() in folded or (
            number.isdigit() and re.search(rf"(?<!\d){re.escape(number)}(?!\d)", text) is not None)
    if names:
        raise ConfigError(BY_NAMES_SOMEONE)
    return by.strip()


async def erase(settings: Settings, args: argparse.Namespace) -> None:
    by = check_by(args.by, args.user.strip() if args.user else None)
    try:
        store = await open_store(settings, exclusive=True)
    except DatabaseInUse:
        raise ConfigError(IN_USE) from None
    try:
        reference: str | None
        if args.reference:
            application = await store.get_application(args.reference.strip().upper())
            if application is None:
                raise ConfigError("no application has this reference: nothing was erased")
            user_id, reference = application.user_id, application.reference
        else:
            user_id = args.user.strip()
            application = await store.application_for_user(user_id)
            reference = application.reference if application else None
            if application is None and await store.load_draft(user_id) is None:
                raise ConfigError("no data is held for this user: nothing was erased")
        check_by(by, user_id)
        async with store.user_lock(user_id):  # PostgreSQL: not in the middle of the worker's turn
            await store.erase_user(user_id, by=f"cli:{by}")
    finally:
        await store.close()
    print(f"erased the worker's draft, application{f' {reference}' if reference else ''} and vault entries")
