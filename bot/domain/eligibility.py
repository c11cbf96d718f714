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


#: why, politely, and what the person can do instead; under it is a button,
#: "Start again" (``bot.flow.messages.START_OVER``), which the reasons name
EXPLANATION = {
    Ineligible.TOO_YOUNG: N_(
        "e-Shram registration is for workers aged 16 to 59, and you are {age} now. "
        "You can register once you are 16. Until then, please ask at your school or "
        "Anganwadi centre about schemes for children."),
    Ineligible.TOO_OLD: N_(
        "e-Shram registration is for workers aged 16 to 59, and you are {age}. "
        "You may get the old-age pension: please ask at your gram panchayat, block office "
        "or nearest CSC (Jan Seva Kendra). If your date of birth was typed wrong, press “Start again”."),
    Ineligible.EPFO_ESIC: N_(
        "e-Shram is for workers who are not members of EPFO or ESIC. As a member, you already get PF, "
        "pension and insurance through your employer: ask your employer or the EPFO/ESIC office about them. "
        "If you answered by mistake, press “Start again”."),
    Ineligible.NPS_GOVT: N_(
        "e-Shram is for workers who are not government employees and not in the government-funded NPS. "
        "Your department or the NPS office can tell you about your benefits. ASHA, Anganwadi, "
        "mid-day-meal and MGNREGA work is not a government job: if that is your work, press “Start again”."),
    Ineligible.INCOME_TAX: N_(
        "e-Shram is for workers who do not pay income tax, so you cannot register. "
        "If you answered by mistake, press “Start again”."),
    Ineligible.NO_GUARDIAN_CONSENT: N_(
        "A worker under 18 can register only with the consent of a parent or guardian. "
        "When your parent or guardian is with you and agrees, press “Start again”."),
    Ineligible.NO_CONSENT: N_(
        "Without your consent we cannot register you, so nothing has been saved. "
        "If you change your mind, press “Start again” at any time."),
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
