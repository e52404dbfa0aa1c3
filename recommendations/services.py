"""Write use cases of recommendations, each in one transaction, publishing events via the outbox."""
