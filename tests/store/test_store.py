"""The Store contract, checked against every backend, and the Keyring.

Every test taking ``store`` (``tests/conftest.py``) runs once per backend in
``BACKENDS``; to add one, see ``tests/store/backends.py``.
"""
from __future__ import annotations

import asyncio
import itertools
from datetime import datetime, timezone
from pathlib import Path

import pytest
from stdnum import verhoeff
from stdnum.in_ import aadhaar as aadhaar_format

from bot.config import Settings, new_key
from bot.domain.models import Application, Draft, Phase, ReviewState
from bot.store import DecryptionError, DuplicateAadhaar, Keyring, SQLiteStore, Store, open_store
from bot.store.migrations import MIGRATIONS
from bot.store.locks import UserLocks
from tests.store.backends import MASTER_KEY, sql
from tests.store.postgres import PostgresStore

AADHAAR = "234123412346"
AADHAAR_SPACED = "2341 2341 2346"
BANK_ACCOUNT = "50100234567891"


def valid_aadhaar(seed: int) -> str:
    """A number that passes stdnum's Aadhaar check (Verhoeff digit), from a seed."""
    base = f"{seed:011d}"
    base = "9" + base[1:] if base[0] in "01" else base
    number = base + verhoeff.calc_check_digit(base)
    assert aadhaar_format.is_valid(number)
    return number


OTHER_AADHAAR = valid_aadhaar(87654321234)
assert aadhaar_format.is_valid(AADHAAR)


async def vault_tokens(store: Store) -> set[str]:
    return {token for (token,) in await sql(store, "SELECT token FROM aadhaar_vault")}


def draft_for(user_id: str, aadhaar: str = AADHAAR, **changes: object) -> Draft:
    answers = {"aadhaar": aadhaar, "bank_account": BANK_ACCOUNT, "name": "राम कुमार",
               "mobile": "9876501234", "ifsc": "HDFC0001234", "sectors": ["construction"]}
    values: dict = {"user_id": user_id, "lang": "hi", "phase": Phase.REVIEW, "answers": answers}
    return Draft(**(values | changes))


def references(*values: str):
    """A new_reference that hands out ``values`` in turn and counts its calls."""
    it = iter(values)

    def new_reference() -> str:
        new_reference.calls += 1
        return next(it)

    new_reference.calls = 0
    return new_reference


# -- schema ----------------------------------------------------------------------

