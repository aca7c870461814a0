"""Small text helpers shared by clustering and related stories: terms and excerpts."""

from __future__ import annotations

import re
import unicodedata

# Words that say nothing about which event a headline is about. Kept short on purpose: the
# inverse document frequency does the rest, in any language.
_STOPWORD_TEXT = """
    a an the of to in on for and or is are was were be been by with at from as it its this
    that these those after over says say said new will can could would not no has have had but
    up out about into than more us how why what who when where which you your we our he she
    they his her their them i me my so if do does did just all any one two via amid vs per
    der die das und den dem des ein eine le la les de du des et un une el los las del y en
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def terms(text: str) -> list[str]:
    """Content words of ``text``: case-folded, possessive ``'s`` dropped, stopwords removed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    out = []
    for token in _TOKEN.findall(folded):
        word = token[:-2] if token.endswith(("'s", "’s")) else token
        if len(word) > 1 and word not in _STOPWORDS:
            out.append(word)
    return out


def excerpt(text: str, max_chars: int = 200) -> str:
    """The start of ``text`` cut at a word boundary, never mid-word, ending in "…" if cut.

    Whitespace is collapsed. In scripts written without spaces (Chinese, Japanese) a cut
    falls after sentence punctuation or between two ideographs/kana, where lines may break.
    A single word longer than ``max_chars`` is kept whole rather than cut in the middle.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    flat = " ".join(text.split())
    if len(flat) <= max_chars:
        return flat
    cut = _break_before(flat, max_chars - 1)  # leave space for the ellipsis
    if cut <= 0:
        first = flat.split(" ", 1)[0]
        return first if first == flat else first + "…"
    return flat[:cut].rstrip(" ,;:—–-") + "…"


_CJK_STOPS = "。、，！？；：」』）"


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xF900 <= code <= 0xFAFF
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables (spaced, but breakable)
    )


def _break_before(flat: str, room: int) -> int:
    """The latest index <= ``room`` where ``flat`` may be cut without splitting a word.

    A space wins; without one, CJK sentence punctuation in the last 40% of the room, and
    only then a break between two ideographs (which may still split a compound word).
    """
    best = flat.rfind(" ", 0, room + 1)
    floor = max(best, int(room * 0.6), 0)
    for index in range(room, floor, -1):
        if flat[index - 1] in _CJK_STOPS:
            return index
    for index in range(room, max(best, 0), -1):
        if _is_cjk(flat[index - 1]) and _is_cjk(flat[index]):
            return index
    return best
