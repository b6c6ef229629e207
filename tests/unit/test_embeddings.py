"""The Embedder interface: the fake, lazy thread-safe loading, and the real model."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from ideation.similarity import embeddings
from ideation.similarity.embeddings import (
    FakeEmbedder,
    SentenceTransformerEmbedder,
    embedder_from_config,
    get_embedder,
    reset_embedders,
)

REPO = Path(__file__).resolve().parents[2]


def test_fake_embedder_is_deterministic_and_normalised():
    texts = ["Open the clinic at night", "", "Plant trees", "Open the clinic at night"]
    first = FakeEmbedder(dimension=32).embed(texts)
    again = FakeEmbedder(dimension=32).embed(texts)
    assert first.shape == (4, 32) and first.dtype == np.float32
    np.testing.assert_array_equal(first, again)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(first[0], first[3])
    assert FakeEmbedder().embed([]).shape == (0, 64)


def test_fake_embedder_makes_texts_sharing_words_similar():
    a, b, c = FakeEmbedder(dimension=128).embed(
        [
            "Open the health clinic at night",
            "The health clinic should open at night",
            "Plant more trees in the parks",
        ]
    )
    assert a @ b > 0.6
    assert a @ b > a @ c + 0.4


def test_resolving_model_names():
    stock = embeddings.resolve_model("all-MiniLM-L6-v2")
    assert (Path(stock) / "modules.json").exists()
    assert embeddings.resolve_model("models/minilm-argkp") == str(
        REPO / "models" / "minilm-argkp"
    )
    assert embeddings.resolve_model("sentence-transformers/other") == (
        "sentence-transformers/other"
    )


def test_embedder_from_config():
    fake = embedder_from_config({"EMBEDDING_MODEL": "fake"})
    assert isinstance(fake, FakeEmbedder) and fake.dimension == 64
    real = embedder_from_config({"EMBEDDING_MODEL": "all-MiniLM-L6-v2"})
    assert isinstance(real, SentenceTransformerEmbedder)
    assert real.name == "all-MiniLM-L6-v2" and not real.loaded
    default = embedder_from_config({})
    assert default.name == embeddings.DEFAULT_MODEL
    assert default.threads == 1  # two threads on a busy 2-core machine: 40x slower
    assert embedder_from_config({"EMBEDDING_THREADS": "2"}).threads == 2


def test_get_embedder_caches_per_model_name(app):
    reset_embedders()
    app.config["EMBEDDING_MODEL"] = "fake"
    assert get_embedder(app) is get_embedder(app)
    app.config["EMBEDDING_MODEL"] = "all-MiniLM-L6-v2"
    real = get_embedder(app)
    assert isinstance(real, SentenceTransformerEmbedder) and not real.loaded
    reset_embedders()
    assert get_embedder(app) is not real


def test_import_construct_and_create_app_load_no_model():
    # A fresh interpreter: this one may have imported torch for another test.
    code = (
        "import sys\n"
        "from config import TestingConfig\n"
        "from ideation import create_app\n"
        "from ideation.similarity.embeddings import (\n"
        "    SentenceTransformerEmbedder, get_embedder)\n"
        "app = create_app(TestingConfig)\n"
        "embedder = SentenceTransformerEmbedder('all-MiniLM-L6-v2')\n"
        "get_embedder(app)\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers')\n"
        "         if m in sys.modules]\n"
        "assert not heavy and not embedder.loaded, heavy\n"
    )
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


class _SlowModel:
    def encode(self, texts, **kwargs):
        return np.ones((len(texts), 4), dtype=np.float32) / 2


def test_eight_threads_load_the_model_once(monkeypatch):
    loads = []

    def load_model(self):
        loads.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every thread to reach the lock
        return _SlowModel()

    monkeypatch.setattr(SentenceTransformerEmbedder, "_load_model", load_model)
    embedder = SentenceTransformerEmbedder("any-model")
    assert not embedder.loaded and loads == []
    barrier = threading.Barrier(8)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(embedder.embed(["a", "b"]))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(loads) == 1
    assert len(results) == 8 and all(r.shape == (2, 4) for r in results)


@pytest.fixture(scope="module")
def real_embedder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    return SentenceTransformerEmbedder(embeddings.DEFAULT_MODEL)


def test_real_model_knows_a_clinic_at_night_from_trees(real_embedder):
    clinic, health, trees = real_embedder.embed(
        [
            "The clinic should open at night",
            "Keep the health centre open in the evenings",
            "Plant more trees in parks",
        ]
    )
    assert real_embedder.dimension == 384
    assert clinic.dtype == np.float32
    assert np.linalg.norm(clinic) == pytest.approx(1, abs=1e-5)
    # e5's raw cosines sit in a narrow band (unrelated texts score about 0.75): the
    # pipeline's centring spreads them; here the order and a clear gap are enough.
    assert clinic @ health > clinic @ trees + 0.05


def test_real_model_compares_portuguese_spanish_and_english(real_embedder):
    clinica, clinica_es, clinic_en, arvores, impostos = real_embedder.embed(
        [
            "O posto de saúde deveria abrir à noite",
            "El centro de salud debería abrir por la noche",
            "The health clinic should open at night",
            "Plantar mais árvores nas praças",
            "Reduzir os impostos das pequenas empresas",
        ]
    )
    for other in (clinica_es, clinic_en):
        assert clinica @ other > max(clinica @ arvores, clinica @ impostos) + 0.05
