"""A fresh PostgreSQL schema per test, or a clear skip where there is no server.

The server is ``SHRAM_TEST_DATABASE_URL`` (default: the local one, trust auth,
``postgresql://postgres@127.0.0.1:5432/test``). Each test gets its own schema
(``search_path``), dropped afterwards, so tests never see each other's rows.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

import pytest

from bot.store.crypto import Keyring

try:
    import asyncpg
    from bot.store.postgres import PostgresStore
except ImportError:  # pragma: no cover - asyncpg is a dependency; keep the SQLite tests running without it
    asyncpg = None
    PostgresStore = type("PostgresStore", (), {})  # isinstance() is always False

DATABASE_URL = os.environ.get("SHRAM_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
_reachable: str | None = None  # "" once checked and reachable, else why not


async def _why_unreachable() -> str:
    global _reachable
    if _reachable is None:
        if asyncpg is None:
            _reachable = "asyncpg is not installed"
        else:
            try:
                conn = await asyncpg.connect(DATABASE_URL, timeout=3)
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                _reachable = (f"PostgreSQL is not reachable at {DATABASE_URL.split('@')[-1]} "
                              f"({type(exc).__name__}); set SHRAM_TEST_DATABASE_URL to run these")
            else:
                await conn.close()
                _reachable = ""
    return _reachable


async def require_postgres() -> None:
    """Skip the calling test, saying why, when no PostgreSQL server answers."""
    why = await _why_unreachable()
    if why:
        pytest.skip(why)


@asynccontextmanager
async def fresh_schema() -> AsyncIterator[str]:
    """A new, empty schema's name; dropped with everything in it afterwards."""
    await require_postgres()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(DATABASE_URL)
    try:
        await conn.execute(f'CREATE SCHEMA "{schema}"')
        yield schema
    finally:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await conn.close()


def schema_url(schema: str) -> str:
    """The database URL whose connections use ``schema`` (``search_path`` in the URL's options)."""
    separator = "&" if "?" in DATABASE_URL else "?"
    return f"{DATABASE_URL}{separator}options={quote(f'-csearch_path={schema}')}"


@asynccontextmanager
async def fresh_schema_url() -> AsyncIterator[str]:
    """The database URL of a new schema."""
    async with fresh_schema() as schema:
        yield schema_url(schema)


@asynccontextmanager
async def fresh_postgres_store(keyring: Keyring, **options) -> AsyncIterator[PostgresStore]:
    """A migrated PostgresStore on a new schema."""
    async with fresh_schema() as schema:
        store = PostgresStore(DATABASE_URL, keyring, server_settings={"search_path": schema}, **options)
        try:
            await store.migrate()
            yield store
        finally:
            await store.close()
