"""Near-duplicate articles: MinHash over word shingles, looked up through an LSH index.

Syndicated wire copies and republished stories are *linked*, never dropped: ``add`` returns
the ids already indexed that the new text nearly duplicates, and the caller records the link
("also published by …"). Signatures are plain bytes (``num_perm`` little-endian uint32), so
the storage layer can keep them beside each article and rebuild the index without re-reading
any text (``add_signature``).

MinHash and the LSH banding come from ``datasketch``; candidates the bands return are then
checked against the estimated Jaccard similarity, so the threshold means what it says. The
signature of a text is computed here rather than by ``MinHash.update_batch`` (a third of the
cost, in the extraction pool, on every page), with the same arithmetic: SHA-1's first four
bytes, the MurmurHash3 finalizer, then each permutation ``a * h + b`` in uint32 (datasketch's
"affine32" scheme); a test checks both give the same values.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from operator import methodcaller

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH

from newsfeed.errors import ConfigError, StorageError

try:  # CPython's own SHA-1: cheaper to start than OpenSSL's for the many short shingles
    from _sha1 import sha1  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import sha1

_SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)
_DIGEST = methodcaller("digest")
_SHA1_SIZE = 20


@dataclass(frozen=True, slots=True)
class DedupeOptions:
    """How near is a near-duplicate.

    ``threshold`` is the Jaccard similarity of the word-shingle sets above which two texts
    are linked; ``shingle_words`` the shingle length. Signatures made with different
    ``num_perm``/``shingle_words``/``seed`` cannot be compared: rebuild after changing them.
    """

    threshold: float = 0.4
    num_perm: int = 128
    shingle_words: int = 4
    seed: int = 1


def shingles(text: str, size: int) -> set[bytes]:
    """Word ``size``-grams of the normalised text (case, accents and punctuation ignored)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = _WORD.findall(folded)
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words).encode()}
    # Words hold no spaces, so encoding them all at once and splitting gives each one's
    # bytes; joining bytes from ``zip`` keeps the loop out of Python.
    encoded = " ".join(words).encode().split(b" ")
    return set(map(b" ".join, zip(*(encoded[i:] for i in range(size)), strict=False)))


def _fmix32(values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """The MurmurHash3 32-bit finalizer (wrapping uint32 arithmetic)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


class DuplicateIndex:
    """An in-memory index of article signatures that finds near-duplicates as articles arrive."""

    def __init__(self, options: DedupeOptions | None = None) -> None:
        self.options = options or DedupeOptions()
        if not 0.0 < self.options.threshold <= 1.0:
            raise ConfigError("near-duplicate threshold must be above 0 and at most 1")
        if self.options.num_perm < 16 or self.options.shingle_words < 1:
            raise ConfigError("near-duplicates need num_perm >= 16 and shingle_words >= 1")
        self._template = MinHash(num_perm=self.options.num_perm, seed=self.options.seed)
        self._lsh = MinHashLSH(threshold=self.options.threshold, num_perm=self.options.num_perm)
        self._signatures: dict[int, npt.NDArray[np.uint32]] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures

    def signature_of(self, text: str) -> bytes:
        """The MinHash signature of ``text`` as bytes (what to store beside the article).

        A text with no words has an empty signature, which ``add_signature`` accepts.
        """
        values = self._hashvalues(text)
        return b"" if values is None else values.astype("<u4").tobytes()

    def add(self, article_id: int, text: str) -> list[int]:
        """Index ``text`` under ``article_id``; return near-duplicate ids, most similar first.

        Re-adding an id replaces its text (a revised story). A text with no words is not
        indexed and has no duplicates.
        """
        return self._add(article_id, self._hashvalues(text))

    def add_signature(self, article_id: int, signature: bytes) -> list[int]:
        """Like ``add``, from a signature made by ``signature_of`` (a rebuild from storage)."""
        return self._add(article_id, self._decode(article_id, signature))

    def matches(self, text: str) -> list[tuple[int, float]]:
        """Indexed ids whose texts nearly duplicate ``text``, with estimated similarity."""
        return self._matches(self._hashvalues(text), exclude=None)

    def signature(self, article_id: int) -> bytes:
        """The stored signature of an indexed article (``KeyError`` if absent)."""
        return self._signatures[article_id].astype("<u4").tobytes()

    def remove(self, article_id: int) -> None:
        """Forget an article; removing an id that is not indexed does nothing."""
        if self._signatures.pop(article_id, None) is not None:
            self._lsh.remove(article_id)

    def _add(self, article_id: int, values: npt.NDArray[np.uint32] | None) -> list[int]:
        self.remove(article_id)
        if values is None:
            return []
        found = [other for other, _ in self._matches(values, exclude=article_id)]
        self._lsh.insert(article_id, self._minhash(values), check_duplication=False)
        self._signatures[article_id] = values
        return found

    def _matches(
        self, values: npt.NDArray[np.uint32] | None, exclude: int | None
    ) -> list[tuple[int, float]]:
        if values is None or not self._signatures:
            return []
        found = []
        for other in self._lsh.query(self._minhash(values)):
            if other == exclude:
                continue
            score = float(np.mean(self._signatures[other] == values))
            if score >= self.options.threshold:
                found.append((int(other), score))
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found

    def _hashvalues(self, text: str) -> npt.NDArray[np.uint32] | None:
        grams = shingles(text, self.options.shingle_words)
        if not grams:
            return None
        digests = b"".join(map(_DIGEST, map(sha1, grams)))
        table = np.frombuffer(digests, dtype=np.uint8).reshape(-1, _SHA1_SIZE)
        hashed = _fmix32(table[:, :4].copy().view("<u4").astype(np.uint32).ravel())
        a, b = self._template.permutations
        permuted = hashed[:, np.newaxis] * a + b
        values: npt.NDArray[np.uint32] = np.minimum(self._template.hashvalues, permuted.min(0))
        return values

    def _minhash(self, values: npt.NDArray[np.uint32]) -> MinHash:
        return MinHash(hashvalues=values, permutations=self._template.permutations, scheme=_SCHEME)

    def _decode(self, article_id: int, signature: bytes) -> npt.NDArray[np.uint32] | None:
        expected = self.options.num_perm * 4
        if len(signature) == 0:
            return None
        if len(signature) != expected:
            raise StorageError(
                f"the stored duplicate signature of article {article_id} is {len(signature)} "
                f"bytes, expected {expected}; rebuild them with `newsfeed reindex`"
            )
        return np.frombuffer(signature, dtype="<u4").astype(np.uint32)
