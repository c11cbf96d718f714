"""District names as people read and write them, in every language present.

The bot keeps a worker's state and district as India Post spells them
(``indian_pincode``: "UTTARAKHAND", "HARIDWAR"). A language may ship
``locales/<code>/places.json``: per state and district (India Post's
spellings), the district's name written in that language, and under
"aliases" the other spellings people type (old names, romanised forms,
spelling variants). ``district_name`` is what a person of a language is
shown; ``district_names`` every name a typed answer may match. A language
without the file, or without that district, shows India Post's spelling in
title case ("Haridwar"). The stored values never change.
"""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot import i18n

PLACES_FILE = "places.json"


@lru_cache(maxsize=None)
def _places(folder: Path, lang: str) -> dict[str, Any]:
    path = folder / lang / PLACES_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _entry(folder: Path, lang: str, part: str, state: str, district: str) -> Any:
    return _places(folder, lang).get(part, {}).get(state, {}).get(district)


def district_name(state: str, district: str, lang: str) -> str:
    """The district as a person of ``lang`` reads it: "हरिद्वार", else "Haridwar"."""
    return _entry(i18n.LOCALES_DIR, lang, "districts", state, district) or district.title()


def district_names(state: str, district: str) -> tuple[str, ...]:
    """Every name of the district in every language present, with its aliases,
    India Post's spelling in title and lower case, each once (NFC)."""
    return _district_names(i18n.LOCALES_DIR, state, district)


@lru_cache(maxsize=4096)
def _district_names(folder: Path, state: str, district: str) -> tuple[str, ...]:
    names = [district.title(), district.lower()]
    for lang in i18n.present_in(folder):
        names.append(_entry(folder, lang, "districts", state, district) or "")
        names.extend(_entry(folder, lang, "aliases", state, district) or ())
    return tuple(dict.fromkeys(unicodedata.normalize("NFC", n) for n in names if n))
