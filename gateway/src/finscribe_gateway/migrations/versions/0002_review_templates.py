"""runs: waiting for an outline review (review, expires_at, last_seq); templates saved per account

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from finscribe_gateway.db.types import UtcDateTime, json_column

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("runs", sa.Column("review", json_column(), nullable=True))
    op.add_column("runs", sa.Column("expires_at", UtcDateTime(), nullable=True))
    op.add_column("runs", sa.Column("last_seq", sa.Integer(), nullable=True))
    op.create_index("ix_runs_status_expires", "runs", ["status", "expires_at"])
    op.create_table(
        "templates",
        sa.Column("id", sa.String(34), primary_key=True),
        sa.Column("user_sub", sa.String(255), sa.ForeignKey("users.sub", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("content", json_column(), nullable=False),  # description, title_en, figures_first, sections
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("user_sub", "name", name="uq_templates_user_name"),
        mysql_charset="utf8mb4",
    )


def downgrade() -> None:
    op.drop_table("templates")
    op.drop_index("ix_runs_status_expires", table_name="runs")
    op.drop_column("runs", "last_seq")
    op.drop_column("runs", "expires_at")
    op.drop_column("runs", "review")
