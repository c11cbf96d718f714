"""Aadhaar, bank account and mobile numbers inside free text, however they
are typed: the one normaliser every guard uses (the address and the desk's
comments refuse them, the log filter removes them, the Telegram channel
deletes a chat message that holds an Aadhaar).

People write a number with any digits (Devanagari ०-९, full-width, or
superscript, circled and keycap forms), with any spacing between groups
(ordinary, non-breaking, thin, tabs, line breaks), with invisible characters
(zero-width space, joiners, combining marks) and with punctuation:
``2341.2341.2346``, ``2341 / 2341 / 2346``, ``+91 (987) 654 3210``,
``98765−43210``, ``२३४१ २३४१ २३४६``. Each character is first read as NFKC
reads it; then digits become ASCII digits, invisible and combining
characters go, spaces and fillers (ㅤ) and letters of scripts other than
Latin and Devanagari (ー, 一, ـ) become spaces, and every other character
stays. After that a *long number* is 9 or more digits where each gap
between two digits is at most three characters that are neither letters
nor digits: no Aadhaar (12), mobile
(10) or account number (9-18) fits in less, and ordinary text stays out (a
PIN of 6, "Ward 12, 3/45, Gali 6", a time). Letters end a number: words
between the groups ("nine eight ...", "and") are not searched.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: between two digits of one number: up to three characters that are neither letters nor digits
_GAP = r"(?:[^\w]|_){0,3}"
#: 9 or more digits (mobile, Aadhaar, account numbers), not part of a longer run of digits
LONG_NUMBER = re.compile(rf"(?<!\d)\d(?:{_GAP}\d){{8,}}(?!\d)")
#: digits an Aadhaar number never starts with
_NOT_AADHAAR_START = "01"
#: hexadecimal digits written as letters (see ``digitless``)
_HEX_AS_LETTERS = str.maketrans("0123456789", "ghijklmnop")
#: what is dropped: format (zero-width, joiners, direction marks) and combining characters (keycaps, accents)
_INVISIBLE = ("Cf", "Mn", "Me")


@lru_cache(maxsize=4096)
def _read(ch: str) -> str:
    """One character as the guards read it ("" if invisible)."""
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        category = unicodedata.category(c)
        if category in _INVISIBLE:
            continue
        digit = unicodedata.digit(c, None) if category in ("Nd", "No") else None
        if digit is not None:
            out.append(str(digit))
        elif category[0] in "ZC":  # spaces of every kind, line breaks, tabs, control characters
            out.append(" ")
        elif category[0] in "LN" and not _ends_a_number(c, category):
            out.append(" ")  # a filler or a letter of another script (ㅤ, ー, 一, ـ): a separator here
        else:
            out.append(c)
    return "".join(out)


def _ends_a_number(c: str, category: str) -> bool:
    """Letters that end a number: Latin ones (with their accents) and Devanagari
    (the scripts workers write in); any other letter-like character between
    digits is read as a separator, so it cannot hide a number."""
    code = ord(c)
    if category in ("Lu", "Ll", "Lt"):
        return code < 0x0250
    return category == "Lo" and 0x0900 <= code <= 0x097F


def _view(text: str) -> tuple[str, list[int]]:
    """``text`` as the guards read it, and for each of its characters the
    index of the character of ``text`` it came from."""
    if text.isascii() and text.isprintable():
        return text, list(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in _read(ch):
            chars.append(c)
            origin.append(i)
    return "".join(chars), origin


def normalise(text: str) -> str:
    """``text`` as the guards read it: ASCII digits, every space and line
    break a plain space, no invisible or combining characters. (``_view``'s
    text, without the origins of its characters.)"""
    if text.isascii() and text.isprintable():
        return text
    return "".join(map(_read, text))


def holds_personal_number(text: str) -> bool:
    """True if ``text`` holds what may be a mobile, Aadhaar or account number."""
    return LONG_NUMBER.search(normalise(text)) is not None


def _is_mobile_with_code(digits: str) -> bool:
    return len(digits) == 12 and digits.startswith("91") and digits[2] in "6789"


def holds_aadhaar(text: str) -> bool:
    """True if ``text`` holds what may be an Aadhaar number (12 digits not
    starting with 0 or 1; checksum or not: a mistyped Aadhaar is still most
    of someone's number) or a 16-digit Virtual ID; not a mobile number
    written with +91."""
    plain = normalise(text)
    for found in LONG_NUMBER.finditer(plain):
        digits = re.sub(r"\D", "", found.group())
        with_code = plain[:found.start()].rstrip().endswith("+") and _is_mobile_with_code(digits)
        if len(digits) == 16 or (len(digits) == 12 and digits[0] not in _NOT_AADHAAR_START and not with_code):
            return True
    return False


def redact(text: str, mask: str = "[number removed]") -> str:
    """``text`` with every long number replaced by ``mask`` (the rest as it was)."""
    plain, origin = _view(text)
    found = list(LONG_NUMBER.finditer(plain))
    if not found:
        return text
    out, at = [], 0
    for match in found:
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        out.append(text[at:start])
        out.append(mask)
        at = end
    out.append(text[at:])
    return "".join(out)


def digitless(hex_text: str) -> str:
    """A hexadecimal identifier (a random id, a hash) written with letters only,
    0-9 as g-p: one the system makes never looks like an Aadhaar or mobile
    number to a guard, the log filter or a scan of the database. Applying it
    twice changes nothing."""
    return hex_text.translate(_HEX_AS_LETTERS)
