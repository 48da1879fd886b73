"""attendance keeps the role and organisation someone attended in

Revision ID: 0008
Revises: 0007

Minutes name who was present with their organisation and role. Taken from the board
as it is now, a member who left or moved on would lose them from every past record;
each attendance row now keeps them as they were when it was recorded. Rows recorded
before this take them from the board as it stands (nothing for former members).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("attendance", recreate="never") as table:
        table.add_column(sa.Column("role", sa.String(16), nullable=True))
        table.add_column(sa.Column("organisation", sa.String(200), nullable=True))
    for column in ("role", "organisation"):
        op.execute(
            f"""
            UPDATE attendance SET {column} = (
                SELECT members.{column} FROM members JOIN meetings
                    ON meetings.board_id = members.board_id
                WHERE meetings.id = attendance.meeting_id
                    AND members.user_id = attendance.user_id
            )
            """
        )


def downgrade() -> None:
    """Downgrade schema."""
    # Copied where SQLite cannot drop a column: no table refers to attendance.
    with op.batch_alter_table("attendance") as table:
        table.drop_column("organisation")
        table.drop_column("role")
