"""Staff admin for recommendations's own models."""
