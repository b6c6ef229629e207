"""Reads of ideas and supports."""

import secrets
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

from flask import abort, current_app
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import BigInteger, Select, cast, select
from sqlalchemy.orm import joinedload

from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas import rules
from ideation.ideas.models import Idea, Support, listed_idea
from ideation.questions.models import Question
from ideation.shared.pagination import page_number
from ideation.shared.personal_data import iso, rows_of
from ideation.shared.visibility import may_see_content
from ideation.themes.models import IdeaTheme, Theme
from ideation.themes.queries import question_themes, requested_theme_id, theme_in

SORTS = ("random", "top", "new")
# Random by default, for fairness: with "top" or "new" first, the ideas that came
# early or got the first supports stay on top and collect ever more supports.
DEFAULT_SORT = "random"
SEED_SESSION_KEY = "idea_order_seed"
# The random order sorts by ((((id * a + b) mod M)^2 mod M) * c + d) mod M, with
# a, b, c, d drawn per visitor and kept in their session. An affine map alone would
# list consecutive ids in id order whenever `a` is small; squaring in between breaks
# that. M = 2**31 - 1 is prime and no id exceeds it (PostgreSQL's integer); every
# product stays below 2**62, within a signed 64-bit integer on both backends. Ties
# (x and M - x square alike) fall back to the id.
_MODULUS = 2**31 - 1
_SEED_RANGE = (_MODULUS - 1) ** 2 * _MODULUS**2


@dataclass(frozen=True)
class IdeaListing:
    """One page of a question's ideas, as shown under the question."""

    question: Question
    sort: str
    pagination: Pagination
    supported_ids: frozenset[int]
    user: User | None
    sorts: tuple[str, ...] = SORTS
    themes: tuple[Theme, ...] = ()
    theme: Theme | None = None  # the theme the list is filtered by
    # A ?theme= that is not one of this question's themes (an old link: themes are
    # recomputed as ideas arrive) is ignored, and the full list shown with a note.
    unknown_theme: bool = False

    def may_toggle_support(self, idea: Idea) -> bool:
        """Whether to show this visitor a support or remove-support button."""
        return rules.can_toggle_support(idea, self.user, idea.id in self.supported_ids)


@dataclass(frozen=True)
class IdeaPage:
    """An idea and what the visitor may do with it."""

    idea: Idea
    supported: bool
    may_toggle_support: bool
    may_edit: bool
    may_withdraw: bool
    # False when the moderators hid the idea and the visitor is neither its author
    # nor a moderator: the page then shows why, and nothing of the idea.
    content_visible: bool = True


def idea_listing(
    question: Question,
    args: Mapping,
    session: MutableMapping,
    user: User | None = None,
) -> IdeaListing:
    """The page of `question`'s ideas asked for by `args` (sort, page, theme).

    `user` defaults to the signed-in visitor; `session` keeps their random order.
    """
    user = user if user is not None else _signed_in_user()
    sort = args.get("sort") if args.get("sort") in SORTS else DEFAULT_SORT
    stmt = (
        select(Idea)
        .options(joinedload(Idea.author))
        .where(Idea.question_id == question.id)
        .where(listed_idea())
    )
    themes = question_themes(question)
    theme_id = requested_theme_id(args)
    theme = theme_in(themes, theme_id)
    if theme is not None:
        stmt = stmt.join(IdeaTheme, IdeaTheme.idea_id == Idea.id).where(
            IdeaTheme.theme_id == theme.id
        )
    stmt = _ordered(stmt, sort, session)
    pagination = db.paginate(
        stmt,
        page=page_number(args),
        per_page=current_app.config["IDEAS_PER_PAGE"],
        max_per_page=None,
        error_out=False,
    )
    supported = supported_idea_ids(user, [idea.id for idea in pagination.items])
    return IdeaListing(
        question,
        sort,
        pagination,
        supported,
        user,
        themes=tuple(themes),
        theme=theme,
        unknown_theme=theme_id is not None and theme is None,
    )


def _ordered(stmt: Select, sort: str, session: MutableMapping) -> Select:
    if sort == "top":
        return stmt.order_by(Idea.support_count.desc(), Idea.id.asc())
    if sort == "new":
        return stmt.order_by(Idea.created_at.desc(), Idea.id.desc())
    a, b, c, d = _random_order_key(session)
    mixed = (cast(Idea.id, BigInteger) * a + b) % _MODULUS
    position = ((mixed * mixed) % _MODULUS * c + d) % _MODULUS
    return stmt.order_by(position, Idea.id)


def _random_order_key(session: MutableMapping) -> tuple[int, int, int, int]:
    """This visitor's (a, b, c, d), kept in their session so pages stay consistent."""
    seed = session.get(SEED_SESSION_KEY)
    if not isinstance(seed, int) or not 0 <= seed < _SEED_RANGE:
        seed = secrets.randbelow(_SEED_RANGE)
        session[SEED_SESSION_KEY] = seed
    seed, a = divmod(seed, _MODULUS - 1)
    seed, b = divmod(seed, _MODULUS)
    d, c = divmod(seed, _MODULUS - 1)
    return 1 + a, b, 1 + c, d


def supported_idea_ids(user: User | None, idea_ids: list[int]) -> frozenset[int]:
    """Which of `idea_ids` `user` supports, in one query."""
    if user is None or not user.is_authenticated or not idea_ids:
        return frozenset()
    stmt = select(Support.idea_id).where(
        Support.user_id == user.id, Support.idea_id.in_(idea_ids)
    )
    return frozenset(db.session.scalars(stmt))


def get_visible_idea_or_404(idea_id: int) -> Idea:
    """An idea of a public question (withdrawn and hidden ones included); 404
    otherwise."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or not idea.question.is_public():
        abort(404)
    return idea


def idea_page(idea: Idea, user: User | None = None) -> IdeaPage:
    """The idea with the visitor's support and the buttons they may use."""
    user = user if user is not None else _signed_in_user()
    supported = idea.id in supported_idea_ids(user, [idea.id])
    return IdeaPage(
        idea=idea,
        supported=supported,
        may_toggle_support=rules.can_toggle_support(idea, user, supported),
        may_edit=rules.can_edit(idea, user),
        may_withdraw=rules.can_withdraw(idea, user),
        content_visible=may_see_content(idea, user),
    )


def _signed_in_user() -> User | None:
    return current_user._get_current_object() if current_user.is_authenticated else None


def personal_data(user: User) -> dict[str, list[dict]]:
    """The account's ideas and supports, for its copy of its data."""
    return {
        "ideas": [
            {
                "id": idea.id,
                "question_id": idea.question_id,
                "title": idea.title,
                "description": idea.description,
                "status": str(idea.status),
                "support_count": idea.support_count,
                "created_at": iso(idea.created_at),
                "updated_at": iso(idea.updated_at),
                "withdrawn_at": iso(idea.withdrawn_at),
                "hidden_at": iso(idea.hidden_at),
            }
            for idea in rows_of(Idea, Idea.author_id == user.id)
        ],
        "idea_supports": [
            {"idea_id": support.idea_id, "created_at": iso(support.created_at)}
            for support in rows_of(Support, Support.user_id == user.id)
        ],
    }
