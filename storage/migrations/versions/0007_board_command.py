"""a board remembers the slash command its members type

Revision ID: 0007
Revises: 0006

An app installed under another name than /board has reminders, buttons and the Home
tab name the command its members really type. Boards set up before this learn it
from the next command typed in their channel.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("boards", recreate="never") as table:
        table.add_column(
            sa.Column("command", sa.String(32), nullable=False, server_default="/board")
        )


def downgrade() -> None:
    """Downgrade schema."""
    # In place, as the column was added (SQLite drops columns since 3.35): a copied
    # boards table would replace the old by dropping it, and SQLite's foreign keys
    # would cascade that to every board's record.
    with op.batch_alter_table("boards", recreate="never") as table:
        table.drop_column("command")
