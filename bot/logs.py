"""Logging set-up with a last line of defence for personal data and secrets,
at every level, DEBUG included.

Code never logs answers; this filter also masks, in every record, any long
number (Aadhaar, bank account and mobile numbers however they are written:
see ``bot.domain.personal_numbers``, the same test the address guard uses,
also when a library logged the text escaped, ``2341\\xa02341\\u200b2346``),
so a mistake elsewhere cannot put one in a log, and any Telegram bot token
(``123456:AAE...``, e.g. inside a Bot API URL).

Libraries log what they send and receive, which no number mask can clean
(names, addresses, whatever a worker typed):

- python-telegram-bot logs every Bot API call's parameters and result at
  DEBUG (``Calling Bot API endpoint `sendMessage` with parameters ...``),
  updates it processes or receives, and a response it cannot parse: in a
  record of a ``telegram`` logger, at any level, every argument that is not a
  number or a Bot API method's name is replaced by its kind (``<dict>``), so
  DEBUG still says which method was called and nothing of what it carried;
- the HTTP client's per-request lines (the token in the URL, bodies at
  DEBUG) are not logged below WARNING, nor are the database drivers' DEBUG
  lines (the statements and their parameters) below INFO.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from bot.domain import personal_numbers

_BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
_QUIET = ("httpx", "httpcore")           # request lines with the token in the URL, bodies at DEBUG
_QUIET_DEBUG = ("aiosqlite", "asyncpg")  # statements and their parameters at DEBUG
#: loggers whose records carry what was sent and received (see the module's doc)
_PAYLOAD_LOGGER = "telegram"
#: a character written as an escape (repr: \xa0, \u200b, \n; JSON: \u00a0)
_ESCAPED = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([nrtvf]))")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "v": "\v", "f": "\f"}
#: what an escape may stand for inside a number: a digit, a space or line break, an invisible character
_NUMBER_PARTS = ("Nd", "Zs", "Zl", "Zp", "Cc", "Cf")


def _unescape(found: re.Match) -> str:
    if found.group(4):
        return _SIMPLE[found.group(4)]
    code = int(found.group(1) or found.group(2) or found.group(3), 16)
    if code > 0x10FFFF:
        return found.group()
    char = chr(code)
    return char if unicodedata.category(char) in _NUMBER_PARTS else found.group()


def redact(text: str) -> str:
    text = _BOT_TOKEN.sub("[token removed]", text)
    if "\\" in text:  # a digit, space, line break or invisible character written as an escape
        unescaped = _ESCAPED.sub(_unescape, text)
        if unescaped != text and personal_numbers.holds_personal_number(unescaped):
            return personal_numbers.redact(unescaped)  # (the escapes are shown unescaped then)
    return personal_numbers.redact(text)


@lru_cache(maxsize=1)
def _bot_api_methods() -> frozenset[str]:
    """The Bot API's method names (``sendMessage``...), as PTB spells them."""
    from telegram import Bot
    return frozenset(name for name in dir(Bot) if name[:1].islower() and not name.islower() and "_" not in name)


def _kept(arg: object) -> object:
    if isinstance(arg, type):
        return arg.__name__
    if isinstance(arg, (bool, int, float)) or (isinstance(arg, str) and arg in _bot_api_methods()):
        return arg
    return f"<{type(arg).__name__}>"


def strip_payload(record: logging.LogRecord) -> None:
    """In a record of a ``telegram`` logger: only numbers and method names
    of its arguments stay; a message that is not a format string goes too."""
    if not isinstance(record.msg, str):
        record.msg, record.args = f"<{type(record.msg).__name__}>", None
        return
    if isinstance(record.args, Mapping):
        record.args = {key: _kept(value) for key, value in record.args.items()}
    elif record.args:
        record.args = tuple(_kept(arg) for arg in record.args)


class RedactPersonalNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == _PAYLOAD_LOGGER or record.name.startswith(_PAYLOAD_LOGGER + "."):
            strip_payload(record)
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
    for name in _QUIET_DEBUG:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
