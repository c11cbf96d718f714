"""Sending an engine ``Outcome`` through the Bot API.

- A closed question of the form (gender, sector, yes/no...) gets a reply
  keyboard of large buttons; pressing one sends its label as text, which the
  engine matches in either language.
- Review, edit, resume and delete questions get inline buttons whose
  callback data is "<question>:<choice id>", so a button from an old message
  is recognised as stale.
- A free-text question removes any reply keyboard left from the last one;
  the mobile question offers a "share my number" (request_contact) button.
- Notes before a question go in the same message as the question.
- A reply that carries an application reference is followed by its QR code:
  a deep link that opens this bot with the reference, for the CSC to scan.

Messages are plain text (no parse mode), so nothing a worker typed can
break the formatting.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import replace

import segno
from telegram import (Bot, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton,
                      ReplyKeyboardMarkup, ReplyKeyboardRemove)
from telegram.error import TelegramError

from bot.channels.telegram import texts
from bot.flow.engine import Choice, Outcome, Reply
from bot.flow.steps import STEP_BY_KEY, Hint
from bot.i18n import translate

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
MAX_MESSAGE = 4096  # Telegram's limit for one message's text


def _rows(labels: Sequence, width: int) -> list[list]:
    return [list(labels[i:i + width]) for i in range(0, len(labels), width)]


def buttons_per_row(choices: Sequence[Choice]) -> int:
    """Short labels side by side, long ones a row each, so every label stays readable."""
    longest = max((len(c.label) for c in choices), default=0)
    return 3 if longest <= 10 else 2 if longest <= 20 else 1


def markup_for(reply: Reply, lang: str) -> Markup | None:
    if reply.question is None:
        return None
    width = buttons_per_row(reply.choices)
    if reply.question not in STEP_BY_KEY:  # review, edit, resume, delete: inline buttons
        buttons = [InlineKeyboardButton(c.label, callback_data=f"{reply.question}:{c.id}")
                   for c in reply.choices]
        return InlineKeyboardMarkup(_rows(buttons, width))
    buttons = [KeyboardButton(c.label) for c in reply.choices]
    if reply.hint is Hint.CONTACT:
        buttons.insert(0, KeyboardButton(translate(lang, texts.SHARE_MY_NUMBER), request_contact=True))
        width = 1
    if not buttons:
        return ReplyKeyboardRemove()
    return ReplyKeyboardMarkup(_rows(buttons, width), resize_keyboard=True, one_time_keyboard=True)


def qr_png(link: str) -> bytes:
    """The QR code of ``link`` as PNG. Mask pattern fixed: choosing the "best"
    mask doubles the time to make it, and any mask scans."""
    buf = io.BytesIO()
    segno.make(link, error="m", mask=0).save(buf, kind="png", scale=6, border=4)
    return buf.getvalue()


def reference_link(bot_username: str, reference: str) -> str:
    return f"https://t.me/{bot_username}?start={reference}"


def messages_of(outcome: Outcome) -> list[Reply]:
    """The replies as chat messages: a note ("Aadhaar number noted", "a PIN
    code has 6 digits") goes in one message with the question after it, so a
    worker gets one message per answer (and the bot spends less of
    Telegram's send rate); a QR code or a message too long to join stays apart."""
    messages: list[Reply] = []
    for reply in outcome.replies:
        last = messages[-1] if messages else None
        if last is not None and last.question is None and last.qr_reference is None \
                and len(last.text) + len(reply.text) + 2 <= MAX_MESSAGE:
            messages[-1] = replace(reply, text=f"{last.text}\n\n{reply.text}")
        else:
            messages.append(reply)
    return messages


async def send_outcome(bot: Bot, chat_id: int, outcome: Outcome, lang: str) -> None:
    for reply in messages_of(outcome):
        await bot.send_message(chat_id, reply.text, reply_markup=markup_for(reply, lang))
        if reply.qr_reference:
            photo = qr_png(reference_link(bot.username, reply.qr_reference))
            await bot.send_photo(chat_id, photo, filename=f"{reply.qr_reference}.png",
                                 caption=translate(lang, texts.QR_CAPTION, reference=reply.qr_reference))


async def quietly(what: str, call) -> None:
    """A call whose failure must not stop the reply (deleting a message,
    removing old buttons): log the error's kind, never its content."""
    try:
        await call
    except TelegramError as exc:
        log.warning("could not %s: %s", what, type(exc).__name__)
