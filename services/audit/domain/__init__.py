"""Audit's own events: what it found (its stream category `finding`)."""
