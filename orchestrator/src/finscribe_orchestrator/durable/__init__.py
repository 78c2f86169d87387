"""Durable draft runs: LangGraph checkpoints (thread = run_id) and the outline review interrupt."""
