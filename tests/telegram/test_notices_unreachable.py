"""Messages for other users go through the notifier (``bot.notify``), from
whichever channel the acting user came: a message for a user no sender here
reaches (a walk-in, who has no chat; a Telegram user while only the console
runs) is logged at INFO, without the user's id, and counted; never dropped
silently. A sender that fails is logged and counted too, and the others'
messages still go."""
from __future__ import annotations

import io
import logging
from pathlib import Path

from bot import addresses
from bot.channels.console import run_console
from bot.channels.telegram.app import build_application, start_application
from bot.config import Settings
from bot.messages import Notice, Outcome, Reply
from bot.notify import Notifier
from tests.telegram.fake_bot_api import FakeBotAPI, Updates

WORKER, OTHER = 4242, 4343


def notices() -> list[Notice]:
    return [Notice(f"tg:{OTHER}", "en", [Reply("approved")]),
            Notice(addresses.new_walkin("abcdefgh"), "en", [Reply("for the walk-in")]),
            Notice("console:ram", "en", [Reply("for the console")])]


class Acting:
    """A registration whose every answer tells three other users something."""

    store = None

    async def handle(self, user_id, inp, *, default_lang=None, update_key=None, deliver=None) -> Outcome:
        out = Outcome(None, [Reply("done")], notices=notices())
        if deliver is not None:
            await deliver(out)
        return out


async def test_a_notice_nobody_here_can_deliver_is_logged_and_counted(caplog) -> None:
    notifier = Notifier()
    caplog.set_level(logging.INFO, logger="bot.notify")
    assert await notifier.send(notices()[1]) is False
    assert await notifier.send_text("tg:77", "hi", "नमस्ते") is False
    assert notifier.unreachable == {"walkin": 1, "tg": 1}
    said = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert said == [(logging.INFO, "a message for a walkin user was not sent (they have no chat); 1 so far"),
                    (logging.INFO, "a message for a tg user was not sent (that channel does not run here); "
                                   "1 so far")]


async def test_a_failing_sender_is_counted_and_the_rest_still_go(caplog) -> None:
    notifier, got = Notifier(), []

    async def flaky(notice: Notice) -> None:
        if notice.replies[0].text == "blocked":
            raise RuntimeError("Forbidden: bot was blocked by the user")
        got.append(notice.user_id)

    notifier.register(addresses.TELEGRAM, flaky)
    sent = await notifier.send_all([Notice("tg:1", "en", [Reply("blocked")]), Notice("tg:2", "en", [Reply("hi")])])
    assert sent == 1 and got == ["tg:2"] and notifier.failed == {"tg": 1}
    assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "bot.notify"] == [
        (logging.WARNING, "a message for a tg user could not be sent: RuntimeError; 1 so far")]


async def test_the_telegram_channel_sends_notices_through_the_notifier(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.notify")
    api = FakeBotAPI()
    notifier = Notifier()
    app = build_application(Settings(bot_token="123456:TEST", data_dir=tmp_path, _env_file=None), Acting(),
                            request=api, notifier=notifier)
    await start_application(app)
    try:
        await app.process_update(Updates(app.bot).text(Updates.user(WORKER), "hello"))
    finally:
        await app.shutdown()
    assert app.bot_data["notifier"] is notifier
    assert api.sent_texts(WORKER) == ["done"] and api.sent_texts(OTHER) == ["approved"]
    assert notifier.unreachable == {"walkin": 1, "console": 1}   # reported, not lost
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.notify"]
    assert len(logged) == 2 and not any("abcdefgh" in line or "ram" in line for line in logged)


async def test_the_console_prints_its_own_users_notices_and_reports_the_others() -> None:
    notifier, out = Notifier(), io.StringIO()
    await run_console(Acting(), "console:local", stdin=io.StringIO(""), stdout=out, notifier=notifier)
    shown = out.getvalue()
    assert "done" in shown and "[to console:ram] for the console" in shown
    assert "approved" not in shown and "walk-in" not in shown
    assert notifier.unreachable == {"tg": 1, "walkin": 1}
