"""Banning pages from the HTTP cache in front (Varnish, docs/varnish/storefront.vcl).

``ban(tags)`` sends ``BAN`` with ``X-Ban-Tags: <tags>`` to every address of
``HTTP_CACHE_PURGE_URLS``; the cache drops every stored page whose
``X-Cache-Tags`` names one of them (cache_tags.py), in every price segment.
It answers 200 to the addresses of its ``purgers`` ACL only.

A ban that does not reach a cache (refused, timed out after
``HTTP_CACHE_PURGE_TIMEOUT``, any answer but 200) raises: the subscriber
calling it fails its delivery, and the relay delivers it again (at least
once, with backoff) rather than leave stale pages up to ``s-maxage``. A ban
sent twice, or to a cache that already dropped the page, does no harm.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

#: The request header carrying the tags to ban (the VCL's ``vcl_recv`` reads it).
BAN_HEADER = "X-Ban-Tags"


class BanFailed(Exception):
    """A cache in front did not confirm a ban."""


def enabled() -> bool:
    """Whether a cache in front is configured at all (``make run`` has none)."""
    return bool(settings.HTTP_CACHE_PURGE_URLS)


def ban(tags: Sequence[str]) -> None:
    """Drop every cached page tagged with one of ``tags`` from every cache in front."""
    if not tags or not enabled():
        return
    timeout = settings.HTTP_CACHE_PURGE_TIMEOUT
    for url in settings.HTTP_CACHE_PURGE_URLS:
        try:
            response = requests.request(
                "BAN", url, headers={BAN_HEADER: " ".join(tags)}, timeout=(timeout, timeout)
            )
        except requests.RequestException as exc:
            raise BanFailed(f"{url} not reached: {exc}") from exc
        if response.status_code != 200:
            raise BanFailed(f"{url} answered {response.status_code}: {response.text[:200]}")
    logger.info("banned %s from %d cache(s)", " ".join(tags), len(settings.HTTP_CACHE_PURGE_URLS))
