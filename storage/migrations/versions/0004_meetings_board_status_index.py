"""meetings indexed by board, status and start

Revision ID: 0004
Revises: 0003

Without planner statistics (a SQLite file is never analysed unless asked), a board's
upcoming meetings were found through the status index, across every board's.
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        "ix_meetings_board_status_starts", "meetings", ["board_id", "status", "starts_at"]
    )
    op.drop_index("ix_meetings_board_starts", table_name="meetings")


def downgrade() -> None:
    """Downgrade schema."""
    op.create_index("ix_meetings_board_starts", "meetings", ["board_id", "starts_at"])
    op.drop_index("ix_meetings_board_status_starts", table_name="meetings")
