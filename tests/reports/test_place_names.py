"""District names in Hindi (``locales/hi/places.json``): every district of
UP, Uttarakhand and Haryana written in Devanagari as those states write it,
every key a real India Post state and district, the other names people type,
the fallback to India Post's spelling, and /progress, the queue and the
staff list showing them to a Hindi reader."""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import date

import indian_pincode
import pytest

from bot import i18n
from bot.desk.roles import scope_text
from bot.domain.place_names import PLACES_FILE, district_name, district_names
from bot.domain.roles import Role, Staff
from bot.reports import commands
from bot.store.reports import Target, set_targets
from tests.flow.pseudo_locale import copy_locales, use_locales
from tests.reports.test_reports import NOW, STATE, TODAY, req, submit

HINDI = "hi"
HINDI_STATES = ("UTTAR PRADESH", "UTTARAKHAND", "HARYANA")
#: Devanagari letters and signs (the nukta too), and the space and hyphen between words
DEVANAGARI_NAME = re.compile(r"[\u0900-\u097F]+(?:[ -][\u0900-\u097F]+)*")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def places() -> dict:
    return json.loads((i18n.LOCALES_DIR / HINDI / PLACES_FILE).read_text(encoding="utf-8"))


def every_district(states=None):
    for state in states or indian_pincode.list_states():
        for district in indian_pincode.list_districts(state):
            yield state, district


def test_every_district_of_up_uttarakhand_and_haryana_has_a_devanagari_name(places) -> None:
    for state, district in every_district(HINDI_STATES):
        name = places["districts"][state][district]
        assert DEVANAGARI_NAME.fullmatch(name), (state, district, name)
        assert district_name(state, district, HINDI) == name


def test_every_district_of_india_has_a_hindi_name_without_latin_letters(places) -> None:
    for state, district in every_district():
        name = places["districts"].get(state, {}).get(district)
        assert name and not LATIN.search(name) and re.search(r"[\u0900-\u097F]", name), (state, district, name)


def test_every_key_is_a_state_and_district_india_post_knows(places) -> None:
    assert places["source"] and places["licence"]
    for part in ("districts", "aliases"):
        for state, districts in places[part].items():
            assert state in indian_pincode.list_states(), (part, state)
            known = set(indian_pincode.list_districts(state))
            assert set(districts) <= known, (part, state, set(districts) - known)


def test_the_file_is_written_in_nfc(places) -> None:
    names = [n for ds in places["districts"].values() for n in ds.values()]
    names += [a for ds in places["aliases"].values() for aliases in ds.values() for a in aliases]
    assert [n for n in names if unicodedata.normalize("NFC", n) != n or n != n.strip()] == []


@pytest.mark.parametrize("state, district, hindi", [
    ("UTTARAKHAND", "HARIDWAR", "हरिद्वार"),
    ("UTTARAKHAND", "DEHRADUN", "देहरादून"),
    ("UTTARAKHAND", "UDAM SINGH NAGAR", "ऊधम सिंह नगर"),
    ("UTTARAKHAND", "PAURI GARHWAL", "पौड़ी गढ़वाल"),
    ("UTTARAKHAND", "TEHRI GARHWAL", "टिहरी गढ़वाल"),
    ("UTTARAKHAND", "RUDRA PRAYAG", "रुद्रप्रयाग"),
    ("UTTARAKHAND", "UTTAR KASHI", "उत्तरकाशी"),
    ("UTTARAKHAND", "ALMORA", "अल्मोड़ा"),
    ("UTTAR PRADESH", "GAUTAM BUDDHA NAGAR", "गौतम बुद्ध नगर"),
    ("UTTAR PRADESH", "PRAYAGRAJ", "प्रयागराज"),
    ("UTTAR PRADESH", "AYODHYA", "अयोध्या"),
    ("UTTAR PRADESH", "LUCKNOW", "लखनऊ"),
    ("UTTAR PRADESH", "KHERI", "लखीमपुर खीरी"),
    ("UTTAR PRADESH", "RAE BARELI", "रायबरेली"),
    ("UTTAR PRADESH", "SANT KABEER NAGAR", "संत कबीर नगर"),
    ("UTTAR PRADESH", "KUSHI NAGAR", "कुशीनगर"),
    ("UTTAR PRADESH", "BUDAUN", "बदायूं"),
    ("UTTAR PRADESH", "VARANASI", "वाराणसी"),
    ("HARYANA", "GURUGRAM", "गुरुग्राम"),
    ("HARYANA", "NUH", "नूंह"),
    ("HARYANA", "CHARKI DADRI", "चरखी दादरी"),
    ("HARYANA", "MAHENDRAGARH", "महेंद्रगढ़"),
    ("HARYANA", "JIND", "जींद"),
    ("HARYANA", "YAMUNANAGAR", "यमुनानगर"),
    ("BIHAR", "PURBI CHAMPARAN", "पूर्वी चंपारण"),
    ("MADHYA PRADESH", "HOSHANGABAD", "नर्मदापुरम"),
    ("DELHI", "NEW DELHI", "नई दिल्ली"),
])
def test_official_spellings(state, district, hindi) -> None:
    assert district_name(state, district, HINDI) == hindi


