"""No Aadhaar, account or mobile number reaches a log line, even by mistake."""
import logging

import pytest

from bot.logs import RedactPersonalNumbers, redact


@pytest.mark.parametrize("text", ["aadhaar 234123412346", "2341 2341 2346", "call +91 98765 43210",
                                  "acct 50100234567891", "९८७६५४३२१०", "mobile 98765-43210"])
def test_numbers_are_masked(text: str) -> None:
    assert not any(ch.isdigit() for ch in redact(text).replace("91", "")), redact(text)


@pytest.mark.parametrize("text", ["applied schema migration 3", "PIN 249401", "took 12.5 ms", "SS-7K4M-9PQ2",
                                  "update 123456 handled"])
def test_ordinary_numbers_stay(text: str) -> None:
    assert redact(text) == text


def test_filter_masks_messages_args_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactPersonalNumbers())
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("user typed %s", "234123412346")
        try:
            raise ValueError("bad account 50100234567891")
        except ValueError:
            logger.exception("failed")
    text = caplog.text
    assert "234123412346" not in text and "50100234567891" not in text
    assert text.count("[number removed]") >= 2


def test_bot_tokens_are_masked() -> None:
    line = 'HTTP Request: POST https://api.telegram.org/bot7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe'
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in redact(line) and "7123456789" not in redact(line)


def test_http_client_request_lines_are_not_logged() -> None:
    from bot.logs import setup_logging
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging()
        assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
