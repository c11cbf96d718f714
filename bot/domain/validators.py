"""Parsers for what workers type. Each takes the raw text and returns a clean
value, or raises ``Invalid`` with a translatable message saying what is
wrong and what is expected.

Digits may be typed in the script of any language present (Devanagari
०-९ for Hindi) anywhere a number is asked; yes and no, month names, number
words and the letters of a name likewise come from every language's data
(``bot.i18n``, read through ``bot.domain.reading``), since a worker may type
in any of them.

Dates are day first: 15/08/1990, 15-8-90, 15081990, 5 Aug 86, August 5,
1986, 5th August 1986, ५ अगस्त १९८६. A birth date may be a year alone
("1986", "सन 1986": many older workers' Aadhaar shows only the year), kept
as "1986" and read as 1 January of it, as e-Shram does; a nominee's may also
be an age ("35 साल"), kept as the year it gives.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from fractions import Fraction
from math import floor

from stdnum import verhoeff
from stdnum.in_ import aadhaar as stdnum_aadhaar

from bot.domain import reading
from bot.domain.personal_numbers import holds_personal_number
from bot.i18n import N_, digit_table, fold, letter_ranges, months, sentence_ends, words

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
    if not text.isprintable():  # (a printable text holds no character of a "C" category)
        text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = " ".join(text.split())
    if len(text) > MAX_TEXT:
        raise Invalid(N_("That is too long. Please answer in a few words, for example “Ram Kumar” or “8th pass”."))
    return text


def ascii_digits(text: str) -> str:
    """``clean``, with the digits of every language written 0-9."""
    return clean(text).translate(digit_table())


def _digits_only(text: str, allowed_separators: str = " -") -> str | None:
    value = ascii_digits(text)
    for sep in allowed_separators:
        value = value.replace(sep, "")
    return value if value.isdigit() and value.isascii() else None


def _wrong_number(number: str, message: str, message_with_last4: str, **params: object) -> Invalid:
    """The problem with a wrong Aadhaar or account number, saying its last 4
    digits (``last4``) when 4 or more were typed: the chat no longer shows
    the number, since the message that held it is deleted."""
    problem = Invalid(message_with_last4 if len(number) >= 4 else message)
    problem.params.update(params, **({"last4": number[-4:]} if len(number) >= 4 else {}))
    return problem


def parse_aadhaar(text: str) -> str:
    number = _digits_only(text)
    if number is None:
        raise Invalid(N_("Please type only the 12 digits of your Aadhaar number, for example 2345 6789 0123."))
    if len(number) == 16:
        raise Invalid(N_("This looks like a 16-digit Virtual ID. Please type the 12-digit Aadhaar number instead, "
                         "for example 2345 6789 0123."))
    if len(number) != 12:
        raise _wrong_number(
            number, N_("An Aadhaar number has 12 digits, for example 2345 6789 0123; you typed {count}. "
                       "Please check and type it again."),
            N_("An Aadhaar number has 12 digits, for example 2345 6789 0123; you typed {count}. "
               "Please check and type it again. The number you sent ends in {last4}."), count=len(number))
    if number[0] in "01":
        raise _wrong_number(
            number, N_("An Aadhaar number never starts with 0 or 1. Please type the 12 digits on your card, "
                       "for example 2345 6789 0123."),
            N_("An Aadhaar number never starts with 0 or 1. Please type the 12 digits on your card, "
               "for example 2345 6789 0123. The number you sent ends in {last4}."))
    if not verhoeff.is_valid(number) or not stdnum_aadhaar.is_valid(number):
        raise _wrong_number(
            number, N_("This Aadhaar number is not right: a digit may be wrong. Please check your card and "
                       "type all 12 digits again, for example 2345 6789 0123."),
            N_("This Aadhaar number is not right: a digit may be wrong. Please check your card and "
               "type all 12 digits again, for example 2345 6789 0123. The number you sent ends in {last4}."))
    return number


def parse_mobile(text: str) -> str:
    number = _digits_only(text.replace("+", " ", 1) if text.strip().startswith("+") else text)
    if number is None:
        raise Invalid(N_("Please type the 10-digit mobile number in digits, for example 97123 45678."))
    if len(number) == 12 and number.startswith("91"):
        number = number[2:]
    elif len(number) == 11 and number.startswith("0"):
        number = number[1:]
    if len(number) != 10 or number[0] not in "6789":
        raise Invalid(N_("A mobile number has 10 digits and starts with 6, 7, 8 or 9, for example 97123 45678. "
                         "Please type it again."))
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
        raise _wrong_number(
            number or "", N_("A bank account number has 9 to 18 digits, for example 31245678901. "
                             "Please type it as it is in your passbook."),
            N_("A bank account number has 9 to 18 digits, for example 31245678901. "
               "Please type it as it is in your passbook. The number you sent ends in {last4}."))
    return number


DATE_FORMAT = N_("Please type the date as day/month/year, for example 15/08/1990.")
NO_SUCH_DATE = N_("There is no such date. Please check the day and month, and type it as day/month/year, "
                  "for example 15/08/1990.")
IN_THE_FUTURE = N_("This date has not come yet. Please type it again, for example 15/08/1990.")
CHECK_THE_YEAR = N_("Please check the year and type the date again, for example 15/08/1990.")
BIRTH_DATE_FORMAT = N_("Please type the date of birth as day/month/year, for example 15/08/1990, "
                       "or only the year of birth, for example 1986.")
BIRTH_OR_AGE_FORMAT = N_("Please type the date of birth as day/month/year, for example 15/08/1990; "
                         "or only the year of birth, 1986; or the age, 35.")
#: the first year a date may have
FIRST_YEAR = 1900
#: the oldest age a nominee may be given as
OLDEST = 120

#: ddmmyyyy or ddmmyy, all digits: 15081990, 150886
_COMPACT_DATE = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4}|[0-9]{2})")
_DATE_SEPARATORS = re.compile(r"[\s/.,:;\-–]+")
_DIGITS_OR_NOT = re.compile(r"[0-9]+|[^0-9]+")
_DAY = _MONTH = re.compile(r"[0-9]{1,2}")
_YEAR = re.compile(r"[0-9]{4}|[0-9]{2}")


def _date_parts(typed: str) -> list[str]:
    """The day, month and year of a typed date and anything else in it but
    separators, ordinal suffixes after a number ("5th") and filler words."""
    compact = _COMPACT_DATE.fullmatch(typed)
    if compact:
        return list(compact.groups())
    parts: list[str] = []
    for piece in _DATE_SEPARATORS.split(typed):
        for part in _DIGITS_OR_NOT.findall(piece):
            after_number = bool(parts) and parts[-1][0] in "0123456789"
            if part not in words("filler") and not (after_number and part in words("ordinal_suffix")):
                parts.append(part)
    return parts


def _day_month_year(typed: str) -> tuple[int, int, str] | None:
    """Day, month and the year as typed (2 or 4 digits), in the orders
    accepted: 15 08 1990, 15 August 1990, August 15 1990."""
    parts = _date_parts(typed)
    if len(parts) != 3 or not _YEAR.fullmatch(parts[2]):
        return None
    first, second, year = parts
    if _DAY.fullmatch(first) and _MONTH.fullmatch(second):
        return int(first), int(second), year
    if _DAY.fullmatch(first) and second in months():
        return int(first), months()[second], year
    if first in months() and _DAY.fullmatch(second):
        return int(second), months()[first], year
    return None


def _full_year(typed: str, day: int, month: int, today: date) -> int:
    """A year typed in 4 digits, or in 2: the latest year ending in them
    whose date is not after ``today`` (86 -> 1986, 05 -> 2005)."""
    if len(typed) == 4:
        return int(typed)
    year = today.year - (today.year - int(typed)) % 100
    try:
        return year - 100 if date(year, month, day) > today else year
    except ValueError:  # no such date in that year: said by the caller
        return year


def _typed_date(text: str, today: date) -> date | None:
    """The date typed, or None when the text does not have a date's shape."""
    parts = _day_month_year(fold(ascii_digits(text)))
    if parts is None:
        return None
    day, month, typed_year = parts
    try:
        value = date(_full_year(typed_year, day, month, today), month, day)
    except ValueError:
        raise Invalid(NO_SUCH_DATE) from None
    if value > today:
        raise Invalid(IN_THE_FUTURE)
    if value.year < FIRST_YEAR:
        raise Invalid(CHECK_THE_YEAR)
    return value


