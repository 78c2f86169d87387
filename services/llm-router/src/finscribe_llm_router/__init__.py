"""FinScribe LLM router: One OpenAI-compatible endpoint over RunPod, OpenAI and local servers."""
