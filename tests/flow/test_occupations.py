"""The occupation list: its codes are well formed and never lost, every
label is translated, the work shown first and the departments name real
occupations, and the words workers type name real occupations too."""
import re
import json
from collections import Counter

import pytest

from bot import i18n
from bot.domain import departments
from bot.domain.occupations import COMMON_WORK, OCCUPATION_BY_CODE, SECTOR_BY_CODE, SECTORS, sector_of

CODE = re.compile(r"^[a-z]+\.[a-z][a-z0-9_]*$")

#: the sectors as they were first stored, in their order; never renamed
SECTOR_CODES = (
    "agriculture", "construction", "mining", "domestic", "healthcare", "beauty", "apparel", "manufacturing",
    "leather", "electronics", "tobacco", "food", "jewellery", "printing", "glass", "tools", "handicrafts",
    "textile", "wood", "music", "transport", "education", "hospitality", "office", "retail", "security",
    "professionals", "services", "finance", "misc",
)

#: every occupation code the bot stored before the list grew (copied from
#: bot/domain/catalogues.py of that time): answers hold them, so they stay
FIRST_CODES = (
    "agriculture.farm_labourer", "agriculture.small_farmer", "agriculture.mgnrega", "agriculture.animal_husbandry",
    "agriculture.fisher", "agriculture.mandi_labourer", "agriculture.other",
    "construction.labourer", "construction.mason", "construction.brick_kiln", "construction.painter",
    "construction.plumber", "construction.electrician", "construction.other",
    "mining.mine_worker", "mining.stone_quarry", "mining.sand_miner", "mining.other",
    "domestic.domestic_worker", "domestic.cook", "domestic.driver", "domestic.caretaker", "domestic.gardener",
    "domestic.other",
    "healthcare.asha", "healthcare.anganwadi", "healthcare.ward_attendant", "healthcare.nurse_aide",
    "healthcare.other",
    "beauty.barber", "beauty.beautician", "beauty.massage", "beauty.other",
    "apparel.tailor", "apparel.garment_worker", "apparel.embroidery", "apparel.other",
    "manufacturing.factory_helper", "manufacturing.machine_operator", "manufacturing.welder", "manufacturing.fitter",
    "manufacturing.other",
    "leather.cobbler", "leather.tannery", "leather.footwear", "leather.other",
    "electronics.mobile_repair", "electronics.electronics_assembly", "electronics.appliance_repair",
    "electronics.other",
    "tobacco.beedi", "tobacco.tobacco_processing", "tobacco.other",
    "food.rice_mill", "food.food_processing", "food.mid_day_meal", "food.sweet_maker", "food.other",
    "jewellery.goldsmith", "jewellery.gem_cutter", "jewellery.other",
    "printing.press_worker", "printing.binder", "printing.other",
    "glass.potter", "glass.glass_worker", "glass.other",
    "tools.blacksmith", "tools.tool_maker", "tools.other",
    "handicrafts.artisan", "handicrafts.carpet_weaver", "handicrafts.bamboo", "handicrafts.other",
    "textile.weaver", "textile.powerloom", "textile.spinner", "textile.dyer", "textile.other",
    "wood.carpenter", "wood.sawmill", "wood.other",
    "music.instrument_maker", "music.musician", "music.other",
    "transport.rickshaw_puller", "transport.e_rickshaw", "transport.truck_driver", "transport.mechanic",
    "transport.loader", "transport.delivery", "transport.other",
    "education.tutor", "education.school_helper", "education.other",
    "hospitality.hotel_worker", "hospitality.waiter", "hospitality.guide", "hospitality.other",
    "office.sweeper", "office.peon", "office.housekeeping", "office.other",
    "retail.street_vendor", "retail.shop_helper", "retail.vegetable_seller", "retail.newspaper", "retail.other",
    "security.guard", "security.watchman", "security.other",
    "professionals.freelancer", "professionals.accountant", "professionals.other",
    "services.dhobi", "services.ragpicker", "services.shg", "services.platform", "services.other",
    "finance.bank_mitra", "finance.insurance_agent", "finance.other",
    "misc.contract_worker", "misc.daily_wage", "misc.other",
)

ALL_CODES = [o.code for s in SECTORS for o in s.occupations]


def test_thirty_sectors_with_their_first_codes_in_order() -> None:
    assert tuple(s.code for s in SECTORS) == SECTOR_CODES
    assert set(SECTOR_BY_CODE) == set(SECTOR_CODES)


