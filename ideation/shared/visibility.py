"""Items people may report and moderators may hide (ideas, questions to the
governor): what kinds there are, and who sees a hidden one. A moderated model has
`hidden_at`, `hidden_reason`, `author_id` and an `author` relationship."""

from collections.abc import Callable
from dataclasses import dataclass

from flask_login import current_user

from ideation.shared.roles import Role, has_role


@dataclass(frozen=True)
class ModeratedKind:
    """A kind of item under moderation, declared by the feature that owns it
    (`Feature.moderated`), so that moderation imports no feature.

    `target_type` is the kind's name in reports; `endpoint` is the item's page,
    given its id as `argument`; `is_public` says whether the item may be shown at
    all (an idea of a draft question may not).
    """

    target_type: str
    model: type
    endpoint: str
    argument: str
    is_public: Callable[[object], bool] = lambda item: True


MODERATED: dict[str, ModeratedKind] = {}


def register_moderated(kinds) -> None:
    """Put `kinds` under moderation: reports, the queue, hiding."""
    for kind in kinds:
        MODERATED[kind.target_type] = kind


def is_hidden(item) -> bool:
    """Whether an idea or question to the governor is hidden from the public."""
    return item.hidden_at is not None


def is_pending_review(item) -> bool:
    """Hidden automatically by flags, and no moderator has decided yet."""
    return is_hidden(item) and not item.hidden_reason


def is_moderator(user) -> bool:
    """Whether `user` is signed in as a moderator or a more powerful role."""
    return has_role(user, Role.MODERATOR)


def may_see_content(item, user) -> bool:
    """The public sees a hidden item's notice only; its author and moderators+ see
    what it says (to review it, or to know what was hidden)."""
    if not is_hidden(item):
        return True
    return has_role(user, Role.CITIZEN) and (
        user.id == item.author_id or is_moderator(user)
    )


def content_visible(item) -> bool:
    """may_see_content for the signed-in visitor (a template global)."""
    return may_see_content(item, current_user)


def visible_title(item, user, placeholder: str) -> str:
    """The item's title, or `placeholder` ("Hidden idea") for a reader who may not
    see what the hidden item says."""
    return item.title if may_see_content(item, user) else placeholder
