"""actions indexed by the agenda item and the meeting they arose from

Revision ID: 0006
Revises: 0005

Whether an agenda item or a meeting has anything minuted (before it is removed or
cancelled), and the deletes that null these keys, look actions up by them.
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index("ix_actions_item", "actions", ["item_id"])
    op.create_index("ix_actions_meeting", "actions", ["meeting_id"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_actions_meeting", table_name="actions")
    op.drop_index("ix_actions_item", table_name="actions")
