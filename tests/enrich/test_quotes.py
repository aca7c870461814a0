"""Direct quotes, their speakers and cues, and cited sources."""

from __future__ import annotations

from newsfeed.enrich.quotes import Quote, cited_sources, extract_quotes


def speakers(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(q.text, q.speaker_key, q.cue) for q in extract_quotes(text)]


def test_cue_after_quote() -> None:
    text = '"We will not give up any land at all," Yuri Ushakov said on Friday.'
    assert speakers(text) == [
        ("We will not give up any land at all", "person:yuri-ushakov", "said")
    ]


def test_inverted_cue_and_curly_marks() -> None:
    text = "“The talks went well and will go on,” said Steve Witkoff."
    assert speakers(text) == [
        ("The talks went well and will go on", "person:steve-witkoff", "said")
    ]


def test_cue_before_quote_and_platform() -> None:
    text = 'President Volodymyr Zelensky wrote on X: "We are ready for a real peace now."'
    [(_, key, cue)] = speakers(text)
    assert (key, cue) == ("person:volodymyr-zelensky", "wrote on X")


def test_pronoun_goes_to_the_last_person_of_that_gender() -> None:
    text = (
        "Senator Elizabeth Warren questioned John Stumpf. "
        '"You should resign and give back the money," she said.'
    )
    [(_, key, _)] = speakers(text)
    assert key == "person:elizabeth-warren"


def test_description_goes_to_the_person_whose_role_fits() -> None:
    text = (
        "Russian President Vladimir Putin met President Volodymyr Zelensky.\n"
        '"Finding real solutions can be truly effective," the Ukrainian president said.'
    )
    [(_, key, _)] = speakers(text)
    assert key == "person:volodymyr-zelensky"


def test_quote_running_into_the_next_paragraph_keeps_its_speaker() -> None:
    text = (
        '"The target date was set for next week," Ushakov said.\n'
        '"It is difficult to say how many days the preparation will take."\n'
        "Officials gave no details.\n"
        '"This sentence stands without any speaker at all."'
    )
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Ushakov", "Ushakov", None]
    assert quotes[1].speaker_start is None  # inherited, not stated


def test_paragraph_ending_with_a_colon_introduces_the_next_quote() -> None:
    text = 'Mike Pence said:\n"We will win this state by a wide margin in November."'
    [(_, key, _)] = speakers(text)
    assert key == "person:mike-pence"


def test_short_scare_quotes_without_a_cue_are_not_quotes() -> None:
    assert extract_quotes('The so-called "peace plan" stalled.') == ()


def test_spans_point_at_the_quoted_words() -> None:
    text = 'He left. "Nothing will change in this town soon," Ana Brnabic said.'
    [q] = extract_quotes(text)
    assert isinstance(q, Quote)
    assert text[q.start : q.end] == q.text
    assert q.speaker_start is not None
    assert q.speaker_end is not None
    assert text[q.speaker_start : q.speaker_end] == "Ana Brnabic"


def test_cited_sources() -> None:
    text = (
        "Troops moved, according to the Russian state news agency TASS. "
        "The New York Times reported that talks stalled. "
        "A photo by Jane Doe via Getty Images."
    )
    got = [(c.name, c.cue) for c in cited_sources(text)]
    assert got == [("TASS", "according to"), ("The New York Times", "reported")]


def test_text_without_quotes() -> None:
    assert extract_quotes("") == ()
    assert extract_quotes('An odd " mark and no closing one') == ()
