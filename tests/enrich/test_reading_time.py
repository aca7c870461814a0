from __future__ import annotations

import pytest

from newsfeed.enrich.reading_time import image_seconds, reading_time


@pytest.mark.parametrize(
    ("images", "seconds"),
    [(0, 0), (1, 12), (2, 23), (3, 33), (9, 12 + 11 + 10 + 9 + 8 + 7 + 6 + 5 + 4), (11, 75 + 3)],
)
def test_image_seconds_step_down_to_three(images: int, seconds: int) -> None:
    assert image_seconds(images) == seconds


def test_words_at_265_per_minute_rounded_up() -> None:
    assert reading_time("") == 1
    assert reading_time("word " * 265) == 1
    assert reading_time("word " * 266) == 2
    assert reading_time("word " * 530) == 2


def test_images_add_time() -> None:
    # 250 words = 56.6 s; one image (12 s) pushes it over a minute
    assert reading_time("word " * 250) == 1
    assert reading_time("word " * 250, images=1) == 2


def test_cjk_characters_at_500_per_minute() -> None:
    assert reading_time("東" * 500) == 1
    assert reading_time("東" * 501) == 2
    # mixed: 265 words (60 s) + 250 CJK characters (30 s) = 90 s
    assert reading_time("word " * 265 + "한" * 250) == 2
