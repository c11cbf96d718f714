"""What every change of an application's review state also writes, in the
same transaction: where the application counts (``placed``) and the
progress counters (``moved``), so reports never scan all applications.

Both are transaction functions (``bot.store.sql``), called from inside the
backend's own transactions (submit, erase) and from the desk's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store.sql import Txn


@dataclass(frozen=True)
class Placement:
    """Where an application counts: the worker's state and district (India
    Post's spelling), the camp and CSC it came through, its department."""
    state_code: str | None = None
    district: str | None = None
    camp: str | None = None
    csc: str | None = None
    department: str | None = None

    @classmethod
    def of_row(cls, row: Any) -> Placement:
        return cls(row["state_code"], row["district"], row["camp"], row["csc"], row["department"])


def source_code(source: object, prefix: str) -> str | None:
    """``camp_haridwar_07`` -> ``haridwar_07`` for prefix ``camp``."""
    if isinstance(source, str) and source.lower().startswith(prefix + "_") and len(source) > len(prefix) + 1:
        return source[len(prefix) + 1:]
    return None


def placed(answers: dict[str, Any], meta: dict[str, Any]) -> Txn[Placement]:
    """Where an application with these answers and deep-link source counts."""
    source = meta.get("source")
    return Placement(state_code=answers.get("state"), district=answers.get("district"),
                     camp=source_code(source, "camp"), csc=source_code(source, "csc"))
    yield  # a transaction function: it may read the store (camps, departments)


def moved(placement: Placement, old: str | None, new: str | None, when: datetime) -> Txn[None]:
    """An application left review state ``old`` (None: it is new) for ``new``
    (None: it was erased) at ``when``: keep the counters in step."""
    return None
    yield
