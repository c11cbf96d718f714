"""Closed lists of the e-Shram form: genders, categories, education, income
slabs, relations, states (sectors and occupations: ``bot.domain.occupations``).

Each entry is an ``Option``: a stable code (stored in answers, never shown)
and an English label marked for translation.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import indian_pincode

from bot.domain.place_names import district_name, district_names
from bot.i18n import N_, languages, translate


@dataclass(frozen=True)
class Option:
    code: str
    label: str  # English msgid, translated when shown
    #: a proper name's own spelling in some languages, shown instead of
    #: translating ``label`` (a district: (language code, "हरिद्वार"), ...)
    names: tuple[tuple[str, str], ...] = ()
    #: other names people type for it (old names, other spellings)
    also: tuple[str, ...] = ()
    #: a picture shown beside the name on its button (never instead of it), for
    #: those who read slowly: "✅", "🌾"; the name alone still picks it
    icon: str = ""

    def shown(self, lang: str) -> str:
        """Its name as a worker reading ``lang`` sees it."""
        for code, name in self.names:
            if code == lang:
                return name
        return translate(lang, self.label)


GENDERS = (
    Option("male", N_("Male")),
    Option("female", N_("Female")),
    Option("transgender", N_("Transgender")),
)

CATEGORIES = (
    Option("general", N_("General")),
    Option("obc", N_("OBC")),
    Option("sc", N_("SC")),
    Option("st", N_("ST")),
)

EDUCATION = (
    Option("not_literate", N_("Not literate")),
    Option("literate_no_school", N_("Literate, no formal schooling")),
    Option("below_primary", N_("Below primary")),
    Option("primary", N_("Primary (up to class 5)")),
    Option("middle", N_("Middle (up to class 8)")),
    Option("secondary", N_("Secondary (class 10)")),
    Option("higher_secondary", N_("Higher secondary (class 12)")),
    Option("diploma", N_("Diploma or certificate")),
    Option("graduate", N_("Graduate")),
    Option("post_graduate", N_("Post-graduate or above")),
    Option("technical_degree", N_("Technical degree")),
)

INCOME_SLABS = (
    Option("upto_10000", N_("Up to ₹10,000")),
    Option("10001_15000", N_("₹10,001 to ₹15,000")),
    Option("15001_18000", N_("₹15,001 to ₹18,000")),
    Option("18001_21000", N_("₹18,001 to ₹21,000")),
    Option("above_21000", N_("Above ₹21,000")),
)

NOMINEE_RELATIONS = (
    Option("spouse", N_("Husband or wife")),
    Option("son", N_("Son")),
    Option("daughter", N_("Daughter")),
    Option("father", N_("Father")),
    Option("mother", N_("Mother")),
    Option("brother", N_("Brother")),
    Option("sister", N_("Sister")),
    Option("other", N_("Other relative")),
)

GUARDIAN_RELATIONS = (
    Option("mother", N_("Mother")),
    Option("father", N_("Father")),
    Option("guardian", N_("Legal guardian")),
)


#: States and UTs as India Post spells them, with names to show and translate.
STATE_NAMES = {
    "ANDAMAN AND NICOBAR ISLANDS": N_("Andaman and Nicobar Islands"),
    "ANDHRA PRADESH": N_("Andhra Pradesh"),
    "ARUNACHAL PRADESH": N_("Arunachal Pradesh"),
    "ASSAM": N_("Assam"),
    "BIHAR": N_("Bihar"),
    "CHANDIGARH": N_("Chandigarh"),
    "CHHATTISGARH": N_("Chhattisgarh"),
    "THE DADRA AND NAGAR HAVELI AND DAMAN AND DIU": N_("Dadra and Nagar Haveli and Daman and Diu"),
    "DELHI": N_("Delhi"),
    "GOA": N_("Goa"),
    "GUJARAT": N_("Gujarat"),
    "HARYANA": N_("Haryana"),
    "HIMACHAL PRADESH": N_("Himachal Pradesh"),
    "JAMMU AND KASHMIR": N_("Jammu and Kashmir"),
    "JHARKHAND": N_("Jharkhand"),
    "KARNATAKA": N_("Karnataka"),
    "KERALA": N_("Kerala"),
    "LADAKH": N_("Ladakh"),
    "LAKSHADWEEP": N_("Lakshadweep"),
    "MADHYA PRADESH": N_("Madhya Pradesh"),
    "MAHARASHTRA": N_("Maharashtra"),
    "MANIPUR": N_("Manipur"),
    "MEGHALAYA": N_("Meghalaya"),
    "MIZORAM": N_("Mizoram"),
    "NAGALAND": N_("Nagaland"),
    "ODISHA": N_("Odisha"),
    "PUDUCHERRY": N_("Puducherry"),
    "PUNJAB": N_("Punjab"),
    "RAJASTHAN": N_("Rajasthan"),
    "SIKKIM": N_("Sikkim"),
    "TAMIL NADU": N_("Tamil Nadu"),
    "TELANGANA": N_("Telangana"),
    "TRIPURA": N_("Tripura"),
    "UTTAR PRADESH": N_("Uttar Pradesh"),
    "UTTARAKHAND": N_("Uttarakhand"),
    "WEST BENGAL": N_("West Bengal"),
}


def state_label(code: str) -> str:
    """The name to show (and translate) for India Post's spelling of a state."""
    return STATE_NAMES.get(code, code.title())


@lru_cache(maxsize=1)
def states() -> tuple[Option, ...]:
    return tuple(Option(code, state_label(code)) for code in indian_pincode.list_states())


def districts(state_code: str) -> tuple[Option, ...]:
    """Districts of a state, each with its name in every language that has one."""
    return _districts(state_code, languages())


@lru_cache(maxsize=64)
def _districts(state_code: str, offered: tuple[str, ...]) -> tuple[Option, ...]:
    return districts_named(state_code, indian_pincode.list_districts(state_code))


def districts_named(state_code: str, codes: Sequence[str]) -> tuple[Option, ...]:
    """These districts of a state (India Post's spelling) as options: the
    label as India Post writes it, the name in each language that has one
    (``bot.domain.place_names``), and other spellings people type."""
    def own_names(code: str) -> tuple[tuple[str, str], ...]:
        named = ((lang, district_name(state_code, code, lang)) for lang in languages())
        return tuple((lang, name) for lang, name in named if name != code.title())
    return tuple(Option(code, code.title(), names=own_names(code), also=district_names(state_code, code))
                 for code in codes)


@lru_cache(maxsize=4096)
def place_of_pin(pin: str) -> tuple[str, tuple[str, ...]] | None:
    """(state code, district codes) for a PIN, or None if India Post has no such PIN."""
    details = indian_pincode.get_details(pin)
    state = details.get("state") if details else None
    if not details or not state or not details.get("districts"):
        return None
    return state, tuple(details["districts"])
