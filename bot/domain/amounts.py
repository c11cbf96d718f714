"""Money as workers type it: a monthly income in rupees from "8000",
"₹8,000", "8 हज़ार", "आठ हजार", "8k", "15 hazar", "1.5 lakh saal ka" (a
year's: a twelfth), "300 रोज़", "दिहाड़ी 400" (a day's wage: 26 working
days), "2000 हफ़्ता" (a week's: 4), "10-12 हज़ार" (a range: its middle);
and the e-Shram income slab an amount falls in.
"""
from __future__ import annotations

from fractions import Fraction
from math import floor

from bot.domain import reading
from bot.domain.validators import Invalid, ascii_digits

#: what one rupee a period makes in a month: 26 working days, 4 weeks, a twelfth of a year
PER_MONTH = {reading.DAY: Fraction(26), reading.WEEK: Fraction(4),
             reading.MONTH: Fraction(1), reading.YEAR: Fraction(1, 12)}
#: the e-Shram monthly income slabs (``catalogues.INCOME_SLABS``' codes), each with its highest amount
SLABS: tuple[tuple[int | None, str], ...] = (
    (10_000, "upto_10000"), (15_000, "10001_15000"), (18_000, "15001_18000"),
    (21_000, "18001_21000"), (None, "above_21000"))
_AMOUNT = (reading.NUMBERS, reading.MULTIPLIERS, reading.PLUS_PART)


def monthly_income(text: str) -> int | None:
    """Rupees a month, rounded to the rupee; None when the text is not an amount."""
    try:
        said = [t for t in reading.tokens(ascii_digits(text)) if t.kind not in (reading.FILLER, reading.RUPEES)]
    except Invalid:
        return None
    periods = {t.kind for t in said if t.kind in reading.PERIODS}
    if len(periods) > 1:
        return None
    value = _amount_or_range([t for t in said if t.kind not in reading.PERIODS])
    if value is None:
        return None
    value *= PER_MONTH[periods.pop()] if periods else 1
    return floor(value + Fraction(1, 2))


def _amount_or_range(said: list[reading.Token]) -> Fraction | None:
    """One amount, or the middle of a range: "10-12 हज़ार", "8000 से 10000",
    "दस बारह हज़ार" (two amounts side by side, the smaller first: a range too)."""
    if any(t.kind not in (*_AMOUNT, reading.RANGE) for t in said):
        return None
    marks = [at for at, t in enumerate(said) if t.kind == reading.RANGE]
    if len(marks) > 1:
        return None
    if marks:
        ends = [(said[:marks[0]], said[marks[0] + 1:])]
    else:
        whole = reading.amount(said)
        if whole is not None:
            return whole
        ends = [(said[:at], said[at:]) for at in range(1, len(said))]
    for low_said, high_said in ends:
        low, high = reading.amount(low_said), reading.amount(high_said)
        if low is None or high is None or (not marks and low >= high):
            continue
        # "10-12 हज़ार": the multiplier of the high end is the low end's too
        multiplier = next((t.value for t in high_said if t.kind == reading.MULTIPLIERS), None)
        if multiplier and not any(t.kind == reading.MULTIPLIERS for t in low_said) and low * multiplier <= high:
            low *= multiplier
        return (low + high) / 2
    return None


def income_slab(amount: int) -> str:
    """The code of the e-Shram slab a monthly income in rupees falls in."""
    if amount < 0:
        raise ValueError(f"an income is not negative: {amount}")
    return next(code for highest, code in SLABS if highest is None or amount <= highest)
