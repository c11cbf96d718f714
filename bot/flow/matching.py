"""Which offered choice a worker's message picks: a button, the label typed
in any language offered, or its number."""
from __future__ import annotations

from functools import lru_cache
from gettext import NullTranslations

from bot.domain import validators as v
from bot.i18n import languages, translations
from bot.messages import Choice, Input


class Stale(Exception):
    """A button that does not belong to the question being asked."""


def matched_choice(inp: Input, question: str, choices: list[Choice], by_number: bool = True,
                   numbered: list[Choice] | None = None) -> str | None:
    """The id of the choice the input picks, or None. Buttons carry the
    question they belong to (``Stale`` if it is not this one); a typed answer
    may be the label or (unless numbers are answers themselves) its number
    in the list shown (``numbered``, by default ``choices``)."""
    if inp.button is not None:
        asked, _, picked = inp.button.partition(":")
        if asked != question or picked not in {c.id for c in choices}:
            raise Stale()
        return picked
    if not inp.text:
        return None
    try:
        typed = v.ascii_digits(inp.text).lower().strip()
    except v.Invalid:
        return None
    number = typed.strip(" .)")  # "2", "2." and "2)" all pick the second choice
    listed = choices if numbered is None else numbered
    if by_number and number.isascii() and number.isdigit() and 1 <= int(number) <= len(listed):
        return listed[int(number) - 1].id
    catalogues = tuple(translations(lang) for lang in languages())
    for c in choices:
        labels = _labels(c, catalogues)
        if typed in labels or typed.rstrip(".") in labels:
            return c.id
    return None


@lru_cache(maxsize=8192)
def _labels(choice: Choice, catalogues: tuple[NullTranslations, ...]) -> frozenset[str]:
    """What typed (in lower case) picks ``choice``: its label, its id, its
    msgid translated into each language offered (``catalogues``: theirs)."""
    labels = {choice.label.lower(), choice.id.lower()}
    if choice.msgid:
        labels |= {catalogue.gettext(choice.msgid).lower() for catalogue in catalogues}
    return frozenset(labels)
