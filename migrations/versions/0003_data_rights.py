"""Citizens' data rights: the consent given at registration, and deleted accounts.

`consent_at` and `consent_version` record when an account accepted the privacy
notice and terms, and which version (PRIVACY_NOTICE_VERSION); accounts made before
this migration have none. `deleted_at` marks an account its owner deleted: the row
stays, emptied of personal data (ideation/auth/data_rights.py), so the foreign
keys of its ideas, questions, supports and reports keep pointing at it.

Only nullable columns are added: no table is rewritten on PostgreSQL (SQLite's
batch mode copies the users table).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('consent_version', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('consent_version')
        batch_op.drop_column('consent_at')
