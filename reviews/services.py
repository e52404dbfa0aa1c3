"""Write use cases of reviews, each in one transaction, publishing events via the outbox."""
