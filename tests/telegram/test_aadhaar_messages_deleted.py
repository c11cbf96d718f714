"""A message that holds what may be an Aadhaar number is deleted from the
chat wherever it comes, whatever the answer to it: typed at another
question, as a command's argument, edited into a message, in a photo's
caption, by a worker or by staff, in a group. An ordinary answer, a mobile
number or a UAN (it starts with 1) stays. A failed delete is logged by its
kind only.

Not only a text or a caption: whatever the chat shows with the message (a
shared contact's name and vCard, or an Aadhaar in its phone field; a file's
name; a venue's title or address; a poll's question, options and
explanation; a checklist; the part of a message quoted in a reply). A
contact's phone number that is a mobile with India's code, written as
Telegram writes it (no "+"), stays."""
from __future__ import annotations

import logging

import pytest

from bot.channels.telegram.app import build_application, start_application
from bot.config import Settings
from bot.dispatch import Dispatcher
from bot.service import Registration
from tests.desk.desk_fixtures import telegram_bot
from tests.telegram.fake_bot_api import FakeBotAPI, Updates

WORKER, ADMIN = 424242, 100
AADHAAR = "2341 2341 2346"
WALK_TO_NAME = ("/start", "1", "1", "15/08/1990", "2", "2", "2", "9812345670", "234123412346")


@pytest.fixture
async def phones(tmp_path):
    async with telegram_bot(tmp_path, admins=str(ADMIN), name="deleted.db") as bot:
        yield bot


async def at_the_name_question(app, store, updates) -> dict:
    worker = Updates.user(WORKER, "hi")
    for line in WALK_TO_NAME:
        await app.process_update(updates.text(worker, line))
    assert (await store.load_draft(f"tg:{WORKER}")).step == "name"
    return worker


def deleted(api: FakeBotAPI, chat: int) -> list[int]:
    return [c.params["message_id"] for c in api.of("deleteMessage", chat)]


@pytest.mark.parametrize("send", [
    lambda u, w: u.text(w, f"राम {AADHAAR}"),                       # typed at the name question
    lambda u, w: u.text(w, "2341\u00a02341\u200b2346"),              # with invisible separators
    lambda u, w: u.text(w, f"/help {AADHAAR}"),                      # a command's argument
    lambda u, w: u.text(w, "/start २३४१२३४१२३४६"),                   # Devanagari digits
    lambda u, w: u.edited(w, f"मेरा आधार {AADHAAR}"),                 # an edited message
    lambda u, w: u.photo(w, caption=f"आधार {AADHAAR}"),              # a photo's caption
    lambda u, w: u.document(w, caption=f"आधार {AADHAAR}"),           # a document's caption
], ids=["name", "invisible-separators", "help", "devanagari", "edited", "photo-caption", "document-caption"])
async def test_a_message_holding_an_aadhaar_is_deleted_wherever_it_comes(phones, send) -> None:
    app, api, store, updates = phones
    worker = await at_the_name_question(app, store, updates)
    before = deleted(api, WORKER)
    update = send(updates, worker)
    await app.process_update(update)
    message = update.message or update.edited_message
    assert deleted(api, WORKER) == [*before, message.message_id]
    assert api.sent_texts(WORKER)                                    # and the worker still got an answer


SPACED = "2341\n2341  २३४६"                                          # as holds_aadhaar reads it


def _shared(u: Updates, w: dict, **content) -> object:
    return u._update(message=u._message(w, **content))


def _contact(**fields) -> dict:
    return {"contact": {"phone_number": "919812345670", "first_name": "Ram", **fields}}


def _file(name: str) -> dict:
    return {"file_id": "f1", "file_unique_id": "f1", "file_name": name}


def _poll(question: str = "कौन सा?", options=("हाँ", "नहीं"), **fields) -> dict:
    return {"poll": {"id": "p1", "question": question, "total_voter_count": 0, "is_closed": False,
                     "is_anonymous": True, "type": "regular", "allows_multiple_answers": False,
                     "allows_revoting": False, "members_only": False,
                     "options": [{"text": o, "voter_count": 0, "persistent_id": str(i)}
                                 for i, o in enumerate(options)], **fields}}


def _venue(title: str = "घर", address: str = "गली 3") -> dict:
    return {"venue": {"location": {"latitude": 29.95, "longitude": 78.16}, "title": title, "address": address}}


