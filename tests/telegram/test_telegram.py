"""The Telegram layer through python-telegram-bot's real
``Application.process_update``, with a fake Bot API (``fake_bot_api``) that
records every call: keyboards, contact sharing, deleting the Aadhaar
message, stale buttons, non-text input, repeats, errors, polling."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import Application

from bot.channels.telegram import texts
from bot.channels.telegram.app import build_application, start_application
from bot.channels.telegram.polling import poll
from bot.config import Settings
from bot.domain.models import Phase, ReviewState
from bot.flow import messages as m
from bot.flow.steps import STEP_BY_KEY
from bot.i18n import translate
from bot.service import Registration
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from tests.telegram.fake_bot_api import BOT_USERNAME, FakeBotAPI, Updates
from tests.personas import TAPPING_WORKER, answer_until, pending

USER_ID = 424242
AADHAAR = "234123412346"
ACCOUNT = "12345678901"


def hi(msgid: str, **params) -> str:
    return translate("hi", msgid, **params)


@dataclass
class Bot:
    """One worker's phone talking to the bot."""
    app: Application
    api: FakeBotAPI
    store: SQLiteStore
    updates: Updates
    user: dict

    async def send(self, update: Update) -> list[str]:
        """Process one update; return the texts the bot sent back."""
        before = len(self.api.calls)
        await self.app.process_update(update)
        return [c.params["text"] for c in self.api.calls[before:] if c.method == "sendMessage"]

    async def say(self, text: str) -> list[str]:
        return await self.send(self.updates.text(self.user, text))

    def last_markup(self) -> dict:
        return self.api.of("sendMessage")[-1].params.get("reply_markup") or {}

    async def tap(self, n: int) -> list[str]:
        """Press button ``n`` (from 1) of the reply keyboard under the last message."""
        keyboard = [b for row in self.last_markup()["keyboard"] for b in row]
        return await self.say(keyboard[n - 1]["text"])

    async def press(self, n: int) -> list[str]:
        """Press inline button ``n`` (from 1) under the last message."""
        sent = self.api.of("sendMessage")[-1]
        buttons = [b for row in sent.params["reply_markup"]["inline_keyboard"] for b in row]
        message_id = sent_message_id(self.api, sent)
        return await self.send(self.updates.press(self.user, buttons[n - 1]["callback_data"], message_id))

    async def draft(self):
        return await self.store.load_draft(f"tg:{self.user['id']}")

    async def asked(self) -> str | None:
        """The question the worker's draft waits on."""
        return pending(await self.draft())


def one(*texts: str) -> str:
    """Notes and the question after them arrive as one message."""
    return "\n\n".join(texts)


def sent_message_id(api: FakeBotAPI, call) -> int:
    return 5000 + [c for c in api.calls if c.method in ("sendMessage", "sendPhoto")].index(call)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    store = SQLiteStore(tmp_path / "shram.db", Keyring(bytes(range(32))))
    await store.migrate()
    api = FakeBotAPI()
    app = build_application(Settings(bot_token="123456:TEST", data_dir=tmp_path), Registration(store), request=api)
    await start_application(app)
    try:
        yield Bot(app, api, store, Updates(app.bot), Updates.user(USER_ID, "hi"))
    finally:
        await app.shutdown()
        await store.close()


async def test_command_menu_is_set_in_hindi_and_english(bot: Bot) -> None:
    menus = {c.params.get("language_code"): c.params["commands"] for c in bot.api.of("setMyCommands")}
    assert set(menus) == {None, "hi", "en"}
    assert [c["command"] for c in menus["en"]] == ["start", "status", "help", "language", "cancel", "delete"]
    assert menus["hi"][0]["description"] == hi(texts.COMMANDS[0][1])
    assert menus["en"][0]["description"] == "Start or continue registration"
    assert all(c.params["scope"] == {"type": "all_private_chats"} for c in bot.api.of("setMyCommands"))


