"""What a typed answer to a closed question means.

Many workers type instead of pressing a button: "हाँ", "आदमी", "ओबीसी",
"खेती", "रिक्शा चलाता हूँ", "ghar ka kaam", "constrction". Each option is
known by many names (``names_of``): its label in every language, the parts
of a label ("Mason (mistri)": "mason", "mistri"), its code, what people type
for it (``locales/<code>/aliases/*.json``, by option code) and, for a
place, its name in every language. ``understand`` compares the typed text,
written plainly (``plain``), with all of them in three rounds and stops at
the first that decides:

1. the text is one of the names: that option (several options: ask which);
2. a name stands whole inside the text ("रिक्शा चलाता हूँ" holds "रिक्शा",
   the longest name found wins), or the text stands whole inside the names
   of a few options ("driver": ask which);
3. spelling: rapidfuzz's similarity (0-100) of the text, and of every run of
   its words, with every name. ``SURE`` or more with a clear lead over any
   other option is that option; ``MAYBE`` or more gives the options to ask
   about ("did you mean ...?"), never a silent pick.

Short names (under ``FUZZY_FROM`` letters: "sc", "st", "ha") count only
when typed exactly, so random text cannot land on them.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.domain.catalogues import Option
from bot.i18n import aliases, fold, languages, translate, words

#: similarity (0-100) at which a spelling is taken as meant, given a clear lead
SURE = 90
#: similarity at which an option is offered to confirm ("did you mean ...?")
MAYBE = 75
#: how far ahead of every other option a sure answer must be
LEAD = 8
#: the most options offered to choose from at once
MOST = 6
#: names shorter than this are matched only exactly
FUZZY_FROM = 4


@dataclass(frozen=True)
class Understood:
    """A sure pick, or the options the text may mean (to ask about), or neither."""
    sure: str | None = None
    maybe: tuple[str, ...] = ()


_NASAL_BEFORE_CONSONANT = re.compile("[ङञणनम]\u094d(?=[\u0915-\u0939])")


def plain(text: str) -> str:
    """Text as names are compared: ``bot.i18n.fold`` (lower case, a letter
    typed two ways written one way: no nukta, ँ as ं), a half nasal before a
    consonant as ं ("हिन्दी" and "हिंदी" alike), punctuation gone, and the
    words that carry no answer dropped (``chatter``: "मैं", "हूँ", "I", "am")."""
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in _one_way(text))
    chatter = _chatter()
    return " ".join(word for word in kept.split() if word not in chatter)


def _one_way(text: str) -> str:
    """``fold``, and a half nasal before a consonant written as ं."""
    return _NASAL_BEFORE_CONSONANT.sub("\u0902", fold(text))


@lru_cache(maxsize=1)
def _chatter() -> frozenset[str]:
    return frozenset(_one_way(word) for word in words("chatter"))


_PARTS = re.compile(r"\(|\)|,|/|;|:|\bor\b| या | और | & ")


def _parts(label: str) -> set[str]:
    """The parts of a label ("Mason (mistri)": "mason", "mistri")."""
    return {part for part in _PARTS.split(label) if part.strip()} - {label}


@dataclass(frozen=True)
class Names:
    """Every name of every option of one question, written plainly."""
    of: tuple[tuple[str, str], ...]            # (plain name, option code)
    #: the names that are a whole label or alias (not a part of one, nor the code)
    whole: frozenset[tuple[str, str]]
    #: the plain names long enough for spelling matches, and their codes
    fuzzy_names: tuple[str, ...]
    fuzzy_codes: tuple[str, ...]


@lru_cache(maxsize=512)
def names_of(options: tuple[Option, ...]) -> Names:
    whole: dict[tuple[str, str], None] = {}
    other: dict[tuple[str, str], None] = {}
    typed = aliases()
    for option in options:
        labels = {translate(lang, option.label) for lang in languages()} | {name for _, name in option.names}
        full = labels | set(option.also) | set(typed.get(option.code, ()))
        derived = {part for label in labels for part in _parts(label)}
        if "." not in option.code:  # a plain code is a name too ("obc"); "transport.e_rickshaw" is not
            derived.add(option.code.replace("_", " "))
        for names, into in ((full, whole), (derived, other)):
            for name in names:
                written = plain(name)
                if written:
                    into[(written, option.code)] = None
    of = tuple(whole) + tuple(pair for pair in other if pair not in whole)
    fuzzy = [(name, code) for name, code in of if len(name) >= FUZZY_FROM]
    return Names(of, frozenset(whole), tuple(n for n, _ in fuzzy), tuple(c for _, c in fuzzy))


def understand(text: str, options: Sequence[Option], exactly: bool = False) -> Understood:
    """What ``text`` picks among ``options`` (see the module's docstring);
    ``exactly``: only a whole name counts (where a wrong pick would undo
    work: "start over", "erase")."""
    typed = plain(text)
    if not typed:
        return Understood()
    names = names_of(tuple(options))
    if exactly:
        return _exactly(typed, names) or Understood()
    found = _exactly(typed, names) or _whole_inside(typed, names) or _spelled(typed, names)
    return found or Understood()


def _decide(codes: Sequence[str]) -> Understood | None:
    unique = tuple(dict.fromkeys(codes))
    if not unique:
        return None
    return Understood(sure=unique[0]) if len(unique) == 1 else Understood(maybe=unique[:MOST])


def _exactly(typed: str, names: Names) -> Understood | None:
    """A whole label or alias decides before a part of one ("Packing worker")."""
    found = [(name, code) for name, code in names.of if name == typed]
    return _decide([code for pair in found if pair in names.whole for code in [pair[1]]]) \
        or _decide([code for _, code in found])


def _holds(words_: list[str], part: list[str]) -> bool:
    """``part`` is a run of whole words of ``words_``."""
    n = len(part)
    return any(words_[i:i + n] == part for i in range(len(words_) - n + 1))


def _whole_inside(typed: str, names: Names) -> Understood | None:
    typed_words = typed.split()
    # a name inside the text: the longest found decides
    inside = [(len(name), code) for name, code in names.of
              if len(name) >= 3 and _holds(typed_words, name.split())]
    if inside:
        longest = max(length for length, _ in inside)
        return _decide([code for length, code in inside if length == longest])
    if len(typed) < 3 or typed.isdigit():
        return None
    # the text inside names: "driver" is in several
    around = sorted(((len(typed) / len(name), code) for name, code in names.of
                     if _holds(name.split(), typed_words)), reverse=True)
    if not around:
        return None
    if len({code for _, code in around}) > 2 * MOST:  # "worker": in too many names to offer any
        return Understood()
    found = _decide([code for _, code in around])
    if found is not None and found.sure is not None and around[0][0] < 0.5:
        return Understood(maybe=(found.sure,))  # "mistri" is a small part of a long name: ask
    return found


def _runs(typed: str) -> list[str]:
    """The text, and every run of one to three of its words long enough to compare."""
    typed_words = typed.split()
    runs = {typed}
    for size in (1, 2, 3):
        for i in range(len(typed_words) - size + 1):
            runs.add(" ".join(typed_words[i:i + size]))
    return [run for run in runs if len(run) >= FUZZY_FROM and not run.replace(" ", "").isdigit()]


def _spelled(typed: str, names: Names) -> Understood | None:
    best: dict[str, float] = {}
    for run in _runs(typed):
        for _name, score, index in process.extract(run, names.fuzzy_names, scorer=fuzz.ratio,
                                                   score_cutoff=MAYBE, limit=None):
            code = names.fuzzy_codes[index]
            best[code] = max(best.get(code, 0.0), score)
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda item: -item[1])
    top_code, top = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if top >= SURE and top - runner_up >= LEAD:
        return Understood(sure=top_code)
    return Understood(maybe=tuple(code for code, score in ranked if score >= max(MAYBE, top - LEAD))[:MOST])
