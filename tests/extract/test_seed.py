"""The seed page (issue 3): a Ghost/Casper page carrying the Kyiv Independent story."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfeed.extract import extract
from newsfeed.types import Article

FIXTURE = Path(__file__).parent / "fixtures" / "seed_ghost.html"
URL = "https://kyivindependent.com/putin-trump-to-meet-in-the-coming-days-moscow-says/"
SEED_PARAGRAPHS = (
    "Russian President Vladimir Putin and U.S. President Donald Trump are expected to hold a "
    "meeting in the coming days, Russian foreign policy aide Yuri Ushakov said on Aug. 7.",
    "Preparations for the meeting are underway, while the venue has already been agreed upon, "
    "Ushakov added, according to the Russian state news agency TASS.",
    '"At the suggestion of the American side, an agreement was reached in principle to hold a '
    'bilateral summit meeting in the coming days," Ushakov said.',
    '"The target date was set for next week, but the parties are already starting to prepare '
    "for this important meeting, and it is difficult to say how many days the preparation will "
    'take."',
    'Ushakov claimed that Witkoff "raised the idea of a trilateral meeting between Putin, Trump, '
    'and Zelensky," though Moscow has yet to formally comment on the proposal.',
    "The talks would mark a significant diplomatic moment for Trump, who has touted his ability "
    "to end wars and negotiate peace deals.",
)


@pytest.fixture(scope="module")
def article() -> Article:
    return extract(FIXTURE.read_bytes(), URL)


def test_headline(article: Article) -> None:
    assert article.title == "Putin, Trump to meet in the coming days, Moscow says"


def test_stated_reading_time(article: Article) -> None:
    assert article.stated_reading_time == 3


def test_lead_image_caption_and_credit_apart(article: Article) -> None:
    lead = article.lead_image
    assert lead is not None
    assert lead.url.endswith("GettyImages-1000420286.jpg")
    assert lead.caption == (
        "US President Donald Trump (L) and Russia's President Vladimir Putin (R) at Finland's "
        "Presidential Palace in Helsinki, Finland on July 16, 2018."
    )
    assert lead.credit == "Brendan Smialowski / AFP via Getty Images"


def test_editor_note_is_a_note_not_body(article: Article) -> None:
    assert [(n.kind, n.text) for n in article.editor_notes] == [
        (
            "editor_note",
            "Editor's note: The story was updated with comments by President Volodymyr Zelensky.",
        )
    ]
    assert "Editor's note" not in article.text


def test_body_paragraphs_in_order_with_quotes(article: Article) -> None:
    text = article.text
    positions = [text.find(paragraph) for paragraph in SEED_PARAGRAPHS]
    assert -1 not in positions, [
        p for p, i in zip(SEED_PARAGRAPHS, positions, strict=True) if i < 0
    ]
    assert positions == sorted(positions)
    assert text.startswith(SEED_PARAGRAPHS[0])
    assert text.endswith(SEED_PARAGRAPHS[-1])
    quotes = [b.text for b in article.blocks if b.kind == "quote"]
    assert quotes[0] == SEED_PARAGRAPHS[3]
    assert len(text.split("\n\n")) == 17


def test_related_teaser_is_a_link_not_body(article: Article) -> None:
    assert len(article.related) == 1
    link = article.related[0]
    assert link.title.startswith("President Trump has all the cards to stop Russia’s war")
    assert link.url.startswith("https://kyivindependent.com/president-trump-has-all-the-cards")
    assert link.excerpt is not None
    assert link.excerpt.endswith("shortened his unilateral deadline. A day…")
    assert "lat…" not in link.excerpt
    assert "President Trump has all the cards" not in article.text
    assert "blank check" not in article.text


def test_author_with_role_and_bio(article: Article) -> None:
    assert [a.name for a in article.authors] == ["Tim Zadorozhnyy"]
    author = article.authors[0]
    assert author.role == "News Editor"
    assert author.bio is not None
    assert author.bio.startswith("Tim Zadorozhnyy is a news editor at The Kyiv Independent.")
    assert author.avatar_url is not None
    assert author.avatar_url.endswith("tim.jpg")


@pytest.mark.parametrize(
    "furniture",
    ["Article image", "Avatar", "Read more", "News Feed", "Show More", "Share on X", "Join now",
     "Tim Zadorozhnyy", "Support independent journalism", "3 min read"],
)  # fmt: skip
def test_no_furniture_in_text(article: Article, furniture: str) -> None:
    assert furniture not in article.text


def test_body_figure_with_lazy_source_and_credit(article: Article) -> None:
    assert len(article.figures) == 1
    figure = article.figures[0]
    assert figure.url == "https://kyivindependent.com/content/images/2025/08/witkoff-putin.jpg"
    assert figure.caption == "Steve Witkoff meets Vladimir Putin in Moscow on Aug. 6, 2025."
    assert figure.credit == "Gavriil Grigorov / POOL / AFP"
    assert "Steve Witkoff meets" not in article.text


def test_counts_and_computed_reading_time(article: Article) -> None:
    assert article.word_count == 467
    # 467 words / 265 wpm = 105.7 s, + 12 s lead image + 11 s body figure = 128.7 s → 3 min
    assert article.reading_time == 3


def test_sanitised_html(article: Article) -> None:
    html = article.html
    assert html.startswith("<p>Russian President Vladimir Putin")
    assert "<blockquote>" in html
    assert 'src="https://kyivindependent.com/content/images/2025/08/witkoff-putin.jpg"' in html
    assert "<small>Gavriil Grigorov / POOL / AFP</small>" in html
    assert "class=" not in html
    assert "Editor's note" not in html
    assert "kg-bookmark" not in html
