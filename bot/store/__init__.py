"""Storage: the one Store contract (``contract``), its backends (``sqlite``,
the embedded default; ``postgres``, for several processes), the schema
(``migrations``) and the encryption of personal data (``crypto``).

``open_store(settings)`` is the one way in: it picks the backend from
``settings.effective_database_url`` (``sqlite:///<path>`` or
``postgresql://...``), builds the keyring from the master key, brings the
schema up to date and returns a ready Store. Close it when done. SQLite's
folder and files are the bot's alone (0700/0600, see ``bot.store.files``).
SQLite's recent users in memory wrap its backend from outside
(``recent``). A staff update runs as one unit of work (``unit``): its
writes and the update's key commit together. A SQLite store holds its
database's lock file while open; ``exclusive``
(``erase``, ``rotate-key``) is refused while a bot has the database open
(``DatabaseInUse``, see ``bot.store.in_use``).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.store import files
from bot.store.contract import DuplicateAadhaar, Store
from bot.store.crypto import DecryptionError, Keyring
from bot.store.in_use import DatabaseInUse
from bot.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from bot.config import Settings

__all__ = ["DatabaseInUse", "DecryptionError", "DuplicateAadhaar", "Keyring", "SQLiteStore", "Store",
           "open_store", "sqlite_path"]

SQLITE_PREFIX = "sqlite:///"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def sqlite_path(url: str) -> str:
    """The file path in ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``
    or ``sqlite:///:memory:``. Raises ValueError for any other URL."""
    if not url.startswith(SQLITE_PREFIX):
        # name only the scheme: a database URL may carry a password
        scheme = url.split(":", 1)[0] if ":" in url else "(none)"
        raise ValueError(f"unsupported database URL scheme {scheme!r}: use "
                         f"{SQLITE_PREFIX}<path> or postgresql://user@host/database")
    path = url[len(SQLITE_PREFIX):]
    if not path:
        raise ValueError(f"the database URL needs a path after {SQLITE_PREFIX}")
    return path


async def open_store(settings: Settings, *, exclusive: bool = False) -> Store:
    """Open, migrate and return the store named by the settings.
    ``exclusive``: for a command that must be the only one on a SQLite
    database (a running bot keeps workers' rows in memory); raises
    ``DatabaseInUse`` while another store has it open. PostgreSQL's
    processes keep nothing of a worker past the worker's lock: there it
    changes nothing."""
    url = settings.effective_database_url
    store: Store
    if url.startswith(POSTGRES_SCHEMES):
        from bot.store.postgres import PostgresStore  # asyncpg is only needed here
        store = PostgresStore(url, Keyring(settings.master_key()), pool_size=settings.database_pool_size)
    else:
        path = sqlite_path(url)
        if path != ":memory:":
            # the data folder is the bot's own (0700); another folder named
            # by the URL (a shared one?) is only created so, never changed
            folder = Path(path).parent
            files.private_folder(folder, tighten=_same(folder, settings.data_dir))
        store = SQLiteStore(path, Keyring(settings.master_key()), exclusive=exclusive)
    try:
        await store.migrate()
    except BaseException:
        await store.close()
        raise
    return store


def _same(folder: Path, other: Path) -> bool:
    try:
        return folder.resolve() == other.resolve()
    except OSError:
        return False
