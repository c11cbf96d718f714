"""The channel's bot sends a text without making PTB's Message of
Telegram's answer (``ShramBot.send_text``): what it sends must be exactly
what ``send_message`` sends for the same text and buttons, with the bot's
defaults or without, split the same way; it gives back the message ids."""
from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, LinkPreviewOptions, ReplyKeyboardMarkup
from telegram.ext import Defaults

from bot.channels.telegram.app import ShramBot
from bot.channels.telegram.outgoing import MAX_MESSAGE
from tests.telegram.fake_bot_api import FakeBotAPI

CHAT = 515151
MARKUPS = [None, ReplyKeyboardMarkup([[KeyboardButton("हाँ"), KeyboardButton("नहीं")]], resize_keyboard=True),
           InlineKeyboardMarkup([[InlineKeyboardButton("Submit", callback_data="review:submit")]])]
LONG = "\n".join(["शब्द " * 30] * 60)


async def _bot(defaults: Defaults | None) -> tuple[ShramBot, FakeBotAPI]:
    api = FakeBotAPI()
    bot = ShramBot("123456:TEST", request=api, get_updates_request=api, defaults=defaults)
    await bot.initialize()
    return bot, api


@pytest.mark.parametrize("defaults", [None, Defaults(parse_mode="HTML", disable_notification=True,
                                                     protect_content=True,
                                                     link_preview_options=LinkPreviewOptions(is_disabled=True))])
@pytest.mark.parametrize("markup", MARKUPS)
@pytest.mark.parametrize("text", ["नमस्ते", LONG])
async def test_send_text_sends_what_send_message_sends(defaults, markup, text) -> None:
    bot, api = await _bot(defaults)
    message = await bot.send_message(CHAT, text, reply_markup=markup)
    by_message = [(c.method, c.params) for c in api.calls if c.method.startswith("sendMessage")]
    api.clear()
    ids = await bot.send_text(CHAT, text, markup)
    by_text = [(c.method, c.params) for c in api.calls if c.method.startswith("sendMessage")]
    assert by_text == by_message and len(by_text) == (1 if text != LONG else 3)
    assert ids == list(range(message.message_id + 1, message.message_id + 1 + len(by_text)))  # the fake's ids
    assert all(len(params["text"]) <= MAX_MESSAGE for _, params in by_text)
    assert [bool(params.get("reply_markup")) for _, params in by_text] == \
        [False] * (len(by_text) - 1) + [markup is not None]
