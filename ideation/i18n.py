"""Which language a request is served in."""

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

SESSION_KEY = "language"


def select_locale() -> str:
    """The account's language, else the switcher's, else Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale:
        if current_user.locale in languages:
            return current_user.locale
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    best = request.accept_languages.best_match(
        [code.replace("_", "-") for code in languages]
    )
    return best.replace("-", "_") if best else current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """The BCP 47 tag for <html lang>, e.g. pt-BR."""
    return str(get_locale()).replace("_", "-")
