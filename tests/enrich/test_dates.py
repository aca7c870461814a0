"""Date expressions resolved against a publication date."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfeed.enrich._date_rules import RULES
from newsfeed.enrich.dates import DateMention, _matches, extract_dates

PUBLISHED = date(2025, 8, 7)  # a Thursday


def one(text: str, published: date = PUBLISHED) -> DateMention:
    found = extract_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He arrived on Aug. 7.", date(2025, 8, 7)),
        ("The deadline is by Sept. 2.", date(2025, 9, 2)),
        ("Trump took office on Jan. 20.", date(2025, 1, 20)),
        ("They met on July 16, 2018.", date(2018, 7, 16)),
        ("The file is dated 2024-02-29.", date(2024, 2, 29)),
        ("Talks resumed on 3 March 2022.", date(2022, 3, 3)),
        ("It happened yesterday.", date(2025, 8, 6)),
        ("It will happen tomorrow.", date(2025, 8, 8)),
        ("The talks ended on Tuesday.", date(2025, 8, 5)),
        ("The talks will resume on Tuesday.", date(2025, 8, 12)),
        ("We spoke on Thursday.", date(2025, 8, 7)),
        ("They met last Friday.", date(2025, 8, 1)),
        ("Nine days ago the line broke.", date(2025, 7, 29)),
    ],
)
def test_single_days(text: str, expected: date) -> None:
    mention = one(text)
    assert mention.value == expected
    assert mention.granularity == "day"
    assert text[mention.start : mention.end] == mention.text


def test_far_dates_without_a_year_follow_the_tense() -> None:
    published = date(1998, 2, 13)
    assert one("The plant closed on August 6.", published).value == date(1997, 8, 6)
    assert one("The plant will reopen on August 6.", published).value == date(1998, 8, 6)


@pytest.mark.parametrize(
    ("text", "timex"),
    [
        ("It began in July last year.", "2024-07"),
        ("It ended in January nineteen ninety-seven.", "1997-01"),
        ("Prices peaked in the nineties.", "199"),
        ("Sales rose sharply in the quarter.", "2025-Q2"),
        ("Fighting eased over the weekend.", "2025-W31-WE"),
        ("Talks are set for Saturday, Aug. 16.", "2025-08-16"),
        ("Talks resume this coming Monday.", "2025-08-11"),
        ("Snow fell in mid-February.", "2025-02"),
    ],
)
def test_more_expressions(text: str, timex: str) -> None:
    assert one(text).timex == timex


def test_year_rolls_over_near_new_year() -> None:
    assert one("Talks are set for Jan. 3.", date(2025, 12, 28)).value == date(2026, 1, 3)
    assert one("It opened on Dec. 30.", date(2026, 1, 2)).value == date(2025, 12, 30)


@pytest.mark.parametrize(
    ("text", "start", "end", "granularity", "timex"),
    [
        ("The summit is next week.", date(2025, 8, 11), date(2025, 8, 17), "week", "2025-W33"),
        ("Prices rose last month.", date(2025, 7, 1), date(2025, 7, 31), "month", "2025-07"),
        ("It was built in 2018.", date(2018, 1, 1), date(2018, 12, 31), "year", "2018"),
        (
            "Sales fell in the third quarter.",
            date(2025, 7, 1),
            date(2025, 9, 30),
            "quarter",
            "2025-Q3",
        ),
        ("It was the fashion in the 1990s.", date(1990, 1, 1), date(1999, 12, 31), "decade", "199"),
        ("It closed in December 1989.", date(1989, 12, 1), date(1989, 12, 31), "month", "1989-12"),
        ("They married last May.", date(2025, 5, 1), date(2025, 5, 31), "month", "2025-05"),
        ("It opens this summer.", date(2025, 6, 1), date(2025, 8, 31), "season", "2025-SU"),
        ("Rates fell two years ago.", date(2023, 1, 1), date(2023, 12, 31), "year", "2023"),
    ],
)
def test_spans(text: str, start: date, end: date, granularity: str, timex: str) -> None:
    mention = one(text)
    assert (mention.span_start, mention.span_end) == (start, end)
    assert mention.granularity == granularity
    assert mention.timex == timex
    assert mention.value is None
    assert not mention.vague


def test_vague_expressions() -> None:
    coming = one("They will meet in the coming days.")
    assert coming.vague
    assert coming.timex == "FUTURE_REF"
    assert date(2025, 8, 8) <= coming.span_start <= coming.span_end <= date(2025, 8, 31)
    assert one("Prices have risen recently.").timex == "PAST_REF"
    assert one("The market is calm now.").timex == "PRESENT_REF"


def test_each_mention_keeps_its_sentence() -> None:
    text = "Nothing happened. The talks ended on Tuesday. More later."
    mention = one(text)
    assert mention.sentence == "The talks ended on Tuesday."


def test_longest_expression_wins() -> None:
    found = extract_dates("They met on July 16, 2018, in Helsinki.", PUBLISHED)
    assert [m.text for m in found] == ["July 16, 2018"]


def test_datetime_with_timezone_is_accepted() -> None:
    published = datetime(2025, 8, 7, 23, 30, tzinfo=UTC)
    assert one("It happened yesterday.", published).value == date(2025, 8, 6)


def test_numbers_that_are_not_years() -> None:
    assert extract_dates("It costs 2019 dollars and rose 2020 percent.", PUBLISHED) == ()
    assert extract_dates("", PUBLISHED) == ()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_consistent_mentions(text: str) -> None:
    for m in extract_dates(text, PUBLISHED):
        assert text[m.start : m.end] == m.text
        assert m.span_start <= m.span_end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der Kanzler reiste am 7. August 2025 nach Kiew.", date(2025, 8, 7)),
        ("Le sommet aura lieu le 2 septembre.", date(2025, 9, 2)),
        ("El 20 de enero de 2025 asumió el cargo.", date(2025, 1, 20)),
        ("Il vertice si è tenuto il 14 luglio.", date(2025, 7, 14)),
        ("Am 07.08.2025 wurde verhandelt.", date(2025, 8, 7)),
        ("Das Treffen war gestern.", date(2025, 8, 6)),
    ],
)
def test_other_languages(text: str, expected: date) -> None:
    assert one(text).value == expected


def test_french_mars_is_not_the_planet() -> None:
    assert extract_dates("Mars is far and it mars the view.", PUBLISHED) == ()


def _rule_by_rule(text: str) -> list[tuple[int, int, int]]:
    """Every rule's matches found by its own scan of the whole text: what the one shared
    scan (``ANY_RULE``, with its first-word check) must find too."""
    return sorted(
        (m.start(), m.end(), k)
        for k, (pattern, _) in enumerate(RULES)
        for m in pattern.finditer(text)
    )


def _one_scan(text: str) -> list[tuple[int, int, int]]:
    rule = {pattern: k for k, (pattern, _) in enumerate(RULES)}
    return sorted((m.start(), m.end(), rule[m.re]) for m, _ in _matches(text))


def test_the_shared_scan_finds_what_each_rule_finds_on_real_news(shared_data: Path) -> None:
    files = sorted((shared_data / "timex" / "timebank").glob("*.tml"))
    assert len(files) > 100
    found = 0
    for path in files:
        text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
        expected = _rule_by_rule(text)
        assert _one_scan(text) == expected, path.name
        found += len(expected)
    assert found > 1000


@pytest.mark.parametrize(
    "text",
    [
        "THE PAST WEEK, In The Coming Days, AS SOON AS POSSIBLE, Right Now, Mid-May",
        "Aujourd'hui et demain; Ayer; 3 de marzo de 2024; 12.03.2024; the '90s, 1990s",
        "Fiscal 2024, A year ago, An eleven days later, several years ago, Nineteen eighty-four",
        "a an as at by in am and ant aug. Sept. sept. Sep. Jun. Jul. the theory thesis",
    ],
)
def test_the_shared_scan_misses_no_rule_whatever_the_case(text: str) -> None:
    assert _one_scan(text) == _rule_by_rule(text)
