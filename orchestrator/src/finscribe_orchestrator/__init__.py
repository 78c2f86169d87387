"""FinScribe orchestrator: LangGraph graphs for the five run kinds; streams run events."""
