"""The bot's own files on disk are its user's alone: the data folder 0700,
the SQLite database with its ``-wal`` and ``-shm`` files, and the
development key ``vault.key``, 0600.

Each is created so from the start (no window in which another user of the
machine could open it): the folder by ``mkdir`` with mode 0700, a file by
``os.open`` with mode 0600 before anyone writes it (SQLite gives the
``-wal``, ``-shm`` and any journal of a database the main file's
permissions). Whatever already exists too open (from before this, or made
by hand) is tightened at start, with a line in the log; a folder or file
the bot does not own, or a shared folder such as /tmp (sticky), is left
as it is, with a warning.
"""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
#: what SQLite keeps next to a database ``x.db``: ``x.db-wal`` and so on
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_folder(path: Path, *, tighten: bool = True) -> None:
    """Make the folder ``path`` (and missing parents, as usual) with mode
    0700; an existing one open to others is tightened (``tighten``) or
    reported."""
    if not path.exists():
        path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        _tighten(path, PRIVATE_FOLDER)  # a folder made concurrently by another call
        return
    if tighten:
        _tighten(path, PRIVATE_FOLDER)
    elif _open_to_others(path):
        log.warning("the folder %s can be read by other users of this machine; the bot's files in it "
                    "are its own (0600)", path)


def private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist (never
    truncating one that does), and tighten it if it is open to others."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        _tighten(path, PRIVATE_FILE)
    else:
        os.close(fd)


def sqlite_files(database: str | Path) -> None:
    """Before SQLite opens ``database``: the file exists, 0600, and so do
    its companions that exist (new ones take the main file's mode)."""
    path = Path(database)
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _tighten(companion, PRIVATE_FILE)


def _open_to_others(path: Path) -> bool:
    return bool(path.stat().st_mode & 0o077)


def _tighten(path: Path, mode: int) -> None:
    """Take every permission of group and others off ``path`` when the bot
    owns it and it is not a shared folder (sticky, like /tmp); else say so."""
    info = path.stat()
    if not info.st_mode & 0o077:
        return
    if info.st_uid != os.geteuid() or info.st_mode & stat.S_ISVTX:
        log.warning("%s can be read by other users of this machine and is not the bot's own to "
                    "change: make it %o", path, mode)
        return
    os.chmod(path, stat.S_IMODE(info.st_mode) & mode)
    log.warning("%s could be read by other users of this machine: it is now %o",
                path, stat.S_IMODE(info.st_mode) & mode)
