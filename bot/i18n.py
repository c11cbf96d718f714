"""Languages, translations (Babel gettext catalogues in ``locales/``) and
Indian number formatting.

Languages are data: a language is offered when ``locales/<code>/`` holds
its catalogue (``LC_MESSAGES/messages.po``) and its ``language.json``:

    name         its own name, as a worker picks it
    locale       Babel's locale for numbers
    phone_codes  the phone language codes it answers to (a phone set to one of
                 them, or to a regional variant of it, is offered this language first)
    default      true: offered first when the settings do not say (one language)
    test_only    true: present for tests, offered only when the settings name it
    input        what people type in it: ``digits`` (the ten digits 0-9 of its
                 script), ``letters`` (ranges of letters a name may be written in,
                 "A-Z"), ``sentence_end`` (full stops), ``yes`` and ``no`` (words
                 that answer a yes/no question), ``months`` (twelve lists of names
                 of the months, January first), ``on`` and ``off`` (an official's
                 /digest switch), ``until`` (the word before a target's deadline);
                 and for the numbers workers type (``bot.domain.reading``):
                 ``same_letters`` (a letter typed two ways -> the one it is
                 read as: "़" (nukta) -> "", "ँ" -> "ं"), ``numbers`` (number
                 words by their value, {"8": ["आठ", "aath"], "1.5": ["डेढ़"]}),
                 ``multipliers`` (words that multiply the count before them,
                 {"1000": ["हज़ार", "k"]}), ``plus_part`` (words that add a part
                 to the count after them, {"0.5": ["साढ़े"]}), ``range`` (words
                 between the two ends of a range: "से", "to"), ``day``,
                 ``week``, ``month`` and ``year`` (words naming that period, as
                 a unit or a rate: "रोज़", "monthly", "साल"), ``under_a_year``
                 ("less than a year"), ``rupees`` (the currency: "₹", "rs"),
                 ``filler`` (words that say nothing a reader needs: "लगभग",
                 "about", "सन", "उम्र"), ``ordinal_suffix`` (after a digit:
                 "th", "वीं"), ``ordinals`` (ordinal words by their value,
                 {"8": ["आठवीं", "eighth"]}), ``classes`` (school classes by a
                 name, {"12": ["इंटर", "10+2"]}), ``school`` (words around a
                 class: "पास", "class"), ``failed`` ("fail": the class was not
                 passed), ``no_school`` (never went to school); and for
                 the answers to closed questions (``bot.flow.understanding``):
                 ``chatter`` (words that carry no answer: "I", "am", "do")

Beside it, ``aliases/*.json`` lists what people type for the options of the
closed questions, by option code (``aliases``).

The settings may narrow and order them (``configure``). No other module
names a language: they ask ``languages()``, ``default_language()``,
``language_order()`` and ``language_of_phone()``; validators read the input
words of every language present (``words``, ``numbered``, ``digit_table``,
``months``, ``letter_ranges``), since a worker may type in any of them, and
compare what was typed with them through ``fold``.

Every user-visible string is written in English inside ``N_()`` so that
``pybabel extract`` finds it, and translated at the moment it is shown with
``translate(lang, msgid)``. Placeholders are named: ``{reference}``, never
positional. The ``.po`` files are compiled in memory when first used, so a
fresh clone works without a separate compile step.
"""
from __future__ import annotations

import gettext as _gettext
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
#: the language the msgids are written in
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    code: str
    name: str                       # its own name, as a worker picks it ("हिन्दी")
    locale: str                     # Babel's locale for numbers ("hi_IN")
    phone_codes: tuple[str, ...]    # phone language codes it answers to ("hi", "hi-IN")
    #: everything else of its language.json (default, test_only, the words people type in it)
    data: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def test_only(self) -> bool:
        return bool(self.data.get("test_only"))

    def typed(self, kind: str, default=()):
        """One kind of its input words (``language.json``'s "input")."""
        return self.data.get("input", {}).get(kind, default)


def present() -> dict[str, Language]:
    """Every language with a catalogue and a ``language.json`` in ``LOCALES_DIR``, by code."""
    return present_in(LOCALES_DIR)


@lru_cache(maxsize=None)
def present_in(folder: Path) -> dict[str, Language]:
    """Every language with a catalogue and a ``language.json`` in ``folder``, by code."""
    found = {}
    for sub in sorted(folder.iterdir()) if folder.is_dir() else ():
        about = sub / "language.json"
        if about.is_file() and (sub / "LC_MESSAGES" / f"{DOMAIN}.po").is_file():
            data = json.loads(about.read_text(encoding="utf-8"))
            found[sub.name] = Language(sub.name, data.pop("name"), data.pop("locale"),
                                       tuple(data.pop("phone_codes", (sub.name,))), data)
    return found


_offered: tuple[str, ...] | None = None
_default: str | None = None


