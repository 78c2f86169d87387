"""Korean prompts, one module per LLM task. Each says which data the model may use and demands `[n]` citations."""
