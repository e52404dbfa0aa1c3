"""Shards of the suite: ``TEST_SHARD=K/N`` runs every N-th test, starting with the K-th.

Several shards at once: ``TEST_SHARD=2,3/3``. `make pytest-split
SPLIT_SHARD=K/N` passes it, to spread the split suite over machines
(Makefile, docs/testing.md). The N shards together run every test exactly once. Tests are dealt
round-robin, so a slow file's tests spread over the shards.
"""

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def split(items: Sequence[T], shard: str) -> tuple[list[T], list[T]]:
    """The items of shard ``K/N`` (or shards ``K1,K2/N``), and the others."""
    try:
        numbers, count = shard.split("/")
        count = int(count)
        mine = {int(number) - 1 for number in numbers.split(",")}
    except ValueError:
        raise ValueError("expected K/N, for example 1/2 or 2,3/3") from None
    if not all(0 <= number < count for number in mine):
        raise ValueError("K must be between 1 and N")
    kept: list[T] = []
    dropped: list[T] = []
    for index, item in enumerate(items):
        (kept if index % count in mine else dropped).append(item)
    return kept, dropped