def configure(codes: Sequence[str] | None, default: str | None = None) -> None:
    """Offer these languages, in this order (None or empty: every one present
    but those for tests only); ``default``: the one offered first when nothing
    says otherwise (None: the one whose data says so, else the first)."""
    global _offered, _default
    codes = tuple(codes or ())
    unknown = [c for c in (*codes, *([default] if default else [])) if c not in present()]
    if unknown:
        raise ValueError(f"no catalogue for language(s) {', '.join(unknown)} in {LOCALES_DIR}")
    if default and codes and default not in codes:
        raise ValueError(f"the default language {default} is not one of those offered ({', '.join(codes)})")
    _offered, _default = codes or None, default


def languages() -> tuple[str, ...]:
    """The languages offered, in order."""
    return _offered if _offered is not None else offerable()


def offerable(codes: Sequence[str] = ()) -> tuple[str, ...]:
    """``codes``, or if none are named, every language present but those for tests only."""
    return tuple(codes) or _offerable_in(LOCALES_DIR)


@lru_cache(maxsize=None)
def _offerable_in(folder: Path) -> tuple[str, ...]:
    return tuple(code for code, lang in present_in(folder).items() if not lang.test_only)


def default_among(offered: Sequence[str]) -> str:
    """Of these languages, the one whose data says it is the default, else the first."""
    marked = [code for code in offered if code in present() and present()[code].data.get("default")]
    return (marked or list(offered))[0]


def default_language() -> str:
    """The language offered first when neither the worker nor their phone says."""
    offered = languages()
    return _default if _default in offered else default_among(offered)


def language(code: str) -> Language:
    return present()[code]


def language_order(first: str) -> tuple[str, ...]:
    """Every language offered, ``first`` first (a worker's own, or their phone's)."""
    return (first, *(code for code in languages() if code != first))


def next_language(lang: str) -> str:
    """The language after ``lang`` (``/language`` without a choice switches to it)."""
    offered = languages()
    return offered[(offered.index(lang) + 1) % len(offered)] if lang in offered else offered[0]


def language_of_phone(code: str | None) -> str | None:
    """The language offered for a phone's language code ("hi-IN" -> "hi"), if any."""
    return _language_of_phone(code, languages(), LOCALES_DIR)


@lru_cache(maxsize=512)
def _language_of_phone(code: str | None, offered: tuple[str, ...], folder: Path) -> str | None:
    """``language_of_phone`` among ``offered``; ``folder``: the catalogues
    read (a test's own locales are another key)."""
    code = (code or "").lower().replace("_", "-")
    for lang in offered:
        if any(code == c or code.startswith(c + "-") for c in language(lang).phone_codes):
            return lang
    return None


# -- what people type, in every language present --------------------------------

def _typed_word(word: str) -> str:
    """A word as validators compare it: NFC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", word).lower().split())


def fold(text: str) -> str:
    """Typed text as it is compared with the input words: NFC, lower case,
    single spaces, and each letter that is typed two ways (the ``same_letters``
    of every language present: with or without a nukta, ँ or ं) written one way."""
    return _fold(LOCALES_DIR, text)


def _fold(folder: Path, text: str) -> str:
    return _typed_word(text).translate(_same_letters(folder))


@lru_cache(maxsize=None)
def _same_letters(folder: Path) -> dict[int, str]:
    table: dict[int, str] = {}
    for lang in present_in(folder).values():
        for typed, read_as in lang.typed("same_letters", {}).items():
            if len(typed) != 1:
                raise ValueError(f"{lang.code}: input same_letters maps one letter to its reading, not {typed!r}")
            table[ord(typed)] = read_as
    return table


def _forms(folder: Path, word: str) -> tuple[str, str]:
    """A word of the data as typed and folded: a validator may compare either."""
    return _typed_word(word), _fold(folder, word)


def words(kind: str) -> frozenset[str]:
    """The input words of ``kind`` ("yes", "no", "on", ...) of every language
    present, each as written and folded (``fold``)."""
    return _words(LOCALES_DIR, kind)


@lru_cache(maxsize=None)
def _words(folder: Path, kind: str) -> frozenset[str]:
    return frozenset(form for lang in present_in(folder).values() for w in lang.typed(kind)
                     for form in _forms(folder, w))


def numbered(kind: str) -> dict[str, float]:
    """The input words of ``kind`` whose data gives words for each value
    ("numbers": {"8": ["आठ", "aath"]}), of every language present, each as
    written and folded -> its value (an int when the value is whole). A word
    that means two values (in two languages) is left out."""
    return _numbered(LOCALES_DIR, kind)


@lru_cache(maxsize=None)
def _numbered(folder: Path, kind: str) -> dict[str, float]:
    found: dict[str, set[float]] = {}
    for lang in present_in(folder).values():
        for key, same_value in lang.typed(kind, {}).items():
            value = float(key)
            for word in same_value:
                for form in _forms(folder, word):
                    found.setdefault(form, set()).add(int(value) if value.is_integer() else value)
    return {word: values.pop() for word, values in found.items() if len(values) == 1}


def digit_table() -> dict[int, int]:
    """``str.translate`` table from the digits of every language present to 0-9."""
    return _digit_table(LOCALES_DIR)


@lru_cache(maxsize=None)
def _digit_table(folder: Path) -> dict[int, int]:
    table: dict[int, int] = {}
    for lang in present_in(folder).values():
        digits = lang.typed("digits", "")
        if digits:
            if len(digits) != 10:
                raise ValueError(f"{lang.code}: input digits must be the ten digits 0-9, not {digits!r}")
            table.update(str.maketrans(digits, "0123456789"))
    return table


def months() -> dict[str, int]:
    """Month names (and short names) of every language present, as written
    and folded, -> 1-12. A name that means different months in two languages
    is left out."""
    return _months(LOCALES_DIR)


@lru_cache(maxsize=None)
def _months(folder: Path) -> dict[str, int]:
    found: dict[str, set[int]] = {}
    for lang in present_in(folder).values():
        names = lang.typed("months")
        if names and len(names) != 12:
            raise ValueError(f"{lang.code}: input months must be twelve lists of names, January first")
        for number, same_month in enumerate(names, 1):
            for name in same_month:
                for form in _forms(folder, name):
                    found.setdefault(form, set()).add(number)
    return {name: numbers.pop() for name, numbers in found.items() if len(numbers) == 1}


def letter_ranges() -> str:
    """The letters names may be written in, in every language present, as the
    inside of a regular expression's [...] ("A-Za-z...")."""
    return _letter_ranges(LOCALES_DIR)


