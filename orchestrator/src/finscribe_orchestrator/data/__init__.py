"""What a run fetched: datasets with their sources, shown to the LLM and checked against."""
