"""Reads: the ideas most similar to what a citizen is typing.

Embedding the typed text runs on a small thread pool with a time budget
(SIMILAR_CHECK_TIMEOUT), so that a slow or broken model never holds a request: past
the budget, suggestions are "unavailable" and the duplicate check is skipped.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

import numpy as np
from flask import current_app
from sqlalchemy import select

from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.questions.models import Question
from ideation.similarity.embeddings import get_embedder
from ideation.similarity.pipeline import (
    configured_model,
    configured_settings,
    contexts,
    idea_vectors,
    opposed_pair,
    phrase_text,
)
from ideation.similarity.search import nearest_ideas

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SimilarIdea:
    idea: Idea
    score: float


def similar_ideas(
    question: Question,
    title: str,
    description: str = "",
    exclude_ids: Collection[int] = (),
    min_score: float | None = None,
    limit: int | None = None,
) -> list[SimilarIdea] | None:
    """The question's listed ideas related to the typed title and description (from
    RELATED_THRESHOLD), best first; None when the model is unavailable. Too short a
    text finds nothing."""
    config = current_app.config
    title = (title or "")[: config["IDEA_TITLE_MAX"]]
    description = (description or "")[: config["IDEA_DESCRIPTION_MAX"]]
    if len(title.strip()) + len(description.strip()) < config["SIMILAR_TEXT_MIN_CHARS"]:
        return []
    vector = embed_typed_idea(question, title, description)
    if vector is None:
        return None
    if min_score is None:
        min_score = configured_settings().related_threshold
    if limit is None:
        limit = config["SIMILAR_IDEAS_LIMIT"]
    hits = nearest_ideas(question, vector, limit, exclude_ids, configured_model())
    hits = [(idea_id, score) for idea_id, score in hits if score >= min_score]
    ideas = {
        idea.id: idea
        for idea in db.session.scalars(
            select(Idea).where(Idea.id.in_([idea_id for idea_id, _ in hits]))
        )
    }
    return [SimilarIdea(ideas[i], score) for i, score in hits if i in ideas]


def duplicate_ideas(question: Question, title: str, description: str = "") -> list:
    """Existing ideas that say the same as the typed one (the same-idea tier), a few
    at most, best first: the citizen sees them before publishing (none when the model
    is slow or failing)."""
    knobs = configured_settings()
    limit = current_app.config["SAME_IDEAS_LIMIT"]
    found = similar_ideas(
        question, title, description, min_score=knobs.same_idea_threshold, limit=limit
    )
    typed = phrase_text(title or "", description or "")
    return [
        hit
        for hit in found or []
        if not opposed_pair(
            typed, phrase_text(hit.idea.title, hit.idea.description or ""), knobs
        )
    ]


def embed_typed_idea(
    question: Question, title: str, description: str
) -> np.ndarray | None:
    """The typed idea's vector, as the question's stored ideas are made, or None if
    the model fails or exceeds the budget."""
    app = current_app._get_current_object()
    embedder = get_embedder(app)
    weight = configured_settings().description_weight
    future = _pool().submit(
        idea_vectors,
        embedder,
        [title],
        [description],
        weight,
        contexts([question.title]),
    )
    try:
        return future.result(timeout=app.config["SIMILAR_CHECK_TIMEOUT"])[0]
    except FutureTimeout:
        future.cancel()  # if it has not started, it never will
        log.warning("embedding typed text took too long; similar ideas skipped")
    except Exception:
        log.exception("embedding typed text failed; similar ideas skipped")
    return None


def warm_up_model() -> None:
    """Start loading the model in the background, so the first suggestions come in
    time (a page that will ask for them calls this)."""
    embedder = get_embedder(current_app)
    if getattr(embedder, "loaded", True):
        return
    _pool().submit(_load_quietly, embedder)


def start_warm_up(app) -> None:
    """Start loading the app's model in the background, with no request: a server
    process calls it as soon as it serves (gunicorn.conf.py's post_worker_init)."""
    with app.app_context():
        warm_up_model()


def _load_quietly(embedder) -> None:
    try:
        started = time.perf_counter()
        embedder.embed(["warm up"])
        seconds = time.perf_counter() - started
        log.info("embedding model %s ready in %.1f s", embedder.name, seconds)
    except Exception:
        log.exception("the embedding model failed to load")


_executor: tuple[int, ThreadPoolExecutor] | None = None
_executor_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """This process's pool (a forked worker makes its own: threads do not fork)."""
    global _executor
    with _executor_lock:
        if _executor is None or _executor[0] != os.getpid():
            pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="embed")
            _executor = (os.getpid(), pool)
        return _executor[1]
