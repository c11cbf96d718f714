"""Wiring settings -> store -> service -> Application, for the two ways the
bot runs: long polling (``run_polling``) and a webhook server
(``run_webhook``). Both also forget applied-update ids once Telegram can no
longer redeliver them (it keeps an update at most 24 hours), and run the
reminders for stale drafts (``bot.reminders``; once across processes)."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import logging
import os
import socket
from datetime import timedelta

import uvicorn
from telegram.request import BaseRequest

from bot.channels.telegram.app import build_application, start_application
from bot.channels.telegram.incoming import ALLOWED_UPDATES
from bot.channels.telegram.outgoing import chat_of, send_replies
from bot.channels.telegram.polling import poll, stop_on_signals
from bot.channels.telegram.webhook import WebhookApp
from bot.config import Settings
from bot.domain.models import utcnow
from bot.messages import Notice
from bot.reminders import Send, remind_forever
from bot.reports.digest import digest_loop
from bot.dispatch import Dispatcher, parse_admins
from bot.service import Registration
from bot.store import aadhaar_checks, desk, jobs
from bot.store import Store, open_store

log = logging.getLogger(__name__)

KEEP_APPLIED = timedelta(days=2)
KEEP_JOB_RUNS = timedelta(days=7)
HOUSEKEEPING_EVERY = 300  # seconds


async def housekeep_once(store: Store, runner: str) -> bool:
    """One round of housekeeping, if no other process has taken this slot:
    forget old update ids and job runs, put applications whose lease ran
    out back in the queue. True if this process ran it."""
    now = utcnow()
    slot = now.replace(second=0, microsecond=0, minute=now.minute - now.minute % (HOUSEKEEPING_EVERY // 60))
    if not await store.transact(jobs.claim_slot, "housekeeping", slot.isoformat(), runner, now):
        return False
    forgotten = await store.forget_applied(now - KEEP_APPLIED)
    if forgotten:
        log.info("forgot %d old update ids", forgotten)
    await store.transact(jobs.forget_runs, now - KEEP_JOB_RUNS)
    await store.transact(aadhaar_checks.forget_old, now)
    released = await store.transact(desk.release_expired, now)
    if released:
        log.info("put %d applications with an expired lease back in the queue", released)
    return True


async def housekeeping(store: Store, runner: str = "") -> None:
    """Housekeeping every few minutes, each round run by one process only."""
    while True:
        try:
            await housekeep_once(store, runner or f"{socket.gethostname()}:{os.getpid()}")
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the next round tries again
            log.warning("housekeeping failed: %s", type(exc).__name__)
        await asyncio.sleep(HOUSEKEEPING_EVERY)


def reminder_sender(app) -> Send:
    """How reminders reach a Telegram user (``tg:<id>``: a private chat of the same id),
    through the bot and its rate limiter; other channels' users are skipped."""
    async def send(user_id: str, lang: str, text: str) -> bool:
        if not user_id.startswith("tg:"):
            return False
        await app.bot.send_message(int(user_id[3:]), text)
        return True
    return send


def notice_sender(app) -> Callable[[Notice], Awaitable[None]]:
    """How a digest reaches an official: their private chat, through the rate limiter."""
    async def send(notice: Notice) -> None:
        chat = chat_of(notice.user_id)
        if chat is not None:
            await send_replies(app.bot, chat, notice.replies, notice.lang)
    return send


def background_jobs(store: Store, app, settings: Settings) -> list[asyncio.Task]:
    """Housekeeping, reminders and the officials' daily digest, in every
    process (each round of housekeeping, each reminder and each day's digest
    is done once)."""
    runner = f"{socket.gethostname()}:{os.getpid()}"
    return [asyncio.create_task(housekeeping(store, runner)),
            asyncio.create_task(remind_forever(store, reminder_sender(app), runner=runner,
                                               default_lang=settings.default_language)),
            asyncio.create_task(digest_loop(store, notice_sender(app), settings.digest_hour, runner))]


def dispatcher(settings: Settings, store: Store) -> Dispatcher:
    """Registration, desk and reports behind the one entry the channel calls."""
    return Dispatcher(Registration(store, default_lang=settings.default_language),
                      admins=parse_admins(settings.admins), digest_hour=settings.digest_hour)


async def run_polling(settings: Settings) -> None:
    settings.token()  # fail before opening anything if there is no token
    store = await open_store(settings)
    app = build_application(settings, dispatcher(settings, store))
    jobs = background_jobs(store, app, settings)
    try:
        await start_application(app)
        stop = asyncio.Event()
        stop_on_signals(stop)
        await poll(app, stop)
        log.info("stopped polling")
    finally:
        for job in jobs:
            job.cancel()
        await app.shutdown()
        await store.close()


def webhook_app(settings: Settings, *, request: BaseRequest | None = None) -> WebhookApp:
    """The ASGI app; the store opens and the webhook is registered at start-up.
    ``request``: how to reach the Bot API (default: PTB's HTTPX client)."""
    secret = settings.secret_for_webhook()
    settings.token()
    state: dict = {}

    async def startup() -> None:
        store = state["store"] = await open_store(settings)
        app.bot_data["channel"].registration = dispatcher(settings, store)
        await start_application(app)
        state["jobs"] = background_jobs(store, app, settings)
        if settings.webhook_url:
            await app.bot.set_webhook(settings.webhook_url, secret_token=secret,
                                      allowed_updates=ALLOWED_UPDATES, max_connections=40)
            log.info("webhook registered for @%s", app.bot.username)
        else:
            log.info("serving webhook for @%s (SHRAM_WEBHOOK_URL not set: not registering it)",
                     app.bot.username)

    async def shutdown() -> None:
        for job in state.get("jobs", []):
            job.cancel()
        await app.shutdown()
        if "store" in state:
            await state["store"].close()

    app = build_application(settings, None, request=request)  # the registration arrives with the store
    return WebhookApp(app, secret=secret, path=settings.webhook_path, startup=startup, shutdown=shutdown)


def run_webhook(settings: Settings, host: str, port: int) -> None:
    config = uvicorn.Config(webhook_app(settings), host=host, port=port, lifespan="on",
                            log_config=None, proxy_headers=True, access_log=False)
    uvicorn.Server(config).run()
