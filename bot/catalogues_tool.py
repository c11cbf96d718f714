"""Keep the gettext catalogues in step with the code (``shram-sahayak catalogues``).

Extracts every ``N_()`` string from ``bot/`` into ``locales/messages.pot``,
merges it into the catalogue of every language in ``locales/`` (a folder
with a ``language.json``; a new language's catalogue is made here), keeping
existing translations and dropping obsolete ones, and fills the
English catalogue with the English source text so that it exists in full.
Entries left empty are listed; a test fails while any remain.

A file is rewritten only when its content changes: a run that changes
nothing but the dates in the header (POT-Creation-Date, the year in the
copyright line) or Babel's version leaves the file as it was, so
regenerating does not churn the catalogues.
"""
from __future__ import annotations

import copy
import json
import re
from io import BytesIO
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot import i18n
from bot.i18n import DOMAIN, SOURCE_LANGUAGE

BOT_DIR = Path(__file__).resolve().parent
METHOD_MAP = [("**.py", "python")]
#: header lines that change with the clock or the tool, not with the messages
_STAMP_LINE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): .*"$')
_YEAR = re.compile(rb"\b(19|20)\d\d\b")


def extract() -> Catalog:
    template = Catalog(project="shram-sahayak", fuzzy=False)
    for _file, _line, message, _comments, _context in extract_from_dir(BOT_DIR, METHOD_MAP):
        template.add(message)
    return template


def po_path(lang: str, locales_dir: Path | None = None) -> Path:
    return (locales_dir or i18n.LOCALES_DIR) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def language_folders(locales_dir: Path | None = None) -> list[str]:
    """Every language in ``locales_dir``: a folder with a ``language.json``
    (its catalogue is made by the first ``update``)."""
    return sorted(about.parent.name for about in (locales_dir or i18n.LOCALES_DIR).glob("*/language.json"))


def _catalogue_locale(lang: str, locales_dir: Path) -> str:
    """The language's code if Babel knows it (the catalogues' header says "Language: hi"),
    else the Babel locale its ``language.json`` names."""
    try:
        Locale.parse(lang)
        return lang
    except (UnknownLocaleError, ValueError):
        return json.loads((locales_dir / lang / "language.json").read_text(encoding="utf-8"))["locale"]


def load(lang: str, locales_dir: Path | None = None) -> Catalog:
    locales_dir = locales_dir or i18n.LOCALES_DIR
    path = po_path(lang, locales_dir)
    locale = _catalogue_locale(lang, locales_dir)
    if not path.exists():
        return Catalog(locale=locale, project="shram-sahayak")
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def content(po_text: bytes) -> bytes:
    """The text of a catalogue without what changes with every run (dates, the tool's version)."""
    head, blank, rest = po_text.partition(b"\n\n")
    lines = [_YEAR.sub(b"YEAR", line) if line.startswith(b"#") else line
             for line in head.split(b"\n") if not _STAMP_LINE.match(line)]
    return b"\n".join(lines) + blank + rest


def _write(catalog: Catalog, path: Path) -> bool:
    """Write ``catalog`` to ``path`` if its content differs from the file's; True if written."""
    buf = BytesIO()
    write_po(buf, catalog, omit_header=False, no_location=True, sort_output=True, width=100,
             ignore_obsolete=True)
    new = buf.getvalue()
    if path.exists() and content(path.read_bytes()) == content(new):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(new)
    return True


def update(locales_dir: Path | None = None, written: list[Path] | None = None) -> dict[str, list[str]]:
    """Regenerate the template and every language's catalogue in ``locales_dir``
    (default ``locales/``); return untranslated ids per language. The paths of
    the files rewritten (their content changed) are added to ``written``."""
    locales_dir = locales_dir or i18n.LOCALES_DIR
    written = written if written is not None else []
    template = extract()
    if _write(template, locales_dir / f"{DOMAIN}.pot"):
        written.append(locales_dir / f"{DOMAIN}.pot")
    missing: dict[str, list[str]] = {}
    for lang in language_folders(locales_dir):
        catalog = load(lang, locales_dir)
        # a copy: Babel adds the template's own new messages to the catalogue, so the
        # English text filled in below would otherwise show up in the next language
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        catalog.fuzzy = False
        for message in catalog:
            if message.id and lang == SOURCE_LANGUAGE and not message.string:
                message.string = message.id
            message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        if _write(catalog, po_path(lang, locales_dir)):
            written.append(po_path(lang, locales_dir))
        missing[lang] = [str(m.id) for m in catalog if m.id and not m.string]
    return missing


def main() -> int:
    written: list[Path] = []
    missing = update(written=written)
    for lang, ids in missing.items():
        for msgid in ids:
            print(f"{lang}: untranslated: {msgid!r}")
    print("catalogues checked:", ", ".join(f"{lang} ({len(ids)} untranslated)" for lang, ids in missing.items()))
    print("files rewritten:", ", ".join(str(path) for path in written) if written else "none (no content changed)")
    return 0
