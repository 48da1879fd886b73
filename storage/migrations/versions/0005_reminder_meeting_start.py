"""a meeting reminder records the start it was sent for

Revision ID: 0005
Revises: 0004

Whether a reminder already sent stands after a move is decided by what it was sent
for, not by when it went out: a cron pass run as of another instant (`--at`) than
the clock the board's commands keep would otherwise mistake one for the other. A
reminder sent before this was for the meeting's present start if it went out after
the meeting was last added or moved; otherwise the start is not known (NULL).
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
        sa.column("sent_at", sa.DateTime),
        sa.column("meeting_starts_at", sa.DateTime),
    )
    meetings = sa.table(
        "meetings",
        sa.column("id", sa.Integer),
        sa.column("board_id", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("starts_at", sa.DateTime),
        sa.column("created_at", sa.DateTime),
    )
    audit = sa.table(
        "audit_entries",
        sa.column("board_id", sa.Integer),
        sa.column("subject", sa.String),
        sa.column("verb", sa.String),
        sa.column("at", sa.DateTime),
    )
    scheduled = (
        sa.select(sa.func.max(audit.c.at))
        .where(
            audit.c.board_id == meetings.c.board_id,
            audit.c.subject == sa.literal("M") + sa.cast(meetings.c.number, sa.String),
            audit.c.verb.in_(("meeting.add", "meeting.move")),
        )
        .scalar_subquery()
    )
    op.execute(
        deliveries.update()
        .where(deliveries.c.kind.in_(MEETING_KINDS))
        .values(
            meeting_starts_at=sa.select(meetings.c.starts_at)
            .where(
                meetings.c.id == deliveries.c.subject_id,
                deliveries.c.sent_at >= sa.func.coalesce(scheduled, meetings.c.created_at),
            )
            .scalar_subquery()
        )
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("reminder_deliveries") as table:
        table.drop_column("meeting_starts_at")
