"""``shram-sahayak erase`` and ``rotate-key`` (real processes) refuse while
the bot has the SQLite database open, and change nothing: the running bot
keeps recent workers' rows in memory and would write an erased draft back
(or rows sealed with the old key). Once the bot stops they go ahead. A
store opening while such a command runs waits for it. PostgreSQL keeps no
such memory: its erase goes on with the bot running."""
from __future__ import annotations

import asyncio
import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.messages import Input
from bot.service import Registration
from bot.store import open_store
from bot.store.audit import trail
from bot.store.in_use import DatabaseInUse, DatabaseLock, lock_path
from bot.store.sqlite import SQLiteStore
from bot.store.crypto import Keyring
from tests.workers import Worker

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
NEW_KEY = base64.urlsafe_b64encode(bytes(range(32, 64))).decode()
ROOT = Path(__file__).resolve().parents[2]
REFUSED = "the bot is running on this database: stop it first, or have the worker send /delete"


def command(tmp_path: Path, *args: str, database_url: str | None = None,
            **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHRAM_")}
    env.update(PYTHONPATH=str(ROOT), SHRAM_DATA_DIR=str(tmp_path / "data"), SHRAM_VAULT_KEY=KEY, **extra)
    if database_url:
        env["SHRAM_DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)


async def register(store, worker: Worker, lines: int | None = None) -> None:
    registration = Registration(store)
    for line in worker.script[:lines]:
        inp = Input(command=line[1:]) if line.startswith("/") else Input(text=line)
        await registration.handle(worker.user_id, inp, default_lang=worker.lang)


async def test_erase_command_refuses_while_the_bot_has_the_database_open(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", vault_key=KEY, _env_file=None)
    worker, half = Worker.make(1, "hi"), Worker.make(2, "en")
    store = await open_store(settings)                  # as the bot opens it (bot.channels.telegram.runners)
    try:
        await register(store, worker)
        await register(store, half, 12)
        reference = (await store.application_for_user(worker.user_id)).reference
        draft = await store.load_draft(half.user_id)
        lock = lock_path(tmp_path / "data" / "shram.db")
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600

        for args in (("--reference", reference), ("--user", half.user_id)):
            done = command(tmp_path, "erase", *args, "--by", "district office")
            assert done.returncode == 2 and REFUSED in done.stderr, done.stderr
            assert "Traceback" not in done.stderr
        # nothing changed, and the bot goes on
        assert await store.load_draft(half.user_id) == draft
        assert (await store.application_for_user(worker.user_id)).reference == reference
        assert [e.action for e in await store.query(trail, reference)] == ["submit"]
        await Registration(store).handle(half.user_id, Input(text=half.script[12]), default_lang="en")
        assert (await store.load_draft(half.user_id)).answers.items() >= draft.answers.items()
    finally:
        await store.close()

    done = command(tmp_path, "erase", "--user", half.user_id, "--by", "district office")
    assert done.returncode == 0, done.stderr
    store = await open_store(settings)
    try:
        assert await store.load_draft(half.user_id) is None
    finally:
        await store.close()


async def test_rotate_key_refuses_while_the_bot_has_the_database_open(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", vault_key=KEY, _env_file=None)
    worker = Worker.make(3, "en")
    store = await open_store(settings)
    try:
        await register(store, worker)
        done = command(tmp_path, "rotate-key", SHRAM_NEW_VAULT_KEY=NEW_KEY)
        assert done.returncode == 2 and "the bot is running on this database" in done.stderr, done.stderr
        assert (await store.application_for_user(worker.user_id)).answers["aadhaar"] == worker.aadhaar
    finally:
        await store.close()
    done = command(tmp_path, "rotate-key", SHRAM_NEW_VAULT_KEY=NEW_KEY)
    assert done.returncode == 0, done.stderr


async def test_a_store_opening_waits_for_an_offline_command(tmp_path: Path) -> None:
    database = tmp_path / "shram.db"
    offline = DatabaseLock(database, exclusive=True)
    await offline.acquire()
    store = SQLiteStore(database, Keyring(bytes(32)))
    opening = asyncio.ensure_future(store.migrate())
    await asyncio.sleep(0.3)
    assert not opening.done()                           # the bot waits for the command
    with pytest.raises(DatabaseInUse):                  # and a second command is refused
        await DatabaseLock(database, exclusive=True).acquire()
    offline.release()
    await asyncio.wait_for(opening, 5)
    try:
        with pytest.raises(DatabaseInUse):              # now the bot has it
            await DatabaseLock(database, exclusive=True).acquire()
        other = SQLiteStore(database, Keyring(bytes(32)))  # several stores of one process share it
        await other.migrate()
        await other.close()
    finally:
        await store.close()
    again = DatabaseLock(database, exclusive=True)
    await again.acquire()
    again.release()


async def test_erase_command_goes_on_with_the_bot_running_on_postgresql(tmp_path: Path) -> None:
    from tests.store.postgres import fresh_schema_url
    async with fresh_schema_url() as url:
        settings = Settings(data_dir=tmp_path / "data", vault_key=KEY, database_url=url, _env_file=None)
        worker = Worker.make(4, "hi")
        store = await open_store(settings)
        try:
            await register(store, worker, 12)
            done = command(tmp_path, "erase", "--user", worker.user_id, "--by", "district office",
                           database_url=url)
            assert done.returncode == 0, done.stderr
            assert await store.load_draft(worker.user_id) is None
            # the worker's next message starts afresh: nothing of the erased draft comes back
            await Registration(store).handle(worker.user_id, Input(text="नमस्ते"), default_lang="hi")
            draft = await store.load_draft(worker.user_id)
            assert draft is None or "name" not in draft.answers
        finally:
            await store.close()