async def test_full_hindi_registration_through_telegram(bot: Bot) -> None:
    said = await bot.say("/start camp_haridwar_07")
    assert "नमस्ते" in said[0].split("\n\n")[0]          # the phone is in Hindi: Hindi first
    assert [b["text"] for b in bot.last_markup()["keyboard"][0]] == ["हिन्दी", "English"]
    await bot.tap(1)                                       # हिन्दी
    await bot.tap(1)                                       # मैं सहमत हूँ
    said = await bot.say("१५/०८/१९८८")
    assert bot.last_markup()["keyboard"] == [[{"text": "✅ हाँ"}, {"text": "❌ नहीं"}]]   # a picture beside each word
    for _ in range(3):                                     # EPFO/ESIC, NPS, income tax: no
        said = await bot.tap(2)
    assert said[-1].endswith(hi(STEP_BY_KEY["mobile"].prompt))
    share = bot.last_markup()["keyboard"][0][0]
    assert share == {"text": hi(texts.SHARE_MY_NUMBER), "request_contact": True}
    said = await bot.send(bot.updates.contact(bot.user, "+919876543210", owner_id=USER_ID))
    assert said == [one(hi(m.CONTACT_VERIFIED, number="9876543210"), hi(STEP_BY_KEY["aadhaar"].prompt))]

    aadhaar_update = bot.updates.text(bot.user, AADHAAR)
    said = await bot.send(aadhaar_update)
    assert said == [one(hi(m.AADHAAR_NOTED, masked="XXXX XXXX 2346"), hi(STEP_BY_KEY["name"].prompt))]
    deleted = bot.api.of("deleteMessage")
    assert [(c.params["chat_id"], c.params["message_id"]) for c in deleted] == \
        [(USER_ID, aadhaar_update.message.message_id)]

    await answer_until(TAPPING_WORKER, "bank_account", bot.asked, bot.say)  # name to experience, as asked
    account_update = bot.updates.text(bot.user, ACCOUNT)
    await bot.send(account_update)
    await bot.say(ACCOUNT)
    assert [c.params["message_id"] for c in bot.api.of("deleteMessage")][1:] == \
        [account_update.message.message_id, account_update.message.message_id + 1]
    said = await answer_until(TAPPING_WORKER, "review", bot.asked, bot.say)  # IFSC to the nominee, as asked
    assert said[-1].startswith(hi(m.REVIEW_INTRO))
    assert "XXXX XXXX 2346" in said[-1] and AADHAAR not in said[-1] and ACCOUNT not in said[-1]
    inline = bot.last_markup()["inline_keyboard"]
    assert [b["callback_data"] for row in inline for b in row] == ["review:submit", "review:edit"]

    said = await bot.press(1)                              # जमा करें
    draft = await bot.draft()
    assert draft.phase is Phase.SUBMITTED and draft.reference
    assert said == [hi(m.SUBMITTED, reference=draft.reference)]
    photo = bot.api.of("sendPhoto")[-1]
    assert photo.files == ["photo"]
    assert photo.params["caption"] == hi(texts.QR_CAPTION, reference=draft.reference)
    assert bot.api.of("answerCallbackQuery")                # the button's spinner stops
    assert bot.api.of("editMessageReplyMarkup")[-1].params.get("reply_markup") is None

    application = await bot.store.application_for_user(f"tg:{USER_ID}")
    assert application.state is ReviewState.SUBMITTED
    assert application.meta["source"] == "camp_haridwar_07" and application.meta["mobile_verified"] is True
    assert application.answers["aadhaar"] == AADHAAR and application.answers["sector"] == "transport"

    said = await bot.say("/status")
    assert said == [hi(m.STATUS_SUBMITTED, reference=draft.reference)]
    assert len(bot.api.of("sendPhoto")) == 2                # the QR code again


def test_qr_code_holds_a_deep_link_to_the_reference() -> None:
    """The PNG, read back chunk by chunk (CRCs checked), shows exactly the
    modules segno encodes for the link, pixel for pixel."""
    import struct
    import zlib

    import segno

    from bot.channels.telegram.outgoing import qr_png, reference_link
    link = reference_link(BOT_USERNAME, "SS-7K4M-9PQ2")
    assert link == f"https://t.me/{BOT_USERNAME}?start=SS-7K4M-9PQ2"
    png = qr_png(link, scale=3, border=4)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(png):
        (length,), kind = struct.unpack(">I", png[at:at + 4]), png[at + 4:at + 8]
        data, (crc,) = png[at + 8:at + 8 + length], struct.unpack(">I", png[at + 8 + length:at + 12 + length])
        assert zlib.crc32(kind + data) == crc
        chunks[kind] = chunks.get(kind, b"") + data
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = (width + 7) // 8
    pixels = []
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        assert line[0] == 0  # no filter
        bits = "".join(f"{byte:08b}" for byte in line[1:])[:width]
        pixels.append([bit == "0" for bit in bits])  # 0 = black = dark module
    expected = [[bool(dark) for dark in row] for row in segno.make(link, error="m", mask=0).matrix_iter(scale=3,
                                                                                                        border=4)]
    assert (depth, colour) == (1, 0) and set(chunks) == {b"IHDR", b"IDAT", b"IEND"}
    assert pixels == expected and width == height == len(expected)