@pytest.mark.parametrize("content", [
    _contact(phone_number=AADHAAR.replace(" ", "")),                 # an Aadhaar in a contact's phone field
    _contact(phone_number=f"+{SPACED}"),
    _contact(first_name=f"राम {AADHAAR}"),
    _contact(first_name="राम 2341 2341", last_name="2346"),          # across the first and last name
    _contact(vcard=f"BEGIN:VCARD\nVERSION:3.0\nNOTE:{SPACED}\nEND:VCARD"),
    _contact(vcard=f"BEGIN:VCARD\nTEL;TYPE=CELL:{AADHAAR}\nEND:VCARD"),
    {"document": _file(f"aadhaar {AADHAAR}.pdf")},                  # a file's name
    {"document": _file(f"{SPACED}.jpg")},
    {"audio": {**_file("a.mp3"), "duration": 3, "title": f"आधार {AADHAAR}"}},
    {"video": {**_file(f"{AADHAAR}.mp4"), "duration": 3, "width": 9, "height": 9}},
    _venue(title=f"आधार {AADHAAR}"),                                # a venue's title or address
    _venue(address=f"UID {SPACED}"),
    _poll(question=f"मेरा आधार {AADHAAR}"),                          # a poll's question or options
    _poll(options=("हाँ", f"UID {SPACED}")),
    {**_poll(), "poll": {**_poll()["poll"], "type": "quiz", "correct_option_ids": [0],
                         "explanation": f"आधार {AADHAAR}"}},
    {"checklist": {"title": "काम", "tasks": [{"id": 1, "text": f"आधार {AADHAAR}"}]}},
    {"text": "यह वाला", "quote": {"text": f"आधार {AADHAAR}", "position": 0}},
], ids=["contact-phone", "contact-phone-spaced", "contact-name", "contact-first-and-last-name",
        "contact-vcard", "contact-vcard-tel", "document-name", "document-name-spaced", "audio-title",
        "video-name", "venue-title", "venue-address", "poll-question", "poll-option", "quiz-explanation",
        "checklist", "quote"])
async def test_an_aadhaar_in_a_contact_file_name_venue_or_poll_is_deleted(phones, content) -> None:
    app, api, store, updates = phones
    worker = await at_the_name_question(app, store, updates)
    before = deleted(api, WORKER)
    update = _shared(updates, worker, **content)
    await app.process_update(update)
    assert deleted(api, WORKER) == [*before, update.message.message_id]
    assert api.sent_texts(WORKER)                                    # and the worker still got an answer


@pytest.mark.parametrize("content", [
    _contact(),                                                      # a mobile as Telegram writes it
    _contact(phone_number="+91 98123 45670", vcard="BEGIN:VCARD\nTEL;TYPE=CELL:919812345670\nEND:VCARD"),
    {"document": _file("form-2024-08-15.pdf")},
    _venue(),
    _poll(),
    {"location": {"latitude": 29.95, "longitude": 78.16}},
], ids=["own-contact", "contact-vcard-mobile", "document", "venue", "poll", "location"])
async def test_a_shared_contact_file_venue_or_poll_without_one_stays(phones, content) -> None:
    app, api, store, updates = phones
    worker = await at_the_name_question(app, store, updates)
    before = deleted(api, WORKER)
    await app.process_update(_shared(updates, worker, **content))
    assert deleted(api, WORKER) == before


@pytest.mark.parametrize("text", ["राम कुमार", "+91 98123 45670", "मकान 12, गली 3", "1002 0030 0400"])
async def test_an_ordinary_answer_stays(phones, text: str) -> None:
    app, api, store, updates = phones
    worker = await at_the_name_question(app, store, updates)
    before = deleted(api, WORKER)
    await app.process_update(updates.text(worker, text))
    assert deleted(api, WORKER) == before


async def test_staff_messages_too_but_not_a_uan(phones) -> None:
    app, api, store, updates = phones
    admin = Updates.user(ADMIN, "en")
    uan = updates.text(admin, "1002 0030 0400")
    await app.process_update(uan)
    with_aadhaar = updates.text(admin, f"/staff {AADHAAR}")
    await app.process_update(with_aadhaar)
    assert deleted(api, ADMIN) == [with_aadhaar.message.message_id]


async def test_in_a_group_too(phones) -> None:
    app, api, store, updates = phones
    update = updates.text(Updates.user(WORKER, "hi"), f"/start {AADHAAR}", chat_type="group")
    await app.process_update(update)
    assert [c.params["message_id"] for c in api.of("deleteMessage")] == [update.message.message_id]


async def test_a_repeated_delivery_is_not_deleted_twice(phones) -> None:
    app, api, store, updates = phones
    worker = await at_the_name_question(app, store, updates)
    update = updates.text(worker, f"राम {AADHAAR}")
    await app.process_update(update)
    calls = len(api.calls)
    await app.process_update(update)                                 # Telegram delivers it again
    assert api.calls[calls:] == []


async def test_a_redelivery_after_a_restart_is_not_deleted_again(phones, tmp_path) -> None:
    """The worker's newest update, delivered again to a new process: the
    question is asked again (its reply may have been lost), the message was
    deleted the first time."""
    app, api, store, updates = phones
    worker = await at_the_name_question(app, store, updates)
    update = updates.text(worker, f"राम {AADHAAR}")
    await app.process_update(update)
    again_api = FakeBotAPI()
    again = build_application(Settings(bot_token="123456:TEST", data_dir=tmp_path, _env_file=None),
                              Dispatcher(Registration(store)), request=again_api)
    await start_application(again)
    try:
        await again.process_update(update)
    finally:
        await again.shutdown()
    assert again_api.sent_texts(WORKER) and not again_api.of("deleteMessage")


async def test_a_failed_delete_is_logged_by_its_kind_only(phones, caplog) -> None:
    app, api, store, updates = phones
    worker = await at_the_name_question(app, store, updates)
    api.refused["deleteMessage"] = "message can't be deleted"
    with caplog.at_level(logging.WARNING):
        await app.process_update(updates.text(worker, f"राम {AADHAAR}"))
    assert api.sent_texts(WORKER)                                    # the answer still came
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("BadRequest" in w for w in warnings)
    assert not any(ch.isdigit() for w in warnings for ch in w)