async def test_migrate_twice_is_a_noop(store: Store) -> None:
    await store.save_draft(draft_for("u1"))
    await store.migrate()
    await store.migrate()
    versions = [v for (v,) in await sql(store, "SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [version for version, _ in MIGRATIONS]
    assert (await store.load_draft("u1")).answers["aadhaar"] == AADHAAR


# -- drafts ----------------------------------------------------------------------

async def test_draft_round_trip_keeps_every_field(store: Store) -> None:
    draft = Draft(
        user_id="u1", lang="en", phase=Phase.EDIT_PICK, step="bank_account",
        answers={"aadhaar": AADHAAR, "bank_account": BANK_ACCOUNT, "name": "Sita Devi",
                 "age": 34, "sectors": ["domestic", "construction"], "address": {"pin": "110001"}},
        back_to=Phase.REVIEW, editing=True, ineligible_reason="none", reference="SS-1",
        meta={"start": "camp-42"},
        created_at=datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc),
        updated_at=datetime(2024, 1, 3, 3, 4, 5, tzinfo=timezone.utc))
    await store.save_draft(draft)
    loaded = await store.load_draft("u1")
    assert loaded == draft
    assert loaded.answers["aadhaar"] == AADHAAR and loaded.answers["bank_account"] == BANK_ACCOUNT
    assert await store.load_draft("nobody") is None


async def test_draft_without_sensitive_answers(store: Store) -> None:
    draft = Draft(user_id="u1", lang="hi", step="name", answers={"name": "Ram"})
    await store.save_draft(draft)
    assert await store.load_draft("u1") == draft
    assert await vault_tokens(store) == set()


async def test_vault_entry_is_reused_replaced_and_removed(store: Store) -> None:
    await store.save_draft(draft_for("u1"))
    first = await vault_tokens(store)
    assert len(first) == 1
    await store.save_draft(draft_for("u1", phase=Phase.FORM))  # same Aadhaar: same entry
    assert await vault_tokens(store) == first
    await store.save_draft(draft_for("u1", aadhaar=OTHER_AADHAAR))  # changed: old entry gone
    second = await vault_tokens(store)
    assert len(second) == 1 and second != first
    assert (await store.load_draft("u1")).answers["aadhaar"] == OTHER_AADHAAR
    without = draft_for("u1")
    del without.answers["aadhaar"]
    await store.save_draft(without)  # removed: entry gone
    assert await vault_tokens(store) == set()


async def turn(store: Store, draft: Draft, key: str) -> None:
    """One input as the service applies it: lock, load the turn, save."""
    async with store.user_lock(draft.user_id):
        assert not (await store.load_turn(draft.user_id, update_key=key)).applied
        await store.save_draft(draft, applied=key)


async def test_vault_entry_across_turns_under_the_lock(store: Store) -> None:
    await turn(store, draft_for("u1"), "tg:1")
    first = await vault_tokens(store)
    await turn(store, draft_for("u1", phase=Phase.FORM), "tg:2")  # same Aadhaar: same entry
    assert await vault_tokens(store) == first and len(first) == 1
    await turn(store, draft_for("u1", aadhaar=OTHER_AADHAAR), "tg:3")  # changed: old entry gone
    second = await vault_tokens(store)
    assert len(second) == 1 and second != first
    async with store.user_lock("u1"):  # a failed save under the lock writes nothing
        await store.load_turn("u1", update_key="tg:4")
        bad = draft_for("u1")
        bad.answers["bank_account"] = 12345
        with pytest.raises(TypeError):
            await store.save_draft(bad, applied="tg:4")
        await store.save_draft(draft_for("u1", aadhaar=OTHER_AADHAAR, step="name"), applied="tg:4")
    assert await vault_tokens(store) == second
    async with store.user_lock("u1"):  # a submit between load and save
        loaded = await store.load_turn("u1", update_key="tg:5")
        await store.submit(loaded.draft, lambda: "SS-AAAA-AAAA")
        await store.save_draft(draft_for("u1", aadhaar=AADHAAR, phase=Phase.SUBMITTED), applied="tg:5")
    assert len(await vault_tokens(store)) == 2  # the application's entry, the draft's new one
    draft = await store.load_draft("u1")
    assert draft.answers["aadhaar"] == AADHAAR and draft.answers["bank_account"] == BANK_ACCOUNT
    assert (await store.application_for_user("u1")).answers["aadhaar"] == OTHER_AADHAAR
    assert all([await store.is_applied(f"tg:{n}") for n in range(1, 6)])
    before = await vault_tokens(store)
    await turn(store, draft_for("u1", aadhaar=OTHER_AADHAAR), "tg:6")  # the draft's old entry goes
    after = await vault_tokens(store)
    assert len(after) == 2 and len(after & before) == 1
    async with store.user_lock("u1"):
        assert (await store.load_turn("u1", update_key="tg:6")).applied


async def test_draft_saved_with_another_key_does_not_open(store: Store, tmp_path: Path) -> None:
    if not isinstance(store, SQLiteStore):
        pytest.skip("reopens the SQLite file")
    await store.save_draft(draft_for("u1"))
    await store.close()
    other = SQLiteStore(store.path, Keyring(bytes(32)))
    await other.migrate()
    try:
        with pytest.raises(DecryptionError):
            await other.load_draft("u1")
    finally:
        await other.close()


# -- submitting ------------------------------------------------------------------

async def test_submit_creates_application_and_marks_draft(store: Store) -> None:
    draft = draft_for("u1", meta={"start": "camp-7"})
    application = await store.submit(draft, references("SS-0001"))
    assert isinstance(application, Application)
    assert application.reference == "SS-0001" and application.user_id == "u1"
    assert application.state is ReviewState.SUBMITTED and application.lang == "hi"
    assert application.answers == draft.answers and application.meta == {"start": "camp-7"}
    assert draft.phase is Phase.REVIEW and draft.reference is None  # caller's draft untouched

    saved = await store.load_draft("u1")
    assert saved.phase is Phase.SUBMITTED and saved.reference == "SS-0001"
    assert saved.answers == draft.answers
    assert await store.get_application("SS-0001") == application
    assert await store.application_for_user("u1") == application
    assert await store.get_application("SS-9999") is None
    assert await store.application_for_user("u2") is None
    assert len(await vault_tokens(store)) == 1  # draft and application share the entry


async def test_duplicate_aadhaar_of_another_user_changes_nothing(store: Store) -> None:
    await store.submit(draft_for("u1"), references("SS-0001"))
    other = draft_for("u2", aadhaar=AADHAAR_SPACED)
    await store.save_draft(other)
    tokens = await vault_tokens(store)
    new_reference = references("SS-0002")

    with pytest.raises(DuplicateAadhaar):
        await store.submit(other, new_reference)

    assert await store.load_draft("u2") == other
    assert await store.application_for_user("u2") is None
    assert await vault_tokens(store) == tokens
    assert new_reference.calls == 0
    assert (await store.application_for_user("u1")).reference == "SS-0001"


async def test_resubmission_keeps_reference_and_goes_back_to_submitted(store: Store) -> None:
    first = await store.submit(draft_for("u1"), references("SS-0001"))
    await sql(store, "UPDATE applications SET state = ? WHERE reference = ?",
              ReviewState.HAS_ISSUES.value, "SS-0001")
    assert (await store.get_application("SS-0001")).state is ReviewState.HAS_ISSUES

    edited = await store.load_draft("u1")
    edited.phase = Phase.REVIEW
    edited.answers["name"] = "Ram Kumar Yadav"
    edited.answers["aadhaar"] = OTHER_AADHAAR
    await store.save_draft(edited)
    new_reference = references("SS-0002")
    again = await store.submit(edited, new_reference)

    assert new_reference.calls == 0
    assert again.reference == "SS-0001" and again.state is ReviewState.SUBMITTED
    assert again.submitted_at == first.submitted_at and again.updated_at >= first.updated_at
    loaded = await store.get_application("SS-0001")
    assert loaded == again
    assert loaded.answers["name"] == "Ram Kumar Yadav" and loaded.answers["aadhaar"] == OTHER_AADHAAR
    assert len(await vault_tokens(store)) == 1  # the replaced Aadhaar's entry is gone
    assert await store.is_aadhaar_registered(OTHER_AADHAAR)
    assert not await store.is_aadhaar_registered(AADHAAR)


async def test_reference_collision_asks_for_another(store: Store) -> None:
    await store.submit(draft_for("u1"), references("SS-0001"))
    new_reference = references("SS-0001", "SS-0001", "SS-0002")
    application = await store.submit(draft_for("u2", aadhaar=OTHER_AADHAAR), new_reference)
    assert application.reference == "SS-0002" and new_reference.calls == 3
    assert (await store.get_application("SS-0002")).user_id == "u2"


async def test_reference_collisions_give_up_after_ten_tries(store: Store) -> None:
    await store.submit(draft_for("u1"), references("SS-0001"))
    other = draft_for("u2", aadhaar=OTHER_AADHAAR)
    new_reference = references(*["SS-0001"] * 20)
    with pytest.raises(RuntimeError):
        await store.submit(other, new_reference)
    assert new_reference.calls == 10
    assert await store.load_draft("u2") is None
    assert await store.application_for_user("u2") is None


async def test_is_aadhaar_registered(store: Store) -> None:
    assert not await store.is_aadhaar_registered(AADHAAR)
    await store.save_draft(draft_for("u1"))
    assert not await store.is_aadhaar_registered(AADHAAR)  # a draft is not an application
    await store.submit(draft_for("u1"), references("SS-0001"))
    assert await store.is_aadhaar_registered(AADHAAR)
    assert await store.is_aadhaar_registered(AADHAAR_SPACED)
    assert await store.is_aadhaar_registered(AADHAAR, except_user="u2")
    assert not await store.is_aadhaar_registered(AADHAAR, except_user="u1")
    assert not await store.is_aadhaar_registered(OTHER_AADHAAR)


# -- erasing ---------------------------------------------------------------------

async def test_erase_user_removes_draft_application_and_vault(store: Store) -> None:
    await store.submit(draft_for("u1"), references("SS-0001"))
    edited = draft_for("u1", aadhaar=valid_aadhaar(55555555555))  # draft and application differ
    await store.save_draft(edited)
    await store.save_draft(draft_for("u2", aadhaar=OTHER_AADHAAR))
    assert len(await vault_tokens(store)) == 3

    await store.erase_user("u1")

    assert await store.load_draft("u1") is None
    assert await store.application_for_user("u1") is None
    assert await store.get_application("SS-0001") is None
    assert not await store.is_aadhaar_registered(AADHAAR)
    assert len(await vault_tokens(store)) == 1
    assert (await store.load_draft("u2")).answers["aadhaar"] == OTHER_AADHAAR
    await store.erase_user("nobody")  # nothing to erase is fine


# -- per-user locks --------------------------------------------------------------

async def test_user_lock_serialises_one_user(store: Store) -> None:
    counter = 0
    events: list[str] = []

    async def increment(name: str) -> None:
        nonlocal counter
        async with store.user_lock("u1"):
            events.append(f"{name} in")
            value = counter
            await asyncio.sleep(0.01)
            counter = value + 1
            events.append(f"{name} out")

    await asyncio.gather(*(increment(f"t{i}") for i in range(5)))
    assert counter == 5
    assert all(events[i].split()[0] == events[i + 1].split()[0] for i in range(0, len(events), 2))


async def test_user_lock_does_not_block_other_users(store: Store) -> None:
    a_inside, b_inside = asyncio.Event(), asyncio.Event()

    async def hold(user_id: str, mine: asyncio.Event, theirs: asyncio.Event) -> None:
        async with store.user_lock(user_id):
            mine.set()
            await theirs.wait()  # both inside at once, or this never returns

    await asyncio.wait_for(asyncio.gather(hold("a", a_inside, b_inside),
                                          hold("b", b_inside, a_inside)), timeout=2)


async def test_user_locks_are_forgotten_when_free() -> None:
    locks = UserLocks()
    async with locks.hold("u1"):
        async with locks.hold("u2"):
            assert len(locks) == 2
    assert len(locks) == 0
    with pytest.raises(ZeroDivisionError):
        async with locks.hold("u1"):
            1 / 0
    assert len(locks) == 0
    async with locks.hold("u1"):  # still usable afterwards
        pass


# -- nothing in clear on disk ----------------------------------------------------

async def test_no_aadhaar_account_or_mobile_number_on_disk(store: Store) -> None:
    if not isinstance(store, SQLiteStore):
        pytest.skip("reads the SQLite files")
    others = [valid_aadhaar(70000000000 + i * 1234567) for i in range(5)]
    for i, number in enumerate(others):
        await store.save_draft(draft_for(f"w{i}", aadhaar=number))
        await store.submit(draft_for(f"w{i}", aadhaar=number), references(f"SS-W{i}"))
    await store.save_draft(draft_for("u1"))
    await store.submit(draft_for("u1", phase=Phase.FORM), references("SS-0001"))
    await store.save_draft(draft_for("u1", phase=Phase.FORM, aadhaar=AADHAAR_SPACED))
    await store.save_draft(draft_for("u2", aadhaar=OTHER_AADHAAR))

    base = Path(store.path)
    files = [base, Path(f"{base}-wal"), Path(f"{base}-shm")]
    secrets_ = [AADHAAR, AADHAAR_SPACED, OTHER_AADHAAR, BANK_ACCOUNT, "9876501234", *others]

    def assert_clean() -> None:
        for path in files:
            if path.exists():
                raw = path.read_bytes()
                for secret in secrets_:
                    assert secret.encode() not in raw, f"{secret[-4:]} found in {path.name}"

    assert_clean()  # while open, the WAL holds the recent pages
    await store.close()
    assert_clean()
    assert base.stat().st_size > 0
    assert "राम कुमार".encode() in base.read_bytes()  # the check can see answers at all


# -- open_store ------------------------------------------------------------------

async def test_open_store_from_settings(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "shram.db"
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{path}", vault_key=new_key())
    store = await open_store(settings)
    try:
        await store.save_draft(draft_for("u1"))
        assert (await store.load_draft("u1")).answers["bank_account"] == BANK_ACCOUNT
    finally:
        await store.close()
    assert path.exists()


async def test_open_store_default_url_and_memory(tmp_path: Path) -> None:
    store = await open_store(Settings(data_dir=tmp_path / "data", vault_key=new_key()))
    await store.close()
    assert (tmp_path / "data" / "shram.db").exists()

    memory = await open_store(Settings(data_dir=tmp_path, database_url="sqlite:///:memory:",
                                       vault_key=new_key()))
    try:
        await memory.submit(draft_for("u1"), references("SS-0001"))
        assert await memory.is_aadhaar_registered(AADHAAR)
    finally:
        await memory.close()


async def test_open_store_refuses_other_schemes(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, vault_key=new_key(),
                        database_url="mysql://shram:secret@db/shram")
    with pytest.raises(ValueError, match="mysql") as caught:
        await open_store(settings)
    assert "secret" not in str(caught.value)


async def test_open_store_picks_postgres_from_the_url(tmp_path: Path) -> None:
    from tests.store.postgres import fresh_schema_url
    async with fresh_schema_url() as url:
        store = await open_store(Settings(data_dir=tmp_path, database_url=url, vault_key=new_key()))
        try:
            assert isinstance(store, PostgresStore)
            await store.submit(draft_for("u1"), references("SS-0001"))
            assert await store.is_aadhaar_registered(AADHAAR)
        finally:
            await store.close()


# -- Keyring ---------------------------------------------------------------------

def test_keyring_round_trip_and_format() -> None:
    keyring = Keyring(MASTER_KEY)
    token = keyring.encrypt(AADHAAR, "aadhaar")
    version, key_id, body = token.split(".")
    assert version == "v1" and key_id == keyring.key_id and len(key_id) == 8
    assert AADHAAR not in token
    assert keyring.decrypt(token, "aadhaar") == AADHAAR
    assert keyring.encrypt(AADHAAR, "aadhaar") != token  # fresh nonce each time
    assert keyring.decrypt(keyring.encrypt("", "x"), "x") == ""


def test_keyring_wrong_key_or_context_fails() -> None:
    token = Keyring(MASTER_KEY).encrypt(BANK_ACCOUNT, "bank_account:u1")
    with pytest.raises(DecryptionError):
        Keyring(bytes(32)).decrypt(token, "bank_account:u1")
    with pytest.raises(DecryptionError):
        Keyring(MASTER_KEY).decrypt(token, "bank_account:u2")


def test_keyring_tampered_token_fails() -> None:
    keyring = Keyring(MASTER_KEY)
    token = keyring.encrypt(AADHAAR, "aadhaar")
    head, body = token.rsplit(".", 1)
    flipped = body[:20] + ("A" if body[20] != "A" else "B") + body[21:]
    for bad in (f"{head}.{flipped}", token[:-2], "v2" + token[2:], "garbage", f"{head}.!!!"):
        with pytest.raises(DecryptionError):
            keyring.decrypt(bad, "aadhaar")


def test_aadhaar_hash_is_keyed_and_stable() -> None:
    keyring = Keyring(MASTER_KEY)
    digest = keyring.aadhaar_hash(AADHAAR)
    assert digest == Keyring(MASTER_KEY).aadhaar_hash(AADHAAR)
    assert digest == keyring.aadhaar_hash(AADHAAR_SPACED)
    assert len(digest) == 64 and AADHAAR not in digest
    assert digest != Keyring(bytes(32)).aadhaar_hash(AADHAAR)
    assert digest != keyring.aadhaar_hash(OTHER_AADHAAR)


def test_keyring_needs_a_32_byte_key() -> None:
    with pytest.raises(ValueError):
        Keyring(b"short")


async def test_failed_write_rolls_back_and_store_stays_usable(store: Store) -> None:
    bad = draft_for("u1")
    bad.answers["bank_account"] = 12345  # not a string: refused before anything is written
    with pytest.raises(TypeError):
        await store.save_draft(bad)
    assert await store.load_draft("u1") is None
    assert await vault_tokens(store) == set()
    await store.save_draft(draft_for("u1"))
    assert (await store.load_draft("u1")).answers["bank_account"] == BANK_ACCOUNT


async def test_many_users_at_once(store: Store) -> None:
    numbers = [valid_aadhaar(20000000000 + i * 7654321) for i in range(20)]
    counter = itertools.count(1)

    async def register(i: int) -> Application:
        user_id = f"c{i}"
        async with store.user_lock(user_id):
            await store.save_draft(draft_for(user_id, aadhaar=numbers[i]))
            draft = await store.load_draft(user_id)
            return await store.submit(draft, lambda: f"SS-{next(counter):04d}")

    applications = await asyncio.gather(*(register(i) for i in range(20)))
    assert len({a.reference for a in applications}) == 20
    for i, application in enumerate(applications):
        assert (await store.get_application(application.reference)).answers["aadhaar"] == numbers[i]
    assert len(await vault_tokens(store)) == 20


# -- updates applied once --------------------------------------------------------

async def test_applied_update_is_recorded_with_the_write(store: Store) -> None:
    assert not await store.is_applied("tg:1")
    await store.save_draft(draft_for("u1"), applied="tg:1")
    assert await store.is_applied("tg:1")
    assert not await store.is_applied("tg:2")
    await store.save_draft(draft_for("u1"), applied="tg:1")  # again: no error, still once
    assert await sql(store, "SELECT count(*) FROM applied_updates") == [(1,)]


async def test_applied_update_rolls_back_with_a_failed_write(store: Store) -> None:
    bad = draft_for("u1")
    bad.answers["bank_account"] = 12345
    with pytest.raises(TypeError):
        await store.save_draft(bad, applied="tg:7")
    assert not await store.is_applied("tg:7")
    await store.save_draft(draft_for("u1"))
    with pytest.raises(DuplicateAadhaar):
        await store.save_draft(draft_for("u2"))
        await store.submit(await store.load_draft("u1"), lambda: "SS-AAAA-AAAA")
        await store.submit(await store.load_draft("u2"), lambda: "SS-BBBB-BBBB", applied="tg:8")
    assert not await store.is_applied("tg:8")


async def test_submit_and_erase_record_the_update(store: Store) -> None:
    await store.save_draft(draft_for("u1"))
    await store.submit(await store.load_draft("u1"), lambda: "SS-AAAA-AAAA", applied="tg:3")
    await store.erase_user("u1", applied="tg:4")
    assert await store.is_applied("tg:3") and await store.is_applied("tg:4")


async def test_forget_applied_drops_only_old_keys(store: Store) -> None:
    await store.save_draft(draft_for("u1"), applied="tg:1")
    await sql(store, "UPDATE applied_updates SET applied_at = '2020-01-01T00:00:00+00:00'")
    await store.save_draft(draft_for("u1"), applied="tg:2")
    assert await store.forget_applied(datetime(2021, 1, 1, tzinfo=timezone.utc)) == 1
    assert not await store.is_applied("tg:1") and await store.is_applied("tg:2")


async def test_load_turn_reads_applied_draft_and_application_at_once(store: Store) -> None:
    empty = await store.load_turn("u1", update_key="tg:1")
    assert (empty.applied, empty.draft, empty.application) == (False, None, None)
    await store.save_draft(draft_for("u1"), applied="tg:1")
    assert (await store.load_turn("u1", update_key="tg:1")).applied
    turn = await store.load_turn("u1", update_key="tg:2")
    assert not turn.applied and turn.draft.answers["aadhaar"] == AADHAAR and turn.application is None
    await store.submit(turn.draft, lambda: "SS-AAAA-AAAA")
    turn = await store.load_turn("u1")
    assert turn.application.reference == "SS-AAAA-AAAA" and turn.draft.phase is Phase.SUBMITTED
