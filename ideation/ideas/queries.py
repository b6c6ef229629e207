"""Reads of ideas and supports."""

import secrets
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas import rules
from ideation.ideas.models import SHUFFLE_KEY_RANGE, Idea, Support, listed_idea
from ideation.questions.models import Question
from ideation.shared.pagination import KeysetOrder, Page, keyset_page
from ideation.shared.personal_data import iso, rows_of
from ideation.shared.visibility import may_see_content
from ideation.shared.web import id_url
from ideation.themes.models import IdeaTheme, Theme
from ideation.themes.queries import question_themes, requested_theme_id, theme_in

SORTS = ("random", "top", "new")
# Random by default, for fairness: with "top" or "new" first, the ideas that came
# early or got the first supports stay on top and collect ever more supports.
DEFAULT_SORT = "random"
SEED_SESSION_KEY = "idea_order_seed"
# The random order: every idea has a random `shuffle_key`, drawn when it is saved,
# and a visitor reads the ideas by ascending key from a starting point of their own
# (kept in their session), wrapping around to the smallest keys. Each idea is as
# likely as any other to come first, and pages read the (question_id, shuffle_key)
# index from a point on, instead of computing a position for every idea of the
# question and sorting them all on each page.
_SEED_RANGE = SHUFFLE_KEY_RANGE


@dataclass(frozen=True)
class IdeaCard:
    """One idea of the list, with what the visitor may do with it."""

    idea: Idea
    supported: bool
    may_toggle_support: bool
    href: str
    support_url: str
    unsupport_url: str


@dataclass(frozen=True)
class IdeaListing:
    """One page of a question's ideas, as shown under the question."""

    question: Question
    sort: str
    pagination: Page
    supported_ids: frozenset[int]
    user: User | None
    sorts: tuple[str, ...] = SORTS
    themes: tuple[Theme, ...] = ()
    theme: Theme | None = None  # the theme the list is filtered by
    # A ?theme= that is not one of this question's themes (an old link: themes are
    # recomputed as ideas arrive) is ignored, and the full list shown with a note.
    unknown_theme: bool = False
    cards: tuple[IdeaCard, ...] = ()

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
    """The page of `question`'s ideas asked for by `args` (sort, page, theme, and
    the cursor of the "next" or "previous" link: after=, before=).

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
        total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    else:
        total = question.idea_count  # kept by ideation.ideas.counting: no COUNT(*)
    order = listing_order(sort, session)
    pagination = keyset_page(
        stmt, order, args, total, current_app.config["IDEAS_PER_PAGE"]
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
        cards=_cards(pagination.items, supported, user),
    )


def _cards(ideas: list[Idea], supported: frozenset[int], user) -> tuple:
    """What each card shows, prepared once: the templates only print it."""
    href = id_url("ideas.show", "idea_id")
    support_url = id_url("ideas.support", "idea_id")
    unsupport_url = id_url("ideas.unsupport", "idea_id")
    return tuple(
        IdeaCard(
            idea,
            idea.id in supported,
            rules.can_toggle_support(idea, user, idea.id in supported),
            href(idea.id),
            support_url(idea.id),
            unsupport_url(idea.id),
        )
        for idea in ideas
    )


def listing_order(sort: str, session: MutableMapping) -> KeysetOrder:
    """The order of a sort (for `session`'s visitor: random), for keyset pages."""
    if sort == "top":
        return KeysetOrder(((Idea.support_count, True), (Idea.id, False)))
    if sort == "new":
        return KeysetOrder(((Idea.created_at, True), (Idea.id, True)))
    start = _random_start(session)
    key = Idea.shuffle_key
    # From the visitor's starting point to the largest key, then from the smallest.
    return KeysetOrder(((key, False), (Idea.id, False)), wrap_at=start)


def _random_start(session: MutableMapping) -> int:
    """This visitor's starting point, kept in their session so pages stay put."""
    seed = session.get(SEED_SESSION_KEY)
    if not isinstance(seed, int) or not 0 <= seed < _SEED_RANGE:
        seed = secrets.randbelow(_SEED_RANGE)
        session[SEED_SESSION_KEY] = seed
    return seed


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
