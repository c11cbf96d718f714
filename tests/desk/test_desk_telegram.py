"""The desk through python-telegram-bot's real ``process_update`` and the
fake Bot API: the whole loop between a worker's phone and an operator's,
the revealed Aadhaar deleted from the chat, invitations by deep link."""
from __future__ import annotations

import asyncio
import re

import pytest

from bot.desk import messages as m
from bot.desk import review
from bot.i18n import translate
from bot.store.audit import trail
from tests.desk.desk_fixtures import OPERATOR_A, telegram_bot
from tests.desk.desk_golden import COMMENTS, REGISTRATION
from tests.telegram.fake_bot_api import FakeBotAPI, Updates

WORKER, OPERATOR, ADMIN = 424242, 101, 100


@pytest.fixture
async def phones(tmp_path):
    async with telegram_bot(tmp_path, OPERATOR_A, admins=str(ADMIN)) as bot:
        yield bot


def texts(api: FakeBotAPI, chat: int, since: int) -> list[str]:
    return [c.params["text"] for c in api.calls[since:] if c.method == "sendMessage"
            and int(c.params["chat_id"]) == chat]


@pytest.mark.parametrize("lang", ["hi", "en"])
async def test_the_whole_loop_between_two_phones(phones, monkeypatch, lang: str) -> None:
    app, api, store, updates = phones
    monkeypatch.setattr(review, "REVEAL_SECONDS", 0.05)
    worker, operator = Updates.user(WORKER, lang), Updates.user(OPERATOR, "hi")
    for line in REGISTRATION:
        await app.process_update(updates.text(worker, line))
    ref = (await store.application_for_user(f"tg:{WORKER}")).reference

    async def press(data: str) -> int:
        before = len(api.calls)
        await app.process_update(updates.press(operator, data.format(ref=ref)))
        return before

    await app.process_update(updates.text(operator, "/queue"))
    before = await press("queue:next")
    card = texts(api, OPERATOR, before)[0]
    assert ref in card and "XXXX XXXX 2346" in card and "234123412346" not in card
    await press("card:back:{ref}")
    await press("card:fix:{ref}:name")
    await press("card:fixdone:{ref}")
    before = len(api.calls)
    await app.process_update(updates.text(operator, COMMENTS[lang]))
    to_worker = texts(api, WORKER, before)
    assert to_worker[0].startswith(translate(lang, m.WORKER_SENT_BACK, reference=ref, comment=COMMENTS[lang],
                                             fields=translate(lang, "Name")))
    assert "राम कुमार" in to_worker[-1]

    await app.process_update(updates.text(worker, "राम कुमार सैनी"))
    before = len(api.calls)
    await app.process_update(updates.text(worker, "1"))  # submit from the review
    assert translate(lang, "Thank you. Your corrected application {reference} is sent again for verification "
                           "at the CSC. You will get your 12-digit UAN here once it is approved.",
                     reference=ref) in texts(api, WORKER, before)

    await press("queue:next")
    before = await press("card:reveal:{ref}")
    revealed = [c for c in api.calls[before:] if c.method == "sendMessage"][0]
    assert "2341 2341 2346" in revealed.params["text"]
    await asyncio.sleep(0.2)
    deleted = api.of("deleteMessage", OPERATOR)
    assert deleted and all(c.params["message_id"] for c in deleted)
    await press("card:approve:{ref}")
    before = len(api.calls)
    await app.process_update(updates.text(operator, "१००२ ००३० ०४००"))
    assert translate("hi", m.APPROVED, reference=ref, uan="100200300400") in texts(api, OPERATOR, before)[0]
    assert texts(api, WORKER, before) == [translate(lang, m.WORKER_APPROVED, reference=ref, uan="100200300400")]

    actions = [r.action for r in await store.query(trail, ref)]
    assert actions == ["submit", "claim", "send_back", "resubmit", "claim", "reveal_aadhaar", "approve"]


async def test_a_repeated_button_press_is_applied_once(phones) -> None:
    app, api, store, updates = phones
    worker, operator = Updates.user(WORKER, "hi"), Updates.user(OPERATOR, "hi")
    for line in REGISTRATION:
        await app.process_update(updates.text(worker, line))
    press = updates.press(operator, "queue:next")
    await app.process_update(press)
    before = len(api.calls)
    await app.process_update(press)  # Telegram delivers it again
    assert texts(api, OPERATOR, before) == []


