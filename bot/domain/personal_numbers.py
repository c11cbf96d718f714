"""Aadhaar, bank account and mobile numbers inside free text, however they
are typed: one normaliser for every guard that looks for them (the address
and the desk's comments refuse them, the log filter removes them, the
Telegram channel deletes a chat message that holds an Aadhaar).

People write a number with any digits (Devanagari ०-९, or any other
Unicode digits), with spaces of every kind between groups (ordinary,
non-breaking, thin), with invisible characters (zero-width space, joiners)
and with dots, slashes, commas or hyphens: ``2341.2341.2346``,
``2341/2341/2346``, ``98765 43210``, ``२३४१ २३४१ २३४६``. ``normalise`` makes
all of them plain: ASCII digits, ordinary spaces, no invisible characters.
After it, a *long number* is 9 or more digits where each gap between two
digits is at most one separator (``. , / - _``), optionally with a space
each side: no Aadhaar (12), mobile (10) or account number (9-18) fits in
less, and ordinary text (a PIN of 6, "12/4, Gali 6", a time) stays out.
"""
from __future__ import annotations

import re
import unicodedata

#: one gap between two digits of a number: nothing, a space, or one separator with optional spaces
_GAP = r"(?: ?[.,/_\-\u2010-\u2015\u00b7] ?| )?"
#: 9 or more digits (mobile, Aadhaar, account numbers), not part of a longer run of digits
LONG_NUMBER = re.compile(rf"(?<!\d)\d(?:{_GAP}\d){{8,}}(?!\d)")
#: digits an Aadhaar number never starts with
_NOT_AADHAAR_START = "01"


def normalise(text: str) -> str:
    """Every Unicode digit as its ASCII digit, every kind of space as " ",
    invisible (format) characters removed; nothing else changes."""
    if text.isascii():
        return text.replace("\t", " ")
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cf":          # zero-width space and joiners, direction marks, BOM
            continue
        if category == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        elif category == "Zs" or ch == "\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def long_numbers(text: str) -> list[str]:
    """The digits of every long number in ``text`` (see the module's doc)."""
    return [re.sub(r"\D", "", found.group()) for found in LONG_NUMBER.finditer(normalise(text))]


def holds_personal_number(text: str) -> bool:
    """True if ``text`` holds what may be a mobile, Aadhaar or account number."""
    return LONG_NUMBER.search(normalise(text)) is not None


def holds_aadhaar(text: str) -> bool:
    """True if ``text`` holds what may be an Aadhaar number (12 digits not
    starting with 0 or 1) or a 16-digit Virtual ID, checksum or not: a
    mistyped Aadhaar is still most of someone's number."""
    plain = normalise(text)
    for found in LONG_NUMBER.finditer(plain):
        digits = re.sub(r"\D", "", found.group())
        after_plus = plain[:found.start()].rstrip().endswith("+")  # +91 and a mobile number
        if len(digits) == 16 or (len(digits) == 12 and digits[0] not in _NOT_AADHAAR_START and not after_plus):
            return True
    return False


def redact(text: str, mask: str = "[number removed]") -> str:
    """``text`` normalised, with every long number replaced by ``mask``."""
    return LONG_NUMBER.sub(mask, normalise(text))
