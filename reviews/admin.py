"""Staff admin for reviews's own models."""
