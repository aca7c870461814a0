"""The bundled WordLlama model loads offline and gives deterministic unit vectors."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys

import numpy as np
import pytest

from newsfeed.stories import _embed
from newsfeed.stories._embed import article_text, load_embedder


def test_loads_with_networking_impossible(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted while loading the embedder")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(_embed, "_cache", {})  # force a real load inside the sandbox
    embedder = load_embedder()
    vectors = embedder.embed(["Mt. Gox files for bankruptcy protection in the US"])
    assert vectors.shape == (1, embedder.dim)
    assert embedder.info.name.startswith("wordllama")


def test_vectors_are_unit_length_and_deterministic() -> None:
    embedder = load_embedder()
    texts = ["Sbarro files for Chapter 11 again", "Titanfall review roundup"]
    first = embedder.embed(texts)
    again = embedder.embed(list(reversed(texts)))[::-1]
    assert first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(first, again)


def test_same_event_is_closer_than_another_event() -> None:
    embedder = load_embedder()
    a, b, c = embedder.embed(
        [
            "Bitcoin exchange Mt. Gox files for US bankruptcy protection",
            "Mt Gox seeks bankruptcy relief in the United States",
            "Game of Thrones season 4 trailer promises vengeance",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.2


def test_blank_text_gives_a_zero_row_not_nan() -> None:
    vectors = load_embedder().embed(["", "   ", "Elephants tell friend from foe"])
    assert not vectors[0].any()
    assert not vectors[1].any()
    assert np.isfinite(vectors).all()
    assert load_embedder().embed([]).shape == (0, load_embedder().dim)


def test_loading_leaves_the_host_logging_alone() -> None:
    script = (
        "import logging\n"
        "from newsfeed.stories import load_embedder\n"
        "load_embedder().embed(['x'])\n"
        "root = logging.getLogger()\n"
        "print(len(root.handlers), root.level)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split() == ["0", str(logging.WARNING)]


def test_article_text_joins_title_and_lead() -> None:
    assert article_text(" Title ", "") == "Title"
    assert article_text("Title", "The lead.") == "Title. The lead."
