"""Background work of the similar-ideas feature."""

from flask import current_app

from ..duplicates.operations import schedule_duplicate_scan
from ..embeddings import get_embedder
from ..extensions import db
from ..jobs import job
from ..models import Idea
from ..themes.jobs import schedule_theme_recompute
from .store import idea_vectors, save_embedding, settings


@job("embed_idea")
def embed_idea(idea_id: int) -> None:
    """Embed an idea's title and description as they are now, and store the vector.

    A model that fails to load or run raises: the queue retries, then lists the job
    as failed for admins.
    """
    idea = db.session.get(Idea, idea_id)
    if idea is None:
        return  # deleted since
    embedder = get_embedder(current_app)
    weight = settings().description_weight
    vector = idea_vectors(embedder, [idea.title], [idea.description], weight)[0]
    save_embedding(idea, vector, embedder.name)
    # The question's vectors changed: look for near-duplicates again (debounced).
    schedule_duplicate_scan(idea.question_id)
    schedule_theme_recompute(idea.question_id)  # and its themes
