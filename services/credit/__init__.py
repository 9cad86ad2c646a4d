"""The credit service: joint credit punishment from candidate to removal."""
