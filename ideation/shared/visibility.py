"""Who sees an item hidden by the moderators (an idea, a question to the governor):
any model with `hidden_at`, `hidden_reason` and `author_id`."""

from ideation.shared.roles import Role, has_role


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
