"""Line-level furniture: blocks that survived container pruning but are not article text.

"Read more", "Show More", "News Feed", share and print prompts, rating widgets, consent
notices for embeds, stand-alone photo credits, source lines and captions that lost their
figure, headings repeating the title, calls to action closing the body (newsletter, donation,
follow-us, comment and licence lines), and editor's notes written as ordinary paragraphs
(returned apart).
"""

from __future__ import annotations

import re

from newsfeed.types import EditorNote

from ._blocks import Piece
from ._figures import split_credit
from ._notes import note_kind

_FURNITURE_LINE = re.compile(
    r"^(?:read more|show more|load more|see more|more|news feed|advertisement|anzeige|"
    r"werbung|share|share this(?: article| story| page)?|share on \w+|tweet|print|email|"
    r"article image|avatar|related(?: articles| stories| content| posts)?|"
    r"(?:sign up|subscribe)(?: now| here| for .{0,60})?|follow us(?: on .{0,40})?|"
    r"click here.{0,60}|continue reading|skip to (?:main )?content|back to top|"
    r"comments?|leave a comment|\d+ comments?|comments are closed|most read|trending|"
    r"top stories|you may also like|recommended(?: for you)?|more from .{0,40}|"
    r"also read.{0,80}|read also.{0,80}|read next|up next|listen to this article|"
    r"\d+ min read|loading|(?:gefällt mir )?wird geladen|zurück|weiter|drucken|teilen|"
    r"artikel teilen|rezept drucken.{0,40}|bild anzeigen.{0,20}|schon gelesen|"
    r"mehr zum thema.{0,60}|lesen sie auch.{0,80}|auch interessant.{0,60}|"
    r"das könnte sie auch interessieren|weitere artikel.{0,40}|"
    r"(?:war|ist) (?:der|dieser) (?:artikel|beitrag) (?:nützlich|hilfreich)|"
    r"möchten sie (?:den|diesen) artikel teilen|(?:hier können sie )?(?:den )?artikel bewerten|"
    r"wie bewerten sie diesen artikel|ein klick für den datenschutz|empfohlener "
    r"redaktioneller inhalt|box aufklappen box zuklappen|pour lire la suite.{0,100}|"
    r"(?:à )?lire aussi.{0,80}|leer más|lee también.{0,80}|te puede interesar|"
    r"vea también.{0,80}|leggi anche.{0,80}|ver más|partager|compartir|condividi|"
    r"was this (?:article|page) helpful|rate this article)[.:!?…]*$",
    re.I,
)
_CREDIT_LINE = re.compile(
    r"^\(?(?:©|\(c\)|copyright\b|(?:foto|photo|bild|image|credit|crédito|photograph|quelle|"
    r"source|fuente)s?\s*[:©]|(?:foto|photo)s?\s+(?:by|von)\s)",
    re.I,
)
_PHOTO_CREDIT = re.compile(
    r"/|\bvia\b|foto|photo|bild|image|getty|istock|imago|shutterstock|picture|reuters|afp|dpa",
    re.I,
)
_CROSS_LINK = re.compile(
    r"^\W{0,3}(?:le puede interesar|te puede interesar|también te puede interesar|puedes ver|"
    r"lea también|lee también|vea también|ver también|leia também|auch lesen|lesen sie auch|"
    r"lesen sie mehr|mehr dazu|mehr zum thema|zum thema|à lire aussi|a lire aussi|lire aussi|"
    r"read also|also read|read more|related|see also|recommended|more on this|síguenos|"
    r"siguenos|follow us|sign up|subscribe|leggi anche|czytaj też|czytaj także|"
    r"loe ka|les også|läs också|lees ook)\b\s*[:»›>|–—-]",
    re.I,
)
_DATELINE = re.compile(
    r"^(?:stand|aktualisiert(?: am)?|erstellt am|verfasst von|veröffentlicht(?: am)?|"
    r"published(?: on)?|updated(?: on)?|posted(?: on| by)?|last updated|letzte aktualisierung|"
    r"publicado(?: el)?|actualizado(?: el)?|publié le|mis à jour le)\b\s*:?\s*\S",
    re.I,
)
_END_HEADING = re.compile(
    r"^(?:mehr zu\b.*|mehr themen|zum weiterlesen|weitere (?:beiträge|artikel|informationen|"
    r"themen|nachrichten)\b.*|related(?: articles| stories| posts| content)?|read more|"
    r"more (?:stories|from|on)\b.*|kommentare?|kommentar verfassen|comments?|leave a (?:reply|"
    r"comment)|teilen(?: sie dies mit)?|share(?: this)?|sharen mit|you (?:might|may) also like|"
    r"das könnte sie (?:auch )?interessieren|empfehlungen|auch interessant|newsletter|"
    r"über (?:den|die) autor(?:in)?|about the author|tags|schlagwörter|themen|quellen?|"
    r"quellenangaben|sources?|noticias relacionadas|te puede interesar|à lire aussi|"
    r"sur le même sujet|articles? (?:liés|similaires)|most (?:read|popular)|kontakt(?:daten)?|"
    r"contact|zusatzinformationen|weitere infos?|further reading|more information|latest on|"
    r"weiterführende (?:links|informationen|artikel)|ansprechpartner(?:in)?(?: zum thema)?)"
    r"[\s:.!…]*$",
    re.I,
)
_CALL_TO_ACTION = re.compile(
    r"news-?letter|sign (?:me )?up|subscribe|abonnier|suscr[ií]b|abonnez|donate|spenden?\b|"
    r"support (?:our|us)\b|unterstütze|follow us|folgen sie uns|folge uns|s[ií]guenos|"
    r"straight to your phone|in den kommentaren|einen kommentar|eingeloggt|logged in|"
    r"kommentare zu schreiben|leave a comment|creative commons|cc-by|suggested citation|"
    r"zitiervorschlag|all rights reserved|alle rechte vorbehalten",
    re.I,
)
_CTA_TAIL = 3
"""How many blocks at the end of the body are read for calls to action."""
_CTA_MAX = 300
_NON_WORD = re.compile(r"\W+")
_SENTENCE_END = re.compile(r"[.!?…:;\"”“»«)]\s*$")


