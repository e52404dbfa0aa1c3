"""Versioned events reviews publishes. Stdlib only: they are a published schema."""
