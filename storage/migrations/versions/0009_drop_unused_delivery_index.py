"""drop the reminder deliveries' (state, claimed_at) index

Revision ID: 0009
Revises: 0008

No statement looks reminder deliveries up by state: each names its delivery key (the
unique index) or a meeting's reminders by kind and subject. The index cost every claim
and send a write, and once drew SQLite's planner away from the key for overdue notices.
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.drop_index("ix_reminder_deliveries_state_claimed", table_name="reminder_deliveries")


def downgrade() -> None:
    """Downgrade schema."""
    op.create_index(
        "ix_reminder_deliveries_state_claimed", "reminder_deliveries", ["state", "claimed_at"]
    )
