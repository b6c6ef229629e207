"""Domain errors: operations raise them, views turn them into a message."""


class DomainError(Exception):
    """A rule of the platform refused the action; str(error) is for the user."""


class PermissionDenied(DomainError):
    """The acting user may not do this to this object."""
