"""The Qingqian services; each one is independent of the others."""
