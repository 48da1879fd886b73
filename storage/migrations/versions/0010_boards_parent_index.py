"""boards indexed by the board they are a sub-group of

Revision ID: 0010
Revises: 0009

A board's summary shows how each of its sub-groups stands, looked up by parent.
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index("ix_boards_parent", "boards", ["parent_id"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_boards_parent", table_name="boards")
