"""Whether a process is serving a SQLite database: an advisory lock
(``flock``) on the file ``<database>.lock`` beside it (0600, see
``bot.store.files``).

Every ``SQLiteStore`` on a file holds the lock shared while it is open: the
bot (polling or webhook), the console, the ``staff`` and ``migrate``
commands. A running SQLite bot keeps its recent workers' rows in memory
(``bot.store.recent``) and would write an erased worker's draft back, or
rows sealed with the old key after a key rotation; so the commands that
must have the database to themselves (``erase``, ``rotate-key``) take the
lock exclusively, without waiting, and refuse while anyone holds it. A store
opening while such a command runs waits for it to finish.

The lock belongs to the open file, not the process: two stores of one
process on one file share it, and an exclusive one in the same process is
refused as another process's would be. The system drops it when the
process ends, however it ends (a crash, ``kill -9``), so nothing is ever
left behind to clean up. PostgreSQL needs none of this: nothing a process
keeps of a worker outlives the worker's lock (``bot.store.postgres``).
"""
from __future__ import annotations

import asyncio
import fcntl
import logging
import os
from pathlib import Path

from bot.store import files

log = logging.getLogger(__name__)

#: how long a store opening for serving waits for an offline command (erase, rotate-key)
SERVE_WAIT = 600.0
_PAUSE = 0.1


class DatabaseInUse(Exception):
    """The database is held by another store: the exclusive lock could not be
    taken (or the shared one within the wait)."""


def lock_path(database: str | Path) -> Path:
    path = Path(database)
    return path.with_name(path.name + ".lock")


class DatabaseLock:
    """The lock on one database, held from ``acquire`` to ``release``."""

    def __init__(self, database: str | Path, *, exclusive: bool) -> None:
        self.path = lock_path(database)
        self.exclusive = exclusive
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    async def acquire(self, wait: float = SERVE_WAIT) -> None:
        """Exclusive: now or ``DatabaseInUse``. Shared: as soon as no
        exclusive holder is left, waiting at most ``wait`` seconds."""
        if self._fd is not None:
            return
        files.private_file(self.path)
        fd = os.open(self.path, os.O_RDWR)  # not inherited by child processes (PEP 446)
        try:
            mode = fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH
            deadline = asyncio.get_running_loop().time() + (0 if self.exclusive else wait)
            told = False
            while True:
                try:
                    fcntl.flock(fd, mode | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if asyncio.get_running_loop().time() >= deadline:
                        raise DatabaseInUse(str(self.path)) from None
                    if not told:
                        log.warning("waiting for a command that needs the database to itself "
                                    "(erase, rotate-key) to finish")
                        told = True
                    await asyncio.sleep(_PAUSE)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the last descriptor of the open file drops the lock