@pytest.mark.parametrize("state, district, typed", [
    ("UTTAR PRADESH", "PRAYAGRAJ", ("इलाहाबाद", "allahabad", "prayagraj", "Prayagraj")),
    ("UTTAR PRADESH", "AYODHYA", ("फैजाबाद", "फ़ैज़ाबाद", "faizabad")),
    ("UTTAR PRADESH", "LUCKNOW", ("lucknow", "lakhnau", "लखनऊ")),
    ("UTTAR PRADESH", "GHAZIABAD", ("गाजियाबाद", "ग़ाज़ियाबाद", "ghaziabad")),
    ("UTTAR PRADESH", "JHANSI", ("झांसी", "झाँसी")),
    ("UTTAR PRADESH", "AMETHI", ("छत्रपति शाहूजी महाराज नगर",)),
    ("UTTARAKHAND", "HARIDWAR", ("haridwar", "hardwar", "हरिद्वार")),
    ("UTTARAKHAND", "UDAM SINGH NAGAR", ("udham singh nagar", "उधम सिंह नगर")),
    ("HARYANA", "GURUGRAM", ("gurgaon", "गुड़गांव", "गुरुग्राम")),
    ("HARYANA", "NUH", ("mewat", "मेवात", "नूँह")),
])
def test_the_names_people_type(state, district, typed) -> None:
    names = district_names(state, district)
    assert set(typed) <= set(names)
    assert district.title() in names and district.lower() in names


def test_every_up_uttarakhand_and_haryana_district_has_a_romanised_alias(places) -> None:
    for state, district in every_district(HINDI_STATES):
        aliases = places["aliases"][state][district]
        assert any(a.isascii() and a == a.lower() for a in aliases), (state, district)


def test_no_name_points_at_two_districts_of_one_state() -> None:
    for state in indian_pincode.list_states():
        seen: dict[str, str] = {}
        for district in indian_pincode.list_districts(state):
            for name in {n.casefold() for n in district_names(state, district)}:
                assert seen.setdefault(name, district) == district, (state, name, seen[name], district)


def test_a_language_without_names_shows_india_posts_spelling() -> None:
    assert district_name("UTTARAKHAND", "HARIDWAR", i18n.SOURCE_LANGUAGE) == "Haridwar"
    assert district_name("UTTAR PRADESH", "GAUTAM BUDDHA NAGAR", i18n.SOURCE_LANGUAGE) == "Gautam Buddha Nagar"
    assert district_name("UTTARAKHAND", "NOWHERE", HINDI) == "Nowhere"   # a district the file does not know


def test_a_third_languages_names_are_read_from_its_folder(tmp_path, monkeypatch) -> None:
    locales = copy_locales(tmp_path / "locales")
    third = locales / "mr"
    (third / "LC_MESSAGES").mkdir(parents=True)
    (third / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").write_text("", encoding="utf-8")
    (third / "language.json").write_text(json.dumps({"name": "मराठी", "locale": "mr_IN"}), encoding="utf-8")
    (third / PLACES_FILE).write_text(json.dumps({"districts": {"MAHARASHTRA": {"PUNE": "पुणे"}},
                                                  "aliases": {"MAHARASHTRA": {"PUNE": ["पुणें"]}}}),
                                     encoding="utf-8")
    use_locales(locales, monkeypatch)
    assert district_name("MAHARASHTRA", "PUNE", "mr") == "पुणे"
    assert district_name("MAHARASHTRA", "NAGPUR", "mr") == "Nagpur"
    assert {"पुणें", "पूना", "poona", "Pune"} <= set(district_names("MAHARASHTRA", "PUNE"))


# -- shown to a Hindi reader -------------------------------------------------------

async def test_progress_in_hindi_names_the_districts_in_devanagari(store) -> None:
    await submit(store, "tg:811", district="HARIDWAR")
    await submit(store, "tg:812", district="UDAM SINGH NAGAR")
    await store.transact(set_targets, [Target("UTTARAKHAND", "DEHRADUN", "labour", 10, date(2026, 12, 31))],
                         "tg:12", NOW)
    whole = (await commands.progress(req(store, STATE, "progress", lang=HINDI))).replies[0].text
    assert "1. देहरादून" in whole            # the only district with a target ranks first
    assert "हरिद्वार" in whole and "ऊधम सिंह नगर" in whole
    assert not re.search(r"Haridwar|Dehradun|Udam", whole)
    one = (await commands.progress(req(store, STATE, "progress", "haridwar", lang=HINDI))).replies[0].text
    assert "हरिद्वार" in one.splitlines()[0] and TODAY.strftime("%d-%m-%Y") in one.splitlines()[0]
    english = (await commands.progress(req(store, STATE, "progress", lang=i18n.SOURCE_LANGUAGE))).replies[0].text
    assert "1. Dehradun" in english and "Udam Singh Nagar" in english


def test_the_staff_list_names_the_district_in_the_readers_language() -> None:
    operator = Staff("tg:20", Role.OPERATOR, "HARYANA", "GURUGRAM", "CSC-GG-01")
    hindi, source = (req(None, operator, "staff", lang=lang) for lang in (HINDI, i18n.SOURCE_LANGUAGE))
    assert scope_text(hindi, operator).startswith("CSC-GG-01, गुरुग्राम, ")
    assert scope_text(source, operator).startswith("CSC-GG-01, Gurugram, ")
