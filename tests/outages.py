"""Dependencies stopped for real, for the tests of what the shop does without them."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from django.db import connections
from django.test import override_settings

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens: refused at once


@contextmanager
def stopped_database(alias: str) -> Iterator[None]:
    """``alias`` pointed at a database server that is not there, as if it had stopped."""
    running = connections[alias]
    gone = {**running.settings_dict}
    if running.vendor == "sqlite":
        gone["NAME"] = "/no-such-directory/commerce.sqlite3"
    else:
        gone.update(HOST="127.0.0.1", PORT="1")  # nothing listens: refused at once
    connections[alias] = type(running)(gone, alias)
    try:
        yield
    finally:
        connections[alias].close()
        connections[alias] = running


def shop_cache(location: str, **options) -> dict:
    """``CACHES`` for the shop's Redis backend (kernel.cache_backend) at ``location``."""
    backend = {"BACKEND": "kernel.cache_backend.RedisCache", "LOCATION": location}
    return {"default": {**backend, "OPTIONS": options}}


@contextmanager
def live_redis_cache() -> Iterator[None]:
    """The shop's Redis backend on the database of ``TEST_REDIS_URL``, under a key prefix of
    its own (parallel runs keep apart), its keys deleted afterwards."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
    prefix = f"test-{uuid.uuid4().hex}"
    caches = shop_cache(url)
    caches["default"]["KEY_PREFIX"] = prefix
    try:
        with override_settings(CACHES=caches):
            yield
    finally:
        server = redis.Redis.from_url(url)
        if keys := server.keys(f"{prefix}:*"):
            server.delete(*keys)


@contextmanager
def stopped_cache() -> Iterator[None]:
    """The cache pointed at a Redis server that is not there, as if it had stopped.

    The cache that was configured comes back afterwards with what it held
    (the local-memory cache keeps its entries by name), as a Redis that
    kept its data would after an outage.
    """
    with override_settings(CACHES=shop_cache(DEAD_REDIS)):
        yield


@contextmanager
def silent_server() -> Iterator[str]:
    """The URL of a host that takes connections and never answers, as a hung Redis does."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(64)  # the kernel completes the handshakes; nobody reads
        yield f"redis://127.0.0.1:{listening.getsockname()[1]}/0"
