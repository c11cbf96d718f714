"""Long polling (``shram-sahayak run``): fetch a batch of updates, apply it,
and only then confirm it by asking for the next offset. If the process dies
mid-batch, Telegram hands the batch out again and the store's record of
applied updates skips what was already done: nothing is lost, nothing
happens twice.

A batch is applied concurrently (different users at once, each user's
updates in order, held by the user's lock).
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


async def apply_batch(app: Application, updates) -> None:
    await asyncio.gather(*(app.process_update(update) for update in updates))


async def poll(app: Application, stop: asyncio.Event, *, timeout: int = POLL_TIMEOUT) -> None:
    """Poll until ``stop`` is set. The application must be initialised."""
    bot = app.bot
    await bot.delete_webhook(drop_pending_updates=False)
    log.info("polling as @%s", bot.username)
    offset: int | None = None
    backoff = 1.0
    stopping = asyncio.create_task(stop.wait())
    try:
        while not stop.is_set():
            fetch = asyncio.create_task(bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES, read_timeout=timeout + 10))
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
            if updates:
                await apply_batch(app, updates)
                offset = updates[-1].update_id + 1
        if offset is not None:  # confirm the last batch, so a restart does not see it again
            with suppress(NetworkError, TimedOut):
                await bot.get_updates(offset=offset, timeout=0, allowed_updates=ALLOWED_UPDATES)
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
