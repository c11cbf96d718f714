"""Numbers as workers type them, read into tokens: digits in any script,
number words ("आठ", "aath", "eight"), multipliers ("हज़ार", "lakh", "k"),
periods ("रोज़", "monthly", "साल") and the small words around them, in every
language present (``bot.i18n``'s input words; none is written here).

``tokens`` splits typed text (cleaned by ``validators.ascii_digits``) into
numbers, marks and the phrases of the languages' data (the longest phrase
first: "एक साल से कम" before "एक");
``amount`` reads the number a run of tokens says: "8,000", "1.5", "दस",
"twenty five", "2 lakh 50 hazar", "पांच सौ पचास", "साढ़े तीन हज़ार",
"सवा लाख". The validators, ``bot.domain.amounts`` and
``bot.domain.schooling`` say which tokens a given answer may hold.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from bot import i18n

#: the kinds of input words (bot.i18n) whose data gives a value for each word
NUMBERS, MULTIPLIERS, PLUS_PART, ORDINALS, CLASSES = "numbers", "multipliers", "plus_part", "ordinals", "classes"
VALUED = (NUMBERS, MULTIPLIERS, PLUS_PART, ORDINALS, CLASSES)
#: the periods a count or an amount may be given in
DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"
PERIODS = (DAY, WEEK, MONTH, YEAR)
RANGE, UNDER_A_YEAR, RUPEES, FILLER = "range", "under_a_year", "rupees", "filler"
ORDINAL_SUFFIX, SCHOOL, FAILED, NO_SCHOOL = "ordinal_suffix", "school", "failed", "no_school"
#: the kinds of input words that are a plain list
PLAIN = (*PERIODS, RANGE, UNDER_A_YEAR, RUPEES, FILLER, ORDINAL_SUFFIX, SCHOOL, FAILED, NO_SCHOOL)
#: a word no language's data knows
WORD = "word"

#: marks between the two ends of a range ("10-12"), and "/" of "300/day" or "₹500/-"
_RANGE_MARKS = "-–—"
_PER_MARK = "/"
#: a number with digit groups (8,000 and 1,50,000) or a decimal point, a mark, or a word
_PIECE = re.compile(r"[0-9]{1,3}(?:,[0-9]{2,3})*,[0-9]{3}(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)?|[+/\-–—]"
                    r"|[^\s0-9+/\-–—.,;:!?()\[\]{}'\"|]+")
#: a dot inside a word ("p.m.", "rs.8000" keeps its dot before the digits)
_DOT_IN_WORD = re.compile(r"(?<=[^\W\d_])\.(?=[^\W\d_])")
#: a hyphen between letters ("twenty-five"), unlike one between numbers ("10-12")
_HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_DIGITS = "0123456789"
#: tens and units written as two words: "twenty five"
_TENS = frozenset(range(20, 100, 10))


@dataclass(frozen=True)
class Token:
    kind: str                       # a kind of input words (NUMBERS for digits too), RANGE, or WORD
    text: str                       # as typed, folded (bot.i18n.fold)
    value: Fraction | None = None   # the value of a number, multiplier, part, ordinal or class

    @property
    def in_digits(self) -> bool:
        return bool(self.text) and self.text[0] in _DIGITS


def _pieces(text: str) -> tuple[str, ...]:
    text = text.replace("/-", " ").translate({ord(ch): " " for ch in i18n.sentence_ends()})
    text = _HYPHEN_IN_WORD.sub(" ", _DOT_IN_WORD.sub("", text))
    return tuple(_PIECE.findall(text))


def tokens(typed: str) -> list[Token]:
    """Typed text, cleaned and its digits written 0-9 (``validators.ascii_digits``),
    as tokens: the longest phrase of the languages' data first."""
    pieces = _pieces(i18n.fold(typed))
    known = lexicon()
    longest = _longest(i18n.LOCALES_DIR)
    found, at = [], 0
    while at < len(pieces):
        for size in range(min(longest, len(pieces) - at), 0, -1):
            phrase = pieces[at:at + size]
            if phrase in known:
                kind, value = known[phrase]
                found.append(Token(kind, " ".join(phrase), value))
                at += size
                break
        else:
            found.append(_token(pieces[at]))
            at += 1
    return found


def _token(piece: str) -> Token:
    if piece[0] in _DIGITS:
        return Token(NUMBERS, piece, Fraction(piece.replace(",", "")))
    if piece in _RANGE_MARKS:
        return Token(RANGE, piece)
    return Token(FILLER if piece == _PER_MARK else WORD, piece)


def lexicon() -> dict[tuple[str, ...], tuple[str, Fraction | None]]:
    """Every phrase of the input words of the kinds read here, as pieces ->
    its kind and value; a phrase that means two things is left out."""
    return _lexicon(i18n.LOCALES_DIR)


@lru_cache(maxsize=None)
def _lexicon(folder: Path) -> dict[tuple[str, ...], tuple[str, Fraction | None]]:
    return {phrase: meanings[0] for phrase, meanings in _meanings(folder).items() if len(meanings) == 1}


@lru_cache(maxsize=None)
def _longest(folder: Path) -> int:
    """The most pieces a phrase of the lexicon has."""
    return max(map(len, _lexicon(folder)), default=1)


def ambiguous_phrases() -> dict[tuple[str, ...], list[tuple[str, Fraction | None]]]:
    """The phrases left out of ``lexicon`` because the data gives them two meanings."""
    return {phrase: meanings for phrase, meanings in _meanings(i18n.LOCALES_DIR).items() if len(meanings) > 1}


@lru_cache(maxsize=None)
def _meanings(folder: Path) -> dict[tuple[str, ...], list[tuple[str, Fraction | None]]]:
    found: dict[tuple[str, ...], list[tuple[str, Fraction | None]]] = {}

    def add(word: str, meaning: tuple[str, Fraction | None]) -> None:
        phrase = _pieces(word)
        if phrase and meaning not in found.setdefault(phrase, []):
            found[phrase].append(meaning)

    for kind in VALUED:
        for word, value in i18n.numbered(kind).items():
            add(word, (kind, Fraction(value)))
    for kind in PLAIN:
        for word in i18n.words(kind):
            add(word, (kind, None))
    return found


def amount(items: Sequence[Token]) -> Fraction | None:
    """The number these tokens say, or None when they say none or more than
    one. Groups of a count and a multiplier add up, the largest first ("2
    lakh 50 hazar", "पांच सौ पचास"); a multiplier alone counts one ("हज़ार",
    "सवा लाख"); a part adds to the count after it ("साढ़े तीन" 3.5); tens and
    units may be two words ("twenty five")."""
    total, last_scale, at = Fraction(0), None, 0
    while at < len(items):
        part = Fraction(0)
        if items[at].kind == PLUS_PART:
            part = _value(items[at])
            at += 1
        count = None
        if at < len(items) and items[at].kind == NUMBERS:
            count = _value(items[at])
            at += 1
            if (at < len(items) and items[at].kind == NUMBERS and not items[at - 1].in_digits
                    and not items[at].in_digits and count in _TENS and 1 <= _value(items[at]) <= 9):
                count += _value(items[at])
                at += 1
        scale = Fraction(1)
        if at < len(items) and items[at].kind == MULTIPLIERS:
            scale = _value(items[at])
            at += 1
        elif count is None:
            return None
        if last_scale is not None and scale >= last_scale:
            return None
        total += ((Fraction(1) if count is None else count) + part) * scale
        last_scale = scale
    return total if items else None


def _value(token: Token) -> Fraction:
    assert token.value is not None, token
    return token.value
