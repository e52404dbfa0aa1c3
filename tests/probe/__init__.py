"""A probe subscriber used by the outbox tests (installed only in tests.settings)."""
