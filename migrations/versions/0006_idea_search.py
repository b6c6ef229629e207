"""Search: the full-text index of ideas (ideation/search/models.py); comments on
ideas (ideation/comments), which people may report (flags.target_type 'comment');
the name an official gives a theme (themes.label).

SQLite: an FTS5 table over ideas' title and description (external content,
unicode61 with remove_diacritics 2), triggers that keep it in step with every
insert, edit and delete of an idea, and a rebuild from the ideas already there.
PostgreSQL: a GIN index on the 'simple' tsvector of the text with its accents
translated away (an expression index: no new column, no trigger).

The statements are copied from ideation/search/models.py (migrations import no
application code); the models create the same objects for create_all.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 20:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
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
    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('official', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('length(body) <= 2000', name=op.f('ck_comments_body_length')),
    sa.CheckConstraint('length(trim(body)) > 0', name=op.f('ck_comments_body_not_empty')),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_comments_not_own_parent')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users')),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_comments_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id', 'idea_id'], ['comments.id', 'comments.idea_id'], name=op.f('fk_comments_parent_id_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')),
    sa.UniqueConstraint('id', 'idea_id', name=op.f('uq_comments_id_idea_id'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_comments_idea_created', ['idea_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
    _flag_targets("target_type IN ('idea', 'governor_question', 'comment')")
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_column('label')
    op.execute("DELETE FROM flags WHERE target_type = 'comment'")
    _flag_targets("target_type IN ('idea', 'governor_question')")
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
        batch_op.drop_index('ix_comments_idea_created')
        batch_op.drop_index(batch_op.f('ix_comments_author_id'))
    op.drop_table('comments')
    for statement in _statements(SQLITE_DROP, POSTGRES_DROP):
        op.execute(statement)


def _flag_targets(condition):
    """The kinds of item a flag may name (FlagTarget)."""
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_flags_target_type'), type_='check')
        batch_op.create_check_constraint(op.f('ck_flags_target_type'), condition)
