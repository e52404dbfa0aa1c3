"""The shared kernel: Money, the outbox and its relay, failure isolation.

It imports no bounded context, ever (import-linter contract
``kernel-is-a-leaf``): contexts depend on it, never the reverse.
"""
