"""Parsers for what workers type. Each takes the raw text and returns a clean
value, or raises ``Invalid`` with a translatable message saying what is
wrong and what is expected.

Digits may be typed in the script of any language present (Devanagari
०-९ for Hindi) anywhere a number is asked; yes and no, month names and the
letters of a name likewise come from every language's data (``bot.i18n``),
since a worker may type in any of them.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from stdnum import verhoeff
from stdnum.in_ import aadhaar as stdnum_aadhaar

from bot.domain.personal_numbers import holds_personal_number
from bot.i18n import N_, digit_table, letter_ranges, months, sentence_ends, words

MAX_TEXT = 200  # no answer on the form is longer than this

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"))


class Invalid(ValueError):
    """The answer cannot be accepted; ``message`` is an English msgid with
    named ``params``. ``back_to`` names an earlier answer to ask again (the
    first of two account numbers that do not match)."""

    def __init__(self, message: str, *, back_to: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params
        self.back_to = back_to


def clean(text: str) -> str:
    """NFC, invisible and control characters removed, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = " ".join(text.split())
    if len(text) > MAX_TEXT:
        raise Invalid(N_("That is too long. Please send a short answer."))
    return text


def ascii_digits(text: str) -> str:
    """``clean``, with the digits of every language written 0-9."""
    return clean(text).translate(digit_table())


def _digits_only(text: str, allowed_separators: str = " -") -> str | None:
    value = ascii_digits(text)
    for sep in allowed_separators:
        value = value.replace(sep, "")
    return value if value.isdigit() and value.isascii() else None


def parse_aadhaar(text: str) -> str:
    number = _digits_only(text)
    if number is None:
        raise Invalid(N_("Please type only the 12 digits of your Aadhaar number."))
    if len(number) == 16:
        raise Invalid(N_("This looks like a 16-digit Virtual ID. Please type the 12-digit Aadhaar number instead."))
    if len(number) != 12:
        raise Invalid(N_("An Aadhaar number has 12 digits; you typed {count}. Please check and type it again."),
                      count=len(number))
    if number[0] in "01":
        raise Invalid(N_("An Aadhaar number never starts with 0 or 1. Please check the number on your card."))
    if not verhoeff.is_valid(number) or not stdnum_aadhaar.is_valid(number):
        raise Invalid(N_("This Aadhaar number is not correct: one of the digits may be wrong. "
                         "Please check it on your card and type it again."))
    return number


def parse_mobile(text: str) -> str:
    number = _digits_only(text.replace("+", " ", 1) if text.strip().startswith("+") else text)
    if number is None:
        raise Invalid(N_("Please type the 10-digit mobile number, digits only."))
    if len(number) == 12 and number.startswith("91"):
        number = number[2:]
    elif len(number) == 11 and number.startswith("0"):
        number = number[1:]
    if len(number) != 10 or number[0] not in "6789":
        raise Invalid(N_("A mobile number has 10 digits and starts with 6, 7, 8 or 9. Please type it again."))
    return number


def parse_pin(text: str) -> str:
    pin = _digits_only(text)
    if pin is None or len(pin) != 6 or pin[0] == "0":
        raise Invalid(N_("A PIN code has 6 digits and does not start with 0, for example 249401."))
    return pin


IFSC_RE = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")


def parse_ifsc(text: str) -> str:
    code = ascii_digits(text).replace(" ", "").upper()
    if not IFSC_RE.match(code):
        raise Invalid(N_("An IFSC code has 11 characters: 4 letters, then 0, then 6 letters or digits "
                         "(for example SBIN0001234). It is printed in your passbook."))
    return code


def parse_account(text: str) -> str:
    number = _digits_only(text)
    if number is None or not 9 <= len(number) <= 18:
        raise Invalid(N_("A bank account number has 9 to 18 digits. Please type it as it is in your passbook."))
    return number


_DATE_RE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
#: 15 August 1990, 15-aug-1990, १५ अगस्त १९९०: the month by its name in any language
_NAMED_MONTH_DATE_RE = re.compile(r"^(\d{1,2})[\s/.,\-]*([^\d\s/.,\-]+)[\s/.,\-]*(\d{4})$")


def _day_month_year(typed: str) -> tuple[int, int, int] | None:
    match = _DATE_RE.match(typed)
    if match:
        day, month, year = map(int, match.groups())
        return day, month, year
    named = _NAMED_MONTH_DATE_RE.match(typed)
    number = months().get(named.group(2).lower()) if named else None
    if named is None or number is None:
        return None
    return int(named.group(1)), number, int(named.group(3))


def parse_date(text: str, today: date) -> date:
    parts = _day_month_year(ascii_digits(text))
    if parts is None:
        raise Invalid(N_("Please type the date as day/month/year, for example 15/08/1990."))
    day, month, year = parts
    try:
        value = date(year, month, day)
    except ValueError:
        raise Invalid(N_("There is no such date. Please check the day and month and type it again.")) from None
    if value > today:
        raise Invalid(N_("This date is in the future. Please type it again."))
    if value.year < 1900:
        raise Invalid(N_("Please check the year and type the date again."))
    return value


def parse_name(text: str) -> str:
    """Letters of any language present (``bot.i18n.letter_ranges``), spaces, dots and apostrophes."""
    name = clean(text)
    letters = sum(ch.isalpha() for ch in name)
    if not re.fullmatch(f"[{letter_ranges()} .']+", name) or letters < 2 or len(name) > 80:
        raise Invalid(N_("Please type the name in Hindi or English letters only (no numbers or signs)."))
    return name.title() if name.isascii() else name


def parse_address(text: str) -> str:
    address = clean(text)
    if sum(ch.isalnum() for ch in address) < 3:
        raise Invalid(N_("Please type your house number, street or village, and area."))
    if any(unicodedata.category(ch) == "So" for ch in address):
        raise Invalid(N_("Please type the address in letters and numbers only."))
    if holds_personal_number(address):
        # a phone, Aadhaar or account number in the address would be stored in clear
        raise Invalid(N_("Please do not write a phone, Aadhaar or bank account number in the address. "
                         "Type only your house number, street or village, and area."))
    return address


def parse_whole_number(text: str, low: int, high: int) -> int:
    value = _digits_only(text, allowed_separators="")
    if value is None or not low <= int(value) <= high:
        raise Invalid(N_("Please type a number from {low} to {high}."), low=low, high=high)
    return int(value)


def parse_yes_no(text: str) -> bool | None:
    """True, False, or None when the text is neither a yes nor a no (or a
    word that is yes in one language and no in another)."""
    word = clean(text).lower().strip(" .!" + sentence_ends())
    yes, no = word in words("yes"), word in words("no")
    return yes if yes != no else None
