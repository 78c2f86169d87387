"""Alembic environment: migrations run programmatically at startup (db/migrate.py),
which hands over an open connection."""

from alembic import context

from finscribe_gateway.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the gateway migrations with finscribe_gateway.db.migrate.upgrade (they need a connection)")

# batch mode: SQLite cannot ALTER most things in place, later migrations will need it
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
