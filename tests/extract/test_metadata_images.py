"""Lead image: sources, lazy loading, relative URLs, caption and credit apart."""

from __future__ import annotations

import lxml.html
import pytest

from newsfeed.extract._captions import split_credit
from newsfeed.extract._metadata import extract_metadata
from newsfeed.types import Image


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        (
            "Trump and Putin in Helsinki on July 16, 2018. "
            "(Brendan Smialowski / AFP via Getty Images)",
            "Trump and Putin in Helsinki on July 16, 2018.",
            "Brendan Smialowski / AFP via Getty Images",
        ),
        ("A quiet street. Photo: Jane Doe", "A quiet street.", "Jane Doe"),
        ("A quiet street. Credit: Jane Doe/Reuters", "A quiet street.", "Jane Doe/Reuters"),
        ("Eine Straße. Foto: dpa", "Eine Straße.", "dpa"),
        ("A quiet street © Jane Doe", "A quiet street", "Jane Doe"),
        ("A quiet street. Photo by Jane Doe", "A quiet street.", "Jane Doe"),
        ("Ministers meet (Archivbild)", "Ministers meet (Archivbild)", None),
        ("Tyson Fury (l) and Oleksandr Usyk", "Tyson Fury (l) and Oleksandr Usyk", None),
        ("(Getty Images)", None, "Getty Images"),
    ],
)
def test_split_credit(text: str, caption: str | None, credit: str | None) -> None:
    assert split_credit(text) == (caption, credit)


def _image(page: str, url: str | None = "https://ex.com/news/story") -> Image | None:
    return extract_metadata(lxml.html.fromstring(page), url).lead_image


def test_page_image_of_the_og_image_file_with_its_figure_caption() -> None:
    page = """<html><head><meta property="og:image" content="/img/big/harbour.jpg">
    <meta property="og:image:width" content="1200"></head><body><article>
    <figure><img src="/img/small/harbour.jpg" alt="Boats in the harbour" width="800">
    <figcaption>Boats in the harbour. <span class="credit">Jo Pike/AP</span></figcaption></figure>
    </article></body></html>"""
    image = _image(page)
    assert image == Image(
        url="https://ex.com/img/small/harbour.jpg",
        alt="Boats in the harbour",
        caption="Boats in the harbour.",
        credit="Jo Pike/AP",
        width=800,
    )


def test_header_figure_with_lazy_srcset_when_no_meta_image() -> None:
    page = """<html><body><header class="article-header"><figure>
    <img src="data:image/gif;base64,R0lGOD" data-srcset="/a-300.jpg 300w, /a-1200.jpg 1200w">
    <figcaption>Crowds at the square <small class="copyright">© Li Wei</small></figcaption>
    </figure></header></body></html>"""
    image = _image(page)
    assert image is not None
    assert image.url == "https://ex.com/a-1200.jpg"
    assert image.caption == "Crowds at the square"
    assert image.credit == "Li Wei"


def test_protocol_relative_and_base_href() -> None:
    page = """<html><head><base href="https://cdn.ex.org/site/">
    <meta name="twitter:image" content="pics/p.png"></head></html>"""
    image = _image(page)
    assert image is not None
    assert image.url == "https://cdn.ex.org/site/pics/p.png"
    relative = '<html><head><meta property="og:image" content="//img.ex.com/p.jpg"></head></html>'
    image = _image(relative)
    assert image is not None
    assert image.url == "https://img.ex.com/p.jpg"


def test_social_image_when_the_page_does_not_show_it() -> None:
    page = """<html><head><meta property="og:image" content="https://cdn.ex.com/card.png">
    <meta property="og:image:width" content="1200"></head><body><article><p>Text</p>
    </article><aside><figure><img src="/ad.png"></figure></aside></body></html>"""
    assert _image(page) == Image(url="https://cdn.ex.com/card.png", width=1200)


def test_first_article_figure_without_social_image() -> None:
    page = """<html><body><nav><img src="/logo.png"></nav><article><p>Intro</p>
    <figure><picture><source srcset="/p-640.webp 640w, /p-1280.webp 1280w">
    <img src="/p-640.jpg" alt="A pier"></picture><figcaption>The pier (AFP)</figcaption>
    </figure></article></body></html>"""
    image = _image(page)
    assert image is not None
    assert (image.url, image.caption, image.credit) == (
        "https://ex.com/p-640.jpg",
        "The pier",
        "AFP",
    )


def test_no_image() -> None:
    assert _image("<html><body><p>text</p></body></html>") is None


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        ("Arnaldo Báez se marcha. (Edu Luque)", "Arnaldo Báez se marcha.", "Edu Luque"),
        ("Albares, en Madrid. EFE/ J.J. Guillén", "Albares, en Madrid.", "EFE/ J.J. Guillén"),
        ("Razzia in La Soledat / Lorenzo Marina", "Razzia in La Soledat", "Lorenzo Marina"),
        (
            "Rooms redesigned from the ground up. Supplied",
            "Rooms redesigned from the ground up.",
            "Supplied",
        ),
        ("Rejoice Ndlovu. Isithombe: Sithunyelwe", "Rejoice Ndlovu.", "Sithunyelwe"),
        ("He said so. Then he left.", "He said so. Then he left.", None),
    ],
)
def test_split_credit_more_forms(text: str, caption: str | None, credit: str | None) -> None:
    assert split_credit(text) == (caption, credit)


def test_caption_in_a_wrapper_without_figure_and_spans_kept_apart() -> None:
    page = """<html><head><meta property="og:image" content="https://ex.com/i/pier.jpg">
    </head><body><article><div class="media"><img src="/i/pier-800x600.jpg">
    <div class="caption"><span>The old pier.</span><span class="credit">Foto: Ana Ruiz</span>
    </div></div></article></body></html>"""
    image = _image(page)
    assert image is not None
    assert (image.url, image.caption, image.credit) == (
        "https://ex.com/i/pier-800x600.jpg",
        "The old pier.",
        "Ana Ruiz",
    )


def test_alt_text_as_caption_when_there_is_none() -> None:
    page = """<html><body><article><figure>
    <img src="/a.jpg" alt="Smoke rises over the city centre"></figure></article></body></html>"""
    image = _image(page)
    assert image is not None
    assert (image.caption, image.alt) == (
        "Smoke rises over the city centre",
        "Smoke rises over the city centre",
    )


def test_avatar_figure_is_not_the_lead_and_widest_picture_source_wins() -> None:
    page = """<html><body><article>
    <figure class="byline"><img src="/leo.jpg" width="40" alt="Bild av Leo"></figure>
    <figure><picture><source srcset="/s-450.jpg 450w, /s-2200.jpg 2200w">
    <img src="data:image/gif;base64,R0lGOD" alt="Smoke over the city"></picture></figure>
    </article></body></html>"""
    image = _image(page)
    assert image is not None
    assert image.url == "https://ex.com/s-2200.jpg"
