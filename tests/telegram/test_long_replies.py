"""A reply longer than Telegram's 4,096 characters reaches the user as
several messages (Telegram refuses a longer one, and the user would get
"something went wrong"): split at line boundaries, a single long line at a
space, else exactly at the limit; the buttons under the last part; a
message to be deleted later deleted in every part; whoever sends it
(a reply, a notice, a reminder through the bot itself)."""
from __future__ import annotations

import asyncio
import random

import pytest

from bot.channels.telegram.app import build_application, start_application
from bot.channels.telegram.outgoing import MAX_MESSAGE, send_replies, split_text, text_length
from bot.config import Settings
from bot.domain.roles import Role, Staff
from bot.messages import Choice, Reply
from tests.desk.desk_fixtures import add_staff, telegram_bot
from tests.telegram.fake_bot_api import FakeBotAPI, Updates

ADMIN = 100
CHAT = 424242
OPERATORS = 90


@pytest.fixture
async def desk(tmp_path):
    async with telegram_bot(tmp_path, admins=str(ADMIN), name="long.db") as (app, api, store, _):
        yield app, api, store


async def test_staff_list_of_many_operators_arrives_whole_in_messages_within_the_limit(desk) -> None:
    app, api, store = desk
    operators = [Staff(f"tg:{7100000000 + i}", Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", f"CSC-HW-{i:03d}")
                 for i in range(OPERATORS)]
    await add_staff(store, *operators)
    updates = Updates(app.bot)
    before = len(api.calls)
    await app.process_update(updates.text(Updates.user(ADMIN, "en"), "/staff"))
    calls = api.calls[before:]
    assert not [c for c in calls if c.method == "sendMessage (400)"]     # nothing refused as too long
    sent = [c.params["text"] for c in calls if c.method == "sendMessage"]
    assert sum(len(t) for t in sent) > MAX_MESSAGE and len(sent) >= 2    # it needed splitting
    assert all(len(t) <= MAX_MESSAGE for t in sent)
    lines = "\n".join(sent).splitlines()
    for op in operators:                                                  # every operator, each line whole
        assert sum(line.startswith(op.user_id.removeprefix("tg:") + " ") for line in lines) == 1


@pytest.fixture
async def bot(tmp_path):
    api = FakeBotAPI()
    app = build_application(Settings(bot_token="123456:TEST", data_dir=tmp_path, _env_file=None), None,
                            request=api)
    await start_application(app)
    try:
        yield app.bot, api
    finally:
        await app.shutdown()


async def test_buttons_go_under_the_last_part_and_every_part_is_deleted_later(bot) -> None:
    tg, api = bot
    lines = [f"{i:04d} " + "क" * 60 for i in range(200)]
    reply = Reply("\n".join(lines), choices=[Choice("submit", "Submit"), Choice("edit", "Edit")], question="review",
                  delete_after=0.01)
    await send_replies(tg, CHAT, [reply], "hi")
    sent = api.of("sendMessage", CHAT)
    assert len(sent) >= 3 and all(len(c.params["text"]) <= MAX_MESSAGE for c in sent)
    assert "\n".join(c.params["text"] for c in sent).splitlines() == lines
    assert [bool(c.params.get("reply_markup")) for c in sent] == [False] * (len(sent) - 1) + [True]
    await asyncio.sleep(0.1)
    message_ids = {5000 + i for i in range(len(sent))}
    assert {c.params["message_id"] for c in api.of("deleteMessage", CHAT)} == message_ids


async def test_a_message_sent_by_the_bot_directly_is_split_too(bot) -> None:
    """A reminder or any other text sent with ``bot.send_message``."""
    tg, api = bot
    text = "\n".join(["शब्द " * 30] * 60)
    message = await tg.send_message(CHAT, text)
    sent = [c.params["text"] for c in api.of("sendMessage", CHAT)]
    assert len(sent) >= 2 and all(len(t) <= MAX_MESSAGE for t in sent) and message.text == sent[-1]
    assert [line.strip() for line in "\n".join(sent).splitlines()] == [line.strip() for line in text.splitlines()]


def test_split_text_keeps_short_texts_and_cuts_at_lines_then_spaces_then_anywhere() -> None:
    assert split_text("नमस्ते\nराम") == ["नमस्ते\nराम"]
    exact = "x" * MAX_MESSAGE
    assert split_text(exact) == [exact]
    assert split_text("a\nbb\nccc\ndddd", limit=6) == ["a\nbb", "ccc", "dddd"]
    assert split_text("one two three four", limit=9) == ["one two", "three", "four"]
    assert split_text("abcdefghij", limit=4) == ["abcd", "efgh", "ij"]
    assert split_text("ab\n\n\ncd", limit=3) == ["ab", "cd"]                  # no part of blank lines only
    emoji = "😀" * 3000                                                         # two UTF-16 units each
    parts = split_text(emoji)
    assert "".join(parts) == emoji and all(text_length(p) <= MAX_MESSAGE for p in parts) and len(parts) == 2


@pytest.mark.parametrize("seed", range(20))
def test_split_text_loses_no_word_and_respects_the_limit(seed: int) -> None:
    rng = random.Random(seed)
    words = ["राम", "कुमार", "x" * rng.randint(1, 40), "😀", "", "CSC-HW-01", "y" * 70]
    text = "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(0, 30))) for _ in range(200))
    limit = rng.choice([50, 64, 100, 4096])
    parts = split_text(text, limit=limit)
    assert all(0 < text_length(p) <= limit for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


def test_text_length_counts_utf16_code_units() -> None:
    rng = random.Random(7)
    letters = ["a", "क", "😀", "\ud800", "\udfff", " ", "\n", "€", "\U0010ffff", "\uffff"]
    for _ in range(2000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 40)))
        assert text_length(text) == len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
