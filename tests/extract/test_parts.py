"""The small parts of body extraction: credits, lazy images, notes, excerpts, sanitising."""

from __future__ import annotations

import lxml.html
import pytest

from newsfeed.extract import extract
from newsfeed.extract._figures import image_url, split_credit
from newsfeed.extract._notes import note_kind
from newsfeed.extract._related import excerpt_at_word
from newsfeed.extract._sanitize import sanitize


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        (
            "Trump in Helsinki on July 16, 2018. (Brendan Smialowski / AFP via Getty Images)",
            ("Trump in Helsinki on July 16, 2018.", "Brendan Smialowski / AFP via Getty Images"),
        ),
        ("Kyiv. Photo: Jane Doe/Reuters", ("Kyiv.", "Photo: Jane Doe/Reuters")),
        ("The mayor (left) speaks to reporters.", ("The mayor (left) speaks to reporters.", None)),
        ("Rescue workers (AP Photo/Efrem Lukatsky)", ("Rescue workers", "AP Photo/Efrem Lukatsky")),
        ("", (None, None)),
    ],
)  # fmt: skip
def test_split_credit(caption: str, expected: tuple[str | None, str | None]) -> None:
    assert split_credit(caption) == expected


def _img(attrs: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(f"<img {attrs}>")


def test_lazy_image_sources() -> None:
    base = "https://example.com/news/story"
    placeholder = 'src="data:image/gif;base64,R0lGOD"'
    assert image_url(_img(f'{placeholder} data-src="/a.jpg"'), base) == "https://example.com/a.jpg"
    assert image_url(_img('src="blank.gif" data-lazy-src="b.jpg"'), base) == (
        "https://example.com/news/b.jpg"
    )
    srcset = 'srcset="/s.jpg 300w, /l.jpg 1200w, /m.jpg 600w" src="/s.jpg"'
    assert image_url(_img(srcset), base) == "https://example.com/l.jpg"
    assert image_url(_img('srcset="/x1.jpg 1x, /x2.jpg 2x"'), base) == "https://example.com/x2.jpg"
    assert image_url(_img('src="//cdn.example.net/c.jpg"'), None) == "https://cdn.example.net/c.jpg"
    assert image_url(_img(placeholder), base) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Editor's note: The story was updated with comments by Zelensky.", "editor_note"),
        ("Editor’s Note — this piece first ran in 2019.", "editor_note"),
        ("Correction: An earlier version misstated the date.", "correction"),
        ("Clarification: The quote was from the mayor's office.", "correction"),
        ("Update: Police have named the suspect.", "update"),
        ("UPDATED (3:45 p.m.): The vote was postponed.", "update"),
        ("This story has been updated to include a response from the ministry.", "update"),
        ("Anmerkung der Redaktion: Der Text wurde ergänzt.", "editor_note"),
        ("The update to the software broke the app, users said.", None),
        ("Corrections officers went on strike on Monday.", None),
    ],
)
def test_note_kind(text: str, kind: str | None) -> None:
    assert note_kind(text) == kind


def test_excerpt_never_ends_mid_word() -> None:
    assert excerpt_at_word("A complete sentence.") == "A complete sentence."
    assert excerpt_at_word("He changed his mind. A day lat") == "He changed his mind. A day…"
    long = "word " * 200
    cut = excerpt_at_word(long, limit=50)
    assert cut.endswith("word…")
    assert len(cut) <= 51


def test_sanitize_allowlist() -> None:
    dirty = (
        '<p onclick="x()">Hi <a href="javascript:alert(1)">bad</a> <a href="https://ok.example/">'
        'good</a><script>alert(1)</script><iframe src="https://evil.example/"></iframe></p>'
    )
    clean = sanitize(dirty)
    assert "onclick" not in clean
    assert "javascript:" not in clean
    assert "<script" not in clean
    assert "alert(1)" not in clean
    assert "<iframe" not in clean
    assert 'href="https://ok.example/"' in clean
    assert 'rel="noopener noreferrer nofollow"' in clean


def test_loose_text_and_br_paragraphs_become_blocks() -> None:
    page = (
        "<html><body><div class='story'>First paragraph of loose text, long enough to count as "
        "body text here.<br><br>Second paragraph after a double break, also long enough to count."
        "<h2>A subheading</h2><ul><li>one item</li><li>two items</li></ul>"
        "<blockquote><p>A quoted line.</p></blockquote></div></body></html>"
    )
    article = extract(page)
    assert [b.kind for b in article.blocks] == [
        "paragraph",
        "paragraph",
        "heading",
        "list",
        "quote",
    ]
    assert article.text.split("\n\n") == [
        "First paragraph of loose text, long enough to count as body text here.",
        "Second paragraph after a double break, also long enough to count.",
        "A subheading",
        "one item",
        "two items",
        "A quoted line.",
    ]


def test_relative_links_resolved_in_html() -> None:
    page = (
        '<html><head><base href="/news/"></head><body><article><p>Read the <a href="report.pdf">'
        "full report</a> published by the committee on Tuesday, with all its annexes.</p>"
        "</article></body></html>"
    )
    article = extract(page, "https://example.com/2025/story")
    assert 'href="https://example.com/news/report.pdf"' in article.html


def test_options_body_only() -> None:
    from pathlib import Path

    from newsfeed.extract import ExtractOptions

    page = (Path(__file__).parent / "fixtures" / "seed_ghost.html").read_bytes()
    full = extract(page, "https://kyivindependent.com/x/")
    lean = extract(page, "https://kyivindependent.com/x/", ExtractOptions(False, False, False))
    assert lean.text == full.text
    assert lean.title == full.title
    assert (lean.html, lean.related, lean.authors) == ("", (), ())
    assert full.html
    assert full.related
    assert full.authors
