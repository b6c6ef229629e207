"""Page speed: the question's idea count, its context rendered once, random keys.

- `questions.idea_count`: the number of listed ideas (neither withdrawn, merged nor
  hidden), kept by ideation/ideas/counting.py; filled here by counting.
- `questions.context_html`: the context's Markdown rendered and sanitised when it
  is saved; filled here with today's rules (`flask markdown rerender` renders it
  again when they change).
- `ideas.shuffle_key`: the idea's place in the random order, a random integer
  below 2**31 - 1 drawn per idea; indexed with the question (and the id).
- `ix_ideas_question_support` gains the id: keyset pages of the "top" sort read
  the ties of a count in id order from the index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 20:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

SHUFFLE_KEY_RANGE = 2**31 - 1


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('context_html', sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column('idea_count', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.create_check_constraint(
            op.f('ck_questions_idea_count_not_negative'), 'idea_count >= 0'
        )
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shuffle_key', sa.Integer(), nullable=True))

    connection = op.get_bind()
    connection.execute(
        sa.text(
            "UPDATE questions SET idea_count = (SELECT count(*) FROM ideas"
            " WHERE ideas.question_id = questions.id"
            " AND ideas.status NOT IN ('withdrawn', 'merged')"
            " AND ideas.hidden_at IS NULL)"
        )
    )
    from ideation.shared.text import render_markdown

    questions = connection.execute(sa.text("SELECT id, context FROM questions")).all()
    for question_id, context in questions:
        connection.execute(
            sa.text("UPDATE questions SET context_html = :html WHERE id = :id"),
            {"html": str(render_markdown(context)), "id": question_id},
        )
    ideas = connection.execute(sa.text("SELECT id FROM ideas")).scalars().all()
    if ideas:
        connection.execute(
            sa.text("UPDATE ideas SET shuffle_key = :key WHERE id = :id"),
            [{"key": secrets.randbelow(SHUFFLE_KEY_RANGE), "id": i} for i in ideas],
        )

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.alter_column('shuffle_key', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            'ix_ideas_question_shuffle', ['question_id', 'shuffle_key', 'id'], unique=False
        )
        # With the id: keyset pages read the ties of a count in id order.
        batch_op.drop_index('ix_ideas_question_support')
        batch_op.create_index(
            'ix_ideas_question_support', ['question_id', 'support_count', 'id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_question_support')
        batch_op.create_index(
            'ix_ideas_question_support', ['question_id', 'support_count'], unique=False
        )
        batch_op.drop_index('ix_ideas_question_shuffle')
        batch_op.drop_column('shuffle_key')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f('ck_questions_idea_count_not_negative'), type_='check'
        )
        batch_op.drop_column('idea_count')
        batch_op.drop_column('context_html')
