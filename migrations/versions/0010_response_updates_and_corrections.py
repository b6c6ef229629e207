"""Officials post public updates that keep an idea's status, and correct published
responses with their earlier wording kept in public.

An update is a response row whose `status_to` equals its `status_from`: the
'status_changes' CHECK goes, and 'status_to' admits the unchanged status.
`edited_at` marks a corrected response; `idea_response_revisions` keeps each
earlier wording. SQLite's batch mode copies idea_responses to change its CHECKs.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TARGETS = "status_to IN ('under_review', 'shortlisted', 'selected', 'in_design', 'implemented', 'declined')"


def upgrade():
    with op.batch_alter_table('idea_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_idea_responses_status_changes'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_idea_responses_status_to'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_idea_responses_status_to'), f"{TARGETS} OR status_to = status_from"
        )
    op.create_table('idea_response_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('department', sa.String(length=120), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(trim(body)) > 0', name=op.f('ck_idea_response_revisions_body_not_empty')),
    sa.CheckConstraint('length(trim(department)) > 0', name=op.f('ck_idea_response_revisions_department_not_empty')),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_idea_response_revisions_editor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['response_id'], ['idea_responses.id'], name=op.f('fk_idea_response_revisions_response_id_idea_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_response_revisions'))
    )
    with op.batch_alter_table('idea_response_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_response_revisions_response_id'), ['response_id'], unique=False)


def downgrade():
    with op.batch_alter_table('idea_response_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_response_revisions_response_id'))
    op.drop_table('idea_response_revisions')
    op.execute("DELETE FROM idea_responses WHERE status_to = status_from")
    with op.batch_alter_table('idea_responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_idea_responses_status_to'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_idea_responses_status_to'), TARGETS)
        batch_op.create_check_constraint(
            batch_op.f('ck_idea_responses_status_changes'), 'status_from <> status_to'
        )
        batch_op.drop_column('edited_at')
