"""Which charset a body is decoded with."""

from __future__ import annotations

import codecs

import pytest

from newsfeed.fetch import decode, detect_charset

RUSSIAN = "Президент подписал закон о бюджете. Синоптики обещают сильные морозы на выходных."
PORTUGUESE = "A nova presidente da direção da Raríssimas é mãe de uma criança de três anos."


def test_bom_wins_over_everything() -> None:
    body = codecs.BOM_UTF8 + "<meta charset='koi8-r'>Grüße".encode()
    assert detect_charset(body, "text/html; charset=iso-8859-5") == "utf-8"
    assert decode(body)[0] == "<meta charset='koi8-r'>Grüße"
    assert detect_charset(codecs.BOM_UTF16_LE + "hi".encode("utf-16-le")) == "utf-16-le"


def test_header_then_meta_then_xml_declaration() -> None:
    html = f"<html><head><meta charset='windows-1251'></head><p>{RUSSIAN}</p>"
    assert detect_charset(html.encode("cp1251")) == "cp1251"
    assert detect_charset(html.encode("koi8-r"), "text/html; charset=KOI8-R") == "koi8-r"
    equiv = f'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">{RUSSIAN}'
    assert detect_charset(equiv.encode("cp1251")) == "cp1251"
    xml = "<?xml version='1.0' encoding='ISO-8859-7'?><t>Καλημέρα κόσμε, τι κάνεις σήμερα;</t>"
    assert detect_charset(xml.encode("iso-8859-7")) == "iso8859-7"


def test_unknown_labels_are_ignored() -> None:
    body = f"<meta charset='no-such-charset'>{PORTUGUESE}".encode()
    assert detect_charset(body) == "utf-8"


def test_undeclared_utf8_and_undeclared_single_byte() -> None:
    assert detect_charset(RUSSIAN.encode()) == "utf-8"
    assert detect_charset(("<p>" + RUSSIAN * 3 + "</p>").encode("cp1251")) == "cp1251"
    assert detect_charset(("<p>" + PORTUGUESE * 3 + "</p>").encode("cp1252")) == "cp1252"


@pytest.mark.parametrize("label", ["iso-8859-1", "latin-1", "us-ascii", "windows-1252"])
def test_cyrillic_mislabelled_as_latin1_is_caught(label: str) -> None:
    body = ("<p>" + RUSSIAN * 3 + "</p>").encode("cp1251")
    assert detect_charset(body, f"text/html; charset={label}") == "cp1251"


def test_real_latin1_stays_latin1() -> None:
    body = ("<p>" + PORTUGUESE * 3 + "</p>").encode("latin-1")
    assert detect_charset(body, "text/html; charset=iso-8859-1") == "cp1252"


def test_a_label_that_cannot_decode_falls_back_to_detection() -> None:
    body = ("<p>" + RUSSIAN * 3 + "</p>").encode("cp1251")
    assert detect_charset(body, "text/html; charset=utf-8") == "cp1251"
