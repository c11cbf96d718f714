"""A name given as a voice note, from the worker's phone to the operator's
and on to approval, through python-telegram-bot's real ``process_update``:
kept in the draft, shown on the review and the card as to be typed, played
to the operator (``sendVoice`` with its file id), approving refused until
the operator types what they hear, then approved. The desk's checks at the
moment each action runs (who holds the application, in whose area), the
typed text checked as the worker's would be, a resubmission keeping it;
the file id erased with the worker (``/delete``, ``shram-sahayak erase``)
and never logged."""
from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.desk import messages as m
from bot.dispatch import Dispatcher
from bot.domain.models import ReviewState
from bot.domain.roles import Role, Staff
from bot.flow import messages as fm
from bot.flow import voice
from bot.flow.steps import STEP_BY_KEY
from bot.i18n import translate
from bot.messages import Input
from bot.service import Registration
from bot.store import desk, erase_command, open_store
from bot.store.audit import trail
from bot.store.staff import grant
from tests.desk.desk_fixtures import NOW, OFFICIAL, OPERATOR_A, OPERATOR_B, add_staff, telegram_bot
from tests.desk.desk_golden import COMMENTS, REGISTRATION, as_input
from tests.personas import pending
from tests.reliability.test_debug_logs_redacted import debug_output  # noqa: F401  (a fixture)
from tests.store.test_erasure_leaves_no_copy import dump, raw_files
from tests.store.test_offline_commands_refuse_a_running_bot import KEY
from tests.telegram.fake_bot_api import FakeBotAPI, Updates

FILE_ID = "AwACAgUAAxkBAAIBdGVvaWNlLW9mLXJhbQ"  # as Telegram writes a voice note's id
WORKER, OPERATOR = 424242, 101
WORKER_ID = f"tg:{WORKER}"
#: the worker's lines before the name question, and after it
NAMED = REGISTRATION.index("राम कुमार")
BEFORE_NAME, AFTER_NAME = REGISTRATION[:NAMED], REGISTRATION[NAMED + 1:]


def texts(api: FakeBotAPI, chat: int, since: int) -> list[str]:
    return [c.params["text"] for c in api.calls[since:] if c.method == "sendMessage"
            and int(c.params["chat_id"]) == chat]


def buttons(api: FakeBotAPI, chat: int) -> list[str]:
    """The callback data of the inline buttons under the last message to ``chat``."""
    markup = api.of("sendMessage", chat)[-1].params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def hi(msgid: str, **params) -> str:
    return translate("hi", msgid, **params)


NAME = hi(STEP_BY_KEY["name"].label)


