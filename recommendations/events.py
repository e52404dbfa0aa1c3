"""Versioned events recommendations publishes. Stdlib only: they are a published schema."""
