"""Text embeddings from a model whose weights ship inside a PyPI package.

The default model is WordLlama (``wordllama`` on PyPI): a static token-embedding table
(256 dimensions, ~32 MB) that is averaged over the tokens of a text. Its weights and tokenizer
sit in the package's own folder, so loading points ``cache_dir`` there and disables
downloading: nothing is fetched at run time, ever. No PyTorch is involved.

Embeddings are unit-length ``float32`` rows, so a dot product is a cosine similarity. The
same text always gives the same vector (a lookup and a mean; no randomness).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newsfeed.errors import ConfigError

Vector = npt.NDArray[np.float32]

# Belt and braces: the loader below never asks the Hub for anything, but libraries it pulls
# in (tokenizers) honour these too, so a later change upstream cannot start a download.
_OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}

_MODEL_CONFIG = "l2_supercat"
_MODEL_DIM = 256
# Long bodies add little to a story's identity beyond the title and lead, and cost time.
_MAX_CHARS = 2000


@dataclass(frozen=True, slots=True)
class EmbedderInfo:
    """What produced a vector: stored beside embeddings so a model change forces a rebuild."""

    name: str
    dim: int


class Embedder:
    """Turns texts into unit-length vectors. Build one with :func:`load_embedder`."""

    def __init__(self, model: Any, info: EmbedderInfo) -> None:
        self._model = model
        self.info = info
        self._lock = threading.Lock()  # the tokenizer's padding state is shared

    @property
    def dim(self) -> int:
        return self.info.dim

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return one unit-length row per text; an empty or blank text gives a zero row."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        keep = [i for i, text in enumerate(texts) if text and text.strip()]
        if not keep:
            return out
        batch = [texts[i][:_MAX_CHARS] for i in keep]
        with self._lock:
            raw = np.asarray(self._model.embed(batch, norm=False), dtype=np.float32)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        # A text made only of unknown tokens pools to zero: keep it zero, not NaN.
        safe = np.where(norms > 0, raw / np.maximum(norms, 1e-12), 0.0)
        out[keep] = safe.astype(np.float32)
        return out

    def embed_one(self, text: str) -> Vector:
        row: Vector = self.embed([text])[0]
        return row


def article_text(title: str, lead: str = "") -> str:
    """The text a story embedding is built from: the headline, then the lead."""
    return f"{title.strip()}. {lead.strip()}" if lead.strip() else title.strip()


_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def load_embedder() -> Embedder:
    """Load the bundled WordLlama model once per process, offline.

    Raises ``ConfigError`` when the package or its bundled weights are missing.
    """
    with _cache_lock:
        if _MODEL_CONFIG not in _cache:
            _cache[_MODEL_CONFIG] = _load_wordllama()
        return _cache[_MODEL_CONFIG]


def _load_wordllama() -> Embedder:
    for key, value in _OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    # wordllama calls logging.basicConfig(level=INFO) on import, which would make every
    # INFO record of the host program print; a handler in place turns that into a no-op.
    root = logging.getLogger()
    guard = logging.NullHandler() if not root.handlers else None
    if guard:
        root.addHandler(guard)
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError as exc:
        raise ConfigError(
            "the 'wordllama' package is not installed; story clustering needs it "
            "(install newsfeed with its default dependencies)"
        ) from exc
    finally:
        if guard:
            root.removeHandler(guard)
    package_dir = Path(wordllama.__file__).resolve().parent
    try:
        model = WordLlama.load(
            config=_MODEL_CONFIG,
            dim=_MODEL_DIM,
            cache_dir=package_dir,
            disable_download=True,
        )
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise ConfigError(
            f"the WordLlama weights bundled in {package_dir} could not be loaded ({exc}); "
            "reinstall the 'wordllama' package"
        ) from exc
    return Embedder(
        model, EmbedderInfo(name=f"wordllama-{_MODEL_CONFIG}-{_MODEL_DIM}", dim=_MODEL_DIM)
    )
