"""``shram-sahayak erase``: erase a worker's data for them, when the request
comes another way than the bot's own ``/delete`` (a letter, a visit to a
CSC, an official's instruction).

    shram-sahayak erase --reference SS-7K4M-9PQ2 --by "CSC Haridwar, request of 25/11"
    shram-sahayak erase --user tg:123456789 --by ...

It deletes what ``/delete`` deletes (draft, application, vault entries, the
worker's id in the audit trail and elsewhere, SQLite's write-ahead log) and
records the erasure, with ``--by``, in the audit trail.

With SQLite, run it with the bot stopped: a running bot keeps recent
workers' rows in memory and would write them back at the worker's next
message. So it is refused while anything has the database open (its lock
file, ``bot.store.in_use``), and nothing is erased. PostgreSQL's processes
keep nothing of a worker in memory past the worker's lock, which the erasure
takes: there it runs with the bot running.
"""
from __future__ import annotations

import argparse

from bot.config import ConfigError, Settings
from bot.store import DatabaseInUse, open_store

IN_USE = ("the bot is running on this database: stop it first, or have the worker send /delete. "
          "Nothing was erased")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--reference", help="the worker's application reference (SS-XXXX-XXXX)")
    who.add_argument("--user", help="the worker's user id (tg:<Telegram id>)")
    parser.add_argument("--by", required=True, help="who asked and how, for the audit trail")


async def erase(settings: Settings, args: argparse.Namespace) -> None:
    try:
        store = await open_store(settings, exclusive=True)
    except DatabaseInUse:
        raise ConfigError(IN_USE) from None
    try:
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
        async with store.user_lock(user_id):  # PostgreSQL: not in the middle of the worker's turn
            await store.erase_user(user_id, by=f"cli:{args.by}")
    finally:
        await store.close()
    print(f"erased the worker's draft, application{f' {reference}' if reference else ''} and vault entries")
