"""Officials close questions to the governor with a public reason: declined, or
merged into another question asking the same.

Two statuses join 'open' and 'answered'; `closed_at`, `closed_reason` and
`merged_into_id` are nullable, and CHECKs tie them to the status. SQLite's batch
mode copies the table to change its CHECKs; PostgreSQL alters it in place.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TABLE = 'governor_questions'


def upgrade():
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_governor_questions_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_governor_questions_merged_into_id_governor_questions'),
            TABLE, ['merged_into_id'], ['id'],
        )
        batch_op.drop_constraint(batch_op.f('ck_governor_questions_status'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_governor_questions_status'),
            "status IN ('open', 'answered', 'declined', 'merged')",
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_governor_questions_closed_with_reason'),
            "(status IN ('declined', 'merged')) = "
            "(closed_at IS NOT NULL AND COALESCE(length(closed_reason), 0) > 0)",
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_governor_questions_merged_into_when_merged'),
            "(status = 'merged') = (merged_into_id IS NOT NULL)",
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_governor_questions_not_merged_into_itself'),
            "merged_into_id IS NULL OR merged_into_id <> id",
        )


def downgrade():
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_governor_questions_not_merged_into_itself'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_governor_questions_merged_into_when_merged'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_governor_questions_closed_with_reason'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_governor_questions_status'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_governor_questions_status'), "status IN ('open', 'answered')"
        )
        batch_op.drop_constraint(
            batch_op.f('fk_governor_questions_merged_into_id_governor_questions'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_governor_questions_merged_into_id'))
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('closed_reason')
        batch_op.drop_column('closed_at')
