"""Domain errors: operations raise them, views turn them into a message."""


class DomainError(Exception):
    """A rule of the platform refused the action; str(error) is for the user.

    `field` names the form field the message is about (None: the whole form).
    """

    def __init__(self, message: str = "", field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(DomainError):
    """The acting user may not do this to this object."""


class TokenError(DomainError):
    """A signed link (e-mail confirmation, password reset, RSVP) that no longer, or
    never did, work; says why."""
