"""Languages, translations (Babel gettext catalogues in ``locales/``) and
Indian number formatting.

Languages are data: a language is offered when ``locales/<code>/`` holds
its catalogue (``LC_MESSAGES/messages.po``) and its ``language.json`` (its
own name, Babel's locale for numbers, the phone language codes it answers
to, and the words people type in it); the settings may narrow and order
them (``configure``). No other module names a language: they ask
``languages()``, ``language_order()`` and ``language_of_phone()``.

Every user-visible string is written in English inside ``N_()`` so that
``pybabel extract`` finds it, and translated at the moment it is shown with
``translate(lang, msgid)``. Placeholders are named: ``{reference}``, never
positional. The ``.po`` files are compiled in memory when first used, so a
fresh clone works without a separate compile step.
"""
from __future__ import annotations

import gettext as _gettext
import json
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
    #: everything else of its language.json (the words people type in it)
    data: dict = field(default_factory=dict, compare=False, hash=False)


@lru_cache(maxsize=None)
def present() -> dict[str, Language]:
    """Every language with a catalogue and a ``language.json`` in ``LOCALES_DIR``, by code."""
    found = {}
    for folder in sorted(LOCALES_DIR.iterdir()) if LOCALES_DIR.is_dir() else ():
        about = folder / "language.json"
        if about.is_file() and (folder / "LC_MESSAGES" / f"{DOMAIN}.po").is_file():
            data = json.loads(about.read_text(encoding="utf-8"))
            found[folder.name] = Language(folder.name, data.pop("name"), data.pop("locale"),
                                          tuple(data.pop("phone_codes", (folder.name,))), data)
    return found


_offered: tuple[str, ...] | None = None


def configure(codes: Sequence[str] | None) -> None:
    """Offer these languages, in this order (None or empty: every one present)."""
    global _offered
    if codes:
        unknown = [c for c in codes if c not in present()]
        if unknown:
            raise ValueError(f"no catalogue for language(s) {', '.join(unknown)} in {LOCALES_DIR}")
    _offered = tuple(codes) if codes else None


def languages() -> tuple[str, ...]:
    """The languages offered, in order."""
    return _offered if _offered is not None else tuple(present())


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
    code = (code or "").lower().replace("_", "-")
    for lang in languages():
        if any(code == c or code.startswith(c + "-") for c in language(lang).phone_codes):
            return lang
    return None


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, when shown."""
    return message


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    po_path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return _gettext.NullTranslations()
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
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


def format_lakh(value: int | float, lang: str) -> str:
    """Large counts in lakh/crore words: 44.48 lakh, 31 करोड़."""
    for size, en_word, hi_word in ((10**7, "crore", "करोड़"), (10**5, "lakh", "लाख")):
        if abs(value) >= size:
            amount = round(value / size, 2)
            text = format_decimal(amount, format="#,##,##0.##", locale=_babel_locale(lang))
            return f"{text} {hi_word if lang == 'hi' else en_word}"
    return format_number(value, lang)
