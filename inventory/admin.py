"""Staff admin for inventory's own models."""
