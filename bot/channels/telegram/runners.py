"""The two ways the Telegram bot runs: long polling (``run_polling``) and a
webhook server (``run_webhook``). Both start from ``bot.bootstrap`` (store,
dispatcher, notifier, background jobs); here only the Telegram side is
added: the Application, which registers Telegram's sender with the
notifier, and how updates arrive."""
from __future__ import annotations

import asyncio
import logging

import uvicorn
from telegram.request import BaseRequest

from bot.bootstrap import Runtime, open_runtime, running
from bot.channels.telegram.app import build_application, start_application
from bot.channels.telegram.incoming import ALLOWED_UPDATES
from bot.channels.telegram.polling import poll, stop_on_signals
from bot.channels.telegram.webhook import WebhookApp
from bot.config import Settings
from bot.notify import Notifier

log = logging.getLogger(__name__)


async def run_polling(settings: Settings, *, request: BaseRequest | None = None,
                      stop: asyncio.Event | None = None) -> None:
    """Poll until SIGINT/SIGTERM (or ``stop`` is set). ``request``: how to
    reach the Bot API (default: PTB's HTTPX client)."""
    settings.token()  # fail before opening anything if there is no token
    async with running(settings) as bot:
        app = build_application(settings, bot.dispatcher, request=request, notifier=bot.notifier)
        try:
            await start_application(app)
            bot.start_jobs()
            if stop is None:
                stop = asyncio.Event()
                stop_on_signals(stop)
            await poll(app, stop)
            log.info("stopped polling")
        finally:
            await bot.stop_jobs()
            await app.shutdown()


def webhook_app(settings: Settings, *, request: BaseRequest | None = None) -> WebhookApp:
    """The ASGI app; the store opens and the webhook is registered at start-up.
    ``request``: how to reach the Bot API (default: PTB's HTTPX client)."""
    secret = settings.secret_for_webhook()
    settings.token()
    notifier = Notifier()
    state: dict[str, Runtime] = {}

    async def startup() -> None:
        bot = state["bot"] = await open_runtime(settings, notifier=notifier)
        app.bot_data["channel"].registration = bot.dispatcher
        try:
            await start_application(app)
            if settings.webhook_url:
                await app.bot.set_webhook(settings.webhook_url, secret_token=secret,
                                          allowed_updates=ALLOWED_UPDATES, max_connections=40)
                log.info("webhook registered for @%s", app.bot.username)
            else:
                log.info("serving webhook for @%s (SHRAM_WEBHOOK_URL not set: not registering it)",
                         app.bot.username)
        except BaseException:  # no shutdown follows a failed start-up: close what was opened
            await state.pop("bot").close()
            raise
        bot.start_jobs()

    async def shutdown() -> None:
        bot = state.pop("bot", None)
        try:
            if bot is not None:
                await bot.stop_jobs()
            await app.shutdown()
        finally:
            if bot is not None:
                await bot.close()

    # the registration arrives with the store, at start-up
    app = build_application(settings, None, request=request, notifier=notifier)
    return WebhookApp(app, secret=secret, path=settings.webhook_path, startup=startup, shutdown=shutdown)


def run_webhook(settings: Settings, host: str, port: int) -> None:
    config = uvicorn.Config(webhook_app(settings), host=host, port=port, lifespan="on",
                            log_config=None, proxy_headers=True, access_log=False)
    uvicorn.Server(config).run()
