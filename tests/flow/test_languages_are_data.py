"""Languages are data: no module of the bot names a language; the languages
offered, the default, and the words people type in each come from
``locales/<code>/`` and the settings. A third language needs no code."""
from __future__ import annotations

import json
import re
import subprocess
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot import catalogues_tool, i18n
from bot.config import ConfigError, Settings, load_settings
from bot.domain import validators as v
from bot.flow import engine
from bot.flow.engine import Context
from bot.messages import Input
from tests.flow.pseudo_locale import copy_locales, use_locales

ROOT = Path(__file__).resolve().parents[2]
#: the grep of the issue that asked for this: a quoted language code or a Babel locale of ours
LANGUAGE_LITERAL = r"""["'](hi|en)["']|hi_IN|en_IN"""
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
#: a third language, as its translators would add it: a folder, a catalogue, a language.json
MARATHI = {"name": "मराठी", "locale": "mr_IN", "phone_codes": ["mr"],
           "input": {"digits": "०१२३४५६७८९", "letters": ["\u0900-\u097F"], "yes": ["हो", "होय"],
                     "no": ["नाही", "ha"],  # "ha" (yes in romanised Hindi) made a no here, to see it refused
                     "months": [["जानेवारी"], ["फेब्रुवारी"], ["मार्च"], ["एप्रिल"], ["मे"], ["जून"], ["जुलै"],
                                ["ऑगस्ट"], ["सप्टेंबर"], ["ऑक्टोबर"], ["नोव्हेंबर"], ["डिसेंबर"]]}}


def test_no_language_code_in_the_bot_outside_the_i18n_module() -> None:
    found = subprocess.run(["grep", "-rnE", LANGUAGE_LITERAL, "bot", "--include=*.py"], cwd=ROOT,
                           capture_output=True, text=True, check=False).stdout.splitlines()
    assert found, "the grep found nothing at all: bot/i18n.py names the source language"
    assert [line for line in found if not line.startswith("bot/i18n.py:")] == []


def test_no_code_of_any_language_present_in_the_bot_outside_the_i18n_module() -> None:
    names = {code for code in i18n.present()} | {lang.locale for lang in i18n.present().values()}
    alternatives = "|".join(map(re.escape, sorted(names)))
    quoted = re.compile(f"""["']({alternatives})["']""")
    hits = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "bot").rglob("*.py"))
            if path.name != "i18n.py"
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if quoted.search(line)]
    assert hits == []


def test_the_languages_shipped_and_their_default() -> None:
    assert set(i18n.languages()) == set(i18n.present()) == {"hi", "en"}
    assert i18n.default_language() == "hi" and Settings(_env_file=None).default_language == "hi"


def test_settings_name_the_languages_offered_and_check_them(monkeypatch) -> None:
    assert Settings(languages="en", _env_file=None).default_language == "en"
    assert Settings(languages=" en , hi ", _env_file=None).language_codes() == ("en", "hi")
    with pytest.raises(ConfigError, match="no catalogue for xx"):
        Settings(languages="hi,xx", _env_file=None)
    with pytest.raises(ConfigError, match="not one of"):
        Settings(languages="en", default_language="hi", _env_file=None)
    with pytest.raises(ConfigError, match="no catalogue for ta"):
        Settings(default_language="ta", _env_file=None)
    monkeypatch.setattr(i18n, "_offered", None)  # put back after the test
    monkeypatch.setattr(i18n, "_default", None)
    monkeypatch.setenv("SHRAM_LANGUAGES", "en")
    load_settings()
    assert i18n.languages() == ("en",) and i18n.default_language() == "en"
    assert i18n.language_of_phone("hi-IN") is None


def test_a_cli_run_with_a_language_that_has_no_catalogue_stops_with_a_clear_error(monkeypatch, caplog) -> None:
    from bot.cli import main
    monkeypatch.setattr("bot.cli.setup_logging", lambda: None)  # the test run's logging stays as it is
    monkeypatch.setattr(i18n, "_offered", None)
    monkeypatch.setattr(i18n, "_default", None)
    monkeypatch.setenv("SHRAM_LANGUAGES", "hi,ta")
    assert main(["migrate"]) == 2
    assert "no catalogue for ta" in caplog.text


@pytest.mark.parametrize("typed, expected", [
    ("15 August 1990", date(1990, 8, 15)), ("15-aug-1990", date(1990, 8, 15)), ("15 Aug. 1990", date(1990, 8, 15)),
    ("१५ अगस्त १९९०", date(1990, 8, 15)), ("1 सितम्बर 1985", date(1985, 9, 1)), ("3 फ़रवरी 2001", date(2001, 2, 3))])
def test_a_date_may_name_its_month_in_any_language(typed: str, expected: date) -> None:
    assert v.parse_date(typed, NOW.date()) == expected


@pytest.mark.parametrize("typed", ["15 Agosto 1990", "31 फरवरी 1990", "15 August 990", "August 1990"])
def test_a_month_name_no_language_knows_or_a_wrong_day_is_refused(typed: str) -> None:
    with pytest.raises(v.Invalid):
        v.parse_date(typed, NOW.date())


def test_number_words_are_messages() -> None:
    assert i18n.format_lakh(4448000, "hi") == i18n.translate("hi", "{amount} lakh", amount="44.48")


