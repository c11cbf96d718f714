"""The bot's background jobs, apart from any channel: housekeeping
(``housekeeping``), reminders for stale drafts (``reminders``) and the
officials' daily digest (``digest``). Every bot process runs them all
(``start``, called by ``bot.bootstrap``); each round, each reminder and each
day's digest is claimed in the store first, so it is done once however many
processes run. What they send goes through the notifier (``bot.notify``),
which knows the channels.
"""
from __future__ import annotations

import asyncio
import os
import socket
from functools import partial

from bot.jobs.digest import digest_loop
from bot.jobs.housekeeping import housekeeping
from bot.jobs.reminders import remind_forever
from bot.notify import Notifier
from bot.outbox import BULK
from bot.store.contract import Store

__all__ = ["runner_name", "start"]


def runner_name() -> str:
    """This process, as the store's job runs name it: "<host>:<pid>"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def start(store: Store, notifier: Notifier, *, default_lang: str, digest_hour: int,
          runner: str | None = None) -> list[asyncio.Task]:
    """Housekeeping, reminders and the daily digest, as tasks of the running
    loop (cancel them to stop)."""
    runner = runner or runner_name()
    return [asyncio.create_task(housekeeping(store, runner), name="housekeeping"),
            asyncio.create_task(remind_forever(store, notifier.send_text, runner=runner,
                                               default_lang=default_lang), name="reminders"),
            asyncio.create_task(digest_loop(store, partial(notifier.send, priority=BULK), digest_hour, runner),
                                name="digest")]
