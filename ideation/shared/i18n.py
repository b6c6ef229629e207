"""Which language a request is served in, and the site's time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user

SESSION_KEY = "language"


def select_locale() -> str:
    """The account's language, else the switcher's, else Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale:
        if current_user.locale in languages:
            return current_user.locale
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    best = request.accept_languages.best_match(
        [code.replace("_", "-") for code in languages]
    )
    return (
        best.replace("-", "_") if best else current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_language() -> str:
    """The BCP 47 tag for <html lang>, e.g. pt-BR."""
    return str(get_locale()).replace("_", "-")


def local_to_utc(value: datetime | None) -> datetime | None:
    """A naive date typed in a form, read in the site's time zone, as aware UTC."""
    if value is None:
        return None
    # zoneinfo, not Babel's pytz zone: pytz attached with replace() gives a zone's
    # historical local mean time offset (-03:06 for São Paulo) instead of today's.
    return value.replace(tzinfo=_site_zone()).astimezone(UTC)


def utc_to_local(value: datetime | None) -> datetime | None:
    """An aware UTC datetime as naive local time, to fill a datetime-local input."""
    if value is None:
        return None
    return value.astimezone(_site_zone()).replace(tzinfo=None)


def local_today() -> date:
    """Today in the site's time zone: what "a date in the future" is measured from."""
    return datetime.now(_site_zone()).date()


def site_zone() -> ZoneInfo:
    """The site's time zone (BABEL_DEFAULT_TIMEZONE), as zoneinfo."""
    return _site_zone()


def _site_zone() -> ZoneInfo:
    return ZoneInfo(str(get_timezone()))