async def walk_to_mobile(bot: Bot) -> None:
    await bot.say("/start")
    for answer in ("1", "1", "15/08/1990", "2", "2", "2"):
        await bot.say(answer)
    assert (await bot.draft()).step == "mobile"


async def test_someone_elses_contact_is_kept_but_not_verified(bot: Bot) -> None:
    await walk_to_mobile(bot)
    said = await bot.send(bot.updates.contact(bot.user, "919812345670", owner_id=99))
    assert said[0].startswith(hi(m.CONTACT_NOT_OWN, number="9812345670") + "\n\n")
    draft = await bot.draft()
    assert draft.answers["mobile"] == "9812345670" and draft.meta["mobile_verified"] is False


async def test_a_contact_without_a_user_id_is_not_verified(bot: Bot) -> None:
    await walk_to_mobile(bot)
    await bot.send(bot.updates.contact(bot.user, "9812345670", owner_id=None))
    assert (await bot.draft()).meta["mobile_verified"] is False


async def test_typed_number_is_accepted_but_not_verified(bot: Bot) -> None:
    await walk_to_mobile(bot)
    said = await bot.say("98123 45670")
    assert said == [hi(STEP_BY_KEY["aadhaar"].prompt)]
    draft = await bot.draft()
    assert draft.answers["mobile"] == "9812345670" and draft.meta["mobile_verified"] is False


async def test_contact_at_another_question_is_not_taken(bot: Bot) -> None:
    await walk_to_mobile(bot)
    await bot.say("9812345670")
    said = await bot.send(bot.updates.contact(bot.user, "9812345670", owner_id=USER_ID))
    assert said == [one(hi(m.ONLY_TEXT), hi(STEP_BY_KEY["aadhaar"].prompt))]
    assert "aadhaar" not in (await bot.draft()).answers


async def test_wrong_aadhaar_is_deleted_too_and_asked_again(bot: Bot) -> None:
    await walk_to_mobile(bot)
    await bot.say("9812345670")
    update = bot.updates.text(bot.user, "2341 2341 2345")  # wrong check digit
    said = await bot.send(update)
    assert said[-1].endswith(hi(STEP_BY_KEY["aadhaar"].prompt))
    assert bot.api.of("deleteMessage")[-1].params["message_id"] == update.message.message_id


async def test_a_wrong_aadhaar_is_deleted_and_its_last_four_digits_said_back(bot: Bot) -> None:
    await walk_to_mobile(bot)
    await bot.say("9812345670")
    said = await bot.say("2341 2341 2345")  # wrong check digit
    assert "2345" in said[-1] and "2341 2341" not in said[-1]
    assert said[-1].endswith(hi(STEP_BY_KEY["aadhaar"].prompt))


async def test_a_typed_answer_close_to_a_choice_is_asked_about_with_yes_and_no(bot: Bot) -> None:
    await walk_to_mobile(bot)
    for answer in ("9812345670", AADHAAR, "राम कुमार"):
        await bot.say(answer)
    said = await bot.say("femail")                # female, misspelt
    assert said[-1] == hi(m.DID_YOU_MEAN, choice="महिला")
    assert bot.last_markup()["keyboard"] == [[{"text": "✅ हाँ"}, {"text": "❌ नहीं"}]]   # a picture beside each word
    said = await bot.tap(1)                       # हाँ
    draft = await bot.draft()
    assert draft.answers["gender"] == "female" and draft.step == "father_name"
    assert said[-1] == hi(STEP_BY_KEY["father_name"].prompt)


