"""LLM calls through the llm-router (OpenAI Chat Completions) with langchain-openai."""
