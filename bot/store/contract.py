"""The one async Store contract every backend implements.

Callers (``bot.service``) hold ``user_lock`` around load -> engine -> save so
that updates of one user are applied one at a time; different users run
concurrently.
"""
from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Callable, Protocol

from bot.domain.models import Application, Draft


class DuplicateAadhaar(Exception):
    """An application with this Aadhaar number already exists."""


class Store(Protocol):
    async def migrate(self) -> None:
        """Create or upgrade the schema; safe to call on every start."""

    async def close(self) -> None: ...

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        """Serialise all work on one user's data."""

    async def load_draft(self, user_id: str) -> Draft | None: ...

    async def save_draft(self, draft: Draft) -> None:
        """Insert or replace the draft; sensitive answers are encrypted."""

    async def is_aadhaar_registered(self, aadhaar: str, *, except_user: str | None = None) -> bool:
        """True if an application (of another user than ``except_user``) holds this Aadhaar."""

    async def submit(self, draft: Draft, new_reference: Callable[[], str]) -> Application:
        """Atomically create the application from the draft and save the draft
        (phase SUBMITTED, reference set). ``new_reference`` is called again on a
        reference collision. Raises DuplicateAadhaar if the Aadhaar is taken."""

    async def application_for_user(self, user_id: str) -> Application | None: ...

    async def get_application(self, reference: str) -> Application | None: ...

    async def erase_user(self, user_id: str) -> None:
        """Delete the user's draft, application and vault entries."""
