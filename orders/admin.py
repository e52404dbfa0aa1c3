"""Staff admin for orders's own models."""
