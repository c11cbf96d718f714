"""Catalogues: every message exists in Hindi and English, placeholders match,
the catalogues are current with the code; Indian number formatting."""
import re

import pytest

from bot.catalogues_tool import extract, load
from bot.i18n import format_lakh, format_number, translate

PLACEHOLDER = re.compile(r"\{(\w+)\}")
CODE_IDS = sorted(m.id for m in extract() if m.id)


def test_catalogues_are_current_with_the_code() -> None:
    for lang in ("hi", "en"):
        ids = {m.id for m in load(lang) if m.id}
        missing = sorted(set(CODE_IDS) - ids)
        assert not missing, f"{lang}: run `shram-sahayak catalogues`; missing {missing[:5]}"


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_every_message_is_translated_with_the_same_placeholders(lang: str) -> None:
    catalog = {m.id: m.string for m in load(lang) if m.id}
    empty = [msgid for msgid in CODE_IDS if not catalog.get(msgid, "").strip()]
    assert not empty, f"{len(empty)} {lang} messages have no translation, e.g. {empty[:3]}"
    for msgid in CODE_IDS:
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(catalog[msgid])), msgid


def test_hindi_is_really_hindi() -> None:
    catalog = {m.id: m.string for m in load("hi") if m.id}
    devanagari = [s for s in catalog.values() if re.search(r"[\u0900-\u097F]", s)]
    # codes such as "OBC", "SC" stay as they are; everything else is written in Devanagari
    assert len(devanagari) >= 0.95 * len(catalog)


def test_translation_is_used() -> None:
    assert translate("hi", "Yes") == "हाँ"
    assert translate("en", "Yes") == "Yes"
    assert "12345" in translate("hi", "Your application {reference} is being checked by a CSC operator now.",
                              reference="12345")


@pytest.mark.parametrize("value, lang, expected", [
    (266000, "hi", "2,66,000"), (44480000, "en", "4,44,80,000"), (999, "en", "999"),
    (4448000, "en", "44.48 lakh"), (4448000, "hi", "44.48 लाख"), (310000000, "hi", "31 करोड़"),
])
def test_indian_number_formatting(value: int, lang: str, expected: str) -> None:
    fmt = format_lakh if expected.endswith(("lakh", "लाख", "करोड़", "crore")) else format_number
    assert fmt(value, lang) == expected
