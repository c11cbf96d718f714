"""Loaded by pytest for every test run: the fixtures many test files share,
and the scan of the whole run's logs and database files for personal
numbers (``tests/reliability/personal_data_scan.py``).

- ``store``: a fresh store, once per backend (``tests/store/backends.py``);
- ``two``: two PostgreSQL stores on one fresh schema, as two processes.

Builders that are not fixtures live in modules of their own: personas
(``tests/personas.py``), desk staff and applications
(``tests/desk/desk_fixtures.py``), numbered workers (``tests/workers.py``).
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from bot.store import Keyring, Store
from tests.store.backends import BACKENDS, MASTER_KEY, opened
from tests.store.postgres import DATABASE_URL, PostgresStore, fresh_schema

pytest_plugins = ["tests.reliability.personal_data_scan"]


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    async with opened(request.param, tmp_path) as one:
        yield one


@pytest.fixture
async def two() -> AsyncIterator[tuple[PostgresStore, PostgresStore]]:
    """Two stores on one fresh schema, as two processes would have."""
    async with fresh_schema() as schema, AsyncExitStack() as stack:
        stores = []
        for _ in range(2):
            one = PostgresStore(DATABASE_URL, Keyring(MASTER_KEY), server_settings={"search_path": schema})
            stack.push_async_callback(one.close)
            await one.migrate()  # both migrate: each version is applied once
            stores.append(one)
        yield stores[0], stores[1]
