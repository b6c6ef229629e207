"""ensure_role: the role check of operations, and what it says when it refuses."""

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ideation.shared.errors import PermissionDenied
from ideation.shared.roles import Role, ensure_role


def test_the_role_or_a_more_powerful_one_passes(make_user):
    ensure_role(make_user(role=Role.OFFICIAL), Role.OFFICIAL)
    ensure_role(make_user(role=Role.ADMIN), Role.OFFICIAL)


def test_a_refusal_says_the_message_given_in_the_readers_language(make_user):
    moderator = make_user(role=Role.MODERATOR)
    message = _l("Only officials can run design sessions.")
    with force_locale("pt_BR"), pytest.raises(PermissionDenied) as refused:
        ensure_role(moderator, Role.OFFICIAL, message)
    assert str(refused.value) == "Só servidores podem conduzir sessões de cocriação."


def test_a_refusal_without_a_message_says_the_account_may_not(make_user):
    with pytest.raises(PermissionDenied, match="Your account is not allowed to do"):
        ensure_role(make_user(), Role.MODERATOR)
