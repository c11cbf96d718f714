"""The desk's whole loop matches its checked-in transcripts (Hindi and
English), and every action of it left an audit row. Regenerate after an
intended change with ``python -m tests.regenerate``."""
from pathlib import Path

import pytest

from bot.domain.models import ReviewState
from bot.store.audit import trail
from tests.desk.desk_golden import OPERATOR, WORKER, path_of, transcript


@pytest.mark.parametrize("lang", ["hi", "en"])
async def test_loop_transcript_is_unchanged(lang: str, tmp_path: Path) -> None:
    expected = path_of(lang).read_text(encoding="utf-8")
    assert await transcript(lang, tmp_path) == expected, \
        f"{path_of(lang).name} changed; run `python -m tests.regenerate` if intended"


async def test_every_action_of_the_loop_is_audited(tmp_path: Path) -> None:
    kept: list = []
    await transcript("hi", tmp_path, kept)
    store, reference = kept[0]
    try:
        rows = await store.query(trail, reference)
        assert [(r.actor, r.action) for r in rows] == [
            (WORKER, "submit"), (OPERATOR, "claim"), (OPERATOR, "send_back"), (WORKER, "resubmit"),
            (OPERATOR, "claim"), (OPERATOR, "approve")]
        assert rows[2].detail["fields"] == ["name"] and rows[2].detail["comment"]
        assert rows[5].detail == {"uan": "100200300400"}
        app = await store.application_for_user(WORKER)
        assert app.state is ReviewState.APPROVED and app.uan == "100200300400"
        assert app.answers["name"] == "राम कुमार सैनी"
    finally:
        await store.close()
