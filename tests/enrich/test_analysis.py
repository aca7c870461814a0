"""analyse(): one call bundling entities, quotes, sources, dates and the timeline."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfeed.enrich.analysis import analyse, from_dict, to_dict

SAMPLE_WORDS = 'the Putin said Kyiv on Tuesday “ ” " , . Mr Smith of NATO July 4 told TASS'
TEXT = (
    "Turkish President Recep Tayyip Erdogan hosted talks in Istanbul on July 23.\n"
    '"We hope for a ceasefire before the winter comes," Erdogan said, according to Reuters.'
)


def test_bundle() -> None:
    result = analyse(TEXT, datetime(2025, 8, 7, 10, 0))
    keys = {e.key for e in result.entities}
    assert {"person:recep-tayyip-erdogan", "place:istanbul", "org:reuters"} <= keys
    assert result.quotes[0].speaker_key == "person:recep-tayyip-erdogan"
    assert [c.name for c in result.cited_sources] == ["Reuters"]
    assert result.dates[0].value == date(2025, 7, 23)
    [event] = [e for e in result.timeline if e.date == date(2025, 7, 23)]
    assert "place:istanbul" in event.entity_keys


def test_without_publication_date_there_are_no_dates() -> None:
    result = analyse(TEXT, None)
    assert result.dates == ()
    assert result.timeline == ()
    assert result.entities


def test_tags_are_used() -> None:
    result = analyse("Talks with Zorbo Quix went well.", None, tags=("Zorbo Quix",))
    assert [e.key for e in result.entities] == ["person:zorbo-quix"]


def test_not_text_is_refused_clearly() -> None:
    with pytest.raises(TypeError, match="article text as str"):
        analyse(b"bytes", None)  # type: ignore[arg-type]


@pytest.mark.timeout(60)
def test_long_odd_text_stays_fast() -> None:
    # Runs of capitals, stray quotation marks and names by the thousand: no quadratic blow-up.
    import random

    rng = random.Random(7)
    words = SAMPLE_WORDS.split()
    text = " ".join(rng.choice(words) for _ in range(20_000)) + " " + "A" * 50_000
    result = analyse(text, datetime(2025, 8, 7))
    assert result.entities
    for quote in result.quotes:
        assert text[quote.start : quote.end] == quote.text


@settings(max_examples=60, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list('AbcKyiv "“”,.:\n-Putin said on Aug 7 2025')), max_size=400
    )
)
def test_any_text_analyses_without_error(text: str) -> None:
    result = analyse(text, datetime(2025, 8, 7))
    for q in result.quotes:
        assert text[q.start : q.end] == q.text
    for event in result.timeline:
        assert text[event.start : event.end].strip() == event.what


def test_round_trip_through_json() -> None:
    import json

    result = analyse(TEXT, datetime(2025, 8, 7, 10, 0))
    stored = json.loads(json.dumps(to_dict(result)))
    assert from_dict(stored) == result
