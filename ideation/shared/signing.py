"""Signed, expiring tokens for the links we e-mail: one kind per purpose.

Each purpose has its own salt, so a token made for one is refused by the others
(changing a salt kills every link already sent). The payload is signed, not
encrypted: anyone holding the link can read it, so it holds ids, never a secret.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from ideation.shared.errors import TokenError


@dataclass(frozen=True)
class SignedLink:
    """The tokens of one purpose: its salt, and the setting saying how long they
    last (a timedelta in the app's config)."""

    salt: str
    max_age_setting: str

    def make(self, payload: dict) -> str:
        """`payload` signed for this purpose, with the time it was made."""
        return self._serializer().dumps(payload)

    def load(self, token: str, *, expired: str, invalid: str) -> dict:
        """The payload of a token made for this purpose and still young enough.

        Raises TokenError with `expired` when it is too old, with `invalid` when it
        is not ours (broken, tampered, another purpose or key, not a dict).
        """
        max_age = current_app.config[self.max_age_setting]
        try:
            data = self._serializer().loads(token, max_age=int(max_age.total_seconds()))
        except SignatureExpired:
            raise TokenError(expired) from None
        except BadData:
            raise TokenError(invalid) from None
        if not isinstance(data, dict):
            raise TokenError(invalid)
        return data

    def _serializer(self) -> URLSafeTimedSerializer:
        # Built per call: the key is the running app's, read when it is needed.
        return URLSafeTimedSerializer(current_app.secret_key, salt=self.salt)
