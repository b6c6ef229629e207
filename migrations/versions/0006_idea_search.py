"""Search: the full-text index of ideas (ideation/search/models.py).

SQLite: an FTS5 table over ideas' title and description (external content,
unicode61 with remove_diacritics 2), triggers that keep it in step with every
insert, edit and delete of an idea, and a rebuild from the ideas already there.
PostgreSQL: a GIN index on the 'simple' tsvector of the text with its accents
translated away (an expression index: no new column, no trigger).

The statements are copied from ideation/search/models.py (migrations import no
application code); the models create the same objects for create_all.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-07 20:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS ideas_fts USING fts5(title, description, content='ideas', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    'CREATE TRIGGER IF NOT EXISTS ideas_fts_insert AFTER INSERT ON ideas BEGIN INSERT INTO ideas_fts(rowid, title, description) VALUES (new.id, new.title, new.description); END',
    "CREATE TRIGGER IF NOT EXISTS ideas_fts_delete AFTER DELETE ON ideas BEGIN INSERT INTO ideas_fts(ideas_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description); END",
    "CREATE TRIGGER IF NOT EXISTS ideas_fts_update AFTER UPDATE OF title, description ON ideas BEGIN INSERT INTO ideas_fts(ideas_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description); INSERT INTO ideas_fts(rowid, title, description) VALUES (new.id, new.title, new.description); END",
    "INSERT INTO ideas_fts(ideas_fts) VALUES ('rebuild')",
)
SQLITE_DROP = (
    'DROP TRIGGER IF EXISTS ideas_fts_insert',
    'DROP TRIGGER IF EXISTS ideas_fts_delete',
    'DROP TRIGGER IF EXISTS ideas_fts_update',
    'DROP TABLE IF EXISTS ideas_fts',
)
POSTGRES_CREATE = (
    "CREATE INDEX IF NOT EXISTS ix_ideas_search ON ideas USING gin ((to_tsvector('simple'::regconfig, lower(translate(title || ' ' || description, 'áàâãäåéèêëíìîïóòôõöúùûüçñýÿÁÀÂÃÄÅÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑÝ', 'aaaaaaeeeeiiiiooooouuuucnyyaaaaaaeeeeiiiiooooouuuucny')))))",
)
POSTGRES_DROP = (
    'DROP INDEX IF EXISTS ix_ideas_search',
)


def _statements(sqlite, postgres):
    return sqlite if op.get_bind().dialect.name == "sqlite" else postgres


def upgrade():
    for statement in _statements(SQLITE_CREATE, POSTGRES_CREATE):
        op.execute(statement)


def downgrade():
    for statement in _statements(SQLITE_DROP, POSTGRES_DROP):
        op.execute(statement)
