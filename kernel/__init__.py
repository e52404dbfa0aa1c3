"""The shared kernel: Money, the outbox and its relay, failure isolation.

It imports no bounded context, ever (import-linter contract
``shared-kernel-is-a-leaf``): contexts depend on it, never the reverse.
"""