async def test_a_name_said_by_voice_is_played_typed_at_the_csc_and_approved(tmp_path: Path, debug_output) -> None:
    async with telegram_bot(tmp_path, OPERATOR_A) as (app, api, store, updates):
        worker, operator = Updates.user(WORKER, "hi"), Updates.user(OPERATOR, "hi")
        for line in BEFORE_NAME:
            await app.process_update(updates.text(worker, line))
        assert pending(await store.load_draft(WORKER_ID)) == "name"

        before = len(api.calls)                                     # the worker says their name
        await app.process_update(updates.voice(worker, FILE_ID))
        assert texts(api, WORKER, before) == [hi(fm.VOICE_RECEIVED) + "\n\n" + hi(STEP_BY_KEY["gender"].prompt)]
        draft = await store.load_draft(WORKER_ID)
        assert draft.answers["name"] is None and voice.file_id(draft.meta, "name") == FILE_ID

        before = len(api.calls)                                     # a voice note where a button is asked
        await app.process_update(updates.voice(worker, "another-note"))
        assert texts(api, WORKER, before) == [hi(fm.NO_VOICE) + "\n\n" + hi(STEP_BY_KEY["gender"].prompt)]
        assert (await store.load_draft(WORKER_ID)).answers == draft.answers

        for line in AFTER_NAME[:-1]:
            before = len(api.calls)
            await app.process_update(updates.text(worker, line))
        assert f"{NAME}: {hi(fm.BY_VOICE)}" in texts(api, WORKER, before)[-1]   # the review
        await app.process_update(updates.text(worker, AFTER_NAME[-1]))       # submit
        ref = (await store.application_for_user(WORKER_ID)).reference

        async def press(data: str) -> int:
            before = len(api.calls)
            await app.process_update(updates.press(operator, data.format(ref=ref)))
            return before

        async def type_(text: str) -> int:
            before = len(api.calls)
            await app.process_update(updates.text(operator, text))
            return before

        before = await press("queue:next")                          # the card
        card = texts(api, OPERATOR, before)[0]
        assert f"{NAME}: {hi(fm.BY_VOICE)}" in card and hi(m.TO_TYPE, fields=NAME) in card
        assert buttons(api, OPERATOR)[:3] == [f"card:play:{ref}:name", f"card:type:{ref}:name",
                                              f"card:approve:{ref}"]

        before = await press("card:play:{ref}:name")                # listen: sent back by its file id
        assert texts(api, OPERATOR, before) == [hi(m.VOICE_OF, label=NAME, reference=ref)]
        played = [c for c in api.calls[before:] if c.method == "sendVoice"]
        assert [(int(c.params["chat_id"]), c.params["voice"]) for c in played] == [(OPERATOR, FILE_ID)]

        before = await press("card:approve:{ref}")                  # not yet
        assert texts(api, OPERATOR, before) == [hi(m.TYPE_VOICE_FIRST, fields=NAME)]
        assert "ask" not in await store.query(desk.session, f"tg:{OPERATOR}")

        before = await press("card:type:{ref}:name")
        assert texts(api, OPERATOR, before) == [hi(m.ASK_VOICE_TEXT, label=NAME, reference=ref)]
        before = await type_("राम 123")                             # checked as the worker's answer
        assert texts(api, OPERATOR, before) == [
            hi("Please type the name in Hindi or English letters only, for example Ram Kumar.") + "\n\n"
            + hi(m.ASK_VOICE_TEXT, label=NAME, reference=ref)]
        before = await type_("राम कुमार")
        said, = texts(api, OPERATOR, before)   # what was typed, and the card again, as one message
        assert said.startswith(hi(m.VOICE_TYPED, label=NAME, reference=ref, value="राम कुमार") + "\n\n")
        assert f"{NAME}: राम कुमार {hi(m.TYPED_FROM_VOICE)}" in said and hi(m.TO_TYPE, fields=NAME) not in said
        assert (await store.get_application(ref)).answers["name"] == "राम कुमार"
        assert (await store.load_draft(WORKER_ID)).answers["name"] == "राम कुमार"   # a resubmission keeps it

        await press("card:approve:{ref}")
        before = await type_("1002 0030 0400")
        assert texts(api, OPERATOR, before) == [hi(m.APPROVED, reference=ref, uan="100200300400")]
        assert texts(api, WORKER, before) == [hi(m.WORKER_APPROVED, reference=ref, uan="100200300400")]

        rows = await store.query(trail, ref)
        assert [r.action for r in rows] == ["submit", "claim", "voice_played", "voice_typed", "approve"]
        assert [r.detail for r in rows if r.action.startswith("voice")] == [{"fields": ["name"]}] * 2
    logged = debug_output.getvalue()
    assert "sendVoice" in logged and FILE_ID not in logged          # DEBUG says what was called, not the id


def test_a_voice_message_is_read_as_its_file_id() -> None:
    from datetime import datetime, timezone

    from telegram import Chat, Message, Voice

    from bot.channels.telegram.incoming import MAX_FILE_ID, message_input, voice_file
    said = Message(1, datetime.now(timezone.utc), Chat(WORKER, Chat.PRIVATE), voice=Voice(FILE_ID, "u", 3))
    assert message_input(said) == Input(kind="voice", voice=FILE_ID)
    assert [voice_file(odd) for odd in ("", "x" * (MAX_FILE_ID + 1), 12345, None)] == [None] * 4


# -- the desk's checks, through the dispatcher (both backends) ---------------------------

