"""No personal data reaches the log at any level, DEBUG included: not the
parameters and results of Bot API calls that python-telegram-bot logs
(names, addresses, what a worker typed), not an update it logs, not the
HTTP client's lines, not an Aadhaar written with non-breaking or zero-width
separators (also when a library logs it escaped, as ``\\xa0`` or
``\\u200b``)."""
from __future__ import annotations

import io
import json
import logging

import pytest

from bot.channels.telegram.app import build_application, start_application
from bot.config import Settings
from bot.logs import redact, setup_logging
from tests.telegram.fake_bot_api import FakeBotAPI, Updates

NAME = "राम कुमार सैनी"
ADDRESS = "मकान 12, गली 3, ज्वालापुर"
AADHAAR_DIGITS = "234123412346"
AADHAAR_SPACED = "2341\u00a02341\u200b2346"        # non-breaking and zero-width separators
SECRETS = (NAME, "राम", "सैनी", ADDRESS, "ज्वालापुर", "2341", "\\u0930")  # \u0930: र escaped (JSON)


@pytest.fixture
def debug_output():
    """The bot's log handler at DEBUG, writing to a buffer; the root
    logger's handlers and levels as they were afterwards."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    names = ("httpx", "httpcore", "aiosqlite", "asyncpg", "telegram")
    levels = {name: logging.getLogger(name).level for name in names}
    buffer = io.StringIO()
    try:
        setup_logging(logging.DEBUG)
        root.handlers[0].setStream(buffer)
        yield buffer
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)


def assert_clean(output: str) -> None:
    for secret in SECRETS:
        assert secret not in output, f"{secret!r} reached the log"
    assert not any(run in output.replace("\\xa0", " ").replace("\\u200b", "") for run in
                   ("2341 2341 2346", AADHAAR_DIGITS))


async def test_bot_api_calls_at_debug_keep_no_personal_data(debug_output, tmp_path) -> None:
    api = FakeBotAPI()
    app = build_application(Settings(bot_token="123456:TEST", data_dir=tmp_path, _env_file=None), None,
                            request=api)
    await start_application(app)
    try:
        text = f"{NAME}\n{ADDRESS}\nआधार {AADHAAR_SPACED}"
        await app.bot.send_message(424242, text)                          # parameters and the result
        update = Updates(app.bot).text(Updates.user(424242, "hi"), text)
        api.pending_updates = [update.to_dict()]
        await app.bot.get_updates(offset=None, timeout=0)                 # the updates PTB receives
    finally:
        await app.shutdown()
    output = debug_output.getvalue()
    assert "sendMessage" in output and "getUpdates" in output            # DEBUG still says what was called
    assert_clean(output)


def test_records_as_python_telegram_bot_and_the_http_client_emit_them(debug_output) -> None:
    update = {"update_id": 1, "message": {"text": f"{NAME} {AADHAAR_SPACED}", "from": {"first_name": NAME}}}
    logging.getLogger("telegram.ext.Application").debug("Processing update %s", update)
    logging.getLogger("telegram.ext.Application").critical("Error while building CallbackContext for update %s. "
                                                           "Update will not be processed.", update)
    logging.getLogger("telegram.ext.Updater").debug("Webhook received data: %s", json.dumps(update))
    logging.getLogger("telegram.request.BaseRequest").error('Can not load invalid JSON data: "%s"', ADDRESS)
    logging.getLogger("telegram.Bot").debug("Calling Bot API endpoint `%s` with parameters `%s`", "sendMessage",
                                            {"chat_id": 1, "text": f"{ADDRESS} {AADHAAR_SPACED}"})
    logging.getLogger("httpcore.http11").debug("send_request_body.complete %s", NAME)
    logging.getLogger("httpx").info("HTTP Request: POST %s %s", "https://api.telegram.org/bot1:x/sendMessage", NAME)
    logging.getLogger("aiosqlite").debug("executing %s", f"partial(execute, 'INSERT', ('{NAME}',))")
    logging.getLogger("bot.example").debug("worker typed %s", repr(AADHAAR_SPACED))  # our own, escaped
    output = debug_output.getvalue()
    assert "Processing update" in output and "Calling Bot API endpoint `sendMessage`" in output
    assert_clean(output)


@pytest.mark.parametrize("written", ["2341\\xa02341\\xa02346", "2341\\u200b2341\\u200b2346",
                                     "2341\\u00a02341\\u2060 2346", "2341 2341 \\u0968\\u0969\\u096a\\u096c"])
def test_an_escaped_separator_does_not_hide_a_number(written: str) -> None:
    assert "2341" not in redact(f"typed '{written}'")


def test_other_escapes_stay_as_they_are() -> None:
    assert redact("path C:\\new\\x41 and \\u0930") == "path C:\\new\\x41 and \\u0930"
