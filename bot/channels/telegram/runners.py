"""The two ways the Telegram bot runs: long polling (``run_polling``) and a
webhook server (``run_webhook``). Both start from ``bot.bootstrap`` (store,
dispatcher, notifier, background jobs); here only the Telegram side is
added: an Application for each bot of the settings (``telegram_bots``),
all in one roster (``bots``) that registers Telegram's sender with the
notifier and one flood control, and how updates arrive: every bot's
getUpdates loop in this process, or every bot's webhook path on one server."""
from __future__ import annotations

import asyncio
import logging

import uvicorn
from telegram.ext import Application
from telegram.request import BaseRequest

from bot.bootstrap import Runtime, open_runtime, running
from bot.channels.telegram.app import build_application, start_application
from bot.channels.telegram.bots import BotRoster
from bot.channels.telegram.flood import FloodControl
from bot.channels.telegram.incoming import ALLOWED_UPDATES
from bot.channels.telegram.polling import poll, stop_on_signals
from bot.channels.telegram.webhook import Endpoint, WebhookApp
from bot.config import Settings, TelegramBot
from bot.dispatch import Dispatcher
from bot.notify import Notifier

log = logging.getLogger(__name__)


def build_applications(settings: Settings, bots: tuple[TelegramBot, ...], dispatcher: Dispatcher | None,
                       notifier: Notifier, roster: BotRoster, *,
                       request: BaseRequest | None = None) -> list[Application]:
    """One Application per bot, sharing the dispatcher, the notifier, the
    roster and one flood control (a user is one user whichever bot they
    write to)."""
    flood = FloodControl()
    return [build_application(settings, dispatcher, request=request, flood=flood, notifier=notifier,
                              telegram_bot=bot, roster=roster) for bot in bots]


async def run_polling(settings: Settings, *, request: BaseRequest | None = None,
                      stop: asyncio.Event | None = None) -> None:
    """Poll every bot until SIGINT/SIGTERM (or ``stop`` is set). ``request``:
    how to reach the Bot API (default: PTB's HTTPX client)."""
    telegram_bots = settings.telegram_bots()  # fail before opening anything if there is no bot
    async with running(settings) as bot:
        apps = build_applications(settings, telegram_bots, bot.dispatcher, bot.notifier, BotRoster(bot.store),
                                  request=request)
        try:
            for app in apps:
                await start_application(app)
            bot.start_jobs()
            if stop is None:
                stop = asyncio.Event()
                stop_on_signals(stop)
            await poll_all(apps, stop)
            log.info("stopped polling")
        finally:
            await bot.stop_jobs()
            for app in apps:
                await app.shutdown()


async def poll_all(apps: list[Application], stop: asyncio.Event) -> None:
    """Every bot's getUpdates loop (``polling.poll``) until ``stop``; if one
    fails (a token Telegram refuses), the others stop too, having applied
    and confirmed what they had started."""
    loops = [asyncio.create_task(poll(app, stop)) for app in apps]
    try:
        await asyncio.gather(*loops)
    finally:
        stop.set()
        await asyncio.gather(*loops, return_exceptions=True)


def webhook_app(settings: Settings, *, request: BaseRequest | None = None) -> WebhookApp:
    """The ASGI app, every bot on its own path; the store opens and each
    bot's webhook is registered at start-up. ``request``: how to reach the
    Bot API (default: PTB's HTTPX client)."""
    telegram_bots = settings.webhook_bots()
    notifier = Notifier()
    roster = BotRoster()
    state: dict[str, Runtime] = {}

    async def startup() -> None:
        bot = state["bot"] = await open_runtime(settings, notifier=notifier)
        roster.store = bot.store
        if bot.outbox is not None:  # (the bots joined the roster before the outbox existed)
            bot.outbox.bot_of = roster.bot_for
        try:
            for telegram_bot, app in zip(telegram_bots, apps, strict=True):
                app.bot_data["channel"].registration = bot.dispatcher
                await start_application(app)
                if telegram_bot.webhook_url:
                    await app.bot.set_webhook(telegram_bot.webhook_url, secret_token=telegram_bot.webhook_secret,
                                              allowed_updates=ALLOWED_UPDATES, max_connections=40)
                    log.info("webhook registered for @%s", app.bot.username)
                else:
                    log.info("serving webhook for @%s (SHRAM_WEBHOOK_URL not set: not registering it)",
                             app.bot.username)
        except BaseException:  # no shutdown follows a failed start-up: close what was opened
            for app in apps:
                await app.shutdown()
            await state.pop("bot").close()
            raise
        bot.start_jobs()

    async def shutdown() -> None:
        bot = state.pop("bot", None)
        try:
            if bot is not None:
                await bot.stop_jobs()
            for app in apps:
                await app.shutdown()
        finally:
            if bot is not None:
                await bot.close()

    # the registration arrives with the store, at start-up
    apps = build_applications(settings, telegram_bots, None, notifier, roster, request=request)
    first, *others = telegram_bots
    return WebhookApp(apps[0], secret=first.webhook_secret or "", path=first.webhook_path,
                      startup=startup, shutdown=shutdown,
                      more=[Endpoint(app, other.webhook_secret or "", other.webhook_path)
                            for other, app in zip(others, apps[1:], strict=True)])


def run_webhook(settings: Settings, host: str, port: int) -> None:
    config = uvicorn.Config(webhook_app(settings), host=host, port=port, lifespan="on",
                            log_config=None, proxy_headers=True, access_log=False)
    uvicorn.Server(config).run()