_keys = itertools.count(1)


@pytest.fixture
async def claimed(store):
    """A worker's application with the name said by voice, claimed by operator A."""
    await add_staff(store, OPERATOR_A, OPERATOR_B, OFFICIAL)
    dispatcher = Dispatcher(Registration(store, clock=lambda: NOW))
    for line in BEFORE_NAME:
        await dispatcher.handle(WORKER_ID, as_input(line), default_lang="hi")
    await dispatcher.handle(WORKER_ID, Input(kind="voice", voice=FILE_ID), default_lang="hi")
    for line in AFTER_NAME:
        await dispatcher.handle(WORKER_ID, as_input(line), default_lang="hi")
    ref = (await store.application_for_user(WORKER_ID)).reference
    await say(dispatcher, Input(button="queue:next"))
    yield dispatcher, store, ref


async def say(dispatcher, inp: Input, user: str = OPERATOR_A.user_id):
    out = await dispatcher.handle(user, inp, default_lang="en", update_key=f"voice:{next(_keys)}")
    return out.replies


async def test_only_the_holder_in_their_area_plays_or_types_a_voice_answer(claimed) -> None:
    dispatcher, store, ref = claimed
    for user in (OPERATOR_B.user_id, OFFICIAL.user_id, WORKER_ID):   # another district, not holding, a worker
        for action in ("play", "type"):
            replies = await say(dispatcher, Input(button=f"card:{action}:{ref}:name"), user)
            assert all(r.voice is None for r in replies)
            assert "ask" not in await store.query(desk.session, user)
    replies = await say(dispatcher, Input(button=f"card:play:{ref}:father_name"))   # not said by voice
    assert [r.text for r in replies] == [translate("en", m.NOT_HELD, reference=ref)]

    await say(dispatcher, Input(button=f"card:type:{ref}:name"))
    moved = Staff(OPERATOR_A.user_id, Role.OPERATOR, "UTTARAKHAND", "DEHRADUN", "CSC-DD-09")
    await store.transact(grant, moved, None, NOW)                    # moved to another district meanwhile
    replies = await say(dispatcher, Input(text="राम कुमार"))
    assert [r.text for r in replies] == [translate("en", m.NOT_HELD, reference=ref)]
    assert (await store.get_application(ref)).answers["name"] is None
    assert "voice_typed" not in [r.action for r in await store.query(trail, ref)]


async def test_approving_waits_for_the_typed_answer_and_a_typing_can_be_cancelled(claimed) -> None:
    dispatcher, store, ref = claimed
    with pytest.raises(desk.VoiceUntyped):  # the store refuses too, whatever the card shows
        await store.transact(desk.approve, OPERATOR_A.user_id, ref, "100200300400", NOW)
    assert (await store.query(desk.app_row, ref)).state is ReviewState.IN_REVIEW

    await say(dispatcher, Input(button=f"card:type:{ref}:name"))
    replies = await say(dispatcher, Input(kind="sticker"))
    assert [r.text for r in replies] == [translate("en", fm.ONLY_TEXT),
                                         translate("en", m.ASK_VOICE_TEXT, label="Name", reference=ref)]
    replies = await say(dispatcher, Input(command="cancel"))
    assert [r.text for r in replies] == [translate("en", m.CANCELLED)]
    assert (await store.get_application(ref)).answers["name"] is None

    await say(dispatcher, Input(button=f"card:type:{ref}:name"))
    await say(dispatcher, Input(text="Ram Kumar"))
    await say(dispatcher, Input(button=f"card:type:{ref}:name"))     # heard it better: typed again
    await say(dispatcher, Input(text="Ram Kumar Saini"))
    assert (await store.get_application(ref)).answers["name"] == "Ram Kumar Saini"
    await say(dispatcher, Input(button=f"card:approve:{ref}"))
    replies = await say(dispatcher, Input(text="1002 0030 0400"))
    assert [r.text for r in replies][0] == translate("en", m.APPROVED, reference=ref, uan="100200300400")
    details = [r.detail for r in await store.query(trail, ref) if r.action == "voice_typed"]
    assert details == [{"fields": ["name"]}] * 2 and "Ram" not in json.dumps(details)


