"""Computed reading time.

The formula (Medium's, widely copied)::

    seconds = 60 * words / 265                  # words: runs of letters/digits, CJK excluded
            + 60 * cjk_characters / 500         # Chinese, Japanese, Korean characters
            + image seconds                     # 12 s for the first image, 11 s for the
                                                # second, … down to 3 s for the tenth and
                                                # every later one
    minutes = max(1, ceil(seconds / 60))

It is a pure function of the text and the number of images; the page's own figure ("3 min
read") is kept apart in ``Article.stated_reading_time``.
"""

from __future__ import annotations

import math
import re

WORDS_PER_MINUTE = 265
CJK_CHARS_PER_MINUTE = 500
FIRST_IMAGE_SECONDS = 12
MIN_IMAGE_SECONDS = 3

_CJK = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff"
    r"\U00020000-\U0002fa1f]"
)
_WORD = re.compile(r"\w+")


def image_seconds(images: int) -> int:
    """Seconds spent on ``images`` pictures: 12, 11, 10 … down to 3 each."""
    return sum(max(FIRST_IMAGE_SECONDS - i, MIN_IMAGE_SECONDS) for i in range(max(images, 0)))


def reading_time(text: str, images: int = 0) -> int:
    """Whole minutes needed to read ``text`` with ``images`` pictures; at least 1."""
    cjk = len(_CJK.findall(text))
    words = len(_WORD.findall(_CJK.sub(" ", text)))
    seconds = (
        60 * words / WORDS_PER_MINUTE + 60 * cjk / CJK_CHARS_PER_MINUTE + image_seconds(images)
    )
    return max(1, math.ceil(seconds / 60))
