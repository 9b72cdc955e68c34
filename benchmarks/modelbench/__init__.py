"""The model benchmark's parts: preparing a built shop per rung, timing each model, the report."""
