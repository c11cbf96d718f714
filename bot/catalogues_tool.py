"""Keep the gettext catalogues in step with the code (``shram-sahayak catalogues``).

Extracts every ``N_()`` string from ``bot/`` into ``locales/messages.pot``,
merges it into ``locales/hi`` and ``locales/en`` (keeping existing
translations, dropping obsolete ones), and fills the English catalogue with
the English source text so that both languages exist in full. Hindi entries
left empty are listed; a test fails while any remain.
"""
from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LOCALES_DIR, SOURCE_LANGUAGE, present

BOT_DIR = Path(__file__).resolve().parent
METHOD_MAP = [("**.py", "python")]


def extract() -> Catalog:
    template = Catalog(project="shram-sahayak", fuzzy=False)
    for _file, _line, message, _comments, _context in extract_from_dir(BOT_DIR, METHOD_MAP):
        template.add(message)
    return template


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="shram-sahayak")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, no_location=True, sort_output=True, width=100,
                 ignore_obsolete=True)


def update() -> dict[str, list[str]]:
    """Regenerate the template and both catalogues; return untranslated ids per language."""
    template = extract()
    _write(template, LOCALES_DIR / f"{DOMAIN}.pot")
    missing: dict[str, list[str]] = {}
    for lang in present():
        catalog = load(lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        for message in catalog:
            if message.id and lang == SOURCE_LANGUAGE and not message.string:
                message.string = message.id
            message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        _write(catalog, po_path(lang))
        missing[lang] = [m.id for m in catalog if m.id and not m.string]
    return missing


def main() -> int:
    missing = update()
    for lang, ids in missing.items():
        for msgid in ids:
            print(f"{lang}: untranslated: {msgid!r}")
    print("catalogues updated:", ", ".join(f"{lang} ({len(ids)} untranslated)" for lang, ids in missing.items()))
    return 0