def filter_lines(pieces: list[Piece], title: str | None) -> tuple[list[Piece], list[EditorNote]]:
    """Drop furniture lines; move editor's notes out of the body."""
    kept: list[Piece] = []
    notes: list[EditorNote] = []
    title_key = _key(title or "")
    for piece in pieces:
        block = piece.block
        text = block.text
        if block.kind in {"paragraph", "heading"}:
            if _is_furniture_line(text):
                continue
            if title_key and block.kind == "heading" and _key(text) == title_key:
                continue
            kind = note_kind(text) if block.kind == "paragraph" else None
            if kind is not None:
                notes.append(EditorNote(text=text, kind=kind))
                continue
        kept.append(piece)
    kept = _cut_trailing_sections(kept)
    kept = _drop_calls_to_action(kept)
    while kept and (kept[-1].block.kind == "heading" or (len(kept) > 5 and _is_stub(kept[-1]))):
        kept.pop()
    while len(kept) > 5 and _is_stub(kept[0]):
        kept.pop(0)
    return kept, notes


def _is_stub(piece: Piece) -> bool:
    """A short line without sentence punctuation at either end of the body: page furniture."""
    block = piece.block
    text = block.text
    return block.kind == "paragraph" and len(text) < 50 and not _SENTENCE_END.search(text)


def _cut_trailing_sections(pieces: list[Piece]) -> list[Piece]:
    """From a "Related" / "Comments" / "Sources" heading (or a short line saying as much) in
    the last part on, nothing is body."""
    start = max(1, int(len(pieces) * 0.6))
    for index in range(start, len(pieces)):
        block = pieces[index].block
        heading = block.kind == "heading" or (block.kind == "paragraph" and len(block.text) < 60)
        if heading and _END_HEADING.match(block.text):
            return pieces[:index]
    return pieces


def _drop_calls_to_action(pieces: list[Piece]) -> list[Piece]:
    """Newsletter, donation, follow-us, comment and licence lines closing the body."""
    tail = max(0, len(pieces) - _CTA_TAIL)
    return pieces[:tail] + [
        piece
        for piece in pieces[tail:]
        if piece.block.kind != "paragraph"
        or len(piece.block.text) > _CTA_MAX
        or not _CALL_TO_ACTION.search(piece.block.text)
    ]


def _is_furniture_line(text: str) -> bool:
    if len(text) < 120 and _FURNITURE_LINE.match(text):
        return True
    if len(text) < 100 and (_CREDIT_LINE.match(text) or _DATELINE.match(text)):
        return True
    if len(text) < 300 and _CROSS_LINK.match(text):
        return True
    if len(text) < 220:
        _, credit = split_credit(text)
        return credit is not None and bool(_PHOTO_CREDIT.search(credit))
    return False


def _key(text: str) -> str:
    return _NON_WORD.sub("", text).lower()
