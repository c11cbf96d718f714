"""The bot's files are its user's alone, whatever the umask: the data
folder 0700, the database, its -wal and -shm and the development key 0600,
from the moment they are created; files and folders left open by an
earlier version are closed at start, and the bot works on."""
from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.models import Draft
from bot.store import open_store

FILES = ("shram.db", "shram.db-wal", "shram.db-shm", "vault.key")


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, which alone would make files 644 and folders 755."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def write_something(settings: Settings) -> None:
    store = await open_store(settings)
    try:
        await store.save_draft(Draft(user_id="u1", answers={"language": "hi"}))
        data = settings.data_dir
        assert {name: oct(mode(data / name)) for name in FILES} == {name: "0o600" for name in FILES}
        assert oct(mode(data)) == "0o700"
    finally:
        await store.close()


async def test_a_new_data_folder_and_its_files_are_the_bots_alone(tmp_path: Path, umask_022) -> None:
    data = tmp_path / "data"
    await write_something(Settings(data_dir=data, _env_file=None))   # the key is made in the folder too
    assert oct(mode(data / "shram.db")) == "0o600" and oct(mode(data / "vault.key")) == "0o600"


async def test_files_created_before_a_store_opens_them_are_never_open(tmp_path: Path, umask_022,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """No window: the database file is 0600 the moment SQLite first sees it."""
    import aiosqlite
    seen: dict[str, int | None] = {}
    connect = aiosqlite.connect

    def watching(path, *args, **kwargs):
        seen[str(path)] = mode(Path(path)) if Path(path).exists() else None   # None: SQLite makes it
        return connect(path, *args, **kwargs)

    monkeypatch.setattr(aiosqlite, "connect", watching)
    data = tmp_path / "data"
    await write_something(Settings(data_dir=data, _env_file=None))
    assert seen == {str(data / "shram.db"): 0o600}


async def test_files_left_open_are_closed_at_start(tmp_path: Path, umask_022,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    settings = Settings(data_dir=data, _env_file=None)
    await write_something(settings)
    other = sqlite3.connect(data / "shram.db")   # another process: its -wal and -shm stay
    try:
        assert other.execute("SELECT count(*) FROM drafts").fetchone() == (1,)
        for name in FILES:
            os.chmod(data / name, 0o644)        # as an earlier version made them
        os.chmod(data, 0o755)
        with caplog.at_level(logging.WARNING):
            await write_something(settings)     # checks the modes with the store open
        told = " ".join(r.getMessage() for r in caplog.records)
        assert "shram.db" in told and "vault.key" in told   # the operator is told
    finally:
        other.close()
    store = await open_store(settings)
    try:
        assert (await store.load_draft("u1")).answers == {"language": "hi"}   # and the bot works on
    finally:
        await store.close()


async def test_a_shared_folder_named_by_the_database_url_is_left_as_it_is(tmp_path: Path, umask_022) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{shared / 'shram.db'}",
                        _env_file=None)
    store = await open_store(settings)
    try:
        await store.save_draft(Draft(user_id="u1", answers={"language": "hi"}))
        assert oct(mode(shared)) == "0o755"                      # not the bot's to change
        assert {oct(mode(shared / name)) for name in FILES[:3]} == {"0o600"}
        assert oct(mode(tmp_path / "data")) == "0o700" and oct(mode(tmp_path / "data" / "vault.key")) == "0o600"
    finally:
        await store.close()
