"""The Governor Asks: application factory."""

from importlib import import_module

from flask import Flask, jsonify, render_template
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix

from config import config_from_env
from ideation.extensions import babel, csrf, db, limiter, login_manager, migrate
from ideation.features import Feature
from ideation.shared.web import wants_json

# Every package that adds something to the app, in the order their blueprints are
# registered. Each declares what it adds in its `__init__.py` (`feature`).
FEATURES = (
    "jobs",
    "audit",
    "notifications",
    "supports",
    "similarity",
    "main",
    "auth",
    "questions",
    "ideas",
    "comments",
    "themes",
    "duplicates",
    "governor",
    "measures",
    "moderation",
    "responses",
    "shortlist",
    "sessions",
    "opendata",
    "search",
    "impact",
    "proposals",
    "voting",
    "demo",
)

# The words of templates/errors/429.html.
TOO_MANY_ATTEMPTS = (
    "Too many attempts in a short time. Please wait a few minutes and try again."
)


def create_app(config=None) -> Flask:
    """Build the app; `config` is a config class (default: from APP_ENV)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config or config_from_env()())
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    features = load_features()
    register_converters(app)
    register_extensions(app)
    register_blueprints(app, features)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app, features)
    register_registries(app, features)
    return app


def load_features() -> dict[str, Feature]:
    """Each package's declaration, with the modules it names imported."""
    features = {}
    for name in FEATURES:
        feature = import_module(f"{__name__}.{name}").feature
        for module in feature.modules:
            import_module(f"{__name__}.{name}.{module}")
        features[name] = feature
    return features


def _attribute(package: str, reference: str):
    module, attribute = reference.split(":")
    return getattr(import_module(f"{__name__}.{package}.{module}"), attribute)


def register_converters(app: Flask) -> None:
    """Before any route: `<int:…>` then takes only numbers an id column holds."""
    from ideation.shared.web import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_extensions(app: Flask) -> None:
    from ideation.auth.access import load_user, send_to_login
    from ideation.jobs import queue
    from ideation.shared import security
    from ideation.shared.db import configure_sqlite
    from ideation.shared.i18n import install_template_translations, select_locale

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            configure_sqlite(engine)
    migrate.init_app(app, db, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_translations(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(send_to_login)
    queue.init_app(app)
    security.init_app(app)


def register_blueprints(app: Flask, features: dict[str, Feature]) -> None:
    for name, feature in features.items():
        for module in feature.blueprints:
            app.register_blueprint(import_module(f"{__name__}.{name}.{module}").bp)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500)
        if code == 429 and wants_json():  # the page's script (support buttons)
            return jsonify(error=_(TOO_MANY_ATTEMPTS)), code
        return render_template(f"errors/{code}.html", error=error), code

    def refuse_data(error: DataError):
        # A value the database cannot hold that no form caught (a NUL byte, a
        # number out of range): the request was bad, the server is fine.
        db.session.rollback()
        app.logger.warning("Refused by the database: %s", error.orig)
        return render_error(BadRequest())

    for code in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(code, render_error)
    app.register_error_handler(DataError, refuse_data)


def register_template_helpers(app: Flask) -> None:
    from flask_babel import format_datetime

    from ideation.shared.i18n import current_language, format_day
    from ideation.shared.roles import Role
    from ideation.shared.text import plain_text_html, render_markdown
    from ideation.shared.visibility import content_visible
    from ideation.shared.web import id_url

    app.jinja_env.filters["plain_text"] = plain_text_html
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["content_visible"] = content_visible
    app.jinja_env.globals["format_date"] = format_day
    app.jinja_env.globals["format_datetime"] = format_datetime
    app.jinja_env.globals["id_url"] = id_url


def register_commands(app: Flask, features: dict[str, Feature]) -> None:
    for name, feature in features.items():
        for reference in feature.commands:
            app.cli.add_command(_attribute(name, reference))


def register_registries(app: Flask, features: dict[str, Feature]) -> None:
    """Notification messages, audit-log links, moderated kinds of item and
    exporters of personal data, collected from every feature."""
    from ideation.audit.links import register_audit_actions, register_audit_links
    from ideation.notifications.messages import register_messages
    from ideation.shared.personal_data import register_personal_data
    from ideation.shared.visibility import register_moderated

    for name, feature in features.items():
        if feature.messages:
            register_messages(_attribute(name, feature.messages))
        if feature.audit_links:
            register_audit_links(_attribute(name, feature.audit_links))
        if feature.audit_actions:
            register_audit_actions(_attribute(name, feature.audit_actions))
        if feature.moderated:
            register_moderated(_attribute(name, feature.moderated))
        if feature.personal_data:
            register_personal_data(_attribute(name, feature.personal_data))
