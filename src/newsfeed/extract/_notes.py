"""Editor's notes, corrections and update notices: found, typed, and kept out of the body."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml.html import HtmlElement

from newsfeed.types import EditorNote, NoteKind

from ._text import element_text

_LABELLED = re.compile(
    r"^\W{0,3}(?P<label>editor[’'`]?s[’'`]?\s+note|editorial\s+note|ed\.\s+note|"
    r"note\s+from\s+the\s+editors?|correction|corrections|clarification|update[ds]?|"
    r"anmerkung\s+der\s+redaktion|korrektur|aktualisierung|hinweis\s+der\s+redaktion|"
    r"nota\s+del?\s+(?:la\s+)?(?:editor|redacci[oó]n)|note\s+de\s+la\s+r[ée]daction)"
    r"\s*(?:\([^)]{0,40}\))?\s*[:.–—-]",
    re.I,
)
_STATEMENT = re.compile(
    r"^\W{0,3}(?:this|the)\s+(?:story|article|post|report|piece)\s+(?:has\s+been|was|is\s+being)\s+"
    r"(?:updated|corrected|amended|revised|changed)\b",
    re.I,
)
_NOTE_CLASS = re.compile(
    r"editor-?s?-?note|editors?_note|editorial-note|\bcorrection|article-update|update-note|"
    r"story-update|post-update|\bclarification",
    re.I,
)
_MAX_NOTE_CHARS = 800


def note_kind(text: str) -> NoteKind | None:
    """The kind of note a paragraph of text is, or None if it is ordinary body text."""
    if len(text) > _MAX_NOTE_CHARS:
        return None
    match = _LABELLED.match(text)
    if match:
        return _kind_of(match.group("label"))
    if _STATEMENT.match(text):
        return "update"
    return None


def _kind_of(label: str) -> NoteKind:
    label = label.lower()
    if label.startswith(("correction", "clarification", "korrektur")):
        return "correction"
    if label.startswith(("update", "aktualisierung")):
        return "update"
    return "editor_note"


_NOTE_TAGS = frozenset({"div", "p", "aside", "section"})


def is_note_element(el: HtmlElement) -> bool:
    """Marked up as a note by its class or id (``.editor-note``, ``.correction`` …)."""
    if el.tag not in _NOTE_TAGS:
        return False
    return _is_note_class(f"{el.get('class') or ''} {el.get('id') or ''}")


def note_from(el: HtmlElement) -> EditorNote | None:
    """The note a note-classed element carries, if it reads like one (short, few links)."""
    text = element_text(el)
    links = sum(len(element_text(a)) for a in el.iter("a"))
    if 25 <= len(text) <= _MAX_NOTE_CHARS and links * 2 < len(text):
        return EditorNote(text=text, kind=note_kind(text) or _kind_from_class(el))
    return None


@lru_cache(maxsize=4096)
def _is_note_class(attrs: str) -> bool:
    return bool(_NOTE_CLASS.search(attrs))


def _kind_from_class(el: HtmlElement) -> NoteKind:
    attrs = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    if "correction" in attrs or "clarification" in attrs:
        return "correction"
    if "update" in attrs:
        return "update"
    return "editor_note"
