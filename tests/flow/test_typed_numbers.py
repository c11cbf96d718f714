"""Dates, years, ages, counts, amounts and school classes as low-literacy
workers type them, in Devanagari and romanised Hindi and in English; and a
wrong Aadhaar or account number echoed by its last 4 digits."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import i18n
from bot.domain import catalogues as cat
from bot.domain import reading
from bot.domain import validators as v
from bot.domain.amounts import SLABS, income_slab, monthly_income
from bot.domain.schooling import LEVELS, education_of_class, school_class

TODAY = date(2026, 11, 23)
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]
HINDI_MONTHS = [names[0] for names in i18n.language("hi").typed("months")]


def problem(fn, *args) -> v.Invalid:
    with pytest.raises(v.Invalid) as err:
        fn(*args)
    return err.value


# -- dates --------------------------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("5/8/86", date(1986, 8, 5)), ("05/08/86", date(1986, 8, 5)), ("5-8-86", date(1986, 8, 5)),
    ("5.8.86", date(1986, 8, 5)), ("5 8 86", date(1986, 8, 5)), ("५/८/८६", date(1986, 8, 5)),
    ("1/1/05", date(2005, 1, 1)), ("31/12/99", date(1999, 12, 31)), ("29/02/00", date(2000, 2, 29)),
    ("23/11/26", date(2026, 11, 23)), ("24/11/26", date(1926, 11, 24)),  # today, and a day after it a century back
    ("15081990", date(1990, 8, 15)), ("150886", date(1986, 8, 15)), ("१५०८१९९०", date(1990, 8, 15)),
    ("15 08 1990", date(1990, 8, 15)), ("15  8  1990", date(1990, 8, 15)), ("15 /08/ 1990", date(1990, 8, 15)),
    ("15,08,1990", date(1990, 8, 15)), ("15-08-1990.", date(1990, 8, 15)),
    ("5 Aug 1986", date(1986, 8, 5)), ("5 aug 86", date(1986, 8, 5)), ("5-aug-86", date(1986, 8, 5)),
    ("5-AUG-1986", date(1986, 8, 5)), ("5.Aug.86", date(1986, 8, 5)), ("5Aug1986", date(1986, 8, 5)),
    ("August 5, 1986", date(1986, 8, 5)), ("august 5 1986", date(1986, 8, 5)), ("Aug 5, 86", date(1986, 8, 5)),
    ("5th August 1986", date(1986, 8, 5)), ("5th of August, 1986", date(1986, 8, 5)),
    ("1st Jan 2000", date(2000, 1, 1)), ("22nd Feb 1975", date(1975, 2, 22)), ("3rd sept 1999", date(1999, 9, 3)),
    ("5 अगस्त 1986", date(1986, 8, 5)), ("५ अगस्त १९८६", date(1986, 8, 5)), ("5 अगस्त 86", date(1986, 8, 5)),
    ("12 फ़रवरी 1980", date(1980, 2, 12)), ("12 फरवरी 1980", date(1980, 2, 12)),
    ("1 सितम्बर 1985", date(1985, 9, 1)), ("1 सितंबर 1985", date(1985, 9, 1)),
    ("5 agast 1986", date(1986, 8, 5)), ("5 Agast 86", date(1986, 8, 5)), ("10 janvari 1990", date(1990, 1, 10)),
    ("7 mai 1977", date(1977, 5, 7)), ("30 disambar 1969", date(1969, 12, 30)),
    ("DOB: 15-08-1990", date(1990, 8, 15)), ("date of birth 5/8/86", date(1986, 8, 5)),
    ("जन्म तिथि 15/08/1990", date(1990, 8, 15)), ("15/08/1990 को", date(1990, 8, 15)),
])
def test_dates_as_they_are_typed(typed: str, expected: date) -> None:
    assert v.parse_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed, message", [
    ("kal", v.DATE_FORMAT), ("", v.DATE_FORMAT), ("August 1986", v.DATE_FORMAT), ("1990-08-15", v.DATE_FORMAT),
    ("15/08/199", v.DATE_FORMAT), ("15/8", v.DATE_FORMAT), ("5 Agosto 1986", v.DATE_FORMAT),
    ("1508199", v.DATE_FORMAT), ("15 08 1990 12", v.DATE_FORMAT), ("15th", v.DATE_FORMAT),
    ("31/02/1990", v.NO_SUCH_DATE), ("15/13/1990", v.NO_SUCH_DATE), ("32 Aug 1986", v.NO_SUCH_DATE),
    ("29/02/25", v.NO_SUCH_DATE), ("31 जून 1990", v.NO_SUCH_DATE), ("00/08/1990", v.NO_SUCH_DATE),
    ("15/08/2030", v.IN_THE_FUTURE), ("24/11/2026", v.IN_THE_FUTURE),
    ("15/08/1890", v.CHECK_THE_YEAR),
])
def test_dates_refused_with_their_reason(typed: str, message: str) -> None:
    assert problem(v.parse_date, typed, TODAY).message == message


def _suffix(day: int) -> str:
    return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _written(day: date, way: int) -> str:
    d, m, y = day.day, day.month, day.year
    month = ENGLISH_MONTHS[m - 1]
    return [f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{d}-{m}-{y}", f"{d}.{m}.{y}", f"{d} {m} {y}",
            f"{d:02d}{m:02d}{y}", f"{d} {month} {y}", f"{d}-{month[:3].lower()}-{y}", f"{month} {d}, {y}",
            f"{d}{_suffix(d)} {month} {y}", f"{d} {month.upper()} {y}", f"{d} {HINDI_MONTHS[m - 1]} {y}",
            f"{d}/{m}/{y}".translate(DEVANAGARI), f"{d} {HINDI_MONTHS[m - 1]} {y}".translate(DEVANAGARI)][way]


WAYS = range(14)


@given(st.dates(date(1900, 1, 1), TODAY), st.sampled_from(WAYS))
def test_any_date_written_in_any_way_reads_back(day: date, way: int) -> None:
    assert v.parse_date(_written(day, way), TODAY) == day


@given(st.dates(date(TODAY.year - 99, 1, 1), TODAY), st.sampled_from(WAYS))
def test_any_date_of_the_last_hundred_years_reads_back_from_a_two_digit_year(day: date, way: int) -> None:
    written = _written(day, way)
    if written.isdigit():  # ddmmyyyy -> ddmmyy
        two_digits = written[:4] + written[-2:]
    else:  # the year's last two digits
        two_digits = re.sub(r"(?<![0-9०-९])([0-9०-९]{2})([0-9०-९]{2})$", r"\2", written)
    assert two_digits != written
    assert v.parse_date(two_digits, TODAY) == day


@given(st.dates(date(1900, 1, 1), TODAY), st.integers(1, 200))
def test_a_two_digit_year_is_the_latest_not_after_today(day: date, later: int) -> None:
    today = day + timedelta(days=later * 100)
    read = v.parse_date(day.strftime("%d/%m/%y"), today)
    assert read <= today and read.strftime("%d%m%y") == day.strftime("%d%m%y")
    assert read.year > today.year - 100 or (read.month, read.day) > (today.month, today.day)


# -- a date of birth that may be a year alone, or an age ------------------------

@pytest.mark.parametrize("typed, expected", [
    ("15/08/1990", "1990-08-15"), ("5 Aug 86", "1986-08-05"), ("150886", "1986-08-15"),
    ("1986", "1986"), ("१९८६", "1986"), ("सन 1986", "1986"), ("सन् 1986", "1986"), ("1986 में", "1986"),
    ("साल 1986", "1986"), ("year 1986", "1986"), ("Year: 1986", "1986"), ("YOB 1986", "1986"),
    ("san 1986", "1986"), ("1986 mein", "1986"), ("in 1986", "1986"), ("जन्म 1986", "1986"),
    ("born in 1986", "1986"), ("1986 ई.", "1986"), (" 1986 ", "1986"),
])
def test_birth_dates_and_years(typed: str, expected: str) -> None:
    assert v.parse_birth_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed, message", [
    ("35", v.BIRTH_DATE_FORMAT), ("86", v.BIRTH_DATE_FORMAT), ("1986 1987", v.BIRTH_DATE_FORMAT),
    ("abc", v.BIRTH_DATE_FORMAT), ("19866", v.BIRTH_DATE_FORMAT), ("August 1986", v.BIRTH_DATE_FORMAT),
    ("2030", v.IN_THE_FUTURE), ("1850", v.CHECK_THE_YEAR), ("31/02/1990", v.NO_SUCH_DATE),
])
def test_birth_dates_refused(typed: str, message: str) -> None:
    assert problem(v.parse_birth_date, typed, TODAY).message == message


def test_a_kept_birth_date_back_to_a_date() -> None:
    assert v.birth_date("1986-08-05") == date(1986, 8, 5) and not v.is_year_only("1986-08-05")
    assert v.birth_date("1986") == date(1986, 1, 1) and v.is_year_only("1986")


@given(st.dates(date(1900, 1, 1), TODAY), st.booleans())
def test_a_birth_date_kept_reads_back(day: date, year_only: bool) -> None:
    kept = v.parse_birth_date(str(day.year) if year_only else day.strftime("%d/%m/%Y"), TODAY)
    assert v.is_year_only(kept) is year_only
    assert v.birth_date(kept) == (date(day.year, 1, 1) if year_only else day)


@pytest.mark.parametrize("typed, expected", [
    ("35", "1991"), ("35 साल", "1991"), ("35 years", "1991"), ("35 yrs", "1991"), ("उम्र 35", "1991"),
    ("umar 35 saal", "1991"), ("age 35", "1991"), ("35 years old", "1991"), ("पैंतीस साल", "1991"),
    ("paintis saal", "1991"), ("thirty five", "1991"), ("thirty-five years", "1991"), ("३५", "1991"),
    ("३५ वर्ष", "1991"), ("0", "2026"), ("6 महीने", "2026"), ("एक साल से कम", "2026"), ("2", "2024"),
    ("दो साल", "2024"), ("120", "1906"), ("1986", "1986"), ("सन 1986", "1986"), ("5/8/86", "1986-08-05"),
    ("15 अगस्त 1990", "1990-08-15"), ("लगभग 60 साल", "1966"),
])
def test_a_nominee_born_on_a_date_in_a_year_or_an_age(typed: str, expected: str) -> None:
    assert v.parse_birth_or_age(typed, TODAY) == expected


@pytest.mark.parametrize("typed, message", [
    ("121", v.BIRTH_OR_AGE_FORMAT), ("abc", v.BIRTH_OR_AGE_FORMAT), ("35 40", v.BIRTH_OR_AGE_FORMAT),
    ("-5", v.BIRTH_OR_AGE_FORMAT), ("पता नहीं", v.BIRTH_OR_AGE_FORMAT), ("2030", v.IN_THE_FUTURE),
    ("31/02/1990", v.NO_SUCH_DATE),
])
def test_a_nominee_birth_refused(typed: str, message: str) -> None:
    assert problem(v.parse_birth_or_age, typed, TODAY).message == message


@given(st.integers(0, 120), st.sampled_from(["{n}", "{n} साल", "{n} years", "उम्र {n}", "{n} saal", "age {n}"]),
       st.booleans())
def test_any_age_gives_the_year_it_says(age: int, way: str, devanagari: bool) -> None:
    typed = way.format(n=age)
    typed = typed.translate(DEVANAGARI) if devanagari else typed
    assert v.parse_birth_or_age(typed, TODAY) == str(TODAY.year - age)


# -- whole numbers, and counts of years ------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("10", 10), ("१०", 10), (" 7 ", 7), ("10 साल", 10), ("10 saal", 10), ("10 sal", 10), ("10 years", 10),
    ("10 yrs", 10), ("10 वर्ष", 10), ("10 बरस", 10), ("१० साल", 10), ("दस", 10), ("das", 10), ("ten", 10),
    ("Ten years", 10), ("दस साल", 10), ("das saal", 10), ("पच्चीस", 25), ("पचीस", 25), ("pachchis", 25),
    ("twenty five", 25), ("twenty-five", 25), ("अड़तीस", 38), ("अडतीस", 38), ("पाँच", 5), ("पांच", 5),
    ("छः", 6), ("chhe saal", 6), ("6 महीने", 0), ("6 months", 0), ("6 mahine", 0), ("18 महीने", 1),
    ("less than a year", 0), ("Less than 1 year", 0), ("एक साल से कम", 0), ("1 साल से कम", 0),
    ("saal se kam", 0), ("कुछ महीने", 0), ("5 साल 6 महीने", 5), ("ढाई साल", 2), ("डेढ़ साल", 1),
    ("लगभग 10 साल", 10), ("about 10 years", 10), ("10 साल से", 10), ("0", 0), ("60", 60), ("साठ", 60),
    ("सौ", None), ("10 din", 0),
])
def test_counts_as_they_are_typed(typed: str, expected: int | None) -> None:
    if expected is None:
        assert problem(v.parse_whole_number, typed, 0, 60).params == {"low": 0, "high": 60}
    else:
        assert v.parse_whole_number(typed, 0, 60) == expected


@pytest.mark.parametrize("typed", ["", "abc", "61", "-5", "5.5", "डेढ़", "10-12", "10 12", "10 या 12", "10+",
                                   "१०००", "दस बारह", "two years three", "कई साल", "years"])
def test_counts_refused(typed: str) -> None:
    assert problem(v.parse_whole_number, typed, 0, 60).message == \
        "Please type a number from {low} to {high}, for example 5."


def test_a_count_says_its_bounds() -> None:
    assert v.parse_whole_number("सौ", 0, 100) == 100 and v.parse_whole_number("एक सौ", 0, 100) == 100
    assert problem(v.parse_whole_number, "0", 1, 5).params == {"low": 1, "high": 5}


@pytest.mark.parametrize("word_kind", ["numbers"])
def test_every_number_word_of_the_data_reads_as_its_number(word_kind: str) -> None:
    for lang in i18n.present().values():
        for key, same in lang.typed(word_kind, {}).items():
            if float(key).is_integer():
                for word in same:
                    assert v.parse_whole_number(word, 0, 100) == int(key), (lang.code, word)
                    assert v.parse_whole_number(f"{word} साल", 0, 100) == int(key), (lang.code, word)


ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
        90: "ninety"}


@given(st.integers(20, 99), st.sampled_from([" ", "-"]))
def test_english_tens_and_units(number: int, joint: str) -> None:
    tens, ones = TENS[number // 10 * 10], ONES[number % 10]
    assert v.parse_whole_number(f"{tens}{joint}{ones}" if ones else tens, 0, 100) == number


@given(st.integers(0, 10**6), st.sampled_from(["{n}", "{n} years", "{n} साल", "{n} वर्ष"]), st.booleans())
def test_any_count_reads_back_or_says_its_bounds(number: int, way: str, devanagari: bool) -> None:
    typed = way.format(n=number)
    typed = typed.translate(DEVANAGARI) if devanagari else typed
    if number <= 60:
        assert v.parse_whole_number(typed, 0, 60) == number
    else:
        assert problem(v.parse_whole_number, typed, 0, 60).params == {"low": 0, "high": 60}


# -- money ----------------------------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("8000", 8000), ("8,000", 8000), ("₹8000", 8000), ("₹ 8,000", 8000), ("Rs. 8000", 8000), ("rs8000", 8000),
    ("Rs 8000/-", 8000), ("8000 रुपये", 8000), ("8000 rupaye", 8000), ("8000 रु.", 8000), ("८०००", 8000),
    ("8 हज़ार", 8000), ("8 हजार", 8000), ("आठ हजार", 8000), ("आठ हज़ार रुपये", 8000), ("8k", 8000), ("8K", 8000),
    ("8 thousand", 8000), ("eight thousand", 8000), ("15 hazar", 15000), ("pandrah hajar", 15000),
    ("1,50,000 saal ka", 12500), ("1.5 lakh saal ka", 12500), ("डेढ़ लाख सालाना", 12500),
    ("1.2 lakh per year", 10000), ("120000 yearly", 10000), ("300 रोज़", 7800), ("300 रोज", 7800),
    ("300 roj", 7800), ("300 per day", 7800), ("300/day", 7800), ("₹300 daily", 7800), ("दिहाड़ी 400", 10400),
    ("400 दिहाड़ी", 10400), ("dihadi 400", 10400), ("रोज़ के 500", 13000), ("2000 हफ्ता", 8000),
    ("2000 हफ़्ते", 8000), ("2000 weekly", 8000), ("2000 a week", 8000), ("hafta 2000", 8000),
    ("10000 महीना", 10000), ("10000 monthly", 10000), ("10000 per month", 10000), ("10000 p.m.", 10000),
    ("10-12 हज़ार", 11000), ("10 से 12 हज़ार", 11000), ("10 se 12 hazar", 11000), ("10000-12000", 11000),
    ("10,000 - 12,000", 11000), ("दस बारह हज़ार", 11000), ("दस-बारह हज़ार", 11000), ("8 या 10 हज़ार", 9000),
    ("between 8000 and 10000", 9000), ("8000 se 10 hazar", 9000), ("300-400 रोज़", 9100),
    ("साढ़े तीन हज़ार", 3500), ("saadhe teen hazar", 3500), ("सवा लाख साल", 10417), ("ढाई हज़ार", 2500),
    ("पांच सौ पचास रोज़", 14300), ("2 lakh 40 hazar saal ka", 20000), ("twenty five thousand", 25000),
    ("लगभग 8000", 8000), ("करीब 8 हज़ार महीने के", 8000), ("I earn about 8000 a month", 8000),
    ("मेरी कमाई 9000 है", 9000), ("0", 0), ("हज़ार", 1000),
])
def test_monthly_income_as_it_is_typed(typed: str, expected: int) -> None:
    assert monthly_income(typed) == expected


@pytest.mark.parametrize("typed", ["", "abc", "पता नहीं", "kuch nahi", "8000 रोज़ महीना", "10-12-14 हज़ार",
                                   "हज़ार हज़ार", "साढ़े", "8000 9000 10000", "-", "rs", "x" * 500,
                                   "8000 for two people"])
def test_no_monthly_income_in_it(typed: str) -> None:
    assert monthly_income(typed) is None


@given(st.integers(0, 10**7), st.sampled_from(["{n}", "₹{n}", "Rs. {n}", "{n} रुपये", "{g}", "₹{g}/-"]),
       st.booleans())
def test_any_monthly_amount_reads_back(amount: int, way: str, devanagari: bool) -> None:
    typed = way.format(n=amount, g=i18n.format_number(amount, "en"))
    typed = typed.translate(DEVANAGARI) if devanagari else typed
    assert monthly_income(typed) == amount


@given(st.integers(0, 5000), st.sampled_from(["{n} रोज़", "{n} per day", "दिहाड़ी {n}", "{n} roj"]))
def test_a_day_wage_is_26_working_days(wage: int, way: str) -> None:
    assert monthly_income(way.format(n=wage)) == wage * 26


@given(st.integers(1, 500), st.integers(0, 500), st.sampled_from(["{a}-{b} हज़ार", "{a} से {b} हज़ार", "{a}k to {b}k"]))
def test_a_range_is_its_middle(low: int, more: int, way: str) -> None:
    assert monthly_income(way.format(a=low, b=low + more)) == (2 * low + more) * 1000 // 2


@pytest.mark.parametrize("amount, slab", [
    (0, "upto_10000"), (8000, "upto_10000"), (10000, "upto_10000"), (10001, "10001_15000"),
    (15000, "10001_15000"), (15001, "15001_18000"), (18000, "15001_18000"), (18001, "18001_21000"),
    (21000, "18001_21000"), (21001, "above_21000"), (10**7, "above_21000")])
def test_income_slabs(amount: int, slab: str) -> None:
    assert income_slab(amount) == slab


def test_the_slabs_are_the_forms() -> None:
    assert [code for _, code in SLABS] == [o.code for o in cat.INCOME_SLABS]
    with pytest.raises(ValueError):
        income_slab(-1)


def _bounds(code: str) -> tuple[int, float]:
    numbers = [int(n) for n in re.findall(r"[0-9]+", code)]
    if code.startswith("upto"):
        return 0, numbers[0]
    if code.startswith("above"):
        return numbers[0] + 1, float("inf")
    return numbers[0], numbers[1]


@given(st.integers(0, 10**8))
def test_any_amount_falls_in_the_slab_whose_bounds_hold_it(amount: int) -> None:
    low, high = _bounds(income_slab(amount))
    assert low <= amount <= high


# -- school classes -------------------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("8", 8), ("class 8", 8), ("Class 8th", 8), ("8th class", 8), ("8वीं", 8), ("8 वीं", 8), ("8वीं पास", 8),
    ("8 वीं पास", 8), ("८वीं", 8), ("कक्षा 8", 8), ("कक्षा ८ पास", 8), ("आठवीं", 8), ("आठवी", 8), ("आठवीं पास", 8),
    ("आठ", 8), ("aathvi", 8), ("8vi pass", 8), ("eighth", 8), ("class eight", 8), ("5th pass", 5),
    ("5वीं पास", 5), ("पांचवीं", 5), ("पाँचवीं", 5), ("5 pass", 5), ("10th", 10), ("10th pass", 10),
    ("दसवीं", 10), ("दसवी पास", 10), ("dasvi", 10), ("हाई स्कूल", 10), ("हाईस्कूल पास", 10),
    ("high school", 10), ("High School pass", 10), ("matric", 10), ("मैट्रिक", 10), ("12 pass", 12),
    ("12th", 12), ("बारहवीं", 12), ("बारवीं", 12), ("inter", 12), ("Inter pass", 12), ("इंटर", 12),
    ("इंटर पास", 12), ("intermediate", 12), ("10+2", 12), ("12वीं तक पढ़ा", 12), ("10th fail", 9),
    ("दसवीं फेल", 9), ("8 fail", 7), ("1st fail", 0), ("अनपढ़", 0), ("अनपढ", 0), ("कभी स्कूल नहीं गया", 0),
    ("never went to school", 0), ("पहली", 1), ("first class", 1), ("2nd", 2), ("छठी", 6), ("सातवीं", 7),
    ("नौवीं", 9), ("ग्यारहवीं", 11), ("11th", 11),
])
def test_school_classes_as_they_are_typed(typed: str, expected: int) -> None:
    assert school_class(typed) == expected


@pytest.mark.parametrize("typed", ["", "BA", "graduate", "13", "0", "class", "8 9", "8वीं 9वीं", "डेढ़",
                                   "fail", "अनपढ़ fail", "10th fail fail", "x" * 500, "ITI", "सौ"])
def test_no_school_class_in_it(typed: str) -> None:
    assert school_class(typed) is None


@given(st.integers(1, 12), st.sampled_from(["{n}", "class {n}", "{n}{s}", "{n}{s} pass", "{n}वीं पास",
                                             "कक्षा {n}", "{n} वीं"]), st.booleans())
def test_any_class_reads_back(number: int, way: str, devanagari: bool) -> None:
    typed = way.format(n=number, s=_suffix(number))
    typed = typed.translate(DEVANAGARI) if devanagari else typed
    assert school_class(typed) == number


@pytest.mark.parametrize("number, level", [
    (0, None), (1, "below_primary"), (4, "below_primary"), (5, "primary"), (7, "primary"), (8, "middle"),
    (9, "middle"), (10, "secondary"), (11, "secondary"), (12, "higher_secondary"), (13, None), (-1, None)])
def test_education_of_a_class(number: int, level: str | None) -> None:
    assert education_of_class(number) == level


def test_the_levels_are_the_forms() -> None:
    assert {code for _, code in LEVELS} <= {o.code for o in cat.EDUCATION}


# -- a wrong Aadhaar or account number is echoed by its last 4 digits -----------

@pytest.mark.parametrize("typed, reason, last4", [
    ("234123412345", "not right", "2345"), ("1234 1234 1234", "never starts", "1234"),
    ("23412341234", "12 digits", "1234"), ("२३४१ २३४१ २३४", "12 digits", "1234"), ("2341", "12 digits", "2341"),
    ("234", "12 digits", None), ("2", "12 digits", None), ("2341234123461234", "Virtual ID", None),
    ("2341-abcd-2346", "only the 12 digits", None)])
def test_a_wrong_aadhaar_says_its_last_4_digits(typed: str, reason: str, last4: str | None) -> None:
    err = problem(v.parse_aadhaar, typed)
    assert reason in err.message
    assert err.params.get("last4") == last4
    assert ("{last4}" in err.message) is (last4 is not None)
    for lang in i18n.present():
        shown = i18n.translate(lang, err.message, **err.params)
        assert (last4 in shown) if last4 else "{" not in shown


@pytest.mark.parametrize("typed, last4", [
    ("12345678", "5678"), ("1234567890123456789", "6789"), ("१२३४५", "2345"), ("123", None), ("abc", None),
    ("", None)])
def test_a_wrong_account_says_its_last_4_digits(typed: str, last4: str | None) -> None:
    err = problem(v.parse_account, typed)
    assert "9 to 18 digits" in err.message and err.params.get("last4") == last4


def test_the_last_4_digits_in_hindi() -> None:
    err = problem(v.parse_aadhaar, "234123412345")
    assert i18n.translate("hi", err.message, **err.params).endswith("आपके भेजे नंबर के आख़िरी 4 अंक 2345 हैं।")


# -- whatever is typed: Invalid or an answer, None or a number ----------------------

#: pieces of what workers type, strung together at random
TEXT = st.lists(st.sampled_from(list("0123456789०१२३४५६७८९ /.,-–+₹kKlLaAhHsSrR:()।") + [
    "हज़ार", "लाख", "साल", "महीने", "रोज़", "से", "सौ", "डेढ़", "साढ़े", "वीं", "th", "Aug", "अगस्त", "सन",
    "उम्र", "दस", "twenty", "five", "lakh", "hazar", "per", "day", "pass", "fail", "इंटर", "class", "²", "٣",
    "\u200d", "\u093c", "ँ"]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT | st.text(max_size=60))
def test_random_text_is_an_answer_or_invalid(text: str) -> None:
    for parse in (lambda t: v.parse_date(t, TODAY), lambda t: v.parse_birth_date(t, TODAY),
                  lambda t: v.parse_birth_or_age(t, TODAY), lambda t: v.parse_whole_number(t, 0, 60),
                  v.parse_aadhaar, v.parse_account):
        try:
            parse(text)
        except v.Invalid:
            pass
    assert monthly_income(text) is None or monthly_income(text) >= 0
    number = school_class(text)
    assert number is None or 0 <= number <= 12


# -- the data --------------------------------------------------------------------

def test_no_phrase_of_the_data_means_two_things() -> None:
    assert reading.ambiguous_phrases() == {}


def test_letters_typed_two_ways_read_as_one() -> None:
    assert i18n.fold("हज़ार") == i18n.fold("हजार") and i18n.fold("पाँच") == i18n.fold("पांच")
    assert {"हाँ", "हां"} <= i18n.words("yes") and i18n.fold("हाँ") in i18n.words("yes")
    assert i18n.numbered("multipliers")["हजार"] == 1000 and i18n.numbered("numbers")["डेढ"] == 1.5
