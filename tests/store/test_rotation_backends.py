"""Key rotation on both backends: the rotation's transaction functions
(``bot.store.rotation``) re-seal everything written with the old key, so a
store opened with the new key reads it all and one opened with the old key
reads nothing. (``test_key_rotation`` runs the CLI command end to end on SQLite.)"""
from __future__ import annotations

import pytest

from bot.store import DecryptionError, DuplicateAadhaar, Keyring, SQLiteStore, Store
from bot.store.postgres import PostgresStore
from bot.store.rotation import rotate_verified
from tests.store.test_store import AADHAAR, MASTER_KEY, draft_for, references

NEW_KEY = bytes(range(64, 96))


def reopened(store: Store, key: bytes) -> Store:
    """Another store on the same data, with ``key``."""
    if isinstance(store, SQLiteStore):
        return SQLiteStore(store.path, Keyring(key))
    if isinstance(store, PostgresStore):
        return PostgresStore(store._dsn, Keyring(key), server_settings=store._server_settings)
    raise NotImplementedError(type(store).__name__)


async def test_rotation_keeps_every_answer_and_the_one_aadhaar_rule(store: Store) -> None:
    submitted = draft_for("u1")
    await store.submit(submitted, references("SS-ROT1"))
    halfway = draft_for("u2", aadhaar="499118665246")
    await store.save_draft(halfway)

    rotated = await store.transact(rotate_verified, Keyring(MASTER_KEY), Keyring(NEW_KEY))
    assert rotated.applications == 1
    await store.close()

    new = reopened(store, NEW_KEY)
    await new.migrate()
    try:
        assert (await new.load_draft("u1")).answers == submitted.answers
        assert (await new.application_for_user("u1")).answers == submitted.answers
        assert (await new.load_draft("u2")).answers == halfway.answers
        assert await new.is_aadhaar_registered(AADHAAR)           # the hash index, re-keyed
        with pytest.raises(DuplicateAadhaar):
            await new.submit(draft_for("u3"), references("SS-ROT2"))
    finally:
        await new.close()

    old = reopened(store, MASTER_KEY)
    await old.migrate()
    try:
        with pytest.raises(DecryptionError):
            await old.load_draft("u1")
    finally:
        await old.close()