def test_codes_are_unique_and_well_formed() -> None:
    assert [c for c, n in Counter(ALL_CODES).items() if n > 1] == []
    assert [c for c in ALL_CODES if not CODE.match(c)] == []
    assert set(OCCUPATION_BY_CODE) == set(ALL_CODES)
    for sector in SECTORS:
        assert all(o.code.startswith(sector.code + ".") for o in sector.occupations)


def test_the_list_is_e_shrams_size() -> None:
    assert len(ALL_CODES) >= 250


def test_every_code_ever_stored_is_still_there() -> None:
    assert [c for c in FIRST_CODES if c not in OCCUPATION_BY_CODE] == []


def test_each_sector_keeps_its_first_order_and_ends_with_other() -> None:
    """Workers typing an option's number reach the same work as before."""
    for sector in SECTORS:
        codes = [o.code for o in sector.occupations]
        first = [c for c in FIRST_CODES if sector_of(c) == sector.code]
        assert codes[:len(first) - 1] == first[:-1], sector.code
        assert codes[-1] == f"{sector.code}.other"


def test_sector_of() -> None:
    assert sector_of("transport.e_rickshaw") == "transport"
    assert sector_of("agriculture.other") == "agriculture"
    assert all(sector_of(o.code) == s.code for s in SECTORS for o in s.occupations)
    with pytest.raises(KeyError):
        sector_of("transport.spaceship")


def test_every_label_is_translated() -> None:
    lang = i18n.default_language()
    labels = {s.label for s in SECTORS} | {o.label for o in OCCUPATION_BY_CODE.values()}
    assert [label for label in sorted(labels) if i18n.translate(lang, label) == label] == []


def test_labels_are_short() -> None:
    assert [o.label for o in OCCUPATION_BY_CODE.values() if len(o.label) > 50] == []


def test_common_work_names_real_occupations_once() -> None:
    assert len(COMMON_WORK) == len(set(COMMON_WORK))
    assert [c for c in COMMON_WORK if c not in OCCUPATION_BY_CODE] == []
    assert COMMON_WORK[:3] == ("transport.rickshaw_puller", "transport.e_rickshaw", "domestic.domestic_worker")


def test_departments_name_real_occupations_and_sectors() -> None:
    assert [c for c in departments.BY_OCCUPATION if c not in OCCUPATION_BY_CODE] == []
    assert [c for c in departments.BY_SECTOR if c not in SECTOR_BY_CODE] == []


def _word(word: str) -> str:
    return " ".join(word.casefold().replace("-", " ").split())


def aliases(lang: str) -> dict[str, list[str]]:
    """A language's words for each occupation, as its file lists them (bot.i18n.aliases merges them all)."""
    path = i18n.LOCALES_DIR / lang / "aliases" / "occupations.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


LANGUAGES_WITH_ALIASES = [lang for lang in sorted(i18n.present()) if aliases(lang)]


def test_hindi_and_english_have_alias_files() -> None:
    assert {"hi", "en"} <= set(LANGUAGES_WITH_ALIASES)


@pytest.mark.parametrize("lang", LANGUAGES_WITH_ALIASES)
def test_alias_files_name_real_occupations(lang: str) -> None:
    words = aliases(lang)
    assert [c for c in words if c not in OCCUPATION_BY_CODE] == []
    for code, typed in words.items():
        assert typed and all(isinstance(w, str) and w.strip() == w and w for w in typed), code
        assert len({w.casefold() for w in typed}) == len(typed), f"{code}: a word twice"


@pytest.mark.parametrize("lang", LANGUAGES_WITH_ALIASES)
def test_aliases_cover_the_common_work(lang: str) -> None:
    words = aliases(lang)
    assert [c for c in COMMON_WORK if len(words.get(c, ())) < 3] == []
    assert sum(1 for typed in words.values() if len(typed) >= 3) >= 60


def test_a_word_names_one_occupation_in_every_language() -> None:
    """A word typed leads to one occupation, whichever language's file holds it."""
    owner: dict[str, str] = {}
    clashes = []
    for lang in LANGUAGES_WITH_ALIASES:
        for code, typed in aliases(lang).items():
            for word in typed:
                if owner.setdefault(_word(word), code) != code:
                    clashes.append((word, code, owner[_word(word)]))
    assert clashes == []


def test_hindi_aliases_hold_devanagari_and_romanised_words() -> None:
    typed = [w for words in aliases("hi").values() for w in words]
    assert sum(1 for w in typed if re.search(r"[\u0900-\u097F]", w)) >= 300
    assert sum(1 for w in typed if re.fullmatch(r"[a-z0-9 .-]+", w)) >= 300
    assert {"ई-रिक्शा", "auto", "tuk tuk"} <= set(aliases("hi")["transport.e_rickshaw"])