async def test_typed_work_offers_the_matching_occupations_as_buttons(bot: Bot) -> None:
    draft = await walk_to(bot, "occupation")
    said = await bot.say("seller")
    assert said[-1] == hi(m.WHICH_ONE)
    labels = [b["text"] for row in bot.last_markup()["keyboard"] for b in row]
    assert 2 <= len(labels) <= 7 and labels[-1] == hi(m.NONE_OF_THESE)
    await bot.say(labels[0])                      # pressing one answers the question
    draft = await bot.draft()
    assert draft.answers["occupation"].startswith(draft.answers["sector"] + ".")
    assert draft.step == "other_work"


async def walk_to(bot: Bot, question: str):
    """Answer as the tapping worker does, up to ``question``."""
    await bot.say("/start")
    await answer_until(TAPPING_WORKER, question, bot.asked, bot.say)
    return await bot.draft()


async def test_stale_inline_button_gets_the_current_question_again(bot: Bot) -> None:
    await walk_to_mobile(bot)
    said = await bot.send(bot.updates.press(bot.user, "review:submit", message_id=4000))
    assert said == [one(hi(m.STALE_BUTTON), hi(STEP_BY_KEY["mobile"].prompt))]
    assert bot.api.of("answerCallbackQuery")
    assert bot.api.of("editMessageReplyMarkup")[-1].params["message_id"] == 4000
    draft = await bot.draft()
    assert draft.phase is Phase.FORM and draft.step == "mobile"
    said = await bot.send(bot.updates.press(bot.user, "bogus data that is no button at all"))
    assert said == [one(hi(m.STALE_BUTTON), hi(STEP_BY_KEY["mobile"].prompt))]


@pytest.mark.parametrize("make, msgid", [
    ("photo", m.ONLY_TEXT), ("sticker", m.ONLY_TEXT), ("location", m.ONLY_TEXT), ("document", m.ONLY_TEXT),
    ("voice", m.NO_VOICE)])
async def test_non_text_at_a_text_question(bot: Bot, make: str, msgid: str) -> None:
    await walk_to_mobile(bot)
    await bot.say("9812345670")
    before = (await bot.draft()).answers
    said = await bot.send(getattr(bot.updates, make)(bot.user))
    assert said == [one(hi(msgid), hi(STEP_BY_KEY["aadhaar"].prompt))]
    assert (await bot.draft()).answers == before


async def test_photo_with_a_caption_is_not_read_as_an_answer(bot: Bot) -> None:
    await walk_to_mobile(bot)
    said = await bot.send(bot.updates.photo(bot.user, caption="9812345670"))
    assert said == [one(hi(m.ONLY_TEXT), hi(STEP_BY_KEY["mobile"].prompt))]
    assert "mobile" not in (await bot.draft()).answers


async def test_edited_message_is_not_taken_as_an_answer(bot: Bot) -> None:
    await walk_to_mobile(bot)
    said = await bot.send(bot.updates.edited(bot.user, "9812345670"))
    assert said == [one(hi(m.EDITED_MESSAGE), hi(STEP_BY_KEY["mobile"].prompt))]
    assert "mobile" not in (await bot.draft()).answers


async def test_long_message_and_command_mid_question(bot: Bot) -> None:
    await walk_to_mobile(bot)
    said = await bot.say("क" * 5000)
    assert said == [one(hi("That is too long. Please answer in a few words, for example “Ram Kumar” or “8th pass”."),
                        hi(STEP_BY_KEY["mobile"].prompt))]
    said = await bot.say("/help")
    assert said == [one(hi(m.HELP_INTRO, label=hi(STEP_BY_KEY["mobile"].label)), hi(STEP_BY_KEY["mobile"].help),
                        hi(m.COMMANDS_HELP), hi(STEP_BY_KEY["mobile"].prompt))]
    said = await bot.say("/status@" + BOT_USERNAME)
    total = await _total(bot)
    assert said[0].startswith(hi(m.PROGRESS, done=4, total=total, left=total - 4))  # dob and three eligibility answers


async def _total(bot: Bot) -> int:
    from bot.flow.steps import progress
    return progress((await bot.draft()).answers)[1]


