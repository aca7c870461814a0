"""Which part of a page becomes the body: cases general extractors get wrong."""

from __future__ import annotations

from newsfeed.extract import ExtractOptions, extract

BODY_ONLY = ExtractOptions(metadata=False, html=False)
SENTENCE = (
    "The council approved the new budget after a long debate, with most members agreeing "
    "that the city needs more money for schools, parks and public transport next year. "
)


def _paragraphs(count: int, tag: str = "p") -> str:
    return "".join(f"<{tag}>{n}. {SENTENCE * 2}</{tag}>" for n in range(count))


def test_unclosed_tag_in_noscript_does_not_swallow_the_page() -> None:
    page = (
        '<html><body><noscript><div id="nojs"></noscript>'
        f"<div id='main'><h1>Budget</h1><div class='text'>{_paragraphs(5)}</div></div>"
        "</body></html>"
    )
    text = extract(page, None, BODY_ONLY).text
    assert "0. The council approved" in text
    assert "4. The council approved" in text


def test_furigana_without_fallback_is_dropped() -> None:
    ruby = "<ruby>子<rt>こ</rt></ruby>どもの<ruby>法律<rt>ほうりつ</rt></ruby>ができました。"
    page = f"<html><body><article>{_paragraphs(3)}<p>{ruby * 5}</p></article></body></html>"
    text = extract(page, None, BODY_ONLY).text
    assert "子どもの法律ができました。" in text
    assert "ほうりつ" not in text


def test_blocks_split_across_page_builder_sections_are_joined() -> None:
    section = (
        '<div class="outer"><div class="container"><div class="row"><div class="col">'
        '<div class="textpic"><div class="fliess">{}</div></div></div></div></div></div>'
    )
    page = (
        "<html><body><nav><a href='/'>Home</a></nav><div class='content-text'>"
        + "".join(section.format(_paragraphs(2)) for _ in range(4))
        + "</div><footer>Impressum</footer></body></html>"
    )
    text = extract(page, None, BODY_ONLY).text
    assert text.count("The council approved") == 4 * 2 * 2


def test_lead_just_before_the_body_container_is_kept() -> None:
    lead = "Lead: " + SENTENCE
    page = (
        "<html><body><div class='page'><div class='story'>"
        f"<p>{lead}</p><div class='story-body'>{_paragraphs(8)}</div>"
        "</div><aside><a href='/a'>Most read</a></aside></div></body></html>"
    )
    text = extract(page, None, BODY_ONLY).text
    assert text.startswith("Lead: The council approved")
    assert "Most read" not in text


def test_accordion_marked_tablist_keeps_its_paragraphs() -> None:
    page = (
        "<html><body><main><h1>Jobs report</h1>"
        f"<div class='accordion' role='tablist'>{_paragraphs(4)}</div>"
        "</main></body></html>"
    )
    assert "3. The council approved" in extract(page, None, BODY_ONLY).text


def test_cookie_banner_hidden_from_screen_readers_is_still_furniture() -> None:
    banner = f"<div class='cookie-consent-wrap' aria-hidden='true'>{_paragraphs(6)}</div>"
    page = (
        f"<html><body><article><h1>Budget</h1><p>Body. {SENTENCE * 3}</p>"
        f"<p>More body. {SENTENCE * 3}</p></article>{banner}</body></html>"
    )
    text = extract(page, None, BODY_ONLY).text
    assert text.startswith("Body.")
    assert "0. The council" not in text
