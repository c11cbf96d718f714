"""The store backends the tests run on, and raw SQL on each.

Every test taking the ``store`` fixture (``tests/conftest.py``) runs once
per backend in ``BACKENDS``. To add one, add its name there and teach
``opened`` and ``sql`` below to open it and to run raw SQL on it; the tests
themselves stay as they are.

PostgreSQL: each test gets a fresh schema in the database at
``SHRAM_TEST_DATABASE_URL`` (see ``tests/store/postgres.py``); where no server
answers there, the PostgreSQL runs are skipped and say why.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.store import Keyring, SQLiteStore, Store
from tests.store.postgres import PostgresStore, fresh_postgres_store

BACKENDS = ["sqlite", "postgres"]
#: the master key of every test store
MASTER_KEY = bytes(range(32))


@asynccontextmanager
async def opened(backend: str, tmp_path: Path) -> AsyncIterator[Store]:
    """A new, migrated, empty store of ``backend``, closed afterwards."""
    if backend == "sqlite":
        store: Store = SQLiteStore(tmp_path / "shram.db", Keyring(MASTER_KEY))
        await store.migrate()
        try:
            yield store
        finally:
            await store.close()
    elif backend == "postgres":
        async with fresh_postgres_store(Keyring(MASTER_KEY)) as store:
            yield store
    else:  # pragma: no cover - a backend named in BACKENDS but not opened here
        raise NotImplementedError(backend)


async def sql(store: Store, query: str, *params: object) -> list[tuple]:
    """Raw SQL on the backend, to look behind the contract."""
    if isinstance(store, SQLiteStore):
        return [tuple(row) for row in await store._db.execute_fetchall(query, params)]
    if isinstance(store, PostgresStore):
        from bot.store.postgres import numbered
        async with store._get_pool().acquire() as conn:
            return [tuple(row) for row in await conn.fetch(numbered(query), *params)]
    raise NotImplementedError(type(store).__name__)
