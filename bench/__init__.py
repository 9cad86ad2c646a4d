"""Benchmarks: figures for notes, never assertions in tests."""
