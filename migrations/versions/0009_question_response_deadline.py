"""Public answer deadlines: each question says how many days officials have,
after its ideas phase ends, to answer every idea (1 to 365).

Existing questions get 30 days, the shipped default of RESPONSE_DEADLINE_DAYS.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('response_days', sa.Integer(), server_default='30', nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_questions_response_days_range'),
            'response_days >= 1 AND response_days <= 365',
        )


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_questions_response_days_range'), type_='check')
        batch_op.drop_column('response_days')
