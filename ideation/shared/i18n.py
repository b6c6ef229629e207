"""Which language a request is served in, and the site's time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.support import NullTranslations
from flask import current_app, has_request_context, request, session
from flask.globals import _cv_app
from flask_babel import format_date, get_locale, get_timezone, get_translations
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


_NO_TRANSLATIONS = NullTranslations()


def request_translations():
    """The catalogue of this request's language, looked up once per language.

    Flask-Babel's own look-up walks `g`, the locale and its cache on each of the
    hundreds of `_()` calls of a page. This keeps the answer on the app context,
    keyed by the very Locale object Flask-Babel chose: `refresh()` and
    `force_locale()` replace that object, so a language changed within a request
    (or the next request, in another context) is never served the old catalogue.
    """
    context = _cv_app.get(None)
    if context is None:
        return _NO_TRANSLATIONS
    values = context.g.__dict__
    babel_state = values.get("_flask_babel")
    locale = getattr(babel_state, "babel_locale", None)
    memo = values.get("_ideation_translations")
    if locale is not None and memo is not None and memo[0] is locale:
        return memo[1]
    translations = get_translations()  # also chooses the locale, the first time
    locale = getattr(values.get("_flask_babel"), "babel_locale", None)
    values["_ideation_translations"] = (locale, translations)
    return translations


def install_template_translations(app) -> None:
    """Templates' `_`, `gettext`, `ngettext` through `request_translations`."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def format_day(value: datetime | date | None, format: str | None = None) -> str:
    """`flask_babel.format_date`, remembered within the request per day shown:
    a page of 50 cards often shows a few dates, each formatted by Babel once."""
    context = _cv_app.get(None)
    if context is None or not isinstance(value, datetime):
        return format_date(value, format)
    values = context.g.__dict__
    locale = getattr(values.get("_flask_babel"), "babel_locale", None)
    memo = values.get("_ideation_days")
    if memo is None or memo[0] is not locale or locale is None:
        memo = values["_ideation_days"] = (locale, get_timezone(), {})
    _locale, zone, days = memo
    key = (value.astimezone(zone).date(), format)
    if key not in days:
        days[key] = format_date(value, format)
    return days[key]
