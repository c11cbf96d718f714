"""A staff user's document (a targets CSV) fetched through the Bot API:
getFile, then the file download, both through the fake Bot API."""
from __future__ import annotations

import pytest
from telegram import Bot

from bot.channels.telegram.files import download_document
from bot.staff_commands import FileTooLarge
from tests.telegram.fake_bot_api import FakeBotAPI, Updates

CSV = "district,department,target,deadline\nHARIDWAR,mgnrega,5000,31-12-2026\n".encode()


async def bot_with(api: FakeBotAPI) -> Bot:
    bot = Bot("123:abc", request=api, get_updates_request=api)
    await bot.initialize()
    return bot


async def test_a_sent_document_is_downloaded() -> None:
    api = FakeBotAPI()
    api.files["doc7"] = CSV
    bot = await bot_with(api)
    update = Updates(bot).document(Updates.user(10), file_id="doc7", file_name="targets.csv", file_size=len(CSV))
    assert await download_document(bot, update.message.document) == ("targets.csv", CSV)
    assert [c.method for c in api.calls if c.method != "getMe"][:1] == ["getFile"]


async def test_a_large_document_is_refused_before_download() -> None:
    api = FakeBotAPI()
    api.files["big"] = b"x" * 2000
    bot = await bot_with(api)
    said = Updates(bot).document(Updates.user(10), file_id="big", file_size=2000)
    with pytest.raises(FileTooLarge):
        await download_document(bot, said.message.document, limit=1000)
    assert not api.of("getFile")
    unsaid = Updates(bot).document(Updates.user(10), file_id="big")     # size not in the message
    with pytest.raises(FileTooLarge):
        await download_document(bot, unsaid.message.document, limit=1000)
