"""Versioned events accounts publishes (none yet). Stdlib only: they are a published schema."""
