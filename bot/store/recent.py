"""What the SQLite store last read or wrote for its most recent users, kept
in memory so the next update of a worker needs no database read.

An entry holds a user's rows exactly as stored: the draft JSON with the
Aadhaar replaced by a vault token and the bank account encrypted, the vault
ciphertexts it points to, the application row, and the keys of the updates
applied for the user. So memory holds no personal number in clear any more
than the database file does; loading from an entry decrypts, as loading
from the file does.

The entries are written through: the store replaces a user's entry with
what it has just committed, or drops it. It is only right while this
process is the only writer of the file (one bot process per SQLite file,
as ``user_lock`` already requires) and while a user's reads and writes run
under that user's lock. That is why the shell's ``erase`` and
``rotate-key`` are refused while the bot has the file open
(``bot.store.in_use``): their changes would be undone from here.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

#: users kept; at ~4 KB each, 10,000 users is ~40 MB
DEFAULT_USERS = 10_000


@dataclass
class Stored:
    """One user's rows as stored."""
    draft: str | None = None                            # drafts.data
    application: dict[str, Any] | None = None           # the applications row
    vault: dict[str, str] = field(default_factory=dict)  # token -> ciphertext, for the tokens above
    applied: set[str] = field(default_factory=set)      # update keys applied for this user


class RecentUsers:
    """A least-recently-used map of user id -> ``Stored``."""

    def __init__(self, size: int = DEFAULT_USERS) -> None:
        self.size = size
        self._entries: OrderedDict[str, Stored] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, user_id: str) -> Stored | None:
        entry = self._entries.get(user_id)
        if entry is not None:
            self._entries.move_to_end(user_id)
        return entry

    def put(self, user_id: str, entry: Stored) -> None:
        if self.size <= 0:
            return
        self._entries[user_id] = entry
        self._entries.move_to_end(user_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def drop(self, user_id: str) -> None:
        self._entries.pop(user_id, None)
