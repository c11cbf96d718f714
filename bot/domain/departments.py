"""Departments that run registration drives, as data, and which department
a registration counts for when it came through no camp or drive link: by
the worker's main occupation, else by its sector.

A department's ``code`` is what officials type (``/target mgnrega 5000 by
31-12-2026``) and what the store keeps; ``aliases`` are other words an
official may type for it; ``label`` is the English msgid shown (translated).
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_


@dataclass(frozen=True)
class Department:
    code: str
    label: str
    aliases: tuple[str, ...] = ()


DEPARTMENTS = (
    Department("mgnrega", N_("MGNREGA"), ("nrega", "manrega", "मनरेगा")),
    Department("icds", N_("ICDS / Anganwadi"), ("anganwadi", "आंगनवाड़ी")),
    Department("agriculture", N_("Agriculture (PM-Kisan)"), ("krishi", "pm-kisan", "pmkisan", "कृषि")),
    Department("commercial_tax", N_("Commercial tax (traders, rice mills)"), ("tax", "commercial", "वाणिज्य-कर")),
    Department("labour", N_("Labour (construction, brick kilns)"), ("shram", "श्रम")),
    Department("urban", N_("Urban local bodies (street vendors)"), ("ulb", "nagar", "नगर")),
    Department("health", N_("Health (ASHA)"), ("asha", "स्वास्थ्य")),
    Department("education", N_("Education (mid-day meal)"), ("mdm", "shiksha", "शिक्षा")),
    Department("livelihoods", N_("Rural livelihoods (SHGs)"), ("nrlm", "shg", "आजीविका")),
    Department("other", N_("Other"), ("अन्य",)),
)
DEPARTMENT_BY_CODE = {d.code: d for d in DEPARTMENTS}
OTHER = "other"

#: a main occupation's department, where it is not its sector's
BY_OCCUPATION = {
    "agriculture.mgnrega": "mgnrega",
    "construction.brick_kiln": "labour",
    "healthcare.asha": "health",
    "healthcare.anganwadi": "icds",
    "food.rice_mill": "commercial_tax",
    "food.mid_day_meal": "education",
    "retail.street_vendor": "urban",
    "retail.vegetable_seller": "urban",
    "retail.newspaper": "urban",
    "services.shg": "livelihoods",
    "services.ragpicker": "urban",
    "education.school_helper": "education",
    "transport.rickshaw_puller": "urban",
    "transport.e_rickshaw": "urban",
}

#: a sector's department (occupations not listed above)
BY_SECTOR = {
    "agriculture": "agriculture",
    "construction": "labour",
    "mining": "labour",
    "healthcare": "health",
    "retail": "commercial_tax",
    "food": "commercial_tax",
    "education": "education",
    "handicrafts": "livelihoods",
    "textile": "livelihoods",
    "tobacco": "labour",
    "manufacturing": "labour",
}


def department_of_work(occupation: object, sector: object = None) -> str:
    """The department a registration counts for by its main occupation."""
    if isinstance(occupation, str):
        if occupation in BY_OCCUPATION:
            return BY_OCCUPATION[occupation]
        sector = sector or occupation.split(".", 1)[0]
    return BY_SECTOR.get(sector, OTHER) if isinstance(sector, str) else OTHER


def find_department(word: str) -> Department | None:
    """The department an official means by ``word`` (its code, an alias, or
    its English name's first word), or None."""
    key = word.strip().lower().replace(" ", "_")
    if key in DEPARTMENT_BY_CODE:
        return DEPARTMENT_BY_CODE[key]
    for department in DEPARTMENTS:
        if key in department.aliases or key.replace("_", "-") in department.aliases:
            return department
    return None
