"""Logging set-up with a last line of defence for personal data and secrets.

Code never logs answers; this filter also masks, in every record, any long
number (Aadhaar, bank account and mobile numbers however they are written:
see ``bot.domain.personal_numbers``, the same test the address guard uses),
so a mistake elsewhere cannot put one in a log, and any Telegram bot token
(``123456:AAE...``, e.g. inside a Bot API URL).
The HTTP client's per-request lines (which carry the token in the URL) are
not logged at all below WARNING.
"""
from __future__ import annotations

import logging
import re

from bot.domain import personal_numbers

_BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
_QUIET = ("httpx", "httpcore")  # request lines with the token in the URL


def redact(text: str) -> str:
    text = _BOT_TOKEN.sub("[token removed]", text)
    return personal_numbers.redact(text)


class RedactPersonalNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.exc_info:
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = redact(record.exc_text)
            record.msg, record.args = cleaned, None
        return True


def setup_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactPersonalNumbers())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
