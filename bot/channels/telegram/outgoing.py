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
- A reply that carries a voice note (a worker's answer, played to the CSC
  operator) is followed by it, sent again by its file id (``sendVoice``).

A text longer than Telegram's limit for one message (``MAX_MESSAGE``: a
long ``/trail``, ``/staff`` or list of bad CSV rows) goes as several
messages, split at line boundaries (``split_text``); the buttons go under
the last part, and a message to be deleted later is deleted in every part.

Messages are plain text (no parse mode), so nothing a worker typed can
break the formatting.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from telegram import (Bot, BotCommand, BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton,
                      Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, TelegramObject)
from telegram.error import TelegramError

from bot import addresses
from bot.channels.telegram import texts
from bot.qr import qr_png
from bot.messages import Choice, Hint, Notice, Outcome, Reply
from bot.flow.steps import STEP_BY_KEY
from bot.i18n import translate

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
MAX_MESSAGE = 4096  # Telegram's limit for one message's text (UTF-16 code units, counted as such)


def text_length(text: str) -> int:
    """``text``'s length as Telegram counts it: UTF-16 code units (an emoji
    outside the Basic Multilingual Plane counts twice)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split_text(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """``text`` as messages of at most ``limit`` (as Telegram counts it):
    whole lines where they fit; a single line longer than the limit is cut
    at its last space that fits, else (one very long word) exactly at the
    limit. Only the space a line is cut at and blank lines at the edges of
    a part are left out."""
    if text_length(text) <= limit:
        return [text]
    parts: list[str] = []
    lines: list[str] = []
    size = -1  # length of "\n".join(lines)
    for line in text.split("\n"):
        for piece in _pieces(line, limit):
            length = text_length(piece)
            if lines and size + 1 + length > limit:
                parts.append("\n".join(lines))
                lines, size = [], -1
            lines.append(piece)
            size += 1 + length
    if lines:
        parts.append("\n".join(lines))
    return [part.strip("\n") for part in parts if part.strip()]


def _pieces(line: str, limit: int) -> list[str]:
    """A line cut into pieces of at most ``limit``, at spaces where possible."""
    pieces = []
    while text_length(line) > limit:
        fits, used = 0, 0
        for ch in line:
            used += 2 if ord(ch) > 0xFFFF else 1
            if used > limit:
                break
            fits += 1
        space = line.rfind(" ", 0, fits + 1)
        if space > 0:
            pieces.append(line[:space])
            line = line[space + 1:]
        else:
            pieces.append(line[:fits])
            line = line[fits:]
    pieces.append(line)
    return pieces


def _rows(labels: Sequence, width: int) -> list[list]:
    return [list(labels[i:i + width]) for i in range(0, len(labels), width)]


def buttons_per_row(choices: Sequence[Choice]) -> int:
    """Short labels side by side, long ones a row each, so every label stays readable."""
    longest = max((len(c.label) for c in choices), default=0)
    return 3 if longest <= 10 else 2 if longest <= 20 else 1


class _Prepared(TelegramObject):
    """A keyboard is built once per question, choices and language (see
    ``markup_for``) and sent many times: its JSON form is worked out once
    too, instead of on every send."""
    __slots__ = ()
    _as_dict: dict

    def _prepare(self) -> None:
        with self._unfrozen():
            self._as_dict = super().to_dict()

    def to_dict(self, recursive: bool = True) -> dict:
        return self._as_dict if recursive else super().to_dict(recursive)


class _ReplyKeyboard(_Prepared, ReplyKeyboardMarkup):
    __slots__ = ("_as_dict",)


class _InlineKeyboard(_Prepared, InlineKeyboardMarkup):
    __slots__ = ("_as_dict",)


class _NoKeyboard(_Prepared, ReplyKeyboardRemove):
    __slots__ = ("_as_dict",)


def markup_for(reply: Reply, lang: str) -> Markup | None:
    if reply.question is None:
        return None
    return _markup(reply.question, tuple(reply.choices), reply.hint, lang)


@lru_cache(maxsize=2048)
def _markup(question: str, choices: tuple[Choice, ...], hint: Hint | None, lang: str) -> Markup:
    width = buttons_per_row(choices)
    markup: _Prepared
    if question not in STEP_BY_KEY:  # review, edit, resume, delete: inline buttons
        buttons = [InlineKeyboardButton(c.label, callback_data=f"{question}:{c.id}") for c in choices]
        markup = _InlineKeyboard(_rows(buttons, width))
    else:
        keys = [KeyboardButton(c.label) for c in choices]
        if hint is Hint.CONTACT:
            keys.insert(0, KeyboardButton(translate(lang, texts.SHARE_MY_NUMBER), request_contact=True))
            width = 1
        markup = _ReplyKeyboard(_rows(keys, width), resize_keyboard=True, one_time_keyboard=True) if keys \
            else _NoKeyboard()
    markup._prepare()
    return markup


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
                and last.photo is None and last.document is None and last.deep_link is None and last.voice is None \
                and last.delete_after is None and reply.delete_after is None \
                and len(last.text) + len(reply.text) + 2 <= MAX_MESSAGE:
            messages[-1] = replace(reply, text=f"{last.text}\n\n{reply.text}")
        else:
            messages.append(reply)
    return messages


def notice_sender(bot: Bot) -> Callable[[Notice], Awaitable[None]]:
    """How a notice reaches a Telegram user (``bot.notify``): their private
    chat, through the bot and its rate limiter; with their new command menu
    if it changed."""
    async def send(notice: Notice) -> None:
        chat = chat_of(notice.user_id)
        if chat is None:
            raise ValueError("not a Telegram user id")
        await send_replies(bot, chat, notice.replies, notice.lang)
        if notice.menu is not None:
            await set_chat_menu(bot, chat, notice.menu)
    return send


async def set_chat_menu(bot: Bot, chat_id: int, menu: list[tuple[str, str]]) -> None:
    """A staff user's own command menu in their chat: ``menu``'s commands,
    or (``[]``, a role taken away) the everyday menu every private chat has."""
    if menu:
        await quietly("set a chat's command menu", bot.set_my_commands(
            [BotCommand(name, about[:256]) for name, about in menu], scope=BotCommandScopeChat(chat_id)))
    else:
        await quietly("reset a chat's command menu", bot.delete_my_commands(scope=BotCommandScopeChat(chat_id)))


def chat_of(user_id: str) -> int | None:
    """The private chat of a Telegram user; None for users of other channels."""
    return addresses.telegram_chat(user_id)


async def send_replies(bot: Bot, chat_id: int, replies: list[Reply], lang: str) -> None:
    """``lang``: the language of the chat's own texts (QR caption, share button)."""
    for reply in messages_of(Outcome(None, replies)):
        shown = lang
        body = reply.text
        if reply.deep_link:
            body += "\n" + reference_link(bot.username, reply.deep_link)
        for message_id in await send_text(bot, chat_id, body, reply_markup=markup_for(reply, shown)):
            if reply.delete_after is not None:
                delete_later(bot, chat_id, message_id, reply.delete_after)
        if reply.deep_link and reply.link_qr:  # large enough to print on a banner
            await bot.send_photo(chat_id, qr_png(reference_link(bot.username, reply.deep_link), scale=12),
                                 filename=f"{reply.deep_link}.png")
        if reply.qr_reference:
            photo = qr_png(reference_link(bot.username, reply.qr_reference))
            await bot.send_photo(chat_id, photo, filename=f"{reply.qr_reference}.png",
                                 caption=translate(shown, texts.QR_CAPTION, reference=reply.qr_reference))
        if reply.photo is not None:
            await bot.send_photo(chat_id, reply.photo[1], filename=reply.photo[0])
        if reply.document is not None:
            await bot.send_document(chat_id, reply.document[1], filename=reply.document[0])
        if reply.voice is not None:
            await bot.send_voice(chat_id, reply.voice)


