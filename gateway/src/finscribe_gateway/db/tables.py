"""The gateway's tables (SQLAlchemy Core). Migrations in `finscribe_gateway/migrations`
create exactly these; a test checks that they agree."""

import sqlalchemy as sa

from finscribe_gateway.db.types import Base64Bytes, UtcDateTime, json_column, long_text

metadata = sa.MetaData()

users = sa.Table(
    "users",
    metadata,
    sa.Column("sub", sa.String(255), primary_key=True),
    sa.Column("email", sa.String(320), nullable=True),
    sa.Column("name", sa.String(255), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("last_seen_at", UtcDateTime(), nullable=False),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("user_sub", sa.String(255), sa.ForeignKey("users.sub", ondelete="CASCADE"), nullable=False),
    sa.Column("doc_id", sa.String(255), nullable=False),
    sa.Column("title", sa.String(500), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("user_sub", "doc_id", name="uq_sessions_user_doc"),
)

files = sa.Table(
    "files",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_sub", sa.String(255), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("bytes", sa.BigInteger(), nullable=False),
    sa.Column("pages", sa.Integer(), nullable=True),
    sa.Column("rows", sa.Integer(), nullable=True),
    sa.Column("encoding", sa.String(16), nullable=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("storage_path", sa.String(500), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("status_reason", sa.Text(), nullable=True),
    sa.Column("chunks", sa.Integer(), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Index("ix_files_session", "session_id", "created_at"),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_sub", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("prompt", long_text(), nullable=False),
    sa.Column("options", json_column(), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("result", json_column(), nullable=True),
    sa.Column("error", json_column(), nullable=True),
    sa.Column("usage", json_column(), nullable=True),
    sa.Column("timings", json_column(), nullable=True),
    sa.Column("owner", sa.String(32), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("heartbeat_at", UtcDateTime(), nullable=True),
    sa.Column("finished_at", UtcDateTime(), nullable=True),
    # a draft waiting for its outline review (status "waiting"): the proposed outline, when
    # the wait ends, and the last event seq relayed (the resumed stream continues from it)
    sa.Column("review", json_column(), nullable=True),
    sa.Column("expires_at", UtcDateTime(), nullable=True),
    sa.Column("last_seq", sa.Integer(), nullable=True),
    sa.Index("ix_runs_session_created", "session_id", "created_at"),
    sa.Index("ix_runs_user_created", "user_sub", "created_at"),
    sa.Index("ix_runs_status", "status"),
    sa.Index("ix_runs_status_expires", "status", "expires_at"),
)

templates = sa.Table(
    "templates",
    metadata,
    sa.Column("id", sa.String(34), primary_key=True),
    sa.Column("user_sub", sa.String(255), sa.ForeignKey("users.sub", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("content", json_column(), nullable=False),  # description, title_en, figures_first, sections
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("user_sub", "name", name="uq_templates_user_name"),
)

charts = sa.Table(
    "charts",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("user_sub", sa.String(255), nullable=False),
    sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("run_id", sa.String(32), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("png", Base64Bytes(), nullable=False),
    sa.Column("title", sa.String(500), nullable=True),
    sa.Column("alt", sa.Text(), nullable=True),
    sa.Column("source", json_column(), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("expires_at", UtcDateTime(), nullable=False),
    sa.Index("ix_charts_run", "run_id"),
    sa.Index("ix_charts_expires", "expires_at"),
)