@pytest.fixture
def three_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """locales/ with a third language, Marathi, added as data only (its
    catalogue has no translations yet: English shows until they come)."""
    locales = copy_locales(tmp_path / "locales")
    folder = locales / "mr"
    (folder / "LC_MESSAGES").mkdir(parents=True)
    with (folder / "LC_MESSAGES" / "messages.po").open("wb") as fh:
        write_po(fh, Catalog(locale="mr_IN"))
    (folder / "language.json").write_text(json.dumps(MARATHI, ensure_ascii=False), encoding="utf-8")
    use_locales(locales, monkeypatch)
    return locales


def test_a_third_language_is_offered_from_its_folder_alone(three_languages) -> None:
    assert i18n.languages() == ("en", "hi", "mr") and i18n.default_language() == "hi"
    assert i18n.language_of_phone("mr-IN") == "mr"
    assert [i18n.next_language(code) for code in ("hi", "mr", "en")] == ["mr", "en", "hi"]
    out = engine.handle(None, Input(command="start"), Context(now=NOW, user_id="mr-1", default_lang="mr"))
    assert [c.id for c in out.replies[-1].choices] == ["mr", "en", "hi"]
    assert out.replies[-1].choices[0].label == "मराठी"
    chosen = engine.handle(out.draft, Input(text="1"), Context(now=NOW, user_id="mr-1", default_lang="mr"))
    assert chosen.draft.lang == "mr" and chosen.draft.answers["language"] == "mr"


def test_a_third_language_brings_its_own_words(three_languages) -> None:
    assert v.parse_yes_no("होय") is True and v.parse_yes_no("नाही।") is False
    assert v.parse_yes_no("haan") is True and v.parse_yes_no("yes") is True  # every language's words count
    assert v.parse_yes_no("ha") is None  # yes in one language, no in another: neither
    assert v.parse_date("१५ ऑगस्ट १९९०", NOW.date()) == date(1990, 8, 15)
    assert v.parse_name("ज्ञानेश्वर") == "ज्ञानेश्वर"


def test_settings_may_leave_a_language_out(three_languages, monkeypatch) -> None:
    Settings(languages="mr,hi", default_language="mr", _env_file=None).configure_languages()
    assert i18n.languages() == ("mr", "hi") and i18n.default_language() == "mr"
    assert i18n.language_of_phone("en-US") is None
    assert v.parse_yes_no("yes") is True  # a worker may still type English


# -- the catalogue tool: a file is rewritten only when its content changes ----

def _catalogue_files(locales: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(locales.rglob("*.po*"))}


def test_regenerating_current_catalogues_rewrites_nothing(tmp_path) -> None:
    locales = copy_locales(tmp_path / "locales")
    before = _catalogue_files(locales)
    written: list[Path] = []
    missing = catalogues_tool.update(locales, written)
    assert written == [] and _catalogue_files(locales) == before
    assert missing == {"en": [], "hi": []}


def test_a_new_date_in_the_header_alone_is_not_a_change(tmp_path) -> None:
    locales = copy_locales(tmp_path / "locales")
    hindi = locales / "hi" / "LC_MESSAGES" / "messages.po"
    stamped = re.sub(r"POT-Creation-Date: [^\\]*", "POT-Creation-Date: 2020-01-01 00:00+0000",
                     hindi.read_text(encoding="utf-8"))
    hindi.write_text(stamped.replace("Generated-By: Babel", "Generated-By: Babel 0.0 was"), encoding="utf-8")
    written: list[Path] = []
    catalogues_tool.update(locales, written)
    assert written == [] and hindi.read_text(encoding="utf-8").startswith(stamped[:200])


def test_a_changed_catalogue_is_rewritten_and_a_new_message_waits_for_its_translation(tmp_path) -> None:
    locales = copy_locales(tmp_path / "locales")
    msgid = "Please type only the 12 digits of your Aadhaar number, for example 2345 6789 0123."
    for lang in ("en", "hi"):   # as if the message had just been added to the code
        path = locales / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        del catalog[msgid]
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True)
    written: list[Path] = []
    missing = catalogues_tool.update(locales, written)
    assert sorted(p.relative_to(locales).as_posix() for p in written) == \
        ["en/LC_MESSAGES/messages.po", "hi/LC_MESSAGES/messages.po"]
    assert missing == {"en": [], "hi": [msgid]}  # English is its own text; Hindi waits for a translator
    again: list[Path] = []
    catalogues_tool.update(locales, again)
    assert again == []


def test_a_new_language_folder_gets_its_catalogue(tmp_path) -> None:
    locales = copy_locales(tmp_path / "locales")
    (locales / "mr").mkdir()
    (locales / "mr" / "language.json").write_text(json.dumps(MARATHI, ensure_ascii=False), encoding="utf-8")
    assert "mr" not in i18n.present_in(locales)  # not offered before it has a catalogue
    missing = catalogues_tool.update(locales)
    assert set(missing) == {"en", "hi", "mr"} and missing["hi"] == []
    assert len(missing["mr"]) == len([m for m in catalogues_tool.extract() if m.id])
    assert (locales / "mr" / "LC_MESSAGES" / "messages.po").is_file()


@pytest.mark.parametrize("lang", [code for code, about in i18n.present().items() if not about.test_only])
def test_every_language_offered_has_every_message_with_its_placeholders(lang: str) -> None:
    """What a new language must have before it is offered (test_i18n checks hi and en the same way)."""
    placeholder = re.compile(r"\{(\w*)\}")
    translated = {m.id: m.string for m in catalogues_tool.load(lang) if m.id}
    for message in catalogues_tool.extract():
        if message.id:
            assert translated.get(message.id, "").strip(), f"{lang}: no translation of {message.id!r}"
            assert sorted(placeholder.findall(message.id)) == sorted(placeholder.findall(translated[message.id]))
