"""School classes as workers type them ("class 8", "8वीं पास", "आठवीं",
"5th pass", "10th fail", "दसवीं", "इंटर", "high school", "10+2") and the
e-Shram education level a class passed gives.
"""
from __future__ import annotations

from bot.domain import reading
from bot.domain.validators import Invalid, ascii_digits

#: the school classes
FIRST_CLASS, LAST_CLASS = 1, 12
#: the e-Shram education levels (``catalogues.EDUCATION``' codes) of the
#: school classes passed, each with its highest class
LEVELS = ((4, "below_primary"), (7, "primary"), (9, "middle"), (11, "secondary"), (12, "higher_secondary"))


def school_class(text: str) -> int | None:
    """The last school class passed, 1-12 ("10th fail": 9), 0 when none was
    ("अनपढ़", "1st fail"), or None when the text is not a class."""
    try:
        said = [t for t in reading.tokens(ascii_digits(text)) if t.kind not in (reading.FILLER, reading.SCHOOL)]
    except Invalid:
        return None
    failed = [t for t in said if t.kind == reading.FAILED]
    said = [t for t in said if t.kind != reading.FAILED]
    if len(said) == 1 and said[0].kind == reading.NO_SCHOOL:
        return None if failed else 0
    if len(said) == 2 and said[0].kind == reading.NUMBERS and said[1].kind == reading.ORDINAL_SUFFIX:
        said = said[:1]  # 8वीं, 5th
    if len(said) == 1 and said[0].kind in (reading.ORDINALS, reading.CLASSES):
        number = said[0].value
    elif all(t.kind == reading.NUMBERS for t in said):
        number = reading.amount(said)
    else:
        return None
    if number is None or number.denominator != 1 or not FIRST_CLASS <= number <= LAST_CLASS or len(failed) > 1:
        return None
    return int(number) - len(failed)


def education_of_class(number: int) -> str | None:
    """The e-Shram education level of the last school class passed, 1-12.
    None for 0: a worker who never went to school may still read and write
    ("Literate, no formal schooling"), so that is asked, not guessed."""
    if not FIRST_CLASS <= number <= LAST_CLASS:
        return None
    return next(code for highest, code in LEVELS if number <= highest)
