"""Graph nodes, one small module per job. Each takes (state, runtime: Runtime[Context]) and returns a state update."""
