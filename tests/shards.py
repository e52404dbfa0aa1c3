"""Shards of the suite: ``TEST_SHARD=K/N`` runs every N-th test, starting with the K-th.

`make test` runs the split suite in two shards, each after one of the other
suites, so both cores finish about together (Makefile, docs/testing.md).
The N shards together run every test exactly once. Tests are dealt
round-robin, so a slow file's tests spread over the shards.
"""

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def split(items: Sequence[T], shard: str) -> tuple[list[T], list[T]]:
    """The items of shard ``K/N``, and the others."""
    try:
        number, count = (int(part) for part in shard.split("/"))
    except ValueError:
        raise ValueError("expected K/N, for example 1/2") from None
    if not 1 <= number <= count:
        raise ValueError("K must be between 1 and N")
    kept: list[T] = []
    dropped: list[T] = []
    for index, item in enumerate(items):
        (kept if index % count == number - 1 else dropped).append(item)
    return kept, dropped
