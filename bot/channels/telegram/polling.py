"""Long polling (``shram-sahayak run``): fetch updates, apply them, and
confirm an update to Telegram (by asking for a later offset) only once it
and every update before it are applied. If the process dies, Telegram hands
out again whatever was not confirmed and the store's record of applied
updates skips what was already done: nothing is lost, nothing happens twice.

Updates are applied concurrently (different users at once, each user's
updates in order, held by the user's lock). The poller does not wait for
all of them before it looks for new ones: while some are still being applied
(one user's backlog of quick messages, each waiting for that user's lock),
it asks again every ``REFETCH_EVERY`` seconds, with the offset still at the
oldest unfinished update, and starts only the updates it has not started
yet. So one user's backlog does not hold up another user's new message,
within the window Telegram hands out: getUpdates returns at most 100 updates
from the offset, so behind a flood of more than 100 another user's message
is reached once the flooder's admitted updates are applied. The flood
control (``flood``) admits at most ``MAX_IN_PROGRESS`` (8) of one user's
updates at once and, once it drops one, nothing more of that flood: the
wait is a few of the flooder's turns whatever the flood's length.
"""
from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress

from telegram.error import Conflict, InvalidToken, NetworkError, TimedOut
from telegram.ext import Application

from bot.channels.telegram.incoming import ALLOWED_UPDATES

log = logging.getLogger(__name__)

POLL_TIMEOUT = 30  # seconds Telegram holds a getUpdates open when there is nothing new
MAX_BACKOFF = 30
#: seconds between looks for new updates while earlier ones are still being applied
REFETCH_EVERY = 0.25


async def apply_batch(app: Application, updates) -> None:
    """Apply ``updates`` concurrently and wait for all of them (the flood
    control drops a flooding user's excess at once, so this is quick)."""
    await asyncio.gather(*(app.process_update(update) for update in updates))


class _InFlight:
    """The updates started and not yet confirmed to Telegram."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.running: dict[int, asyncio.Task] = {}
        self.finished: set[int] = set()   # applied, but an older one is still running
        self.newest: int | None = None    # the newest update id started

    def start(self, updates) -> None:
        for update in updates:
            uid = update.update_id
            if uid in self.running or uid in self.finished:
                continue  # started already (Telegram hands it out until it is confirmed)
            self.running[uid] = asyncio.create_task(self.app.process_update(update))
            self.newest = uid if self.newest is None else max(self.newest, uid)

    def collect(self) -> None:
        for uid, task in list(self.running.items()):
            if task.done():
                del self.running[uid]
                self.finished.add(uid)
                if not task.cancelled() and task.exception() is not None:
                    error = task.exception()
                    log.error("update %s failed: %s", uid, type(error).__name__)
        offset = self.offset()
        if offset is not None:
            self.finished = {uid for uid in self.finished if uid >= offset}

    def offset(self) -> int | None:
        """What to ask Telegram for: confirms every update before it."""
        if self.running:
            return min(self.running)
        return None if self.newest is None else self.newest + 1

    async def settle(self, seconds: float | None) -> None:
        """Wait until every running update is applied, or ``seconds`` pass."""
        if self.running:
            await asyncio.wait(list(self.running.values()), timeout=seconds)
        self.collect()


async def poll(app: Application, stop: asyncio.Event, *, timeout: int = POLL_TIMEOUT) -> None:
    """Poll until ``stop`` is set. The application must be initialised."""
    bot = app.bot
    await bot.delete_webhook(drop_pending_updates=False)
    log.info("polling as @%s", bot.username)
    flight = _InFlight(app)
    backoff = 1.0
    stopping = asyncio.create_task(stop.wait())
    try:
        while not stop.is_set():
            await flight.settle(REFETCH_EVERY)  # at once if nothing is running
            busy = bool(flight.running)          # then only look for new updates, do not wait for them
            fetch = asyncio.create_task(bot.get_updates(
                offset=flight.offset(), timeout=0 if busy else timeout, allowed_updates=ALLOWED_UPDATES,
                read_timeout=timeout + 10))
            await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not fetch.done():
                fetch.cancel()
                with suppress(asyncio.CancelledError):
                    await fetch
                break
            try:
                updates = fetch.result()
            except InvalidToken:
                raise
            except Conflict:
                log.error("another process is polling with this token (or a webhook is set); retrying")
                await _sleep(stop, MAX_BACKOFF)
                continue
            except (NetworkError, TimedOut) as exc:
                log.warning("getUpdates failed (%s); retrying in %.0f s", type(exc).__name__, backoff)
                await _sleep(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            flight.start(updates)
        await flight.settle(None)  # what was started is applied before stopping
        if flight.offset() is not None:  # confirm it, so a restart does not see it again
            with suppress(NetworkError, TimedOut):
                await bot.get_updates(offset=flight.offset(), timeout=0, allowed_updates=ALLOWED_UPDATES)
    finally:
        stopping.cancel()


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
