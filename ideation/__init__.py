"""The Governor Asks: application factory."""

from importlib import import_module

from flask import Flask, render_template
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from config import config_from_env
from ideation.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config=None) -> Flask:
    """Build the app; `config` is a config class (default: from APP_ENV)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config or config_from_env()())
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


# Modules that define tables or jobs: imported in every process, so that Alembic
# sees all tables and the job queue knows every job, whatever the process serves.
SCHEMA_AND_JOB_MODULES = (
    "models",
    "jobs",
    "duplicates.jobs",
    "governor.models",
    "mail.digest",
    "mail.operations",
    "measures.models",
    "moderation.models",
    "notifications.models",
    "responses.models",
    "sessions.models",
    "shortlist.models",
    "similar.jobs",
    "themes.jobs",
)

# Feature packages whose views.bp is registered, in this order.
BLUEPRINT_PACKAGES = (
    "main",
    "auth",
    "questions",
    "ideas",
    "admin",
    "themes",
    "duplicates",
    "notifications",
    "similar",
    "governor",
    "measures",
    "moderation",
    "responses",
    "shortlist",
    "sessions",
)

# `flask <group>` command groups: (module, attribute).
COMMAND_GROUPS = (
    ("auth.commands", "users_cli"),
    ("demo.commands", "demo_cli"),
    ("jobs_cli", "jobs_cli"),
    ("mail.commands", "mail_cli"),
    ("similar.commands", "similarity_cli"),  # with backfill and reindex
    ("themes.commands", "themes_cli"),
)


def _feature(name: str):
    return import_module(f"{__name__}.{name}")


def register_extensions(app: Flask) -> None:
    from ideation import jobs
    from ideation.auth.access import load_user, send_to_login
    from ideation.i18n import select_locale

    for module in SCHEMA_AND_JOB_MODULES:
        _feature(module)
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(send_to_login)
    jobs.init_app(app)


def register_blueprints(app: Flask) -> None:
    for package in BLUEPRINT_PACKAGES:
        app.register_blueprint(_feature(f"{package}.views").bp)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500)
        return render_template(f"errors/{code}.html", error=error), code

    for code in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(code, render_error)


def register_template_helpers(app: Flask) -> None:
    from flask_babel import format_date, format_datetime

    from ideation.i18n import current_language
    from ideation.models import Role
    from ideation.text import plain_text_html, render_markdown

    app.jinja_env.filters["plain_text"] = plain_text_html
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["format_date"] = format_date
    app.jinja_env.globals["format_datetime"] = format_datetime


def register_commands(app: Flask) -> None:
    for module, group in COMMAND_GROUPS:
        app.cli.add_command(getattr(_feature(module), group))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys; WAL so readers never block the writer."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
