"""Accountability for measures: a responsible department, an optional budget (BRL
centavos), a start date and a progress percentage on each measure, the progress an
update set, and `measure_links` from a measure to everything that led to it.

Existing rows stay valid: the new columns are nullable, or `progress` defaults to
0, and measures already done are set to 100 before the CHECK that says so.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

LINK_COLUMNS = (
    ('idea_id', 'ideas'),
    ('governor_question_id', 'governor_questions'),
    ('shortlist_decision_id', 'shortlist_decisions'),
    ('design_session_id', 'design_sessions'),
)
ONE_SOURCE = " + ".join(
    f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)" for column, _table in LINK_COLUMNS
) + " = 1"


def upgrade():
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('department', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('budget_cents', sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column('progress', sa.Integer(), server_default='0', nullable=False)
        )
    op.execute("UPDATE measures SET progress = 100 WHERE status = 'done'")
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.create_index('ix_measures_department', ['department'], unique=False)
        batch_op.create_check_constraint(
            batch_op.f('ck_measures_progress_range'), 'progress >= 0 AND progress <= 100'
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_measures_done_in_full'), "status <> 'done' OR progress = 100"
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_measures_budget'), 'budget_cents IS NULL OR budget_cents >= 0'
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_measures_dates_in_order'),
            'start_date IS NULL OR start_date <= target_date',
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_measures_department_not_empty'),
            'department IS NULL OR length(department) > 0',
        )
    with op.batch_alter_table('measure_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('progress', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_measure_updates_progress_range'),
            'progress IS NULL OR (progress >= 0 AND progress <= 100)',
        )

    op.create_table(
        'measure_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('measure_id', sa.Integer(), nullable=False),
        *(sa.Column(column, sa.Integer(), nullable=True) for column, _t in LINK_COLUMNS),
        sa.CheckConstraint(ONE_SOURCE, name=op.f('ck_measure_links_one_source')),
        sa.ForeignKeyConstraint(
            ['measure_id'], ['measures.id'],
            name=op.f('fk_measure_links_measure_id_measures'), ondelete='CASCADE',
        ),
        *(
            sa.ForeignKeyConstraint(
                [column], [f'{table}.id'],
                name=op.f(f'fk_measure_links_{column}_{table}'), ondelete='CASCADE',
            )
            for column, table in LINK_COLUMNS
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_links')),
        *(
            sa.UniqueConstraint(
                'measure_id', column, name=op.f(f'uq_measure_links_measure_id_{column}')
            )
            for column, _table in LINK_COLUMNS
        ),
    )
    with op.batch_alter_table('measure_links', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_measure_links_measure_id'), ['measure_id'], unique=False
        )
        for column, _table in LINK_COLUMNS:
            batch_op.create_index(
                batch_op.f(f'ix_measure_links_{column}'), [column], unique=False
            )


def downgrade():
    op.drop_table('measure_links')
    with op.batch_alter_table('measure_updates', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('ck_measure_updates_progress_range'), type_='check'
        )
        batch_op.drop_column('progress')
    with op.batch_alter_table('measures', schema=None) as batch_op:
        for name in (
            'department_not_empty', 'dates_in_order', 'budget', 'done_in_full',
            'progress_range',
        ):
            batch_op.drop_constraint(batch_op.f(f'ck_measures_{name}'), type_='check')
        batch_op.drop_index('ix_measures_department')
        batch_op.drop_column('progress')
        batch_op.drop_column('budget_cents')
        batch_op.drop_column('department')
        batch_op.drop_column('start_date')
