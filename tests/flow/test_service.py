"""The unit of work: engine + store. Duplicates, restarts, erasure."""
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.domain.models import Phase
from bot.flow import messages as m
from bot.messages import Input
from bot.i18n import translate
from bot.domain.references import REFERENCE_ALPHABET, is_reference, new_reference
from bot.service import Registration
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from tests.flow.golden import PERSONAS

KEY = bytes(range(32))
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
DRIVER = next(p for p in PERSONAS if p.name == "rickshaw_driver_haridwar")


@pytest.fixture
async def open_store():
    """Opens stores on demand and always closes them (an open aiosqlite
    connection would keep the test process alive)."""
    opened: list[SQLiteStore] = []

    async def open_(path: Path) -> SQLiteStore:
        store = SQLiteStore(path, Keyring(KEY))
        await store.migrate()
        opened.append(store)
        return store

    yield open_
    for store in opened:
        await store.close()


def typed(line: str) -> Input:
    return Input(command=line[1:]) if line.startswith("/") else Input(text=line)


async def play(registration: Registration, user: str, lines) -> list:
    outcomes = []
    for line in lines:
        outcomes.append(await registration.handle(user, typed(line), default_lang="hi"))
    return outcomes


def test_references_are_readable_aloud() -> None:
    ref = new_reference()
    assert len(ref) == 12 and ref.startswith("SS-")
    assert not set("01OIL") & set(REFERENCE_ALPHABET)
    assert len({new_reference() for _ in range(2000)}) == 2000
    assert is_reference(ref) and is_reference(ref.lower())
    assert not is_reference("camp_haridwar_01") and not is_reference("SS-0000-1111")


async def test_a_restart_mid_conversation_loses_nothing(tmp_path: Path, open_store) -> None:
    store = await open_store(tmp_path / "a.db")
    half = len(DRIVER.script) // 2
    await play(Registration(store, clock=lambda: NOW), "w1", DRIVER.script[:half])
    before = await store.load_draft("w1")
    await store.close()  # the process ends

    store = await open_store(tmp_path / "a.db")  # a new process
    after = await store.load_draft("w1")
    assert after.answers == before.answers and after.step == before.step
    outcomes = await play(Registration(store, clock=lambda: NOW), "w1", DRIVER.script[half:])
    assert "SS-" in outcomes[-1].replies[-1].text
    assert (await store.application_for_user("w1")).answers["aadhaar"] == "234123412346"


async def test_second_registration_with_the_same_aadhaar_is_refused(tmp_path: Path, open_store) -> None:
    store = await open_store(tmp_path / "b.db")
    registration = Registration(store, clock=lambda: NOW)
    await play(registration, "w1", DRIVER.script)
    aadhaar_at = DRIVER.script.index("२३४१ २३४१ २३४६")
    outcomes = await play(registration, "w2", DRIVER.script[:aadhaar_at + 1])
    last = outcomes[-1]
    assert last.replies[0].text == translate("hi", m.AADHAAR_TAKEN)
    assert last.replies[-1].question == "aadhaar"
    assert last.secret_input
    assert "aadhaar" not in (await store.load_draft("w2")).answers


async def test_duplicate_found_only_at_submit_returns_to_the_aadhaar_question(tmp_path: Path, open_store) -> None:
    store = await open_store(tmp_path / "c.db")
    registration = Registration(store, clock=lambda: NOW)
    submit_at = len(DRIVER.script) - 1
    await play(registration, "w1", DRIVER.script[:submit_at])  # both reach the review...
    await play(registration, "w2", DRIVER.script[:submit_at])
    await play(registration, "w1", DRIVER.script[submit_at:])  # ...w1 submits first
    [last] = await play(registration, "w2", DRIVER.script[submit_at:])
    assert last.replies[0].text == translate("hi", m.AADHAAR_TAKEN)
    draft = await store.load_draft("w2")
    assert draft.phase is Phase.FORM and draft.step == "aadhaar" and "name" in draft.answers


async def test_delete_erases_everything_after_confirmation(tmp_path: Path, open_store) -> None:
    store = await open_store(tmp_path / "d.db")
    registration = Registration(store, clock=lambda: NOW)
    await play(registration, "w1", DRIVER.script)
    [ask] = await play(registration, "w1", ["/delete"])
    assert ask.replies[-1].question == Phase.CONFIRM_DELETE.value
    assert await store.application_for_user("w1") is not None  # nothing yet
    [done] = await play(registration, "w1", ["1"])
    assert done.replies[-1].text == translate("hi", m.DELETED)
    assert await store.load_draft("w1") is None
    assert await store.application_for_user("w1") is None
    assert not await store.is_aadhaar_registered("234123412346")


async def test_coming_back_days_later_offers_continue_or_start_over(tmp_path: Path, open_store) -> None:
    store = await open_store(tmp_path / "e.db")
    clock = [NOW]
    registration = Registration(store, clock=lambda: clock[0])
    await play(registration, "w1", DRIVER.script[:12])
    clock[0] += timedelta(days=3)
    [back] = await play(registration, "w1", ["नमस्ते"])
    assert back.replies[-1].question == Phase.RESUME.value
    [restarted] = await play(registration, "w1", ["2"])
    draft = await store.load_draft("w1")
    assert set(draft.answers) == {"language", "consent"} and restarted.replies[-1].question == "dob"


def test_a_cloned_draft_shares_nothing_that_can_change() -> None:
    from bot.domain.models import Draft
    draft = Draft(user_id="u", answers={"name": "Ram", "sectors": ["a"], "x": {"y": [1]}}, meta={"source": "c1"})
    copy = draft.clone(step="name")
    copy.answers["name"] = "Shyam"
    copy.answers["sectors"].append("b")
    copy.answers["x"]["y"].append(2)
    copy.meta["source"] = "c2"
    assert draft.answers == {"name": "Ram", "sectors": ["a"], "x": {"y": [1]}} and draft.meta == {"source": "c1"}
    assert copy.step == "name" and draft.step is None
