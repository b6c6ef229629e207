"""The similarity pipeline: which ideas, which texts, which model, which settings.

One sequence, from an idea's text to its question's duplicate groups and themes, that
every caller goes through:

1. An idea's vector (`embed_idea_texts`: the embedding jobs, `flask similarity
   backfill`; `idea_vectors` for a text being typed): title and description embedded
   apart by the configured model, each after its question's title (QUESTION_CONTEXT),
   then combined.
2. A question's ideas (`question_ideas`): its listed ideas with a vector of the
   configured model, and their texts.
3. Their vectors centred on the question's mean (`centre_ideas`), then grouped:
   same-idea pairs (`duplicate_pairs`: the duplicate scan), themes
   (`question_themes`: the theme job), or both as labels (`cluster`: `flask similarity
   cluster`).

The settings are `configured_settings()`: the tuned defaults with the configuration's
overrides. Steps 1 and 3 also take explicit arguments, for tests and benchmarks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from flask import current_app
from sqlalchemy import select

from ideation.extensions import db
from ideation.ideas.models import Idea, listed_idea
from ideation.questions.models import Question
from ideation.similarity.embeddings import Embedder, get_embedder
from ideation.similarity.grouping import duplicate_groups, duplicate_labels
from ideation.similarity.models import IdeaEmbedding
from ideation.similarity.opposed import opposed
from ideation.similarity.phrases import shared_phrases
from ideation.similarity.settings import DESCRIPTION_WEIGHT, Settings
from ideation.similarity.themes import (
    Theme,
    cluster_themes,
    describe_themes,
    theme_count,
)
from ideation.similarity.vectors import (
    centre_question,
    combine_title_description,
    in_contexts,
)

# Shared phrases are looked for in the title and the start of the description: the
# search is quadratic in words, and a long description's tail rarely says why.
PHRASE_TEXT_CHARS = 600


def configured_settings() -> Settings:
    """The pipeline's settings, with the app configuration's overrides."""
    return Settings.from_mapping(current_app.config)


def configured_model() -> str:
    """The configured embedding model's name, stored with the vectors it makes."""
    return get_embedder(current_app).name


# -- an idea's vector ------------------------------------------------------------------


def contexts(question_titles: Sequence[str]) -> list[str] | None:
    """What idea_vectors embeds each idea after: its question's title, unless the
    configuration says to embed ideas bare (QUESTION_CONTEXT off)."""
    return list(question_titles) if configured_settings().question_context else None


def idea_vectors(
    embedder: Embedder,
    titles: Sequence[str],
    descriptions: Sequence[str],
    weight: float = DESCRIPTION_WEIGHT,
    question_titles: Sequence[str] | None = None,
) -> np.ndarray:
    """One vector per idea as the pipeline makes it: title and description embedded
    apart, each after its question's title when given, then combined (an empty
    description adds nothing)."""
    titles = in_contexts(question_titles, titles)
    descriptions = in_contexts(question_titles, descriptions)
    described = [i for i, d in enumerate(descriptions) if d and d.strip()]
    vectors = embedder.embed([*titles, *(descriptions[i] for i in described)])
    titles_vectors = vectors[: len(titles)]
    description_vectors = np.zeros_like(titles_vectors)
    description_vectors[described] = vectors[len(titles) :]
    return combine_title_description(titles_vectors, description_vectors, weight)


def idea_texts(idea_ids: Sequence[int]) -> list:
    """Id, question, title, description and question title of these ideas (those
    still there), by id."""
    return db.session.execute(
        select(
            Idea.id,
            Idea.question_id,
            Idea.title,
            Idea.description,
            Question.title.label("question_title"),
        )
        .join(Question, Question.id == Idea.question_id)
        .where(Idea.id.in_(idea_ids))
        .order_by(Idea.id)
    ).all()


def embed_idea_texts(embedder: Embedder, rows: Sequence) -> np.ndarray:
    """One vector per row of idea_texts, as the configured pipeline makes it."""
    return idea_vectors(
        embedder,
        [r.title for r in rows],
        [r.description for r in rows],
        configured_settings().description_weight,
        contexts([r.question_title for r in rows]),
    )


# -- a question's ideas ----------------------------------------------------------------


def idea_text(title: str, description: str) -> str:
    """An idea's text: what theme keywords are drawn from."""
    return f"{title}\n{description}" if description else title


def phrase_text(title: str, description: str) -> str:
    """The part of an idea's text that shared phrases are looked for in."""
    return idea_text(title, description)[: len(title) + 1 + PHRASE_TEXT_CHARS]


@dataclass(frozen=True)
class QuestionIdeas:
    """A question's ideas as the pipeline groups them: ids, stored vectors, texts."""

    ids: list[int]
    vectors: np.ndarray
    titles: list[str]
    descriptions: list[str]
    supports: list[int] | None = None

    def texts(self) -> list[str]:
        """Each idea's idea_text."""
        return [idea_text(*t) for t in zip(self.titles, self.descriptions, strict=True)]

    def phrase_texts(self) -> list[str]:
        """Each idea's phrase_text."""
        pairs = zip(self.titles, self.descriptions, strict=True)
        return [phrase_text(*t) for t in pairs]


