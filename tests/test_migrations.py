"""Migrations: one head; empty to head matches the models on this backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import text

from ideation import create_app
from ideation.extensions import db
from ideation.search.models import SEARCH_INDEX, SEARCH_TABLE
from tests.conftest import USES_POSTGRES, _config_for


def test_single_head(tmp_path):
    app = create_app(_config_for(f"sqlite:///{tmp_path / 'heads.db'}"))
    with app.app_context():
        script = ScriptDirectory.from_config(
            app.extensions["migrate"].migrate.get_config()
        )
        assert len(script.get_heads()) == 1


def test_upgrade_from_empty_matches_models(empty_database_url):
    app = create_app(_config_for(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "render_as_batch": True,
                    "include_object": _comparable,
                },
            )
            differences = compare_metadata(context, db.metadata)
            hnsw = _hnsw_indexes(conn)
            search_index = _search_index(conn)
        db.engine.dispose()
    assert differences == []
    if USES_POSTGRES:
        assert hnsw == {"ix_idea_embeddings_hnsw_384"}
    assert search_index


# Alembic cannot compare expression indexes; the HNSW one is checked on its own.
EXPRESSION_INDEXES = {"ix_idea_embeddings_hnsw_384", SEARCH_INDEX}


def _comparable(obj, name, type_, reflected, compare_to):
    # The FTS5 table and its shadow tables (ideas_fts_data, ...) are no model's.
    if type_ == "table" and name.startswith(SEARCH_TABLE):
        return False
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def _hnsw_indexes(conn) -> set[str]:
    if conn.dialect.name != "postgresql":
        return set()
    rows = conn.execute(
        text("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%USING hnsw%'")
    )
    return set(rows.scalars())


def _search_index(conn) -> bool:
    """Whether migration 0006's full-text index of ideas is there."""
    if conn.dialect.name == "postgresql":
        query = "SELECT 1 FROM pg_indexes WHERE indexname = :name"
        return conn.execute(text(query), {"name": SEARCH_INDEX}).first() is not None
    query = "SELECT 1 FROM sqlite_master WHERE name = :name"
    return conn.execute(text(query), {"name": SEARCH_TABLE}).first() is not None
