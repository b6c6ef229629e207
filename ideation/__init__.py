"""The Governor Asks: application factory."""

from flask import Flask, render_template
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from config import config_from_env

from .extensions import babel, csrf, db, limiter, login_manager, migrate


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


def register_extensions(app: Flask) -> None:
    from . import jobs, models  # noqa: F401  (tables must be known to Alembic)
    from .auth.access import load_user, send_to_login
    from .duplicates import jobs as duplicates_jobs  # noqa: F401  (tables and job)
    from .i18n import select_locale
    from .mail import digest as mail_digest  # noqa: F401  (the daily digest job)
    from .mail import operations as mail_operations  # noqa: F401  (table and job)
    from .moderation import models as moderation_models  # noqa: F401
    from .notifications import models as notifications_models  # noqa: F401
    from .responses import models as responses_models  # noqa: F401
    from .sessions import models as sessions_models  # noqa: F401
    from .shortlist import models as shortlist_models  # noqa: F401
    from .similar import jobs as similar_jobs  # noqa: F401  (its table and job)
    from .themes import jobs as themes_jobs  # noqa: F401  (its tables and job)

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
    from .admin.views import bp as admin_bp
    from .auth.views import bp as auth_bp
    from .duplicates.views import bp as duplicates_bp
    from .governor.views import bp as governor_bp
    from .ideas.views import bp as ideas_bp
    from .main.views import bp as main_bp
    from .measures.views import bp as measures_bp
    from .moderation.views import bp as moderation_bp
    from .notifications.views import bp as notifications_bp
    from .questions.views import bp as questions_bp
    from .responses.views import bp as responses_bp
    from .sessions.views import bp as sessions_bp
    from .shortlist.views import bp as shortlist_bp
    from .similar.views import bp as similar_bp
    from .themes.views import bp as themes_bp

    for blueprint in (main_bp, auth_bp, questions_bp, ideas_bp, admin_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(themes_bp)
    app.register_blueprint(duplicates_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(similar_bp)
    app.register_blueprint(governor_bp)
    app.register_blueprint(measures_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(responses_bp)
    app.register_blueprint(shortlist_bp)
    app.register_blueprint(sessions_bp)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500)
        return render_template(f"errors/{code}.html", error=error), code

    for code in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(code, render_error)


def register_template_helpers(app: Flask) -> None:
    from flask_babel import format_date, format_datetime

    from .i18n import current_language
    from .models import Role
    from .text import plain_text_html, render_markdown

    app.jinja_env.filters["plain_text"] = plain_text_html
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["format_date"] = format_date
    app.jinja_env.globals["format_datetime"] = format_datetime


def register_commands(app: Flask) -> None:
    from .auth.commands import users_cli
    from .demo.commands import demo_cli
    from .jobs_cli import jobs_cli
    from .mail.commands import mail_cli
    from .similar.commands import similarity_cli  # with backfill and reindex
    from .themes.commands import themes_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(similarity_cli)
    app.cli.add_command(themes_cli)


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