async def test_a_repeated_update_is_applied_once(bot: Bot) -> None:
    await walk_to_mobile(bot)
    update = bot.updates.text(bot.user, "9812345670")
    assert await bot.send(update) == [hi(STEP_BY_KEY["aadhaar"].prompt)]
    assert await bot.send(update) == []                    # Telegram delivered it again
    draft = await bot.draft()
    assert draft.step == "aadhaar" and "aadhaar" not in draft.answers

    press = bot.updates.press(bot.user, "resume:continue")
    await bot.send(press)
    calls = len(bot.api.of("answerCallbackQuery"))
    assert await bot.send(press) == []
    assert len(bot.api.of("answerCallbackQuery")) == calls + 1  # the spinner still stops


async def test_english_phone_gets_english_first(bot: Bot) -> None:
    user = Updates.user(777, "en-GB")
    said = await bot.send(bot.updates.text(user, "hello"))
    assert said[0].startswith("Namaste! I am Shram Sahayak")
    assert [b["text"] for b in bot.last_markup()["keyboard"][0]] == ["English", "हिन्दी"]
    said = await bot.send(bot.updates.text(user, "English"))
    assert said[0].startswith("Please read this")


async def test_group_chats_are_not_served(bot: Bot) -> None:
    assert await bot.send(bot.updates.text(bot.user, "/start", chat_type="group")) == [hi(texts.PRIVATE_ONLY)]
    assert await bot.send(bot.updates.text(bot.user, "9812345670", chat_type="supergroup")) == []
    assert await bot.draft() is None


async def test_an_error_of_ours_says_try_again_and_logs_no_number(bot: Bot, caplog, monkeypatch) -> None:
    await walk_to_mobile(bot)
    original = bot.store.save_draft

    async def broken(draft, **kwargs):
        raise RuntimeError(f"disk full while saving {draft.answers.get('mobile')}")

    monkeypatch.setattr(bot.store, "save_draft", broken)
    with caplog.at_level(logging.ERROR):
        said = await bot.say("9812345670")
    assert said == [hi(texts.TRY_AGAIN)]
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "RuntimeError" in logged
    monkeypatch.setattr(bot.store, "save_draft", original)
    said = await bot.say("9812345670")                     # nothing was lost: the same question, answered
    assert said == [hi(STEP_BY_KEY["aadhaar"].prompt)]


async def test_flood_control_retries_after_429(bot: Bot) -> None:
    bot.api.too_many_requests["sendMessage"] = 1
    said = await bot.say("/start")
    assert len(said) == 1
    assert [c.method for c in bot.api.calls[-2:]] == ["sendMessage (429)", "sendMessage"]


async def test_polling_applies_a_batch_then_confirms_it(bot: Bot) -> None:
    user = bot.user
    batch = [bot.updates.text(user, t).to_dict() for t in ("/start", "1", "1", "15/08/1990")]
    bot.api.pending_updates = list(batch)
    bot.api.pending_updates.append(batch[1])  # delivered twice: applied once
    stop = asyncio.Event()
    task = asyncio.create_task(poll(bot.app, stop, timeout=0))
    for _ in range(500):
        await asyncio.sleep(0.01)
        if not bot.api.pending_updates:
            break
    stop.set()
    await asyncio.wait_for(task, 5)
    assert bot.api.of("deleteWebhook")
    assert bot.api.offsets[0] is None and batch[-1]["update_id"] + 1 in bot.api.offsets
    draft = await bot.draft()
    assert draft.answers["dob"] == "1990-08-15" and draft.step == "epfo_esic"
    assert len(bot.api.of("sendMessage", USER_ID)) == 4


async def test_an_update_with_a_field_of_the_wrong_type_fails_quietly(bot: Bot, caplog) -> None:
    """A handler failing on an update the bot cannot read (text that is a
    number) is logged by kind; the error handler itself does not fail on it."""
    update = Update.de_json({"update_id": 990, "message": {
        "message_id": 1, "date": 1700000000, "chat": {"id": 77, "type": "private"},
        "from": {"id": 77, "is_bot": False, "first_name": "A"}, "text": 5}}, bot.app.bot)
    with caplog.at_level(logging.WARNING):
        await bot.app.process_update(update)
    assert "uncaught error" not in caplog.text.lower() and "cannot be answered" in caplog.text
