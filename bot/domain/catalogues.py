"""Closed lists of the e-Shram form: genders, categories, education, income
slabs, relations, sectors and their occupations, states.

Each entry is an ``Option``: a stable code (stored in answers, never shown)
and an English label marked for translation.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Sector:
    code: str
    label: str
    occupations: tuple[Option, ...]


def _sector(code: str, label: str, *occupations: tuple[str, str]) -> Sector:
    other = Option(f"{code}.other", N_("Other work in this sector"))
    return Sector(code, label, tuple(Option(f"{code}.{c}", label) for c, label in occupations) + (other,))


SECTORS = (
    _sector("agriculture", N_("Agriculture"),
            ("farm_labourer", N_("Farm labourer")), ("small_farmer", N_("Small or marginal farmer")),
            ("mgnrega", N_("MGNREGA worker")), ("animal_husbandry", N_("Animal husbandry, dairy")),
            ("fisher", N_("Fisher")), ("mandi_labourer", N_("Mandi labourer"))),
    _sector("construction", N_("Construction"),
            ("labourer", N_("Construction labourer")), ("mason", N_("Mason (mistri)")),
            ("brick_kiln", N_("Brick-kiln worker")), ("painter", N_("Painter")),
            ("plumber", N_("Plumber")), ("electrician", N_("Electrician"))),
    _sector("mining", N_("Mining"),
            ("mine_worker", N_("Mine worker")), ("stone_quarry", N_("Stone quarry worker")),
            ("sand_miner", N_("Sand mining worker"))),
    _sector("domestic", N_("Domestic & Household Workers"),
            ("domestic_worker", N_("Domestic worker (house help)")), ("cook", N_("Cook")),
            ("driver", N_("Household driver")), ("caretaker", N_("Caretaker or nanny")),
            ("gardener", N_("Gardener (mali)"))),
    _sector("healthcare", N_("Healthcare"),
            ("asha", N_("ASHA worker")), ("anganwadi", N_("Anganwadi worker or helper")),
            ("ward_attendant", N_("Ward attendant")), ("nurse_aide", N_("Nursing aide"))),
    _sector("beauty", N_("Beauty & Wellness"),
            ("barber", N_("Barber")), ("beautician", N_("Beautician")),
            ("massage", N_("Massage or spa worker"))),
    _sector("apparel", N_("Apparel"),
            ("tailor", N_("Tailor")), ("garment_worker", N_("Garment factory worker")),
            ("embroidery", N_("Embroidery worker"))),
    _sector("manufacturing", N_("Capital Goods & Manufacturing"),
            ("factory_helper", N_("Factory helper")), ("machine_operator", N_("Machine operator")),
            ("welder", N_("Welder")), ("fitter", N_("Fitter"))),
    _sector("leather", N_("Leather"),
            ("cobbler", N_("Cobbler")), ("tannery", N_("Tannery worker")),
            ("footwear", N_("Footwear maker"))),
    _sector("electronics", N_("Electronics & Hardware"),
            ("mobile_repair", N_("Mobile phone repairer")), ("electronics_assembly", N_("Electronics assembly worker")),
            ("appliance_repair", N_("Appliance repairer"))),
    _sector("tobacco", N_("Tobacco"),
            ("beedi", N_("Beedi roller")), ("tobacco_processing", N_("Tobacco processing worker"))),
    _sector("food", N_("Food Industry"),
            ("rice_mill", N_("Rice mill worker")), ("food_processing", N_("Food processing worker")),
            ("mid_day_meal", N_("Mid-day meal cook or helper")), ("sweet_maker", N_("Sweet maker (halwai)"))),
    _sector("jewellery", N_("Gem & Jewellery"),
            ("goldsmith", N_("Goldsmith")), ("gem_cutter", N_("Gem cutter or polisher"))),
    _sector("printing", N_("Printing"),
            ("press_worker", N_("Printing press worker")), ("binder", N_("Book binder"))),
    _sector("glass", N_("Glass & Ceramics"),
            ("potter", N_("Potter")), ("glass_worker", N_("Glass or bangle worker"))),
    _sector("tools", N_("Tool Makers"),
            ("blacksmith", N_("Blacksmith")), ("tool_maker", N_("Tool maker"))),
    _sector("handicrafts", N_("Handicrafts & Carpets"),
            ("artisan", N_("Handicraft artisan")), ("carpet_weaver", N_("Carpet weaver")),
            ("bamboo", N_("Bamboo or cane worker"))),
    _sector("textile", N_("Textile & Handloom"),
            ("weaver", N_("Handloom weaver")), ("powerloom", N_("Powerloom worker")),
            ("spinner", N_("Spinner")), ("dyer", N_("Dyeing or printing worker"))),
    _sector("wood", N_("Wood & Carpentry"),
            ("carpenter", N_("Carpenter")), ("sawmill", N_("Sawmill worker"))),
    _sector("music", N_("Musical Instruments"),
            ("instrument_maker", N_("Instrument maker")), ("musician", N_("Folk musician"))),
    _sector("transport", N_("Automobile & Transportation"),
            ("rickshaw_puller", N_("Rickshaw puller")), ("e_rickshaw", N_("E-rickshaw or auto driver")),
            ("truck_driver", N_("Truck or taxi driver")), ("mechanic", N_("Motor mechanic")),
            ("loader", N_("Loader or porter (palledar)")), ("delivery", N_("Delivery or gig worker"))),
    _sector("education", N_("Education"),
            ("tutor", N_("Private tutor")), ("school_helper", N_("School helper"))),
    _sector("hospitality", N_("Tourism & Hospitality"),
            ("hotel_worker", N_("Hotel or dhaba worker")), ("waiter", N_("Waiter")),
            ("guide", N_("Tourist guide"))),
    _sector("office", N_("Office Administration & Facility Management"),
            ("sweeper", N_("Sweeper or cleaner")), ("peon", N_("Office helper (peon)")),
            ("housekeeping", N_("Housekeeping worker"))),
    _sector("retail", N_("Retail"),
            ("street_vendor", N_("Street vendor (rehdi, theli, pheri)")), ("shop_helper", N_("Shop helper")),
            ("vegetable_seller", N_("Vegetable or fruit seller")), ("newspaper", N_("Newspaper vendor"))),
    _sector("security", N_("Private Security"),
            ("guard", N_("Security guard")), ("watchman", N_("Watchman (chowkidar)"))),
    _sector("professionals", N_("Professionals"),
            ("freelancer", N_("Freelancer")), ("accountant", N_("Accountant or data entry"))),
    _sector("services", N_("Services"),
            ("dhobi", N_("Washerman (dhobi)")), ("ragpicker", N_("Rag picker or waste collector")),
            ("shg", N_("Self-help group member")), ("platform", N_("Platform (app-based) worker"))),
    _sector("finance", N_("Banking, Financial Services & Insurance"),
            ("bank_mitra", N_("Bank mitra (business correspondent)")), ("insurance_agent", N_("Insurance agent"))),
    _sector("misc", N_("Miscellaneous"),
            ("contract_worker", N_("Contract worker")), ("daily_wage", N_("Daily-wage labourer"))),
)

SECTOR_BY_CODE = {s.code: s for s in SECTORS}

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


def states() -> tuple[Option, ...]:
    return tuple(Option(code, state_label(code)) for code in indian_pincode.list_states())


def districts(state_code: str) -> tuple[Option, ...]:
    """Districts of a state, each with its name in every language that has one."""
    return districts_named(state_code, indian_pincode.list_districts(state_code))


def districts_named(state_code: str, codes: Sequence[str]) -> tuple[Option, ...]:
    """These districts of a state (India Post's spelling) as options: the
    label as India Post writes it, the name in each language that has one
    (``bot.domain.place_names``), and other spellings people type."""
    return tuple(Option(code, code.title(),
                        names=tuple((lang, district_name(state_code, code, lang)) for lang in languages()),
                        also=district_names(state_code, code))
                 for code in codes)


def place_of_pin(pin: str) -> tuple[str, tuple[str, ...]] | None:
    """(state code, district codes) for a PIN, or None if India Post has no such PIN."""
    details = indian_pincode.get_details(pin)
    state = details.get("state") if details else None
    if not details or not state or not details.get("districts"):
        return None
    return state, tuple(details["districts"])
