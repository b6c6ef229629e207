"""Initial schema: the whole platform.

One migration while nothing is deployed; later changes get migrations of their own.

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 21:01:41.635238

"""
from alembic import op
import sqlalchemy as sa
from pgvector.sqlalchemy import VECTOR

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # Idea vectors are pgvector columns (ideation/similarity/models.py).
        op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('run_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'running', 'done', 'failed')", name=op.f('ck_jobs_status')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_jobs_attempts_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_status_run_after', ['status', 'run_after'], unique=False)
        batch_op.create_index('uq_jobs_pending_key', ['key'], unique=True, sqlite_where=sa.text("status = 'pending' AND key IS NOT NULL"), postgresql_where=sa.text("status = 'pending' AND key IS NOT NULL"))

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('blocked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('blocked_reason', sa.Text(), nullable=True),
    sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_preference', sa.String(length=16), server_default='immediately', nullable=False),
    sa.CheckConstraint("email_preference IN ('immediately', 'daily', 'off')", name=op.f('ck_users_email_preference')),
    sa.CheckConstraint("role IN ('citizen', 'moderator', 'official', 'admin')", name=op.f('ck_users_role')),
    sa.CheckConstraint('length(display_name) > 0', name=op.f('ck_users_display_name_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('target_type', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_created_at'), ['created_at'], unique=False)

    op.create_table('design_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=140), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), server_default='0', nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('outcome_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'cancelled' AND cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL) OR (status <> 'cancelled' AND cancelled_at IS NULL AND cancel_reason IS NULL)", name=op.f('ck_design_sessions_cancelled_with_reason')),
    sa.CheckConstraint("status IN ('scheduled', 'cancelled', 'held')", name=op.f('ck_design_sessions_status')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_design_sessions_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_design_sessions_ends_after_start')),
    sa.CheckConstraint('length(online_url) > 0', name=op.f('ck_design_sessions_online_url_not_empty')),
    sa.CheckConstraint('length(place) > 0', name=op.f('ck_design_sessions_place_not_empty')),
    sa.CheckConstraint('length(title) > 0 AND length(title) <= 140', name=op.f('ck_design_sessions_title_length')),
    sa.CheckConstraint('outcome_published_at IS NULL OR outcome IS NOT NULL', name=op.f('ck_design_sessions_published_outcome_has_text')),
    sa.CheckConstraint('place IS NOT NULL OR online_url IS NOT NULL', name=op.f('ck_design_sessions_place_or_online')),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name=op.f('ck_design_sessions_seats_within_capacity')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_design_sessions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_design_sessions'))
    )
    with op.batch_alter_table('design_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_design_sessions_starts_at', ['starts_at'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("reason <> 'other' OR length(note) > 0", name=op.f('ck_flags_note_for_other')),
    sa.CheckConstraint("reason IN ('spam', 'offensive', 'off_topic', 'other')", name=op.f('ck_flags_reason')),
    sa.CheckConstraint("target_type IN ('idea', 'governor_question')", name=op.f('ck_flags_target_type')),
    sa.CheckConstraint('resolved_by_id IS NULL OR resolved_at IS NOT NULL', name=op.f('ck_flags_resolved_by_when_resolved')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_flags_resolved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_flags_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('target_type', 'target_id', 'user_id', name=op.f('uq_flags_target_type_target_id_user_id'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index('ix_flags_target_open', ['target_type', 'target_id', 'resolved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_user_id'), ['user_id'], unique=False)

    op.create_table('governor_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=140), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('support_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("(status = 'answered') = (answered_at IS NOT NULL)", name=op.f('ck_governor_questions_answered_at_when_answered')),
    sa.CheckConstraint("status IN ('open', 'answered')", name=op.f('ck_governor_questions_status')),
    sa.CheckConstraint('length(body) > 0 AND length(body) <= 2000', name=op.f('ck_governor_questions_body_length')),
    sa.CheckConstraint('length(title) > 0 AND length(title) <= 140', name=op.f('ck_governor_questions_title_length')),
    sa.CheckConstraint('support_count >= 0', name=op.f('ck_governor_questions_support_count_not_negative')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_governor_questions_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governor_questions'))
    )
    with op.batch_alter_table('governor_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governor_questions_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_governor_questions_status_answered', ['status', 'answered_at'], unique=False)
        batch_op.create_index('ix_governor_questions_status_support', ['status', 'support_count'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_created', ['user_id', 'created_at'], unique=False)
        batch_op.create_index('ix_notifications_user_read', ['user_id', 'read_at'], unique=False)

    op.create_table('outbox_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name=op.f('ck_outbox_emails_sent_when_sent_at')),
    sa.CheckConstraint("status IN ('pending', 'sent')", name=op.f('ck_outbox_emails_status')),
    sa.CheckConstraint('length(to_address) > 3', name=op.f('ck_outbox_emails_to_address_not_empty')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_emails_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_emails'))
    )
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_emails_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_emails_user_id'), ['user_id'], unique=False)

    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.Column('region', sa.String(length=80), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'closed')", name=op.f('ck_questions_status')),
    sa.CheckConstraint('closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at', name=op.f('ck_questions_dates_in_order')),
    sa.CheckConstraint('length(title) > 0', name=op.f('ck_questions_title_not_empty')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_questions_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_region'), ['region'], unique=False)
        batch_op.create_index(batch_op.f('ix_questions_status'), ['status'], unique=False)

    op.create_table('governor_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('department', sa.String(length=120), nullable=False),
    sa.Column('video_provider', sa.String(length=16), nullable=True),
    sa.Column('video_id', sa.String(length=32), nullable=True),
    sa.Column('transcript', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("video_provider IS NULL OR video_provider IN ('youtube', 'vimeo')", name=op.f('ck_governor_answers_video_provider')),
    sa.CheckConstraint('(video_provider IS NULL) = (video_id IS NULL)', name=op.f('ck_governor_answers_video_complete')),
    sa.CheckConstraint('length(body) > 0', name=op.f('ck_governor_answers_body_not_empty')),
    sa.CheckConstraint('length(department) > 0', name=op.f('ck_governor_answers_department_not_empty')),
    sa.CheckConstraint('video_id IS NULL OR length(transcript) > 0', name=op.f('ck_governor_answers_transcript_with_video')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_governor_answers_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['governor_questions.id'], name=op.f('fk_governor_answers_question_id_governor_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governor_answers')),
    sa.UniqueConstraint('question_id', name=op.f('uq_governor_answers_question_id'))
    )
    with op.batch_alter_table('governor_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governor_answers_author_id'), ['author_id'], unique=False)

    op.create_table('governor_question_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['governor_questions.id'], name=op.f('fk_governor_question_supports_question_id_governor_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_governor_question_supports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governor_question_supports')),
    sa.UniqueConstraint('question_id', 'user_id', name=op.f('uq_governor_question_supports_question_id_user_id'))
    )
    with op.batch_alter_table('governor_question_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governor_question_supports_user_id'), ['user_id'], unique=False)

    op.create_table('ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=140), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('support_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("(status = 'merged' AND merged_into_id IS NOT NULL) OR (status <> 'merged' AND merged_into_id IS NULL)", name=op.f('ck_ideas_merged_into_when_merged')),
    sa.CheckConstraint("status IN ('submitted', 'under_review', 'shortlisted', 'selected', 'in_design', 'implemented', 'declined', 'withdrawn', 'merged')", name=op.f('ck_ideas_status')),
    sa.CheckConstraint('length(description) <= 2000', name=op.f('ck_ideas_description_length')),
    sa.CheckConstraint('length(title) > 0 AND length(title) <= 140', name=op.f('ck_ideas_title_length')),
    sa.CheckConstraint('merged_into_id <> id', name=op.f('ck_ideas_not_merged_into_itself')),
    sa.CheckConstraint('support_count >= 0', name=op.f('ck_ideas_support_count_not_negative')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_ideas_author_id_users')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['ideas.id'], name=op.f('fk_ideas_merged_into_id_ideas')),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_ideas_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ideas'))
    )
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ideas_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ideas_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index('ix_ideas_question_created', ['question_id', 'created_at'], unique=False)
        batch_op.create_index('ix_ideas_question_support', ['question_id', 'support_count'], unique=False)

    op.create_table('measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=140), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('governor_question_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('announced', 'in_progress', 'done', 'cancelled')", name=op.f('ck_measures_status')),
    sa.CheckConstraint('length(description) > 0', name=op.f('ck_measures_description_not_empty')),
    sa.CheckConstraint('length(title) > 0 AND length(title) <= 140', name=op.f('ck_measures_title_length')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_measures_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['governor_question_id'], ['governor_questions.id'], name=op.f('fk_measures_governor_question_id_governor_questions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measures'))
    )
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.create_index('ix_measures_created', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_measures_governor_question_id'), ['governor_question_id'], unique=False)

    op.create_table('session_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('waitlisted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('token_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("attended IS NULL OR status = 'accepted'", name=op.f('ck_session_invitations_attended_when_accepted')),
    sa.CheckConstraint("status <> 'waitlisted' OR waitlisted_at IS NOT NULL", name=op.f('ck_session_invitations_waitlisted_has_time')),
    sa.CheckConstraint("status IN ('invited', 'accepted', 'declined', 'waitlisted')", name=op.f('ck_session_invitations_status')),
    sa.ForeignKeyConstraint(['session_id'], ['design_sessions.id'], name=op.f('fk_session_invitations_session_id_design_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_session_invitations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_invitations')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_session_invitations_session_id_user_id'))
    )
    with op.batch_alter_table('session_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_invitations_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_session_invitations_waitlist', ['session_id', 'status', 'waitlisted_at'], unique=False)

    op.create_table('shortlist_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.CheckConstraint('length(trim(reason)) > 0', name=op.f('ck_shortlist_decisions_reason_not_empty')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_shortlist_decisions_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_shortlist_decisions_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shortlist_decisions'))
    )
    with op.batch_alter_table('shortlist_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_shortlist_decisions_question_decided', ['question_id', 'decided_at'], unique=False)

    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('number >= 0', name=op.f('ck_themes_number_not_negative')),
    sa.CheckConstraint('size >= 0', name=op.f('ck_themes_size_not_negative')),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_themes_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes')),
    sa.UniqueConstraint('question_id', 'number', name=op.f('uq_themes_question_id_number')),
    sqlite_autoincrement=True
    )
    op.create_table('design_session_ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_design_session_ideas_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['design_sessions.id'], name=op.f('fk_design_session_ideas_session_id_design_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_design_session_ideas')),
    sa.UniqueConstraint('session_id', 'idea_id', name=op.f('uq_design_session_ideas_session_id_idea_id'))
    )
    with op.batch_alter_table('design_session_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_design_session_ideas_idea_id'), ['idea_id'], unique=False)

    op.create_table('duplicate_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('idea_a_id', sa.Integer(), nullable=False),
    sa.Column('idea_b_id', sa.Integer(), nullable=False),
    sa.Column('similarity', sa.Float(), nullable=False),
    sa.Column('shared', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('idea_a_id < idea_b_id', name=op.f('ck_duplicate_candidates_pair_in_order')),
    sa.ForeignKeyConstraint(['idea_a_id'], ['ideas.id'], name=op.f('fk_duplicate_candidates_idea_a_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_b_id'], ['ideas.id'], name=op.f('fk_duplicate_candidates_idea_b_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_duplicate_candidates_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_candidates')),
    sa.UniqueConstraint('idea_a_id', 'idea_b_id', name=op.f('uq_duplicate_candidates_idea_a_id_idea_b_id'))
    )
    with op.batch_alter_table('duplicate_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_candidates_idea_b_id'), ['idea_b_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_candidates_question_id'), ['question_id'], unique=False)

    op.create_table('duplicate_dismissals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_a_id', sa.Integer(), nullable=False),
    sa.Column('idea_b_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('idea_a_id < idea_b_id', name=op.f('ck_duplicate_dismissals_pair_in_order')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_duplicate_dismissals_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['idea_a_id'], ['ideas.id'], name=op.f('fk_duplicate_dismissals_idea_a_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_b_id'], ['ideas.id'], name=op.f('fk_duplicate_dismissals_idea_b_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_dismissals')),
    sa.UniqueConstraint('idea_a_id', 'idea_b_id', name=op.f('uq_duplicate_dismissals_idea_a_id_idea_b_id'))
    )
    with op.batch_alter_table('duplicate_dismissals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_dismissals_idea_b_id'), ['idea_b_id'], unique=False)

    op.create_table('idea_embeddings',
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('dimension', sa.Integer(), nullable=False),
    sa.Column('vector', sa.LargeBinary().with_variant(VECTOR(), "postgresql"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('dimension > 0', name=op.f('ck_idea_embeddings_dimension_positive')),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_idea_embeddings_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_idea_embeddings_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('idea_id', name=op.f('pk_idea_embeddings'))
    )
    with op.batch_alter_table('idea_embeddings', schema=None) as batch_op:
        batch_op.create_index('ix_idea_embeddings_question_model', ['question_id', 'model', 'dimension', 'created_at'], unique=False)

    op.create_table('idea_merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('source_status_before', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(trim(reason)) > 0', name=op.f('ck_idea_merges_reason_not_empty')),
    sa.CheckConstraint('source_id <> target_id', name=op.f('ck_idea_merges_not_into_itself')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_idea_merges_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['ideas.id'], name=op.f('fk_idea_merges_source_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['ideas.id'], name=op.f('fk_idea_merges_target_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_idea_merges_undone_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_merges'))
    )
    with op.batch_alter_table('idea_merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_merges_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_merges_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_merges_target_id'), ['target_id'], unique=False)
        batch_op.create_index('uq_idea_merges_active_source', ['source_id'], unique=True, sqlite_where=sa.text('undone_at IS NULL'), postgresql_where=sa.text('undone_at IS NULL'))

    op.create_table('idea_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('status_from', sa.String(length=16), nullable=False),
    sa.Column('status_to', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('department', sa.String(length=120), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('group_key', sa.String(length=32), nullable=True),
    sa.CheckConstraint("status_from IN ('submitted', 'under_review', 'shortlisted', 'selected', 'in_design', 'implemented', 'declined', 'withdrawn', 'merged')", name=op.f('ck_idea_responses_status_from')),
    sa.CheckConstraint("status_to IN ('under_review', 'shortlisted', 'selected', 'in_design', 'implemented', 'declined')", name=op.f('ck_idea_responses_status_to')),
    sa.CheckConstraint('length(trim(body)) > 0', name=op.f('ck_idea_responses_body_not_empty')),
    sa.CheckConstraint('length(trim(department)) > 0', name=op.f('ck_idea_responses_department_not_empty')),
    sa.CheckConstraint('status_from <> status_to', name=op.f('ck_idea_responses_status_changes')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_idea_responses_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_idea_responses_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_responses'))
    )
    with op.batch_alter_table('idea_responses', schema=None) as batch_op:
        batch_op.create_index('ix_idea_responses_actor_created', ['actor_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_responses_group_key'), ['group_key'], unique=False)
        batch_op.create_index('ix_idea_responses_idea_created', ['idea_id', 'created_at'], unique=False)

    op.create_table('idea_themes',
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_idea_themes_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_idea_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('idea_id', name=op.f('pk_idea_themes'))
    )
    with op.batch_alter_table('idea_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_themes_theme_id'), ['theme_id'], unique=False)

    op.create_table('measure_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('announced', 'in_progress', 'done', 'cancelled')", name=op.f('ck_measure_updates_status')),
    sa.CheckConstraint('length(note) > 0', name=op.f('ck_measure_updates_note_not_empty')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_measure_updates_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_measure_updates_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_updates'))
    )
    with op.batch_alter_table('measure_updates', schema=None) as batch_op:
        batch_op.create_index('ix_measure_updates_measure_created', ['measure_id', 'created_at'], unique=False)

    op.create_table('shortlist_decision_ideas',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['shortlist_decisions.id'], name=op.f('fk_shortlist_decision_ideas_decision_id_shortlist_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_shortlist_decision_ideas_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('decision_id', 'idea_id', name=op.f('pk_shortlist_decision_ideas'))
    )
    with op.batch_alter_table('shortlist_decision_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shortlist_decision_ideas_idea_id'), ['idea_id'], unique=False)

    op.create_table('shortlist_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('note_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_shortlist_entries_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_shortlist_entries_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_shortlist_entries_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shortlist_entries')),
    sa.UniqueConstraint('idea_id', name=op.f('uq_shortlist_entries_idea_id'))
    )
    with op.batch_alter_table('shortlist_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shortlist_entries_question_id'), ['question_id'], unique=False)

    op.create_table('supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_supports_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_supports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supports')),
    sa.UniqueConstraint('idea_id', 'user_id', name=op.f('uq_supports_idea_id_user_id'))
    )
    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supports_user_id'), ['user_id'], unique=False)

    op.create_table('merged_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merge_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_to_target', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['merge_id'], ['idea_merges.id'], name=op.f('fk_merged_supports_merge_id_idea_merges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_merged_supports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merged_supports')),
    sa.UniqueConstraint('merge_id', 'user_id', name=op.f('uq_merged_supports_merge_id_user_id'))
    )
    with op.batch_alter_table('merged_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merged_supports_user_id'), ['user_id'], unique=False)
    if postgres:
        # HNSW (cosine) on the vectors of MiniLM's dimension; the column has no
        # fixed dimension, so the index is partial, on a cast the search repeats.
        op.execute(
            "CREATE INDEX ix_idea_embeddings_hnsw_384 ON idea_embeddings "
            "USING hnsw ((vector::vector(384)) vector_cosine_ops) "
            "WHERE dimension = 384"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_idea_embeddings_hnsw_384")
    with op.batch_alter_table('merged_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merged_supports_user_id'))

    op.drop_table('merged_supports')
    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supports_user_id'))

    op.drop_table('supports')
    with op.batch_alter_table('shortlist_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shortlist_entries_question_id'))

    op.drop_table('shortlist_entries')
    with op.batch_alter_table('shortlist_decision_ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shortlist_decision_ideas_idea_id'))

    op.drop_table('shortlist_decision_ideas')
    with op.batch_alter_table('measure_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_measure_updates_measure_created')

    op.drop_table('measure_updates')
    with op.batch_alter_table('idea_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_themes_theme_id'))

    op.drop_table('idea_themes')
    with op.batch_alter_table('idea_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_idea_responses_idea_created')
        batch_op.drop_index(batch_op.f('ix_idea_responses_group_key'))
        batch_op.drop_index('ix_idea_responses_actor_created')

    op.drop_table('idea_responses')
    with op.batch_alter_table('idea_merges', schema=None) as batch_op:
        batch_op.drop_index('uq_idea_merges_active_source', sqlite_where=sa.text('undone_at IS NULL'), postgresql_where=sa.text('undone_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_idea_merges_target_id'))
        batch_op.drop_index(batch_op.f('ix_idea_merges_source_id'))
        batch_op.drop_index(batch_op.f('ix_idea_merges_created_at'))

    op.drop_table('idea_merges')
    with op.batch_alter_table('idea_embeddings', schema=None) as batch_op:
        batch_op.drop_index('ix_idea_embeddings_question_model')

    op.drop_table('idea_embeddings')
    with op.batch_alter_table('duplicate_dismissals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duplicate_dismissals_idea_b_id'))

    op.drop_table('duplicate_dismissals')
    with op.batch_alter_table('duplicate_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duplicate_candidates_question_id'))
        batch_op.drop_index(batch_op.f('ix_duplicate_candidates_idea_b_id'))

    op.drop_table('duplicate_candidates')
    with op.batch_alter_table('design_session_ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_design_session_ideas_idea_id'))

    op.drop_table('design_session_ideas')
    op.drop_table('themes')
    with op.batch_alter_table('shortlist_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_shortlist_decisions_question_decided')

    op.drop_table('shortlist_decisions')
    with op.batch_alter_table('session_invitations', schema=None) as batch_op:
        batch_op.drop_index('ix_session_invitations_waitlist')
        batch_op.drop_index(batch_op.f('ix_session_invitations_user_id'))

    op.drop_table('session_invitations')
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measures_governor_question_id'))
        batch_op.drop_index('ix_measures_created')

    op.drop_table('measures')
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_question_support')
        batch_op.drop_index('ix_ideas_question_created')
        batch_op.drop_index(batch_op.f('ix_ideas_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_ideas_author_id'))

    op.drop_table('ideas')
    with op.batch_alter_table('governor_question_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governor_question_supports_user_id'))

    op.drop_table('governor_question_supports')
    with op.batch_alter_table('governor_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governor_answers_author_id'))

    op.drop_table('governor_answers')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_status'))
        batch_op.drop_index(batch_op.f('ix_questions_region'))

    op.drop_table('questions')
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_emails_user_id'))
        batch_op.drop_index('ix_outbox_emails_status_created')

    op.drop_table('outbox_emails')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read')
        batch_op.drop_index('ix_notifications_user_created')

    op.drop_table('notifications')
    with op.batch_alter_table('governor_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_governor_questions_status_support')
        batch_op.drop_index('ix_governor_questions_status_answered')
        batch_op.drop_index(batch_op.f('ix_governor_questions_author_id'))

    op.drop_table('governor_questions')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flags_user_id'))
        batch_op.drop_index('ix_flags_target_open')

    op.drop_table('flags')
    with op.batch_alter_table('design_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_design_sessions_starts_at')

    op.drop_table('design_sessions')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    op.drop_table('users')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('uq_jobs_pending_key', sqlite_where=sa.text("status = 'pending' AND key IS NOT NULL"), postgresql_where=sa.text("status = 'pending' AND key IS NOT NULL"))
        batch_op.drop_index('ix_jobs_status_run_after')

    op.drop_table('jobs')
