"""What workers type, accepted or refused with a reason."""
from datetime import date

import pytest

from bot.domain import validators as v
from bot.domain.eligibility import Ineligible, age_on, check_age

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("typed", ["9876543210", "+91 98765 43210", "+919876543210", "09876543210",
                                   "९८७६५४३२१०", "98765-43210"])
def test_mobile_accepted(typed: str) -> None:
    assert v.parse_mobile(typed) == "9876543210"


@pytest.mark.parametrize("typed", ["5876543210", "987654321", "98765432100", "abc", "", "+1 9876543210"])
def test_mobile_refused(typed: str) -> None:
    with pytest.raises(v.Invalid):
        v.parse_mobile(typed)


@pytest.mark.parametrize("typed, reason", [
    ("234123412345", "not right"), ("1234 1234 1234", "never starts"), ("23412341234", "12 digits"),
    ("2341234123461234", "Virtual ID"), ("2341-abcd-2346", "only the 12 digits")])
def test_aadhaar_refused_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(v.Invalid) as err:
        v.parse_aadhaar(typed)
    assert reason in err.value.message


@pytest.mark.parametrize("typed", ["15/08/1990", "15-08-1990", "15.08.1990", "१५/०८/१९९०", "15 / 8 / 1990",
                                   "15/08/90", "15 08 1990", "15081990", "150890"])
def test_dates_in_every_format(typed: str) -> None:
    assert v.parse_date(typed, TODAY) == date(1990, 8, 15)


@pytest.mark.parametrize("typed", ["31/02/1990", "1990-08-15", "15/08/2030", "15/08/199", "kal"])
def test_bad_dates(typed: str) -> None:
    with pytest.raises(v.Invalid):
        v.parse_date(typed, TODAY)


@pytest.mark.parametrize("typed, expected", [("ram kumar", "Ram Kumar"), ("राम कुमार", "राम कुमार"),
                                             ("S. K. Verma", "S. K. Verma"), ("  सीता   देवी ", "सीता देवी")])
def test_names(typed: str, expected: str) -> None:
    assert v.parse_name(typed) == expected


@pytest.mark.parametrize("typed", ["R2D2", "😀😀", "a", "राम@123", "x" * 81])
def test_bad_names(typed: str) -> None:
    with pytest.raises(v.Invalid):
        v.parse_name(typed)


@pytest.mark.parametrize("typed, expected", [("249401", "249401"), ("२४९४०१", "249401"), ("249 401", "249401")])
def test_pin(typed: str, expected: str) -> None:
    assert v.parse_pin(typed) == expected


@pytest.mark.parametrize("typed", ["049401", "24940", "2494011", "PIN"])
def test_bad_pin(typed: str) -> None:
    with pytest.raises(v.Invalid):
        v.parse_pin(typed)


@pytest.mark.parametrize("typed", ["sbin0001234", "SBIN 0001234", "HDFC0ABC123"])
def test_ifsc(typed: str) -> None:
    assert v.IFSC_RE.match(v.parse_ifsc(typed))


@pytest.mark.parametrize("typed", ["SBIN1001234", "SBI0001234", "1234056789A"])
def test_bad_ifsc(typed: str) -> None:
    with pytest.raises(v.Invalid):
        v.parse_ifsc(typed)


@pytest.mark.parametrize("typed, expected", [
    ("हाँ", True), ("हां", True), ("जी", True), ("haan", True), ("Yes", True), ("हाँ जी", True),
    ("नहीं", False), ("nahi", False), ("No.", False), ("ना", False), ("maybe", None), ("", None)])
def test_yes_no(typed: str, expected: bool | None) -> None:
    assert v.parse_yes_no(typed) is expected


def test_long_input_is_refused_everywhere() -> None:
    with pytest.raises(v.Invalid) as err:
        v.parse_address("x" * 5000)
    assert "too long" in err.value.message


def test_age_limits() -> None:
    assert age_on(date(2010, 11, 24), TODAY) == 15
    assert check_age(date(2010, 11, 24), TODAY) is Ineligible.TOO_YOUNG
    assert check_age(date(2010, 11, 23), TODAY) is None          # 16 today
    assert check_age(date(1966, 11, 24), TODAY) is None          # 59, a day short of 60
    assert check_age(date(1966, 11, 23), TODAY) is Ineligible.TOO_OLD


def test_clean_replaces_every_control_or_format_character_whatever_the_text() -> None:
    """``clean`` skips its per-character pass on a printable text: the same as doing it."""
    import random
    import unicodedata

    rng = random.Random(2)
    pool = [chr(c) for c in range(0x3000)] + ["😀", "\U000e0001", "\ud800", "\u200b", "\u00a0", "\u2028", "\u0085"]
    for _ in range(20000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 10)))
        read = unicodedata.normalize("NFC", text).translate(v._INVISIBLE)
        spaced = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in read)
        assert v.clean(text) == " ".join(spaced.split())
