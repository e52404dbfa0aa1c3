"""Versioned events orders publishes. Stdlib only: they are a published schema."""
