"""The seed article, hand-checked: every entity, quote, cited source and date in it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newsfeed.enrich.analysis import Analysis, analyse

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "seed_entities.json").read_text())


@pytest.fixture(scope="module")
def seed(shared_data: Path) -> tuple[str, Analysis]:
    text = (shared_data / "seed" / "news-feed-article.txt").read_text(encoding="utf-8")
    return text, analyse(text, datetime(2025, 8, 7, 9, 30, tzinfo=UTC))


def test_every_entity_found_with_its_canonical_name(seed: tuple[str, Analysis]) -> None:
    _, analysis = seed
    found = {e.key: e for e in analysis.entities}
    for gold in FIXTURE["entities"]:
        entity = found.get(gold["key"])
        assert entity is not None, f"missing {gold['key']}"
        assert (entity.name, entity.kind) == (gold["name"], gold["kind"])
        assert set(gold["forms"]) <= {m.text for m in entity.mentions}, gold["key"]


def test_no_entity_beyond_the_hand_checked_set(seed: tuple[str, Analysis]) -> None:
    _, analysis = seed
    gold = {g["key"] for g in FIXTURE["entities"]}
    assert {e.key for e in analysis.entities} == gold


def test_mentions_point_at_their_text(seed: tuple[str, Analysis]) -> None:
    text, analysis = seed
    for entity in analysis.entities:
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text


def test_titles_are_roles_not_names(seed: tuple[str, Analysis]) -> None:
    _, analysis = seed
    putin = next(e for e in analysis.entities if e.key == "person:vladimir-putin")
    assert "Russian President" in putin.roles
    assert len([m for m in putin.mentions if m.text == "Putin"]) >= 5
    ushakov = next(e for e in analysis.entities if e.key == "person:yuri-ushakov")
    assert ushakov.roles == ("foreign policy aide",)


def test_quotes_and_their_speakers(seed: tuple[str, Analysis]) -> None:
    text, analysis = seed
    assert len(analysis.quotes) == len(FIXTURE["quotes"])
    for quote, gold in zip(analysis.quotes, FIXTURE["quotes"], strict=True):
        assert quote.text.startswith(gold["starts"])
        assert quote.speaker_key == gold["speaker_key"], quote.text
        assert text[quote.start : quote.end] == quote.text
        if "cue" in gold:
            assert quote.cue == gold["cue"]


def test_cited_sources(seed: tuple[str, Analysis]) -> None:
    _, analysis = seed
    got = [(c.key, c.cue) for c in analysis.cited_sources]
    assert got == [(g["key"], g["cue"]) for g in FIXTURE["cited_sources"]]
    assert analysis.cited_sources[1].name == "The New York Times"


def test_every_date_resolved(seed: tuple[str, Analysis]) -> None:
    _, analysis = seed
    # The headline repeats, so "in the coming days" appears three times and "July 14" twice.
    distinct = list(dict.fromkeys((d.text, d.span_start) for d in analysis.dates))
    assert [t for t, _ in distinct] == [g["text"] for g in FIXTURE["dates"]]
    by_text = {d.text: d for d in analysis.dates}
    for gold in FIXTURE["dates"]:
        got = by_text[gold["text"]]
        if "value" in gold:
            assert got.value == date.fromisoformat(gold["value"]), gold["text"]
        for field in ("span_start", "span_end"):
            if field in gold:
                assert getattr(got, field) == date.fromisoformat(gold[field]), gold["text"]
        assert got.vague is gold.get("vague", False)
        if "granularity" in gold:
            assert got.granularity == gold["granularity"]
        assert got.text in got.sentence


def test_timeline_says_who_said_what_when(seed: tuple[str, Analysis]) -> None:
    _, analysis = seed
    events = analysis.timeline
    assert [e.date for e in events] == sorted(e.date for e in events)
    aug7 = [e for e in events if e.date == date(2025, 8, 7)]
    assert {e.said_by_key for e in aug7} == {"person:yuri-ushakov", "person:volodymyr-zelensky"}
    next_week = next(e for e in events if e.date_text == "next week")
    assert next_week.said_by_key == "person:yuri-ushakov"
    assert (next_week.date, next_week.date_end) == (date(2025, 8, 11), date(2025, 8, 17))
    deadline = next(e for e in events if e.date_text == "Sept. 2")
    assert "person:donald-trump" in deadline.entity_keys
