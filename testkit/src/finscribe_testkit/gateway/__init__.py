"""Test doubles for what is outside FinScribe (Google) and for the orchestrator's event
protocol, reusable by the extension and full-stack tests."""
