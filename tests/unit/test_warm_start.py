"""A server process loads its model as soon as it serves, with no visitor asking."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# A fresh process plays a gunicorn worker: it builds the app, runs gunicorn.conf.py's
# post_worker_init, and waits (no request at all) until the model is loaded. Only then
# does a "visitor" embed typed text, within the 2 s budget of SIMILAR_CHECK_TIMEOUT
# that loading the model alone exceeds on a cold start.
WORKER = """
import runpy, sys, time, types

from config import TestingConfig
from ideation import create_app
from ideation.similarity.embeddings import get_embedder

class Config(TestingConfig):
    EMBEDDING_MODEL = "all-MiniLM-L6-v2"
    SIMILAR_CHECK_TIMEOUT = 2

app = create_app(Config)
embedder = get_embedder(app)
assert not embedder.loaded, "nothing may load the model before the worker serves"
hooks = runpy.run_path("gunicorn.conf.py")
hooks["post_worker_init"](types.SimpleNamespace(wsgi=app))
deadline = time.monotonic() + 240
while not embedder.loaded and time.monotonic() < deadline:
    time.sleep(0.2)
assert embedder.loaded, "the model was not loaded in the background"
from ideation.similarity.queries import embed_typed_idea
with app.test_request_context():
    question = types.SimpleNamespace(title="How can buses serve the city better?")
    vector = embed_typed_idea(question, "More buses at night", "")
print("answered" if vector is not None else "unavailable")
"""


def test_a_fresh_worker_answers_once_warm_without_a_visitor():
    env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PATH": "/usr/bin"}
    result = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=REPO,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "answered"