def parse_date(text: str, today: date) -> date:
    value = _typed_date(text, today)
    if value is None:
        raise Invalid(DATE_FORMAT)
    return value


def _year_alone(text: str, today: date) -> str | None:
    """A year of 4 digits, with words around it ("सन 1986", "1986 में",
    "year 1986"); None when the text is not that."""
    said = [t for t in reading.tokens(ascii_digits(text)) if t.kind not in (reading.FILLER, reading.YEAR)]
    if len(said) != 1 or said[0].kind != reading.NUMBERS or not re.fullmatch(r"[0-9]{4}", said[0].text):
        return None
    year = int(said[0].text)
    if year > today.year:
        raise Invalid(IN_THE_FUTURE)
    if year < FIRST_YEAR:
        raise Invalid(CHECK_THE_YEAR)
    return said[0].text


def parse_birth_date(text: str, today: date) -> str:
    """A date of birth, "1986-08-05", or a year alone, "1986"."""
    value = _typed_date(text, today)
    if value is not None:
        return value.isoformat()
    year = _year_alone(text, today)
    if year is None:
        raise Invalid(BIRTH_DATE_FORMAT)
    return year


def is_year_only(value: str) -> bool:
    """A kept date of birth that is a year alone ("1986")."""
    return len(value) == 4 and value.isdigit()


