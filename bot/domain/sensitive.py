"""What an answer holds when it is personal data that needs care, and how a
personal number is shown masked.

A step of the form declares it once (``Step.holds`` in ``bot.flow.steps``)
and every part reads that declaration: the engine masks the review and has
the chat message deleted, the store seals answers at rest, the desk's card
and the officials' export mask them. Nothing else names the answers that
hold these numbers.
"""
from __future__ import annotations

from enum import StrEnum


class Holds(StrEnum):
    """What a step's answer holds."""

    AADHAAR = "aadhaar"      # kept in the Aadhaar vault; never shown in full
    ACCOUNT = "account"      # a bank account number: sealed at rest; never shown in full
    MOBILE = "mobile"        # sealed at rest; shown to the worker and the CSC, masked in an export
    FREE_TEXT = "free_text"  # words typed freely (a name, an address): must not carry a number above

    @property
    def sealed(self) -> bool:
        """Stored encrypted in place, bound to its field and its user
        (the Aadhaar has the vault instead)."""
        return self in (Holds.ACCOUNT, Holds.MOBILE)

    @property
    def secret(self) -> bool:
        """Never shown in full, not even to the worker: masked on the review
        and the card, and the chat message that typed it deleted once read."""
        return self in (Holds.AADHAAR, Holds.ACCOUNT)

    @property
    def number(self) -> bool:
        """A personal number: masked in whatever leaves the bot (an export)."""
        return self is not Holds.FREE_TEXT


def mask(holds: Holds, number: str) -> str:
    """A personal number with all but its last four digits hidden."""
    if holds is Holds.AADHAAR:
        return "XXXX XXXX " + number[-4:]
    return "X" * max(len(number) - 4, 0) + number[-4:]
