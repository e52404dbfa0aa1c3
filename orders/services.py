"""Write use cases of orders, each in one transaction, publishing events via the outbox."""
