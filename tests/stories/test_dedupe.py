"""Near-duplicate links: MinHash signatures over word shingles, found through LSH."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from newsfeed.errors import ConfigError, StorageError
from newsfeed.stories import DedupeOptions, DuplicateIndex
from newsfeed.stories._dedupe import shingles

WIRE = (
    "MEXICO CITY (AP) — Mexico's economy grew by 1.1% in the first quarter of 2023, bringing "
    "growth to an annualized rate of 3.8% compared to the same period of 2022, the national "
    "statistics institute said Friday. The institute said growth was spurred by an expansion "
    "in industry and services, which offset a 3.2% drop in agriculture and mining. It marked "
    "the sixth consecutive quarter of growth since the coronavirus pandemic."
)
OTHER = (
    "The city council voted on Tuesday to extend the tram line to the northern suburbs, a "
    "project first proposed a decade ago. Construction is due to begin next spring and the "
    "first trams should run in three years, officials said after a long debate."
)


def fundus_bodies(shared_data: Path, publisher: str) -> list[str]:
    bodies = []
    for case in sorted((shared_data / "pages" / "fundus" / publisher).glob("*/")):
        body = json.loads((case / "expected.json").read_text())["body"]
        paragraphs = list(body.get("summary") or [])
        for section in body.get("sections") or []:
            paragraphs += section.get("paragraphs") or []
        bodies.append("\n".join(paragraphs))
    return bodies


def test_syndicated_copy_is_linked_not_dropped() -> None:
    index = DuplicateIndex()
    assert index.add(1, WIRE) == []
    assert index.add(2, OTHER) == []
    assert index.add(3, WIRE.replace("MEXICO CITY (AP) — ", "")) == [1]
    assert len(index) == 3  # the copy is indexed too, so a later copy links to both
    assert index.add(4, WIRE) == [1, 3]


def test_light_edit_still_matches_but_a_different_story_does_not() -> None:
    index = DuplicateIndex()
    index.add(1, WIRE)
    edited = WIRE.replace("Friday", "on Friday").replace("sixth", "6th") + " More soon."
    assert [m for m, _ in index.matches(edited)] == [1]
    assert index.matches(OTHER) == []


def test_signature_round_trip_rebuilds_the_index() -> None:
    first = DuplicateIndex()
    first.add(7, WIRE)
    stored = first.signature(7)
    assert isinstance(stored, bytes)
    assert len(stored) == 4 * first.options.num_perm
    assert stored == first.signature_of(WIRE)
    rebuilt = DuplicateIndex()
    assert rebuilt.add_signature(7, stored) == []
    assert rebuilt.add(8, WIRE) == [7]


def test_signature_is_datasketch_minhash_of_the_shingles(shared_data: Path) -> None:
    # Signatures are stored: the index's own arithmetic must stay datasketch's, bit for bit.
    index = DuplicateIndex()
    texts = [WIRE, OTHER, "Straße İstanbul ﬁne", "one two", *fundus_bodies(shared_data, "WAZ")]
    for text in texts:
        sketch = MinHash(num_perm=128, seed=1)
        sketch.update_batch(list(shingles(text, 4)))
        assert index.signature_of(text) == sketch.hashvalues.astype("<u4").tobytes()
    assert np.frombuffer(index.signature_of(WIRE), "<u4").max() < 2**32 - 1


def test_shingles_are_normalised_word_grams() -> None:
    text = "Ａ  quick, QUICK brown fox — jumps!"
    assert shingles(text, 4) == {
        b"a quick quick brown",
        b"quick quick brown fox",
        b"quick brown fox jumps",
    }
    assert shingles("Just three words", 4) == {b"just three words"}
    assert shingles(" ... ", 4) == set()


def test_remove_forgets_and_re_adding_replaces() -> None:
    index = DuplicateIndex()
    index.add(1, WIRE)
    index.remove(1)
    index.remove(1)  # removing twice is harmless
    assert 1 not in index
    assert index.add(2, WIRE) == []
    index.add(3, OTHER)
    assert index.add(3, WIRE) == [2]  # article 3 was revised into a copy of 2
    assert index.matches(OTHER) == []


def test_empty_text_has_no_duplicates_and_an_empty_signature() -> None:
    index = DuplicateIndex()
    assert index.add(1, "   ") == []
    assert index.signature_of("") == b""
    assert index.add_signature(2, b"") == []
    assert len(index) == 0


def test_corrupt_signature_is_a_storage_error() -> None:
    with pytest.raises(StorageError, match="reindex"):
        DuplicateIndex().add_signature(1, b"\x00" * 10)


def test_bad_threshold_is_refused() -> None:
    with pytest.raises(ConfigError, match="threshold"):
        DuplicateIndex(DedupeOptions(threshold=0.0))
    with pytest.raises(ConfigError, match="num_perm"):
        DuplicateIndex(DedupeOptions(num_perm=4))


def test_real_outlet_stories_are_not_linked_but_their_copies_are(shared_data: Path) -> None:
    bodies = fundus_bodies(shared_data, "WAZ")
    assert len(bodies) >= 3
    index = DuplicateIndex()
    for number, body in enumerate(bodies):
        assert index.add(number, body) == []
    footer = "Mehr zum Thema | Impressum | Datenschutz | Newsletter abonnieren"
    copy_id = 100
    assert index.add(copy_id, bodies[1] + "\n" + footer) == [1]
