"""Properties of ``bot.flow.understanding``: what is typed is never taken
silently for a wrong option.

- random text is taken for an option only when it holds one of that
  option's names whole, or is spelled within a few letters of one;
- every label, in every language, is taken for its own option;
- a label with one letter wrong, missing or added is taken for its own
  option, asked about, or not understood: never taken for another option.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from bot.domain import catalogues as cat
from bot.domain import occupations as occ
from bot.flow.steps import CONSENT
from bot.flow.understanding import SURE, Understood, names_of, plain, understand
from bot.i18n import languages

LISTS = {
    "consent": CONSENT, "gender": cat.GENDERS, "category": cat.CATEGORIES, "education": cat.EDUCATION,
    "income": cat.INCOME_SLABS, "relation": cat.NOMINEE_RELATIONS, "states": cat.states(),
    "districts of Uttar Pradesh": cat.districts("UTTAR PRADESH"),
    "occupations": tuple(occ.OCCUPATION_BY_CODE.values()),
}
LETTERS = "abcdefghijklmnopqrstuvwxyz कखगघचछजझटठडढतथदधनपफबभमयरलवशसहािीुूेैोौंः्"
CHOSEN = st.sampled_from(sorted(LISTS))


def _grounded(typed: str, found: Understood, options) -> bool:
    """A sure pick holds one of the option's names whole, or is spelled within a few letters of one."""
    names = [name for name, code in names_of(tuple(options)).of if code == found.sure]
    words = plain(typed).split()
    runs = {" ".join(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)} | {plain(typed)}
    return any(f" {name} " in f" {plain(typed)} " or f" {plain(typed)} " in f" {name} " for name in names) \
        or any(fuzz.ratio(run, name) >= SURE for run in runs for name in names)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(list_name=CHOSEN, typed=st.text(alphabet=LETTERS, min_size=1, max_size=30))
def test_random_text_is_never_taken_for_an_option_it_does_not_name(list_name, typed):
    options = LISTS[list_name]
    found = understand(typed, options)
    if found.sure is not None:
        assert _grounded(typed, found, options), (typed, found)


@settings(max_examples=200, deadline=None)
@given(list_name=CHOSEN, typed=st.text(min_size=1, max_size=60))
def test_any_text_at_all_is_read_without_error(list_name, typed):
    found = understand(typed, LISTS[list_name])
    assert found.sure is None or not found.maybe
    assert len(found.maybe) <= 6


def test_every_label_in_every_language_is_its_own_option():
    """(A label several options share, "Other work in this sector", is asked about instead.)"""
    for list_name, options in LISTS.items():
        for lang in languages():
            labels = [option.shown(lang) for option in options]
            for option, label in zip(options, labels):
                found = understand(label, options)
                if labels.count(label) == 1:
                    assert found.sure == option.code, (list_name, lang, label)
                else:
                    assert found.sure is None and option.code in found.maybe or len(found.maybe) == 6


def _misspelt(label: str, where: int, how: int, letter: str) -> str:
    where %= len(label)
    if how == 0:
        return label[:where] + letter + label[where + 1:]
    if how == 1:
        return label[:where] + label[where + 1:]
    return label[:where] + letter + label[where:]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(list_name=CHOSEN, pick=st.integers(min_value=0), lang_pick=st.integers(min_value=0),
       where=st.integers(min_value=0), how=st.integers(min_value=0, max_value=2),
       letter=st.sampled_from(LETTERS.replace(" ", "")))
def test_a_misspelt_label_is_never_taken_for_another_option(list_name, pick, lang_pick, where, how, letter):
    options = LISTS[list_name]
    option = options[pick % len(options)]
    label = option.shown(languages()[lang_pick % len(languages())])
    if len(plain(label)) < 6:
        return
    typed = _misspelt(label, where, how, letter)
    found = understand(typed, options)
    assert found.sure in (None, option.code) or _grounded(typed, found, options), (label, typed, found)

