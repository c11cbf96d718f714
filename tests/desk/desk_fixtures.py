"""Builders for desk tests: a store with staff and submitted applications.

The desk's store-level and dispatcher tests take the ``store`` fixture
(``tests/conftest.py``: once per backend, SQLite and PostgreSQL); ``open_store``
is for the Telegram-layer tests, which check the channel, not the backend.
"""
from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path

from bot.domain.models import Draft, Phase
from bot.domain.references import REFERENCE_ALPHABET
from bot.domain.roles import Role, Staff
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from bot.store.staff import grant

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
_aadhaar = itertools.count(234100000000)

OPERATOR_A = Staff("tg:101", Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", "CSC-HW-01")
OPERATOR_A2 = Staff("tg:104", Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", "CSC-HW-02")
OPERATOR_B = Staff("tg:102", Role.OPERATOR, "UTTARAKHAND", "DEHRADUN", "CSC-DD-01")
OFFICIAL = Staff("tg:103", Role.OFFICIAL, "UTTARAKHAND", "HARIDWAR")
ADMIN = Staff("tg:100", Role.ADMIN)


def answers(state: str = "UTTARAKHAND", district: str = "HARIDWAR") -> dict:
    return {"language": "hi", "consent": "agree", "dob": "1988-08-15", "epfo_esic": False,
            "nps_govt": False, "income_tax": False, "mobile": "9876543210",
            "aadhaar": str(next(_aadhaar)), "name": "राम कुमार", "gender": "male",
            "father_name": "श्याम लाल", "pin": "249401", "state": state, "district": district,
            "address": "मकान 12, ज्वालापुर", "bank_account": "12345678901", "ifsc": "SBIN0001234"}


async def open_store(path) -> SQLiteStore:
    store = SQLiteStore(path, Keyring(bytes(range(32))))
    await store.migrate()
    return store


async def add_staff(store, *staff: Staff) -> None:
    for one in staff:
        await store.transact(grant, one, None, NOW)


def _reference(n: int) -> str:
    """SS-TEST-2222, SS-TEST-2223, ...: valid references, told apart from real ones by TEST."""
    digits = ""
    for _ in range(4):
        n, d = divmod(n, len(REFERENCE_ALPHABET))
        digits = REFERENCE_ALPHABET[d] + digits
    return f"SS-TEST-{digits}"


async def submit(store, user_id: str, *, district: str = "HARIDWAR", source: str | None = None,
                 lang: str = "hi", refs=itertools.count()) -> str:
    draft = Draft(user_id=user_id, lang=lang, phase=Phase.REVIEW,
                  answers=answers(district=district) | {"language": lang},
                  meta={"source": source} if source else {})
    app = await store.submit(draft, lambda: _reference(next(refs)))
    return app.reference


@asynccontextmanager
async def telegram_bot(tmp_path: Path, *staff: Staff, admins: str = "", files: dict[str, bytes] | None = None,
                       name: str = "tg.db") -> AsyncIterator[tuple]:
    """The bot as it runs on Telegram (PTB's Application, the dispatcher, an
    on-disk SQLite store) with a fake Bot API: (app, api, store, updates)."""
    from bot.channels.telegram.app import build_application, start_application
    from bot.config import Settings
    from bot.dispatch import Dispatcher, parse_admins
    from bot.service import Registration
    from tests.telegram.fake_bot_api import FakeBotAPI, Updates

    store = await open_store(tmp_path / name)
    await add_staff(store, *staff)
    api = FakeBotAPI()
    api.files.update(files or {})
    dispatcher = Dispatcher(Registration(store), admins=parse_admins(admins))
    app = build_application(Settings(bot_token="123456:TEST", data_dir=tmp_path, _env_file=None), dispatcher,
                            request=api)
    await start_application(app)
    try:
        yield app, api, store, Updates(app.bot)
    finally:
        await app.shutdown()
        await store.close()
