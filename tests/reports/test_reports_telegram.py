"""Officials' commands through python-telegram-bot's real ``process_update``
and the fake Bot API: /progress as text and a chart, a targets CSV sent as a
document (alone or with /target) read through getFile, /camp with a link
naming this bot and its QR code, /export as a CSV document without clear
numbers; a worker's CSV is never downloaded."""
from __future__ import annotations

import pytest

from bot.flow import messages as fm
from bot.i18n import translate
from bot.store.reports import targets_in
from tests.desk.desk_fixtures import OFFICIAL, telegram_bot
from tests.desk.desk_golden import REGISTRATION
from tests.telegram.fake_bot_api import BOT_USERNAME, FakeBotAPI, Updates

WORKER, OFFICIAL_ID = 424242, 103
BAD_CSV = ("district,department,target,deadline\n"
           "HARIDWAR,mgnrega,5000,31-12-2026\n"
           "DEHRADUN,mgnrega,100,31-12-2026\n"
           "HARIDWAR,police,100,31-12-2026\n").encode()
GOOD_CSV = ("district,department,target,deadline\n"
            "HARIDWAR,mgnrega,5000,31-12-2026\n"
            "HARIDWAR,labour,1200,15-12-2026\n").encode()


@pytest.fixture
async def phones(tmp_path):
    async with telegram_bot(tmp_path, OFFICIAL, files={"bad": BAD_CSV, "good": GOOD_CSV}, name="reports.db") as bot:
        yield bot


def sent(api: FakeBotAPI, chat: int, since: int, method: str = "sendMessage") -> list:
    return [c for c in api.calls[since:] if c.method == method and int(c.params["chat_id"]) == chat]


def texts(api: FakeBotAPI, chat: int, since: int) -> list[str]:
    return [c.params["text"] for c in sent(api, chat, since)]


async def test_an_officials_commands_through_telegram(phones) -> None:
    app, api, store, updates = phones
    worker, official = Updates.user(WORKER, "en"), Updates.user(OFFICIAL_ID, "en")
    for line in REGISTRATION:
        await app.process_update(updates.text(worker, line))
    application = await store.application_for_user(f"tg:{WORKER}")

    async def send(update) -> int:
        before = len(api.calls)
        await app.process_update(update)
        return before

    # /progress: the figures as text, then the chart
    before = await send(updates.text(official, "/progress"))
    [progress] = texts(api, OFFICIAL_ID, before)
    assert progress.startswith("Registration progress: Haridwar") and "Submitted, in review: 1" in progress
    [chart] = sent(api, OFFICIAL_ID, before, "sendPhoto")
    assert chart.uploads["photo"][1].startswith(b"\x89PNG")

    # a targets CSV alone is /target; a bad one names each bad row and changes nothing
    before = await send(updates.document(official, None, "bad", "targets.csv", len(BAD_CSV)))
    [report] = texts(api, OFFICIAL_ID, before)
    assert report.startswith("Nothing was changed") and "Row 3:" in report and "Row 4:" in report
    assert "not your district" in report and "police" in report and "Row 2:" not in report
    assert await store.query(targets_in, "UTTARAKHAND", "HARIDWAR") == []
    assert [c.method for c in api.calls[before:]][:2] == ["getFile", "download"]
    # with /target as its caption, a good one is applied whole
    before = await send(updates.document(official, "/target", "good", "targets.csv", len(GOOD_CSV)))
    assert texts(api, OFFICIAL_ID, before) == ["2 targets set from the file."]
    got = {(t.department, t.target) for t in await store.query(targets_in, "UTTARAKHAND", "HARIDWAR")}
    assert got == {("mgnrega", 5000), ("labour", 1200)}

    # /camp new: a link naming this bot, and its QR code
    before = await send(updates.text(official, "/camp new Rojgar Mela Roorkee 30-11-2026 csc1234 mgnrega"))
    [camp] = texts(api, OFFICIAL_ID, before)
    assert f"https://t.me/{BOT_USERNAME}?start=camp_" in camp
    [qr] = sent(api, OFFICIAL_ID, before, "sendPhoto")
    name, png = qr.uploads["photo"]
    assert name.startswith("camp_") and name.endswith(".png") and png.startswith(b"\x89PNG")

    # /export: a CSV document with the numbers masked
    before = await send(updates.text(official, "/export"))
    [export] = sent(api, OFFICIAL_ID, before, "sendDocument")
    name, content = export.uploads["document"]
    csv = content.decode("utf-8-sig")
    assert name.startswith("applications_haridwar_") and name.endswith(".csv")
    assert application.reference in csv
    answers = application.answers
    for clear in (answers["aadhaar"], answers["bank_account"], answers["mobile"]):
        assert clear not in csv
    assert "XXXX XXXX " + answers["aadhaar"][-4:] in csv


@pytest.mark.parametrize("caption", [None, "/target"])
async def test_a_workers_csv_is_never_downloaded(phones, caption) -> None:
    app, api, store, updates = phones
    worker = Updates.user(WORKER, "en")
    await app.process_update(updates.text(worker, "/start"))
    before = len(api.calls)
    await app.process_update(updates.document(worker, caption, "good", "targets.csv", len(GOOD_CSV)))
    said = texts(api, WORKER, before)
    assert said and said[0].startswith(translate("en", fm.ONLY_TEXT))
    assert not [c for c in api.calls[before:] if c.method in ("getFile", "download")]
    assert await store.query(targets_in, "UTTARAKHAND", None) == []
