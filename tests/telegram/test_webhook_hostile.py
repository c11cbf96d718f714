"""Hostile but well-formed bodies at the webhook (tests/telegram/test_webhook.py
style, the ASGI app called directly): nesting past the recursion limit,
nested fields of the wrong type, dates out of range, and plain fields the
bot reads of the wrong type are each 400 "not a Telegram update", never a
500 or a logged traceback, and the process keeps serving."""
from __future__ import annotations

import json

import pytest
from telegram import Update

from bot.channels.telegram.webhook import MAX_BODY
from tests.telegram.fake_bot_api import Updates
from tests.telegram.test_webhook import SECRET, served, update_body  # noqa: F401 (served: the fixture)


def _message(**fields) -> dict:
    return {"message_id": 1, "date": 1_700_000_000, "chat": {"id": 5, "type": "private"},
            "from": Updates.user(5), **fields}


def _replies(depth: int) -> dict:
    """A message replying to a message replying to ... ``depth`` times."""
    message = _message(text="hi")
    for _ in range(depth):
        message = _message(text="hi", reply_to_message=message)
    return message


def _member_change(**fields) -> dict:
    member = {"status": "member", "user": Updates.user(5)}
    return {"chat": {"id": 5, "type": "private"}, "from": Updates.user(5), "date": 1,
            "old_chat_member": member, "new_chat_member": {**member, "status": "kicked", "until_date": 0},
            **fields}


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
    "a venue's title that is a number": _update(message=_message(venue={
        "location": {"latitude": 1.0, "longitude": 2.0}, "title": 5, "address": "x"})),
    "a contact's vCard that is a list": _update(message=_message(contact={
        "phone_number": "+91 98765 01234", "first_name": "Ram", "vcard": ["x"]})),
    # updates of kinds the bot does not ask for: python-telegram-bot reads their chat's and user's
    # ids (to hash them) outside any handler, so those are checked for every kind of update
    "a channel post whose chat id is a list": _update(channel_post={
        "message_id": 1, "date": 1, "chat": {"id": [1], "type": "channel"}}),
    "an edited channel post whose chat id is an object": _update(edited_channel_post={
        "message_id": 1, "date": 1, "chat": {"id": {"a": 1}, "type": "channel"}}),
    "a chat member change whose chat id is an object": _update(my_chat_member=_member_change(
        chat={"id": {"a": 1}, "type": "private"})),
    "a chat member change from a user whose id is a list": _update(chat_member=_member_change(
        **{"from": {"id": [5], "is_bot": False, "first_name": "Ram"}})),
    "a join request whose chat id is text": _update(chat_join_request={
        "chat": {"id": "x", "type": "supergroup"}, "from": Updates.user(5), "user_chat_id": 5, "date": 1}),
    "a reaction whose chat id is a list": _update(message_reaction={
        "chat": {"id": [1], "type": "private"}, "message_id": 1, "date": 1, "old_reaction": [],
        "new_reaction": []}),
    "an inline query from a user whose id is a list": _update(inline_query={
        "id": "1", "from": {"id": [1], "is_bot": False, "first_name": "R"}, "query": "x", "offset": ""}),
    "a poll answer from a user whose id is text": _update(poll_answer={
        "poll_id": "1", "option_ids": [0], "option_persistent_ids": ["a"],
        "user": {"id": "5", "is_bot": False, "first_name": "R"}}),
    "a business message whose chat id is a list": _update(business_message=_message(
        text="hi", chat={"id": [5], "type": "private"})),
    "a channel post whose text is a number": _update(channel_post={
        "message_id": 1, "date": 1, "chat": {"id": -100, "type": "channel"}, "text": 5}),
    "a message and a button press, the message from a user whose id is a list": _update(
        message=_message(text="hi", **{"from": {"id": [5], "is_bot": False, "first_name": "R"}}),
        callback_query={"id": "1", "chat_instance": "c", "data": "x", "from": Updates.user(5)}),
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
    for kind, body in (("channel_post", {"message_id": 1, "date": 1, "chat": {"id": -100, "type": "channel"},
                                         "text": "news"}),
                       ("my_chat_member", _member_change()),
                       ("chat_join_request", {"chat": {"id": -100, "type": "supergroup"}, "from": ram,
                                              "user_chat_id": 5, "date": 1}),
                       ("message_reaction", {"chat": {"id": 5, "type": "private"}, "message_id": 1, "date": 1,
                                             "user": ram, "old_reaction": [], "new_reaction": []}),
                       ("inline_query", {"id": "1", "from": ram, "query": "x", "offset": ""}),
                       ("poll_answer", {"poll_id": "1", "option_ids": [0], "option_persistent_ids": ["a"],
                                        "user": ram})):
        update = Update.de_json({"update_id": 1, kind: body}, updates.bot)   # ignored by the bot, but sound
        assert well_typed(update), update.to_dict()
    gone = updates.press(ram, "lang:hi").to_dict()
    gone["callback_query"]["message"] = {"message_id": 3, "date": 0, "chat": {"id": 5, "type": "private"}}
    assert well_typed(Update.de_json(gone, updates.bot))