async def test_an_invitation_link_works_once(phones) -> None:
    app, api, store, updates = phones
    admin, new, late = Updates.user(ADMIN, "en"), Updates.user(201, "en"), Updates.user(202, "en")
    before = len(api.calls)
    await app.process_update(updates.text(admin, "/invite operator CSC-HW-09 haridwar"))
    said = texts(api, ADMIN, before)[0]
    token = re.search(r"start=(join_[A-Za-z0-9_-]+)", said).group(1)
    assert len(token) - len("join_") >= 22  # >= 128 bits
    assert await store.query(_invite_rows, token) == 0  # only its hash is stored
    before = len(api.calls)
    await app.process_update(updates.text(new, f"/start {token}"))
    assert "CSC-HW-09" in texts(api, 201, before)[0]
    menu = [c for c in api.calls[before:] if c.method == "setMyCommands"]  # their "/" menu: operator commands
    assert len(menu) == 1 and menu[0].params["scope"] == {"type": "chat", "chat_id": 201}
    names = {c["command"] for c in menu[0].params["commands"]}
    assert {"queue", "card", "assist", "practice", "desk"} <= names and "progress" not in names
    before = len(api.calls)
    await app.process_update(updates.text(late, f"/start {token}"))
    assert texts(api, 202, before) == [translate("en", m.INVITE_INVALID)]
    before = len(api.calls)
    await app.process_update(updates.text(new, "/queue"))
    assert texts(api, 201, before)[0].startswith("Applications in Haridwar")


def _invite_rows(token: str):
    from bot.store.sql import one
    row = yield one("SELECT COUNT(*) AS n FROM invites WHERE token_hash = ? OR csc = ?", token, token)
    return row["n"]


async def test_a_staff_command_reads_the_document_sent_with_it(phones) -> None:
    from bot.domain.roles import Role
    from bot.messages import Outcome, Reply
    from bot.staff_commands import STAFF_COMMANDS, register

    app, api, store, updates = phones
    got = []

    @register("uploadtest", {Role.ADMIN}, "test")
    async def upload(req):
        got.append(req.file)
        return Outcome(None, [Reply("ok")])

    try:
        api.files["f1"] = b"district,target\nHARIDWAR,1000\n"
        admin, worker = Updates.user(ADMIN, "en"), Updates.user(WORKER, "en")
        await app.process_update(updates.document(admin, "/uploadtest", "f1", "targets.csv", 31))
        assert got == [("targets.csv", b"district,target\nHARIDWAR,1000\n")]
        before = len(api.calls)
        await app.process_update(updates.document(worker, "/start", "f1", "targets.csv", 31))
        await app.process_update(updates.document(worker, "/uploadtest", "f1", "targets.csv", 31))
        assert not [c for c in api.calls[before:] if c.method in ("getFile", "download")]  # a worker's is not read
        assert len(got) == 1
    finally:
        del STAFF_COMMANDS["uploadtest"]


async def test_a_revoked_operator_is_told_and_gets_the_everyday_menu_back(phones) -> None:
    app, api, store, updates = phones
    admin = Updates.user(ADMIN, "en")
    before = len(api.calls)
    await app.process_update(updates.text(admin, f"/revoke {OPERATOR}"))
    assert texts(api, OPERATOR, before) == [translate("en", m.YOUR_ROLE_REMOVED)]
    reset = [c for c in api.calls[before:] if c.method == "deleteMyCommands"]
    assert len(reset) == 1 and reset[0].params["scope"] == {"type": "chat", "chat_id": OPERATOR}
    # the creator of an invitation is told who used it, in their chat
    await app.process_update(updates.text(admin, "/invite operator CSC-HW-09 haridwar"))
    token = re.search(r"start=(join_[A-Za-z0-9_-]+)", texts(api, ADMIN, before)[-1]).group(1)
    before = len(api.calls)
    await app.process_update(updates.text(Updates.user(203, "en"), f"/start {token}"))
    assert texts(api, ADMIN, before) == [translate("en", m.INVITE_USED, user="203",
                                                   role="CSC operator (CSC-HW-09, Haridwar, Uttarakhand)")]