async def send_text(bot: Bot, chat_id: int, text: str, reply_markup: Markup | None = None) -> list[int]:
    """``text`` as one message, or several if it is too long for one (see
    ``split_text``), the buttons under the last; the ids of the messages
    sent. The channel's bot (``app.ShramBot``) sends them without making
    PTB's Message of each answer (its ``send_text``); any other sends them
    with ``send_message``."""
    quick = getattr(bot, "send_text", None)
    if quick is not None:
        return await quick(chat_id, text, reply_markup)
    parts = split_text(text)
    sent = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        message: Message | None = await bot.send_message(chat_id, part, reply_markup=reply_markup if last else None)
        if message is not None:  # (a stand-in bot of a test may return nothing)
            sent.append(message.message_id)
    return sent


#: deletions waiting for their time (kept referenced until done)
_LATER: set[asyncio.Task] = set()


def delete_later(bot: Bot, chat_id: int, message_id: int, seconds: float) -> None:
    """Delete a sent message after ``seconds`` (a revealed Aadhaar), in the
    background. If the process stops first, the message stays: Telegram
    offers no timed deletion, so operators are told to expect it."""
    async def wait_and_delete() -> None:
        await asyncio.sleep(seconds)
        await quietly("delete a revealed number", bot.delete_message(chat_id, message_id))

    task = asyncio.get_running_loop().create_task(wait_and_delete())
    _LATER.add(task)
    task.add_done_callback(_LATER.discard)


async def quietly(what: str, call) -> None:
    """A call whose failure must not stop the reply (deleting a message,
    removing old buttons): log the error's kind, never its content."""
    try:
        await call
    except TelegramError as exc:
        log.warning("could not %s: %s", what, type(exc).__name__)
