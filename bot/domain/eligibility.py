"""Who may register on e-Shram, and what to tell those who may not.

Checked before any personal detail is asked: age 16 to 59, not a member of
EPFO/ESIC, not in government-funded NPS or a government job, not an
income-tax payer. A 16 or 17 year old is a child under the DPDP Act 2023
(s.9) and needs a parent's or guardian's consent.
"""
from __future__ import annotations

from datetime import date
from enum import StrEnum

from bot.i18n import N_

MIN_AGE, MAX_AGE, ADULT_AGE = 16, 59, 18


class Ineligible(StrEnum):
    TOO_YOUNG = "too_young"
    TOO_OLD = "too_old"
    EPFO_ESIC = "epfo_esic"
    NPS_GOVT = "nps_govt"
    INCOME_TAX = "income_tax"
    NO_GUARDIAN_CONSENT = "no_guardian_consent"
    NO_CONSENT = "no_consent"


#: why, politely, and what the person can do instead
EXPLANATION = {
    Ineligible.TOO_YOUNG: N_(
        "e-Shram registration is for workers aged 16 to 59, and you are {age} now. "
        "You can register when you turn 16. Until then, please ask at your school or "
        "Anganwadi centre about schemes for children."),
    Ineligible.TOO_OLD: N_(
        "e-Shram registration is for workers aged 16 to 59, and you are {age}. "
        "You may be eligible for the old-age pension (National Social Assistance Programme): "
        "please ask at your gram panchayat, block office or the nearest CSC (Jan Seva Kendra)."),
    Ineligible.EPFO_ESIC: N_(
        "e-Shram is for workers who are not members of EPFO or ESIC. As a member you already "
        "have social security through your employer: ask your employer or the EPFO/ESIC office "
        "about your PF, pension and insurance benefits."),
    Ineligible.NPS_GOVT: N_(
        "e-Shram is for workers who are not government employees and not in the "
        "government-funded NPS. Your department or the NPS office can tell you about the benefits you have."),
    Ineligible.INCOME_TAX: N_(
        "e-Shram is for workers who do not pay income tax, so you cannot register. "
        "If you answered this by mistake, send /start and answer again."),
    Ineligible.NO_GUARDIAN_CONSENT: N_(
        "A worker under 18 can register only with the consent of a parent or guardian. "
        "When your parent or guardian is with you and agrees, send /start to begin again."),
    Ineligible.NO_CONSENT: N_(
        "Without your consent we cannot register you, so nothing has been saved. "
        "If you change your mind, send /start at any time."),
}


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def check_age(birth: date, today: date) -> Ineligible | None:
    age = age_on(birth, today)
    if age < MIN_AGE:
        return Ineligible.TOO_YOUNG
    if age > MAX_AGE:
        return Ineligible.TOO_OLD
    return None


def is_minor(birth: date, today: date) -> bool:
    return age_on(birth, today) < ADULT_AGE
