"""The keyed hash that finds a second application with the same Aadhaar
number is written with letters only (a run of 12 hex digits can pass the
Aadhaar checksum, and look like a number to a scan of the database), and
an application stored before that is still found (migration 10)."""
from __future__ import annotations

import re

from bot.store.sql import all_rows, run
from tests.desk.desk_fixtures import submit


def _hashes():
    return [row["aadhaar_hash"] for row in (yield all_rows("SELECT aadhaar_hash FROM applications"))]


def _as_hex():
    """The hashes as an older version wrote them, and migration 10 not yet applied."""
    for row in (yield all_rows("SELECT reference, aadhaar_hash FROM applications")):
        yield run("UPDATE applications SET aadhaar_hash = ? WHERE reference = ?",
                  row["aadhaar_hash"].translate(str.maketrans("ghijklmnop", "0123456789")), row["reference"])
    yield run("DELETE FROM schema_migrations WHERE version = 10")


async def test_the_aadhaar_hash_holds_no_digit_and_an_older_one_is_still_found(store) -> None:
    reference = await submit(store, "tg:9101")
    aadhaar = (await store.get_application(reference)).answers["aadhaar"]
    stored = await store.query(_hashes)
    assert len(stored) == 1 and not re.search(r"\d", stored[0])
    assert await store.is_aadhaar_registered(aadhaar)

    await store.transact(_as_hex)
    assert re.search(r"\d", (await store.query(_hashes))[0])
    await store.migrate()
    assert await store.query(_hashes) == stored
    assert await store.is_aadhaar_registered(aadhaar)
    assert not await store.is_aadhaar_registered(aadhaar, except_user="tg:9101")
