"""Translations (Babel gettext catalogues in ``locales/``) and Indian number
formatting.

Every user-visible string is written in English inside ``N_()`` so that
``pybabel extract`` finds it, and translated at the moment it is shown with
``translate(lang, msgid)``. Placeholders are named: ``{reference}``, never
positional. The ``.po`` files are compiled in memory when first used, so a
fresh clone works without a separate compile step.
"""
from __future__ import annotations

import gettext as _gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("hi", "en")
DOMAIN = "messages"


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


def other_language(lang: str) -> str:
    return "en" if lang == "hi" else "hi"


def _babel_locale(lang: str) -> str:
    return "hi_IN" if lang == "hi" else "en_IN"


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
