"""The full-text index of ideas, one per backend, kept in step by the database.

SQLite: an FTS5 table over ideas' title and description (external content, so
the text is stored once), tokenised by unicode61 with remove_diacritics 2 (case
and accents folded: "saúde" and "SAUDE" are one word), kept in step by triggers on
every insert, edit and delete of an idea. PostgreSQL: a GIN index on the
tsvector of the 'simple' configuration (no stemming, no stop-words: one rule for
Portuguese, Spanish and English) over the text with its accents translated away,
an expression index the database updates itself. Hidden, withdrawn and merged ideas
stay in the index: the search filters them as the list does, so hiding one or
restoring it needs no reindex.

create_all (tests, benchmarks) builds the same objects as migration 0006 through
the DDL events below. A later migration that rebuilds the ideas table on SQLite
(Alembic's batch mode copies it to a new table) drops its triggers: it must run
SQLITE_CREATE again afterwards.
"""

from sqlalchemy import DDL, event

from ideation.ideas.models import Idea

SEARCH_TABLE = "ideas_fts"
SEARCH_INDEX = "ix_ideas_search"

# Accented letters of Portuguese, Spanish (and French, Catalan loanwords) and
# what they become; capitals too, since lower() of a C-collated PostgreSQL
# database only folds ASCII.
ACCENTED = "áàâãäåéèêëíìîïóòôõöúùûüçñýÿÁÀÂÃÄÅÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑÝ"
PLAIN = "aaaaaaeeeeiiiiooooouuuucnyyaaaaaaeeeeiiiiooooouuuucny"
assert len(ACCENTED) == len(PLAIN)

# The indexed expression: the query repeats it word for word, so the planner uses
# the index.
PG_DOCUMENT = (
    "to_tsvector('simple'::regconfig, lower(translate("
    f"ideas.title || ' ' || ideas.description, '{ACCENTED}', '{PLAIN}')))"
)

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
    "title, description, content='ideas', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_insert AFTER INSERT ON ideas BEGIN "
    f"INSERT INTO {SEARCH_TABLE}(rowid, title, description) "
    "VALUES (new.id, new.title, new.description); END",
    f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_delete AFTER DELETE ON ideas BEGIN "
    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); END",
    f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_update "
    "AFTER UPDATE OF title, description ON ideas BEGIN "
    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); "
    f"INSERT INTO {SEARCH_TABLE}(rowid, title, description) "
    "VALUES (new.id, new.title, new.description); END",
    # Ideas written before the table existed (the migration on a full database).
    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')",
)
SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_update",
    f"DROP TABLE IF EXISTS {SEARCH_TABLE}",
)
POSTGRES_CREATE = (
    f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON ideas USING gin "
    f"(({PG_DOCUMENT.replace('ideas.', '')}))",
)
POSTGRES_DROP = (f"DROP INDEX IF EXISTS {SEARCH_INDEX}",)


for _statement in SQLITE_CREATE:
    event.listen(
        Idea.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite")
    )
for _statement in SQLITE_DROP:
    event.listen(
        Idea.__table__, "before_drop", DDL(_statement).execute_if(dialect="sqlite")
    )
for _statement in POSTGRES_CREATE:
    event.listen(
        Idea.__table__,
        "after_create",
        DDL(_statement).execute_if(dialect="postgresql"),
    )