def question_ideas(question_id: int) -> QuestionIdeas:
    """The question's listed ideas with a vector of the configured model, by id.

    An idea not embedded yet (or only by an older model) waits for the next run, which
    its embedding schedules.
    """
    rows = db.session.execute(
        select(
            Idea.id,
            Idea.title,
            Idea.description,
            Idea.support_count,
            IdeaEmbedding.vector,
        )
        .join(IdeaEmbedding, IdeaEmbedding.idea_id == Idea.id)
        .where(IdeaEmbedding.question_id == question_id)
        .where(IdeaEmbedding.model == configured_model())
        .where(Idea.question_id == question_id)
        .where(listed_idea())  # only ideas of the public list
        .order_by(Idea.id)
    ).all()
    if not rows:
        return QuestionIdeas([], np.zeros((0, 0), dtype=np.float32), [], [], [])
    return QuestionIdeas(
        [row.id for row in rows],
        np.stack([row.vector for row in rows]).astype(np.float32, copy=False),
        [row.title for row in rows],
        [row.description for row in rows],
        [row.support_count or 0 for row in rows],
    )


def duplicate_pairs(
    question_id: int, dismissed: frozenset[tuple[int, int]] = frozenset()
) -> list[CandidatePair]:
    """The question's same-idea pairs, never grouping those in `dismissed`; best
    first. Groups form around the most supported (then oldest) ideas."""
    ideas = question_ideas(question_id)
    return candidate_pairs(
        ideas.ids,
        ideas.vectors,
        ideas.phrase_texts(),
        configured_settings(),
        dismissed,
        ideas.supports,
    )


def question_themes(question_id: int) -> list[Theme]:
    """The question's themes, largest first; none below THEMES_MIN_IDEAS ideas."""
    ideas = question_ideas(question_id)
    if len(ideas.ids) < current_app.config["THEMES_MIN_IDEAS"]:
        return []
    return compute_themes(
        ideas.ids, ideas.vectors, ideas.texts(), configured_settings()
    )


# -- centring, then duplicates and themes ----------------------------------------------


def centre_ideas(vectors: np.ndarray, knobs: Settings) -> np.ndarray:
    """One question's idea vectors centred on their mean: ideas of one question share
    its topic, and what is compared is what sets them apart."""
    return centre_question(vectors, knobs.centre_weight, knobs.centre_prior)


def theme_numbers(centred: np.ndarray, knobs: Settings) -> np.ndarray:
    """A theme number per centred vector, as many themes as the settings give."""
    k = theme_count(
        len(centred), knobs.theme_divisor, knobs.themes_min, knobs.themes_max
    )
    return cluster_themes(centred, k)


def same_idea(
    score: float, knobs: Settings, a_text: str | None = None, b_text: str | None = None
) -> bool:
    """Whether two ideas with this centred score (and these texts, when given) are
    the same idea: the one decision of the duplicate scan, the pre-publish step and
    `flask similarity score-pairs`. Opposed texts never are (settings.OPPOSED_RULE)."""
    if score < knobs.same_idea_threshold:
        return False
    return a_text is None or b_text is None or not opposed_pair(a_text, b_text, knobs)


def opposed_pair(a_text: str, b_text: str, knobs: Settings) -> bool:
    """Whether the rule of ideation.similarity.opposed, when on, calls them opposed."""
    return knobs.opposed_rule and opposed(a_text, b_text)


@dataclass(frozen=True)
class CandidatePair:
    """Two ideas suggested as near-duplicates (smaller id first), and why."""

    idea_a_id: int
    idea_b_id: int
    similarity: float
    shared: list[str]


def candidate_pairs(
    ids: list[int],
    vectors: np.ndarray,
    texts: list[str],
    knobs: Settings | None = None,
    dismissed: frozenset[tuple[int, int]] = frozenset(),
    supports: Sequence[int] | None = None,
) -> list[CandidatePair]:
    """Same-idea pairs of one question's ideas (every pair within each duplicate
    group), smaller id first, best first.

    Groups form around representatives taken by most `supports`, then smallest id
    (the oldest); a pair in `dismissed` is never in one group.
    """
    knobs = knobs or Settings()
    if len(ids) < 2:
        return []
    support_of = np.asarray(supports if supports is not None else [0] * len(ids))
    order = np.lexsort((np.asarray(ids), -support_of))
    text_of = dict(zip(ids, texts, strict=True))

    def never_together(a, b) -> bool:
        pair = tuple(sorted((int(a), int(b))))
        return pair in dismissed or opposed_pair(text_of[a], text_of[b], knobs)

    groups = duplicate_groups(
        centre_ideas(vectors, knobs),
        list(ids),
        knobs.same_idea_threshold,
        k=knobs.same_idea_neighbours,
        order=order,
        excluded=never_together,
    )
    pairs = []
    for group in groups:
        for pair in group.pairs:
            a, b = sorted((int(pair.a), int(pair.b)))
            shared = shared_phrases(text_of[a], text_of[b])
            pairs.append(CandidatePair(a, b, round(pair.similarity, 4), shared))
    pairs.sort(key=lambda p: (-p.similarity, p.idea_a_id, p.idea_b_id))
    return pairs


def compute_themes(
    ids: list, vectors: np.ndarray, texts: list[str], knobs: Settings | None = None
) -> list[Theme]:
    """Cluster one question's idea vectors and label each cluster, largest first."""
    knobs = knobs or Settings()
    labels = theme_numbers(centre_ideas(vectors, knobs), knobs)
    return describe_themes(texts, labels, ids)


def cluster(
    vectors: np.ndarray, knobs: Settings | None = None, texts: list[str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """A duplicate group and a theme number per vector of one question (opposed
    `texts`, when given, never share a group)."""
    knobs = knobs or Settings()
    centred = centre_ideas(vectors, knobs)
    excluded = None
    if texts is not None:

        def excluded(a: int, b: int) -> bool:
            return opposed_pair(texts[a], texts[b], knobs)

    duplicates = duplicate_labels(
        centred, knobs.same_idea_threshold, knobs.same_idea_neighbours, excluded
    )
    return duplicates, theme_numbers(centred, knobs)
