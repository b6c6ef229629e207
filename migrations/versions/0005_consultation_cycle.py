"""The consultation cycle: phases of a question, proposals synthesised from ideas,
pairwise votes on them and their Bradley-Terry scores.

Only new tables: existing ones are untouched. One answer per issued pair (unique
votes.pair_id), one pair of two proposals per voter (unique voter, low, high with
low < high), a reason only for "I can't decide", and scores within 0-100 with their
interval around them, are all CHECKs and unique constraints.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 20:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=140), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sub_theme', sa.String(length=80), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(body) <= 5000', name=op.f('ck_proposals_body_length')),
    sa.CheckConstraint('length(sub_theme) <= 80', name=op.f('ck_proposals_sub_theme_length')),
    sa.CheckConstraint('length(title) > 0 AND length(title) <= 140', name=op.f('ck_proposals_title_length')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_proposals_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_proposals_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index('ix_proposals_question_sub_theme', ['question_id', 'sub_theme'], unique=False)

    op.create_table('question_cycles',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.Enum('ideas', 'synthesis', 'voting', 'results', 'meeting', name='phase', native_enum=False, length=16), nullable=False),
    sa.Column('ideas_close_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voting_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voting_close_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('meeting_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('phase_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("phase IN ('ideas', 'synthesis', 'voting', 'results', 'meeting')", name=op.f('ck_question_cycles_phase')),
    sa.CheckConstraint('ideas_close_at IS NULL OR voting_opens_at IS NULL OR voting_opens_at >= ideas_close_at', name=op.f('ck_question_cycles_voting_after_ideas')),
    sa.CheckConstraint('meeting_at IS NULL OR voting_close_at IS NULL OR meeting_at >= voting_close_at', name=op.f('ck_question_cycles_meeting_after_voting')),
    sa.CheckConstraint('voting_close_at IS NULL OR voting_opens_at IS NULL OR voting_close_at > voting_opens_at', name=op.f('ck_question_cycles_voting_dates_in_order')),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_cycles_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', name=op.f('pk_question_cycles'))
    )
    op.create_table('proposal_credits',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_credits_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposal_credits_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'user_id', name=op.f('pk_proposal_credits'))
    )
    with op.batch_alter_table('proposal_credits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_credits_user_id'), ['user_id'], unique=False)

    op.create_table('proposal_ideas',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_proposal_ideas_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_ideas_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'idea_id', name=op.f('pk_proposal_ideas'))
    )
    with op.batch_alter_table('proposal_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_ideas_idea_id'), ['idea_id'], unique=False)

    op.create_table('proposal_scores',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('low', sa.Float(), nullable=False),
    sa.Column('high', sa.Float(), nullable=False),
    sa.Column('wins', sa.Integer(), nullable=False),
    sa.Column('losses', sa.Integer(), nullable=False),
    sa.Column('undecided', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=40), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('low >= 0 AND low <= score AND score <= high AND high <= 100', name=op.f('ck_proposal_scores_interval_around_score')),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_proposal_scores_rank_positive')),
    sa.CheckConstraint('score >= 0 AND score <= 100', name=op.f('ck_proposal_scores_score_in_range')),
    sa.CheckConstraint('wins >= 0 AND losses >= 0 AND undecided >= 0', name=op.f('ck_proposal_scores_counts_not_negative')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_scores_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_proposal_scores_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', name=op.f('pk_proposal_scores'))
    )
    with op.batch_alter_table('proposal_scores', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_scores_question_rank', ['question_id', 'rank'], unique=False)

    op.create_table('vote_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('low_id', sa.Integer(), nullable=False),
    sa.Column('high_id', sa.Integer(), nullable=False),
    sa.Column('high_first', sa.Boolean(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('low_id < high_id', name=op.f('ck_vote_pairs_pair_in_order')),
    sa.ForeignKeyConstraint(['high_id'], ['proposals.id'], name=op.f('fk_vote_pairs_high_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['low_id'], ['proposals.id'], name=op.f('fk_vote_pairs_low_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_vote_pairs_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['users.id'], name=op.f('fk_vote_pairs_voter_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote_pairs')),
    sa.UniqueConstraint('voter_id', 'low_id', 'high_id', name=op.f('uq_vote_pairs_voter_id_low_id_high_id'))
    )
    with op.batch_alter_table('vote_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_pairs_high_id'), ['high_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vote_pairs_low_id'), ['low_id'], unique=False)
        batch_op.create_index('ix_vote_pairs_question_voter', ['question_id', 'voter_id'], unique=False)

    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.Enum('low', 'high', 'undecided', name='choice', native_enum=False, length=16), nullable=False),
    sa.Column('reason', sa.Enum('both_good', 'dont_know', 'same', name='undecidedreason', native_enum=False, length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("choice IN ('low', 'high', 'undecided')", name=op.f('ck_votes_choice')),
    sa.CheckConstraint("reason IN ('both_good', 'dont_know', 'same')", name=op.f('ck_votes_reason')),
    sa.CheckConstraint("reason IS NULL OR choice = 'undecided'", name=op.f('ck_votes_reason_when_undecided')),
    sa.ForeignKeyConstraint(['pair_id'], ['vote_pairs.id'], name=op.f('fk_votes_pair_id_vote_pairs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_votes_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['users.id'], name=op.f('fk_votes_voter_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('pair_id', name=op.f('uq_votes_pair_id'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index('ix_votes_question_created', ['question_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_votes_voter_id'), ['voter_id'], unique=False)



def downgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_voter_id'))
        batch_op.drop_index('ix_votes_question_created')

    op.drop_table('votes')
    with op.batch_alter_table('vote_pairs', schema=None) as batch_op:
        batch_op.drop_index('ix_vote_pairs_question_voter')
        batch_op.drop_index(batch_op.f('ix_vote_pairs_low_id'))
        batch_op.drop_index(batch_op.f('ix_vote_pairs_high_id'))

    op.drop_table('vote_pairs')
    with op.batch_alter_table('proposal_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_scores_question_rank')

    op.drop_table('proposal_scores')
    with op.batch_alter_table('proposal_ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_ideas_idea_id'))

    op.drop_table('proposal_ideas')
    with op.batch_alter_table('proposal_credits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_credits_user_id'))

    op.drop_table('proposal_credits')
    op.drop_table('question_cycles')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_question_sub_theme')

    op.drop_table('proposals')