@lru_cache(maxsize=None)
def _letter_ranges(folder: Path) -> str:
    parts = []
    for lang in present_in(folder).values():
        for span in lang.typed("letters"):
            low, _, high = span.partition("-")
            if len(low) != 1 or len(high) > 1:
                raise ValueError(f"{lang.code}: input letters are ranges such as \"A-Z\", not {span!r}")
            parts.append(re.escape(low) + ("-" + re.escape(high) if high else ""))
    return "".join(dict.fromkeys(parts))


def sentence_ends() -> str:
    """The full stops of every language present (stripped from a typed yes or no)."""
    return _sentence_ends(LOCALES_DIR)


@lru_cache(maxsize=None)
def _sentence_ends(folder: Path) -> str:
    return "".join(dict.fromkeys(ch for lang in present_in(folder).values() for ch in lang.typed("sentence_end", "")))


def aliases() -> dict[str, tuple[str, ...]]:
    """What people type for each option of a closed question, by the option's
    code, from every language present (``locales/<code>/aliases/*.json``,
    each ``{"<option code>": ["word", ...]}``)."""
    return _aliases(LOCALES_DIR)


@lru_cache(maxsize=None)
def _aliases(folder: Path) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for code in present_in(folder):
        for path in sorted((folder / code / "aliases").glob("*.json")):
            for option, typed in json.loads(path.read_text(encoding="utf-8")).items():
                if not isinstance(typed, list) or not all(isinstance(w, str) for w in typed):
                    raise ValueError(f"{path}: {option!r} must list the words typed for it")
                found.setdefault(option, []).extend(_typed_word(w) for w in typed)
    return {option: tuple(dict.fromkeys(typed)) for option, typed in found.items()}


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, when shown."""
    return message


def translations(lang: str) -> _gettext.NullTranslations:
    found = _loaded.get(lang) if _loaded_from is LOCALES_DIR else None
    return found if found is not None else _load(lang)


#: the catalogues of ``LOCALES_DIR`` by language, as ``_translations`` gave them: looked up
#: first (a dict, where ``_translations`` hashes the folder's path on every message shown)
_loaded: dict[str, _gettext.NullTranslations] = {}
_loaded_from: Path | None = None


def _load(lang: str) -> _gettext.NullTranslations:
    global _loaded, _loaded_from
    if _loaded_from is not LOCALES_DIR:  # (tests point LOCALES_DIR elsewhere)
        _loaded, _loaded_from = {}, LOCALES_DIR
    found = _loaded[lang] = _translations(LOCALES_DIR, lang)
    return found


@lru_cache(maxsize=None)
def _translations(folder: Path, lang: str) -> _gettext.NullTranslations:
    po_path = folder / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    known = present_in(folder).get(lang)
    if not po_path.exists() or known is None:
        return _gettext.NullTranslations()
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=known.locale)
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def translate(lang: str, message: str, **params: object) -> str:
    """Translate ``message`` into ``lang`` and fill its named placeholders."""
    text = translations(lang).gettext(message)
    return text.format(**params) if params else text


def _babel_locale(lang: str) -> str:
    return language(lang).locale if lang in present() else language(SOURCE_LANGUAGE).locale


def format_number(value: int | float, lang: str) -> str:
    """Indian digit grouping: 2,66,000 and 4,44,80,000."""
    return format_decimal(value, locale=_babel_locale(lang), group_separator=True)


#: large counts in words, the largest first
LARGE_NUMBERS = ((10**7, N_("{amount} crore")), (10**5, N_("{amount} lakh")))


def format_lakh(value: int | float, lang: str) -> str:
    """Large counts in lakh/crore words: 44.48 lakh, 31 करोड़."""
    for size, words_for in LARGE_NUMBERS:
        if abs(value) >= size:
            amount = round(value / size, 2)
            text = format_decimal(amount, format="#,##,##0.##", locale=_babel_locale(lang))
            return translate(lang, words_for, amount=text)
    return format_number(value, lang)
