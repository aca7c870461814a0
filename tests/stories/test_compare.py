"""What each article of a story adds, compared with the other outlets' articles."""

from __future__ import annotations

from newsfeed.stories._compare import (
    CompareOptions,
    Coverage,
    split_sentences,
    what_each_adds,
)

WIRE = (
    "Negotiators from both countries agreed late on Thursday to extend the ceasefire by "
    "thirty days, according to officials familiar with the talks. The agreement, reached "
    "after eleven hours of talks at a lakeside hotel, allows aid convoys to reach the "
    "besieged eastern towns for the first time since spring."
)
LOCAL = "Shopkeepers in the border town of Valmora said they would reopen their stalls on Monday."
REACTION = "The opposition leader called the deal a surrender dressed up as a humanitarian pause."


def test_wire_copies_add_only_their_own_lines() -> None:
    adds = what_each_adds(
        [
            Coverage(1, "Wire Daily", WIRE),
            Coverage(2, "The Courier", f"{WIRE}\n{LOCAL}"),
            Coverage(3, "Evening Post", f"{REACTION} {WIRE}"),
        ]
    )
    assert adds[1].sentences == ()
    assert adds[2].sentences == (LOCAL,)
    assert adds[3].sentences == (REACTION,)
    assert adds[2].terms == ("shopkeepers", "valmora", "border", "monday", "reopen")
    assert set(adds[3].terms) <= set(REACTION.lower().split())
    assert adds[1].terms == ()


def test_lightly_reworded_sentence_is_not_new() -> None:
    reworded = WIRE.replace("late on Thursday", "on Thursday night")
    adds = what_each_adds([Coverage(1, "A", WIRE), Coverage(2, "B", reworded)])
    assert adds[2].sentences == ()


def test_at_most_three_sentences_cut_at_a_word_boundary() -> None:
    own = [
        f"Witness number {n} described the queue of lorries stretching back towards the "
        f"mountain pass {'and the river crossing ' * n}at dawn."
        for n in range(1, 6)
    ]
    adds = what_each_adds(
        [Coverage(1, "A", WIRE), Coverage(2, "B", " ".join(own))],
        CompareOptions(excerpt_chars=80),
    )
    chosen = adds[2].sentences
    assert len(chosen) == 3
    for sentence in chosen:
        assert len(sentence) <= 80
        assert sentence.endswith("…")
        assert sentence[:-1].rstrip() in " ".join(own)  # cut between words, never mid-word
    # The longest three, shown in reading order.
    assert [s.split()[2] for s in chosen] == ["3", "4", "5"]


def test_same_outlet_articles_are_not_compared_with_each_other() -> None:
    first = f"{WIRE} {REACTION}"
    update = f"{WIRE} {REACTION} {LOCAL}"
    adds = what_each_adds(
        [Coverage(1, "Post", first), Coverage(2, "Post", update), Coverage(3, "Wire", WIRE)]
    )
    assert adds[1].sentences == (REACTION,)
    assert adds[2].sentences == (LOCAL,)  # the reaction was credited to the first article
    assert adds[3].sentences == ()


def test_one_outlet_has_nothing_to_compare() -> None:
    adds = what_each_adds([Coverage(1, "A", WIRE), Coverage(2, "A", LOCAL)])
    assert adds[1].sentences == adds[2].sentences == ()
    assert what_each_adds([]) == {}


def test_short_lines_and_empty_texts_are_skipped() -> None:
    adds = what_each_adds([Coverage(1, "A", "GENEVA (Reuters)\nRead more"), Coverage(2, "B", "")])
    assert adds[1].sentences == ()
    assert adds[2].sentences == ()


def test_split_sentences_keeps_quotes_and_paragraphs() -> None:
    text = 'He said "we will stay." Then he left!\nNew paragraph without a stop\n\n  '
    assert split_sentences(text) == [
        'He said "we will stay."',
        "Then he left!",
        "New paragraph without a stop",
    ]
