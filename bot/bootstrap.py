"""One start for every way the bot runs (``shram-sahayak run``, ``webhook``
and ``console``): settings -> store -> registration -> dispatcher, the
notifier every channel registers its sender with, and the background jobs.
Every runner gets the same dispatcher (the same admins, digest hour and
default language); runners differ only in their channel:

    async with running(settings) as bot:
        app = build_application(settings, bot.dispatcher, notifier=bot.notifier)
        bot.start_jobs()     # once the channel can send: the jobs send through the notifier
        ...                  # serve

The console (one person at a terminal) starts no jobs: its process reaches
console users only, so a reminder or a day's digest it claimed (each is
claimed once across processes) would never reach the Telegram users it is
for; the bot's own processes (polling, webhook) run them.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot import jobs
from bot.outbox import Outbox, SendBudget
from bot.config import Settings
from bot.dispatch import Dispatcher, parse_admins
from bot.i18n import default_language
from bot.notify import Notifier
from bot.service import Registration
from bot.store import Store, open_store

#: seconds a stopping process gives its jobs to end their step
JOBS_STOP_WAIT = 5.0


def build_dispatcher(settings: Settings, store: Store) -> Dispatcher:
    """Registration, desk and reports behind the one entry every channel calls."""
    return Dispatcher(Registration(store, default_lang=settings.default_language),
                      admins=parse_admins(settings.admins), digest_hour=settings.digest_hour)


@dataclass
class Runtime:
    """What a runner serves with; ``close`` when done."""
    settings: Settings
    store: Store
    dispatcher: Dispatcher
    notifier: Notifier
    jobs: list[asyncio.Task] = field(default_factory=list)
    #: the messages waiting to be delivered (``bot.outbox``), shared by the notifier and the desk
    outbox: Outbox | None = None

    def start_jobs(self) -> None:
        """Housekeeping, reminders, the daily digest (``bot.jobs``) and the
        outbox's rounds, once; call it after the channel has registered its sender."""
        if not self.jobs:
            self.jobs = jobs.start(self.store, self.notifier,
                                   default_lang=self.settings.default_language or default_language(),
                                   digest_hour=self.settings.digest_hour)
            if self.outbox is not None:
                self.jobs.append(asyncio.create_task(self.outbox.deliver_forever(), name="outbox"))

    async def stop_jobs(self) -> None:
        """Stop the jobs (each ends at its next await); before the channel stops."""
        for job in self.jobs:
            job.cancel()
        if self.jobs:
            await asyncio.wait(self.jobs, timeout=JOBS_STOP_WAIT)
        self.jobs = []

    async def close(self) -> None:
        """Stop the jobs and close the store."""
        await self.stop_jobs()
        await self.store.close()


async def open_runtime(settings: Settings | None = None, *, notifier: Notifier | None = None) -> Runtime:
    """Open the store named by ``settings`` (default: the environment's) and
    build the dispatcher; ``notifier``: one a channel has registered with
    already (default: a new one)."""
    settings = settings if settings is not None else Settings()
    store = await open_store(settings)
    runtime = Runtime(settings, store, build_dispatcher(settings, store), notifier or Notifier())
    runtime.outbox = Outbox(store, runtime.notifier.deliver, SendBudget(store, settings.max_messages_per_second))
    runtime.notifier.outbox = runtime.dispatcher.outbox = runtime.dispatcher.registration.outbox = runtime.outbox
    return runtime


@asynccontextmanager
async def running(settings: Settings | None = None, *,
                  notifier: Notifier | None = None) -> AsyncIterator[Runtime]:
    """``open_runtime``, closed at the end of the block."""
    runtime = await open_runtime(settings, notifier=notifier)
    try:
        yield runtime
    finally:
        await runtime.close()
