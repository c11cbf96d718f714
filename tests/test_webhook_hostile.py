"""Hostile but well-formed bodies at the webhook (tests/test_webhook.py
style, the ASGI app called directly): nesting past the recursion limit,
nested fields of the wrong type, dates out of range, and plain fields the
bot reads of the wrong type are each 400 "not a Telegram update", never a
500 or a logged traceback, and the process keeps serving."""
from __future__ import annotations

import json

import pytest
from telegram import Update

from bot.channels.telegram.webhook import MAX_BODY
from tests.fake_bot_api import Updates
from tests.test_webhook import SECRET, served, update_body  # noqa: F401 (served: the fixture)


def _message(**fields) -> dict:
    return {"message_id": 1, "date": 1_700_000_000, "chat": {"id": 5, "type": "private"},
            "from": Updates.user(5), **fields}


def _replies(depth: int) -> dict:
    """A message replying to a message replying to ... ``depth`` times."""
    message = _message(text="hi")
    for _ in range(depth):
        message = _message(text="hi", reply_to_message=message)
    return message


def _update(**fields) -> bytes:
    return json.dumps({"update_id": 1, **fields}).encode()


DEEP = 100_000
HOSTILE_BODIES = {     # well-formed JSON; json.loads or Update.de_json raise on these
    "nested lists": b'{"update_id": 1, "message": ' + b"[" * DEEP + b"]" * DEEP + b"}",
    "nested objects": b'{"update_id": 1, "message": ' + b'{"a": ' * DEEP + b"1" + b"}" * DEEP + b"}",
    "replies nested past the recursion limit": _update(message=_replies(600)),
    "a message that is a list": _update(message=[]),
    "a message that is text": _update(message="hi"),
    "a sender that is a number": _update(message=_message(**{"from": 3})),
    "entities that are an object": _update(message=_message(entities={"a": 1})),
    "a photo that is text": _update(message=_message(photo="abc")),
    "a keyboard that is a number": _update(message=_message(reply_markup={"inline_keyboard": 5})),
    "a reply without a date": _update(message=_message(reply_to_message={"x": 1})),
    "a date past year 9999": _update(message=_message(date=10**20)),
    "an infinite date": b'{"update_id": 1, "message": {"message_id": 1, "date": 1e999, '
                        b'"chat": {"id": 5, "type": "private"}}}',
    "a date before year 1": _update(message=_message(date=-10**12)),
    "a callback from a number": _update(callback_query={"id": "1", "from": 3}),
    "an update id that is true": b'{"update_id": true}',
    # de_json keeps plain fields as sent: those the bot reads are checked
    "text that is a number": _update(message=_message(text=5)),
    "text that is an object": _update(message=_message(text={"a": 1})),
    "a caption that is a list": _update(message=_message(caption=["/target"], document={
        "file_id": "d", "file_unique_id": "d"})),
    "a language that is a number": _update(message=_message(
        text="hi", **{"from": {"id": 5, "is_bot": False, "first_name": "Ram", "language_code": 7}})),
    "a sender id that is text": _update(message=_message(
        text="hi", **{"from": {"id": "5", "is_bot": False, "first_name": "Ram"}})),
    "a chat id that is text": _update(message=_message(text="hi", chat={"id": "x", "type": "private"})),
    "a file name that is a number": _update(message=_message(caption="/target", document={
        "file_id": "d", "file_unique_id": "d", "file_name": 5, "file_size": 10})),
    "a file size that is text": _update(message=_message(caption="/target", document={
        "file_id": "d", "file_unique_id": "d", "file_name": "t.csv", "file_size": "big"})),
    "a contact's user id that is text": _update(message=_message(contact={
        "phone_number": "+91 98765 01234", "first_name": "Ram", "user_id": "5"})),
    "button data that is a number": _update(callback_query={
        "id": "1", "chat_instance": "c", "data": 5, "from": Updates.user(5)}),
}


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
async def test_hostile_json_is_400_not_a_server_error(served, body, caplog) -> None:
    app, api, client = served
    secret = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    assert len(body) <= MAX_BODY
    response = await client.post("/telegram", content=body, headers=secret)
    assert (response.status_code, response.json()) == (400, {"ok": False, "error": "not a Telegram update"})
    assert not [r for r in caplog.records if r.exc_info or r.levelname in ("ERROR", "CRITICAL")]
    response = await client.post("/telegram", json=update_body(app, user_id=6363), headers=secret)
    assert response.status_code == 200 and api.sent_texts(6363)


def test_updates_of_every_kind_the_bot_gets_are_well_typed() -> None:
    from telegram import Bot
    from bot.channels.telegram.webhook import well_typed
    updates, ram = Updates(Bot("123456:TEST")), Updates.user(5)
    for update in (updates.text(ram, "/start"), updates.text(ram, "hi", chat_type="group"),
                   updates.contact(ram, "+919876501234", 5), updates.contact(ram, "+919876501234", None),
                   updates.photo(ram, "x"), updates.sticker(ram), updates.voice(ram), updates.location(ram),
                   updates.document(ram, "/target", "d", "t.csv", 10), updates.document(ram),
                   updates.edited(ram, "hi"), updates.press(ram, "lang:hi")):
        assert well_typed(update), update.to_dict()
    gone = updates.press(ram, "lang:hi").to_dict()
    gone["callback_query"]["message"] = {"message_id": 3, "date": 0, "chat": {"id": 5, "type": "private"}}
    assert well_typed(Update.de_json(gone, updates.bot))