async def test_a_resubmission_keeps_the_typed_answer(claimed) -> None:
    dispatcher, store, ref = claimed
    await say(dispatcher, Input(button=f"card:type:{ref}:name"))
    await say(dispatcher, Input(text="राम कुमार"))
    for press in (f"card:back:{ref}", f"card:fix:{ref}:father_name", f"card:fixdone:{ref}"):
        await say(dispatcher, Input(button=press))
    await say(dispatcher, Input(text=COMMENTS["en"]))                # sent back for the father's name
    for line in ("श्याम लाल सैनी", "[review:submit]"):
        await dispatcher.handle(WORKER_ID, as_input(line), default_lang="hi")
    app = await store.application_for_user(WORKER_ID)
    assert app.state is ReviewState.SUBMITTED and app.answers["name"] == "राम कुमार"
    assert voice.untyped(app.answers, app.meta) == []
    await say(dispatcher, Input(button="queue:next"))
    await say(dispatcher, Input(button=f"card:approve:{ref}"))
    replies = await say(dispatcher, Input(text="1002 0030 0400"))
    assert replies[0].text == translate("en", m.APPROVED, reference=ref, uan="100200300400")


async def test_an_operator_registering_a_walk_in_types_the_name(store) -> None:
    """At the CSC the operator's voice is not the worker's answer: typed there."""
    await add_staff(store, OPERATOR_A)
    dispatcher = Dispatcher(Registration(store, clock=lambda: NOW))
    for line in ("/assist", "[assist:agree]", *REGISTRATION[3:NAMED]):
        await say(dispatcher, as_input(line))
    walkin = (await store.query(desk.session, OPERATOR_A.user_id))["assist"]
    assert pending(await store.load_draft(walkin)) == "name"
    replies = await say(dispatcher, Input(kind="voice", voice=FILE_ID))
    assert replies[0].text == translate("en", fm.NO_VOICE)
    draft = await store.load_draft(walkin)
    assert pending(draft) == "name" and FILE_ID not in draft.model_dump_json()


# -- erasure ------------------------------------------------------------------------

async def test_delete_erases_the_voice_note(tmp_path: Path) -> None:
    async with telegram_bot(tmp_path, OPERATOR_A) as (app, api, store, updates):
        worker = Updates.user(WORKER, "hi")
        for line in BEFORE_NAME:
            await app.process_update(updates.text(worker, line))
        await app.process_update(updates.voice(worker, FILE_ID))
        for line in AFTER_NAME:
            await app.process_update(updates.text(worker, line))
        assert FILE_ID in await dump(store)                          # in the draft and the application
        for line in ("/delete", "1"):
            await app.process_update(updates.text(worker, line))
        assert await store.application_for_user(WORKER_ID) is None
        assert FILE_ID not in await dump(store)
        assert FILE_ID.encode() not in raw_files(Path(store.path))


async def test_the_erase_command_erases_the_voice_note(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", vault_key=KEY, _env_file=None)
    store = await open_store(settings)
    try:
        registration = Registration(store)
        for line in BEFORE_NAME:
            await registration.handle(WORKER_ID, as_input(line), default_lang="hi")
        await registration.handle(WORKER_ID, Input(kind="voice", voice=FILE_ID), default_lang="hi")
        for line in AFTER_NAME:
            await registration.handle(WORKER_ID, as_input(line), default_lang="hi")
        ref = (await store.application_for_user(WORKER_ID)).reference
        assert FILE_ID in await dump(store)
        path = Path(store.path)
    finally:
        await store.close()
    await erase_command.erase(settings, argparse.Namespace(reference=ref, user=None,
                                                           by="CSC Haridwar, letter of 25/11"))
    assert FILE_ID.encode() not in raw_files(path)
    store = await open_store(settings)
    try:
        assert await store.application_for_user(WORKER_ID) is None and FILE_ID not in await dump(store)
    finally:
        await store.close()
