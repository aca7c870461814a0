"""Word-level diffs between two versions of a story.

A pure function: ``word_diff(old, new)`` compares the two texts word by word (whitespace is
not a difference) and returns runs of kept, inserted and deleted words. Joining the text of
the ``equal`` and ``insert`` chunks gives back ``new`` exactly; the ``equal`` and ``delete``
chunks hold the words of ``old`` in order.
"""

from __future__ import annotations

import difflib
import re

from newsfeed.types import DiffChunk, DiffOp

# A token is a word with the whitespace before it, so joined tokens rebuild the text.
_TOKEN = re.compile(r"\s*\S+")


def _tokens(text: str) -> list[str]:
    tokens = _TOKEN.findall(text)
    tail = text[len("".join(tokens)) :]
    if tail and tokens:
        tokens[-1] += tail
    elif tail:
        tokens.append(tail)
    return tokens


def word_diff(old: str, new: str) -> tuple[DiffChunk, ...]:
    """The word-level difference from ``old`` to ``new``, adjacent runs of one kind merged."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(
        None, [t.strip() for t in old_tokens], [t.strip() for t in new_tokens], autojunk=False
    )
    chunks: list[DiffChunk] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            deleted = old_tokens[i1:i2]
            if tag == "delete" and j1 == 0 and i2 < len(old_tokens):
                # The kept words that follow come from ``new``, which has no space before
                # them here: keep the separator with the deleted words instead.
                following = old_tokens[i2]
                deleted = [*deleted, following[: len(following) - len(following.lstrip())]]
            _append(chunks, "delete", deleted)
        if tag in ("insert", "replace"):
            _append(chunks, "insert", new_tokens[j1:j2])
        if tag == "equal":
            _append(chunks, "equal", new_tokens[j1:j2])
    return tuple(chunks)


def _append(chunks: list[DiffChunk], op: DiffOp, tokens: list[str]) -> None:
    text = "".join(tokens)
    if not text:
        return
    if chunks and chunks[-1].op == op:
        chunks[-1] = DiffChunk(op, chunks[-1].text + text)
    else:
        chunks.append(DiffChunk(op, text))
