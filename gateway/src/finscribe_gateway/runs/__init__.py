"""Runs: one orchestrator call each, driven in the background, relayed as SSE, stored."""
