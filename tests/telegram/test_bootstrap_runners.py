"""Every way the bot runs (long polling, the webhook server, the console)
starts from the one bootstrap: each gets a dispatcher built from the same
settings (admins, digest hour, default language), and serves a settings
admin their desk with it. Polling and the webhook start the background
jobs once Telegram can send; the console starts none."""
from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from telegram import Bot

from bot import bootstrap
from bot import jobs as bot_jobs
from bot.channels import console
from bot.channels.telegram.runners import run_polling, webhook_app
from bot.config import Settings
from bot.desk import messages as m
from bot.dispatch import Dispatcher
from bot.i18n import translate
from bot.notify import Notifier
from bot.store import open_store
from tests.telegram.fake_bot_api import FakeBotAPI, Updates
from tests.telegram.test_webhook import start

ADMIN = 555  # a Telegram user named in the settings
SECRET = "s3cret-token_for-the-webhook-123"


def settings_for(tmp_path: Path) -> Settings:
    return Settings(bot_token="123456:TEST", data_dir=tmp_path, webhook_secret=SECRET, _env_file=None,
                    admins=f"{ADMIN}, console:ram", digest_hour=6, default_language="en",
                    max_messages_per_second=0)


@pytest.fixture
def built(monkeypatch) -> tuple[list[Dispatcher], list[Notifier]]:
    """The dispatchers the bootstrap builds, and the notifiers jobs were started with."""
    dispatchers: list[Dispatcher] = []
    started: list[Notifier] = []
    build, start_jobs = bootstrap.build_dispatcher, bot_jobs.start

    def spy_build(settings: Settings, store) -> Dispatcher:
        dispatchers.append(build(settings, store))
        return dispatchers[-1]

    def spy_jobs(store, notifier: Notifier, **kwargs) -> list[asyncio.Task]:
        started.append(notifier)
        return start_jobs(store, notifier, **kwargs)

    monkeypatch.setattr(bootstrap, "build_dispatcher", spy_build)
    monkeypatch.setattr(bot_jobs, "start", spy_jobs)
    return dispatchers, started


def admin_start() -> dict:
    """An admin's /start, as Telegram hands it out (their Telegram set to no language)."""
    return Updates(Bot("123456:TEST")).text(Updates.user(ADMIN, language_code=None), "/start").to_dict()


async def until(condition, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("not reached in time")


async def test_every_runner_gets_the_same_dispatcher_from_the_bootstrap(tmp_path: Path, built) -> None:
    dispatchers, started = built
    settings = settings_for(tmp_path)
    desk_intro = translate("en", m.DESK_HELP_INTRO)

    polling_api = FakeBotAPI()
    polling_api.pending_updates.append(admin_start())
    stop = asyncio.Event()
    polling = asyncio.create_task(run_polling(settings, request=polling_api, stop=stop))
    await until(lambda: polling_api.sent_texts(ADMIN))
    stop.set()
    await asyncio.wait_for(polling, 10)
    assert desk_intro in polling_api.sent_texts(ADMIN)[0]

    webhook_api = FakeBotAPI()
    served = webhook_app(settings, request=webhook_api)
    assert await start(served) == {"type": "lifespan.startup.complete"}
    try:
        await served.application.process_update(
            Updates(served.application.bot, first_id=50).text(Updates.user(ADMIN, language_code=None), "/start"))
        assert desk_intro in webhook_api.sent_texts(ADMIN)[0]
        assert served.application.bot_data["channel"].registration is dispatchers[1]
    finally:
        await served._stop()

    out = io.StringIO()
    await console.run(settings, "ram", stdin=io.StringIO("/start\n"), stdout=out)
    assert desk_intro in out.getvalue()

    assert len(dispatchers) == 3  # one each, all built by the bootstrap
    configured = {(d.admins, d.digest_hour, d.default_lang, type(d.store), type(d.registration))
                  for d in dispatchers}
    assert len(configured) == 1
    admins, digest_hour, default_lang, _, _ = configured.pop()
    assert (admins, digest_hour, default_lang) == (frozenset({f"tg:{ADMIN}", "console:ram"}), 6, "en")

    # polling and the webhook started the jobs, each after Telegram could send; the console none
    assert len(started) == 2 and all(notifier.reaches(f"tg:{ADMIN}") for notifier in started)


async def test_a_console_session_runs_no_jobs_and_closes_its_store(tmp_path: Path, built) -> None:
    dispatchers, started = built
    settings = settings_for(tmp_path)
    await console.run(settings, "local", stdin=io.StringIO("/status\n"), stdout=io.StringIO())
    assert started == [] and len(dispatchers) == 1
    alone = await open_store(settings, exclusive=True)  # refused while another store holds the database
    await alone.close()
