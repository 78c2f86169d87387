"""Grounding: every number in generated text must come from the data the run fetched."""
