"""Personas answer by question and must reach their end: a persona whose
conversation goes anywhere else stops with a message naming what went
wrong, and regeneration then writes nothing."""
from pathlib import Path

import pytest

from tests import regenerate
from tests.flow import golden
from tests.personas import (DEFAULT_CHOICE, PERSONAS, RICKSHAW_DRIVER, SUBMITTED, TAPPING_WORKER, TOO_OLD,
                            Persona, WrongConversation)


@pytest.mark.parametrize("persona", PERSONAS.values(), ids=lambda p: p.name)
def test_every_persona_reaches_its_end(persona: Persona) -> None:
    talk = persona.run
    assert talk.ended is not None and talk.ended.draft.phase is persona.end.phase


def test_a_persona_refused_elsewhere_than_its_end_fails() -> None:
    with pytest.raises(WrongConversation) as wrong:
        RICKSHAW_DRIVER.but(epfo_esic="हाँ").run
    assert "rickshaw_driver_haridwar" in str(wrong.value) and "must end submitted" in str(wrong.value)
    assert "ineligible (epfo_esic)" in str(wrong.value)


def test_a_persona_that_goes_further_than_its_end_is_named_at_the_question() -> None:
    with pytest.raises(WrongConversation, match="asks 'epfo_esic'.*no answer"):
        TOO_OLD.but(dob="01/03/1990").run


@pytest.mark.parametrize("question", ["name", "disability", "dob"])
def test_a_question_without_an_answer_is_named(question: str) -> None:
    """Typed answers and yes/no questions never take a default."""
    with pytest.raises(WrongConversation, match=f"asks {question!r}.*no answer for it"):
        RICKSHAW_DRIVER.but(**{question: None}).run


def test_a_plain_choice_without_an_answer_takes_its_first_option() -> None:
    talk = RICKSHAW_DRIVER.but(category=None).run
    assert "category" in talk.defaults
    assert talk.lines[talk.asked.index("category")] == DEFAULT_CHOICE
    assert talk.ended.draft.answers["category"] == "general"


def test_an_answer_never_asked_for_is_an_error() -> None:
    with pytest.raises(WrongConversation, match=r"before using the answers to \['migrant_years'\]"):
        RICKSHAW_DRIVER.but(migrant_years="3").run


def test_a_question_asked_more_often_than_answered_is_an_error() -> None:
    with pytest.raises(WrongConversation, match="asks 'aadhaar'.*again, more than the 1 time"):
        RICKSHAW_DRIVER.but(aadhaar="2341 2341 2345").run  # a wrong check digit: asked again


def test_index_of_finds_the_line_that_answers_a_question() -> None:
    script = RICKSHAW_DRIVER.script
    assert script[RICKSHAW_DRIVER.index_of("aadhaar")] == "2341 2341 2345"  # the first of his two tries
    assert script[RICKSHAW_DRIVER.index_of("review")] == "1" and RICKSHAW_DRIVER.index_of("review") == len(script) - 1


def test_same_path_is_the_path_a_real_run_takes() -> None:
    numbers = {"mobile": "9812300000", "aadhaar": "300000000017", "bank_account": "30000000017",
               "bank_account_confirm": "30000000017"}
    assert TAPPING_WORKER.same_path(**numbers) == TAPPING_WORKER.but(**numbers).script
    assert TAPPING_WORKER.end is SUBMITTED


def test_regeneration_refuses_a_wrong_conversation_and_writes_nothing(monkeypatch, capsys) -> None:
    written: list[Path] = []
    monkeypatch.setattr(golden, "PERSONAS", (RICKSHAW_DRIVER, TOO_OLD.but(dob="01/03/1990")))
    monkeypatch.setattr(regenerate, "write", lambda path, text: written.append(path))
    monkeypatch.setattr(regenerate.catalogues_tool, "update", lambda: written.append(Path("locales")) or {})
    assert regenerate.main() == 1
    assert written == []
    assert "refused, nothing written: persona 'too_old'" in capsys.readouterr().err
