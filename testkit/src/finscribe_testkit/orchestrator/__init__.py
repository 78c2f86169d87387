"""Test and benchmark kit of the orchestrator: the real data services in-process with their
upstreams replayed from the real fixtures (`stack`), and a scripted OpenAI-protocol LLM (`llm`)."""