def birth_date(value: str) -> date:
    """A kept date of birth as a date: a year alone is 1 January of it, as e-Shram takes it."""
    return date(int(value), 1, 1) if is_year_only(value) else date.fromisoformat(value)


def parse_birth_or_age(text: str, today: date) -> str:
    """A nominee's date of birth as a date ("1986-08-05"), a year ("1986"),
    or an age ("35", "35 साल", "उम्र 35", "पैंतीस साल": the year it gives,
    ``today.year`` - 35)."""
    value = _typed_date(text, today)
    if value is not None:
        return value.isoformat()
    year = _year_alone(text, today)
    if year is not None:
        return year
    age = _years_counted(text)
    if age is None or not 0 <= age <= OLDEST:
        raise Invalid(BIRTH_OR_AGE_FORMAT)
    return str(today.year - floor(age))


def parse_name(text: str) -> str:
    """Letters of any language present (``bot.i18n.letter_ranges``), spaces, dots and apostrophes."""
    name = clean(text)
    letters = sum(ch.isalpha() for ch in name)
    if not re.fullmatch(f"[{letter_ranges()} .']+", name) or letters < 2 or len(name) > 80:
        raise Invalid(N_("Please type the name in Hindi or English letters only, for example Ram Kumar."))
    return name.title() if name.isascii() else name


def parse_address(text: str) -> str:
    address = clean(text)
    if sum(ch.isalnum() for ch in address) < 3:
        raise Invalid(N_("Please type your house number, street or village, and area, for example "
                         "House 12, Gali 3, Jwalapur."))
    if any(unicodedata.category(ch) == "So" for ch in address):
        raise Invalid(N_("Please type the address in letters and numbers only, for example "
                         "House 12, Gali 3, Jwalapur."))
    if holds_personal_number(address):
        # a phone, Aadhaar or account number in the address would be stored in clear
        raise Invalid(N_("Please do not write a phone, Aadhaar or bank account number in the address. "
                         "Type only your house number, street or village, and area, for example "
                         "House 12, Gali 3, Jwalapur."))
    return address


def parse_bank_words(text: str) -> str:
    """A bank's name or the place of its branch, in a few words."""
    words_ = clean(text)
    if sum(ch.isalnum() for ch in words_) < 3 or any(unicodedata.category(ch) == "So" for ch in words_):
        raise Invalid(N_("Please write it in a few words, for example “Punjab National Bank” or "
                         "“Golghar, Gorakhpur”."))
    return words_


#: how many years one of each period is, for a count of years typed in another unit
_YEARS_IN = {reading.DAY: Fraction(1, 365), reading.WEEK: Fraction(1, 52),
             reading.MONTH: Fraction(1, 12), reading.YEAR: Fraction(1)}
_COUNTED = (reading.NUMBERS, reading.MULTIPLIERS, reading.PLUS_PART)


def _years_counted(text: str) -> Fraction | None:
    """A number, in digits or words, or a count of years: "10 साल", "das
    saal", "ten years" (10), "6 महीने", "less than a year" (0), "5 साल 6
    महीने" (5): a count in a unit is whole years. None when it is not that."""
    said = [t for t in reading.tokens(ascii_digits(text)) if t.kind != reading.FILLER]
    if said and said[-1].kind == reading.RANGE:
        said.pop()  # "10 साल से": for 10 years
    if len(said) == 1 and said[0].kind == reading.UNDER_A_YEAR:
        return Fraction(0)
    if any(t.kind not in (*_COUNTED, *reading.PERIODS) for t in said):
        return None
    if not any(t.kind in reading.PERIODS for t in said):
        return reading.amount(said)
    years, start = Fraction(0), 0
    for at, token in enumerate(said):
        if token.kind in reading.PERIODS:
            count = reading.amount(said[start:at])
            if count is None:
                return None
            years += count * _YEARS_IN[token.kind]
            start = at + 1
    return Fraction(floor(years)) if start == len(said) else None


def parse_whole_number(text: str, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``, in digits or words, or a
    count of years as ``_years_counted`` reads it ("10 साल", "6 months": 0)."""
    value = _years_counted(text)
    if value is None or value.denominator != 1 or not low <= value <= high:
        raise Invalid(N_("Please type a number from {low} to {high}, for example 5."), low=low, high=high)
    return int(value)


def parse_yes_no(text: str) -> bool | None:
    """True, False, or None when the text is neither a yes nor a no (or a
    word that is yes in one language and no in another)."""
    word = fold(clean(text)).strip(" .!" + sentence_ends())
    yes, no = word in words("yes"), word in words("no")
    return yes if yes != no else None
