"""Graph nodes, one small module per job. Each takes (state, config) and returns a state update."""
