"""Hostile and broken input: a clear NotHTMLError or a best-effort article, in bounded time."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfeed.errors import NewsfeedError, NotHTMLError
from newsfeed.extract import MAX_INPUT_BYTES, extract
from newsfeed.extract._parse import flatten_deep_nesting

SEED = (Path(__file__).parent / "fixtures" / "seed_ghost.html").read_text(encoding="utf-8")
PARAGRAPH = (
    "<p>" + "The committee met on Tuesday, and it agreed to publish the report. " * 4 + "</p>"
)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        ("", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x1f\x8b\x08\x00" + bytes(50), "gzip"),
        (b"just some plain text, no markup at all", "no HTML tags"),
        (bytes(range(32)) * 40, "binary"),
        ('{"json": true, "items": [1, 2, 3]}', "no HTML tags"),
    ],
)
def test_not_html_is_refused_with_a_reason(data: str | bytes, why: str) -> None:
    with pytest.raises(NotHTMLError, match=why):
        extract(data)


def test_random_bytes_are_refused() -> None:
    with pytest.raises(NotHTMLError):
        extract(os.urandom(4096))


def test_fifty_megabyte_page_is_bounded() -> None:
    page = "<html><body><article>" + PARAGRAPH * 200_000 + "</article></body></html>"
    assert len(page) > 50_000_000
    start = time.perf_counter()
    article = extract(page.encode())
    elapsed = time.perf_counter() - start
    assert elapsed < 20, f"took {elapsed:.1f} s"
    # the input cap cuts the page: a best-effort article from its first 10 MiB
    assert 0 < len(article.text) <= MAX_INPUT_BYTES
    assert article.text.startswith("The committee met on Tuesday")


def test_hundred_thousand_levels_of_nesting_keep_the_article() -> None:
    page = (
        "<html><body>"
        + "<div>" * 100_000
        + "deep"
        + "</div>" * 100_000
        + f"<article>{PARAGRAPH * 3}</article></body></html>"
    )
    start = time.perf_counter()
    article = extract(page)
    assert time.perf_counter() - start < 10
    assert article.text.startswith("The committee met on Tuesday")


def test_unclosed_deep_inline_nesting() -> None:
    article = extract("<html><body>" + "<span><b>" * 50_000 + PARAGRAPH + "</body></html>")
    assert "The committee met on Tuesday" in article.text


def test_flatten_keeps_text_and_caps_depth() -> None:
    flat = flatten_deep_nesting("<div>" * 10 + "x" + "</div>" * 10 + "<p>y</p>", max_depth=3)
    assert flat == "<div><div><div>x</div></div></div><p>y</p>"


def test_mislabelled_utf8_declared_latin1() -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Café – naïve ‘quotes’</p>'
    article = extract(page.encode("utf-8"))
    assert "Café – naïve ‘quotes’" in article.text


def test_mislabelled_latin1_declared_utf8() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>Größere Straße in München</p>'
    article = extract(page.encode("latin-1"))
    assert "Größere Straße in München" in article.text


def test_declared_legacy_charset_is_used() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Київ і Львів</p>'
    assert "Київ і Львів" in extract(page.encode("cp1251")).text


def test_http_equiv_charset_and_bom() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=shift_jis">'
        "</head><body><p>東京の天気は晴れです</p>"
    )
    assert "東京の天気は晴れです" in extract(page.encode("shift_jis")).text
    bom = "\ufeff<html><body><p>Ünïcödé with a BOM</p>".encode("utf-16")
    assert "Ünïcödé with a BOM" in extract(bom).text


def test_unknown_declared_charset_falls_back() -> None:
    page = '<html><head><meta charset="x-no-such-charset"></head><body><p>Plain words</p>'
    assert "Plain words" in extract(page.encode()).text


def test_xml_declaration_in_a_string_is_accepted() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?><html><body><p>Served as XHTML</p></body></html>'
    assert "Served as XHTML" in extract(page).text


def _mutations() -> st.SearchStrategy[str]:
    cut = st.integers(min_value=0, max_value=len(SEED))
    junk = st.text(alphabet=st.sampled_from(list("<>/=\"' &;#abcdiv\x00\ufeff\n")), max_size=60)
    return st.tuples(cut, cut, junk).map(lambda t: SEED[: t[0]] + t[2] + SEED[t[1] :])


@settings(
    max_examples=150,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300), _mutations()))
def test_random_and_mutated_html_never_crashes(data: str | bytes) -> None:
    start = time.perf_counter()
    try:
        article = extract(data, "https://example.com/a/b")
    except NewsfeedError as exc:
        message = str(exc)
        assert message, "errors must say why"
    else:
        assert isinstance(article.text, str)
        assert "<script" not in article.html
    assert time.perf_counter() - start < 2
