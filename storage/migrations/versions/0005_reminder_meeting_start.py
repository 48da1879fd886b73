"""a meeting reminder records the start it was sent for

Revision ID: 0005
Revises: 0004

Whether a reminder already sent stands after a move is decided by what it was sent
for, not by when it went out: a cron pass run as of another instant (`--at`) than
the clock the board's commands keep would otherwise mistake one for the other.
Reminders sent before this are taken to have been for the meeting's present start.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEETING_KINDS = ("agenda_call", "draft_agenda", "eve", "owner_update")


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("reminder_deliveries") as table:
        table.add_column(sa.Column("meeting_starts_at", sa.DateTime(), nullable=True))
    deliveries = sa.table(
        "reminder_deliveries",
        sa.column("kind", sa.String),
        sa.column("subject_id", sa.Integer),
        sa.column("meeting_starts_at", sa.DateTime),
    )
    meetings = sa.table(
        "meetings", sa.column("id", sa.Integer), sa.column("starts_at", sa.DateTime)
    )
    op.execute(
        deliveries.update()
        .where(deliveries.c.kind.in_(MEETING_KINDS))
        .values(
            meeting_starts_at=sa.select(meetings.c.starts_at)
            .where(meetings.c.id == deliveries.c.subject_id)
            .scalar_subquery()
        )
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("reminder_deliveries") as table:
        table.drop_column("meeting_starts_at")
