"""The pseudo-locale: English made strange, as i18n teams do to catch text
that does not go through gettext.

Every msgstr is its msgid with the Latin letters accented (a -> á, e -> é,
...) and padded about 30% longer inside [ ], so a string shown untranslated
stands out as plain English, and a layout that only fits English shows.
Placeholders (``{name}``), /commands and URLs are left as they are, so
formatting and commands still work.

It exists only for tests: the ``pseudo_locale`` fixture writes it, with a
copy of the real catalogues, into a temporary locales folder, points
``bot.i18n`` there and offers only it; its ``language.json`` says
``test_only``, so even there it is not offered unless configured by name.

``english_words(text)`` finds what leaked: the words of the English
catalogue still written in plain ASCII.
"""
from __future__ import annotations

import json
import math
import re
import shutil
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot import i18n
from bot.catalogues_tool import load

#: a private-use language code (ISO 639 reserves qaa-qtz); the one Microsoft uses for pseudo-locales
PSEUDO = "qps"
ACCENTED = str.maketrans(string.ascii_lowercase + string.ascii_uppercase,
                         "áƀçđéƒĝĥíĵķĺɱñóþǫŕšťúṽŵẋýžÁƁÇĐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŤÚṼŴẊÝŽ")
#: left as they are: placeholders, /commands (not the "/month" of "day/month/year"), URLs
KEEP = re.compile(r"\{\w*\}|(?<![\w/])/[a-z_]+|https?://\S+")
FILLER = "~"
GROWTH = 0.3


def pseudo(text: str) -> str:
    """``text`` accented and about 30% longer: "Hello {name}" -> "[Ĥéĺĺó {name} ~~]"."""
    if not text:
        return text
    parts, pos = [], 0
    for kept in KEEP.finditer(text):
        parts += [text[pos:kept.start()].translate(ACCENTED), kept.group()]
        pos = kept.end()
    parts.append(text[pos:].translate(ACCENTED))
    padding = max(1, math.ceil(len(text) * GROWTH) - 3)  # "[", " " and "]" count too
    return f"[{''.join(parts)} {FILLER * padding}]"


def write_pseudo_locale(locales_dir: Path, leave_out: frozenset[str] = frozenset()) -> Path:
    """``locales_dir/qps``: the English catalogue pseudo-localised (but the
    msgids in ``leave_out``, to see them caught), and its language.json."""
    english = load(i18n.SOURCE_LANGUAGE)
    catalog = Catalog(locale="en_IN", project="shram-sahayak")
    for message in english:
        if message.id and message.id not in leave_out:
            catalog.add(message.id, pseudo(message.id))
    folder = locales_dir / PSEUDO
    (folder / "LC_MESSAGES").mkdir(parents=True)
    with (folder / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").open("wb") as fh:
        write_po(fh, catalog)
    about = {"name": pseudo("Pseudo"), "locale": "en_IN", "phone_codes": [PSEUDO], "test_only": True}
    (folder / "language.json").write_text(json.dumps(about, ensure_ascii=False), encoding="utf-8")
    return folder


def copy_locales(dest: Path) -> Path:
    """A copy of the real ``locales/`` (every language present) in ``dest``."""
    shutil.copytree(i18n.LOCALES_DIR, dest)
    return dest


def use_locales(locales: Path, monkeypatch: pytest.MonkeyPatch, offered: list[str] | None = None,
                default: str | None = None) -> None:
    """Point ``bot.i18n`` at ``locales`` and offer ``offered`` for this test
    (``monkeypatch`` puts everything back after it)."""
    monkeypatch.setattr(i18n, "LOCALES_DIR", locales)
    monkeypatch.setattr(i18n, "_offered", None)
    monkeypatch.setattr(i18n, "_default", None)
    i18n.configure(offered, default=default)


@pytest.fixture
def pseudo_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The pseudo-locale present (beside the real languages) and the only
    language offered, for this test; its code."""
    locales = copy_locales(tmp_path / "locales")
    write_pseudo_locale(locales)
    use_locales(locales, monkeypatch, [PSEUDO], default=PSEUDO)
    yield PSEUDO


def _english_vocabulary() -> frozenset[str]:
    """The lower-case words (3 letters or more) of the English catalogue;
    all-capital words (CSC, UAN, XXXX) are codes and masks, not English."""
    words = set()
    for message in load(i18n.SOURCE_LANGUAGE):
        if message.id:
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", KEEP.sub(" ", message.id))
                         if not w.isupper())
    return frozenset(words)


ENGLISH = _english_vocabulary()


def english_words(text: str) -> list[str]:
    """Words of the English catalogue left in plain ASCII in ``text`` (not
    counting /commands, placeholders' names and all-capital codes)."""
    return [w for w in re.findall(r"[A-Za-z]{3,}", KEEP.sub(" ", text))
            if not w.isupper() and w.lower() in ENGLISH]
