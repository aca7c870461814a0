"""People, organisations and places: recognition, normalisation and keys."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfeed.enrich.entities import Entity, entity_key, extract_entities, link_keys


def by_key(text: str, tags: tuple[str, ...] = ()) -> dict[str, Entity]:
    return {e.key: e for e in extract_entities(text, tags)}


def test_titles_stripped_and_surnames_linked_within_an_article() -> None:
    text = (
        "Russia's President Vladimir Putin met envoys in Moscow. "
        "Later, Putin said the talks went well."
    )
    found = by_key(text)
    putin = found["person:vladimir-putin"]
    assert putin.name == "Vladimir Putin"
    assert [m.text for m in putin.mentions] == ["Vladimir Putin", "Putin"]
    assert putin.roles == ("Russia's President",)
    assert "place:russia" in found
    assert "place:moscow" in found


def test_same_key_across_articles() -> None:
    a = by_key("Russian President Vladimir Putin spoke on Friday.")
    b = by_key("Vladimir Putin, speaking in Sochi, said Putin would not attend.")
    assert "person:vladimir-putin" in a
    assert "person:vladimir-putin" in b
    assert entity_key("Vladimir Putin", "person") == "person:vladimir-putin"


def test_country_aliases_share_one_key() -> None:
    found = by_key("The U.S. and the United States of America and US troops and America.")
    us = found["place:united-states"]
    assert us.name == "United States"
    assert {m.text for m in us.mentions} == {"U.S.", "United States of America", "US", "America"}


def test_organisations_by_word_acronym_and_known_name() -> None:
    found = by_key(
        "The Bank of England and NATO spoke to Reuters, the Ministry of Defence said, "
        "as The Washington Post reported."
    )
    assert found["org:bank-of-england"].kind == "org"
    assert found["org:nato"].kind == "org"
    assert found["org:reuters"].kind == "org"
    assert found["org:ministry-of-defence"].kind == "org"
    assert found["org:washington-post"].name == "The Washington Post"


def test_role_words_before_a_name_make_it_a_person() -> None:
    found = by_key("The deal was backed by senior aide Kato Mbeki and spokesman Ilya Dzhus.")
    assert found["person:kato-mbeki"].roles == ("senior aide",)
    assert found["person:ilya-dzhus"].kind == "person"


def test_first_name_alone_joins_the_only_person_with_it() -> None:
    found = by_key("Tim Zadorozhnyy is an editor. After moving to Warsaw, Tim joined NEXTA.")
    tim = found["person:tim-zadorozhnyy"]
    assert [m.text for m in tim.mentions] == ["Tim Zadorozhnyy", "Tim"]


def test_people_sharing_a_surname_stay_apart() -> None:
    text = "Donald Trump spoke. Melania Trump waved. Trump then left."
    found = by_key(text)
    assert "person:donald-trump" in found
    assert "person:melania-trump" in found
    melania = found["person:melania-trump"]
    assert "Trump" in {m.text for m in melania.mentions}  # the nearest full name wins


def test_person_named_like_a_town() -> None:
    found = by_key("Paris Hilton visited Paris.")
    assert found["person:paris-hilton"].kind == "person"
    assert found["place:paris"].kind == "place"


def test_sentence_openers_and_furniture_are_not_entities() -> None:
    text = "However, the plan failed. Editor's note: updated. News Feed\nRead more"
    assert extract_entities(text) == ()


def test_publisher_tags_name_entities() -> None:
    assert "person:zorbo-quix" not in by_key("Talks with Zorbo Quix went well.")
    assert by_key("Talks with Zorbo Quix went well.", ("Zorbo Quix",))["person:zorbo-quix"]


def test_other_languages_still_find_places() -> None:
    found = by_key("Der Kanzler reiste nach Kiew und Moskau.")
    assert "place:kyiv" in found
    assert "place:moscow" in found


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_consistent_entities(text: str) -> None:
    for entity in extract_entities(text):
        assert entity.kind in {"person", "org", "place"}
        assert entity.key.startswith(entity.kind + ":")
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text


def test_keys_link_across_articles() -> None:
    first = extract_entities("Russian President Vladimir Putin spoke in Moscow.")
    second = extract_entities("President Putin said the talks went well, TASS reported.")
    third = extract_entities("The World Health Organization warned. WHO said more.")
    links = link_keys([first, second, third])
    assert links["person:putin"] == "person:vladimir-putin"
    assert links["person:vladimir-putin"] == "person:vladimir-putin"
    assert links["org:tass"] == "org:tass"
    who = next(e for e in third if e.kind == "org")
    assert who.key == "org:world-health-organization"
    assert {m.text for m in who.mentions} == {"World Health Organization", "WHO"}


def test_ambiguous_surnames_stay_unlinked() -> None:
    a = extract_entities("Donald Trump spoke. Melania Trump waved.")
    b = extract_entities("President Trump left.")
    assert link_keys([a, b])["person:trump"] == "person:trump"


def test_titles_of_works_are_not_entities() -> None:
    text = (
        "Taylor Swift released the album The Tortured Poets Department, with the track "
        "“So High School” on it. They’re Celebrating Taylor Swift tonight."
    )
    assert set(by_key(text)) == {"person:taylor-swift"}


def test_headline_in_title_case_trusts_only_gazetteers() -> None:
    text = "New Plot Twist in Idaho Murders Case: Roommate Agrees to Interview\nThe case goes on."
    assert set(by_key(text)) == {"place:idaho"}


def test_names_listed_beside_a_person_are_people() -> None:
    found = by_key("Goals came from Trevoh Chalobah and Nicolas Jackson before Erik Ten Hag left.")
    assert {"person:trevoh-chalobah", "person:nicolas-jackson", "person:erik-ten-hag"} <= set(found)


def test_clubs_named_after_their_city_are_organisations() -> None:
    found = by_key("They face Nottingham Forest, then Manchester United in London.")
    assert found["org:nottingham-forest"].kind == "org"
    assert found["org:manchester-united"].kind == "org"
    assert found["place:london"].kind == "place"
