"""One Celery queue per subscribing context: a delivery travels on its
subscriber's context's queue, so that context's workers can be scaled and
deployed on their own (docs/splitting.md)."""

import json
import os

import pytest
import redis

from kernel.relay import Due
from kernel.tasks import queue_of, send_delivery
from kernel.tests.conftest import use_broker  # noqa: F401 - the fixture, for this module


def test_a_delivery_s_queue_is_its_subscriber_s_context():
    assert queue_of("catalog.search_projection.price_changed") == "catalog"
    assert queue_of("recommendations.profile.price_changed") == "recommendations"
    assert queue_of("storefront.offer_cache.product_changed") == "storefront"


def test_a_subscriber_without_a_queue_of_its_own_uses_the_default_one():
    assert queue_of("probe.recorder") == "commerce"  # a test app, not a context
    assert queue_of("nobody.any_more") == "commerce"  # unregistered: it can only die


@pytest.mark.services
def test_deliveries_are_sent_to_their_context_s_queue_on_the_broker(use_broker):  # noqa: F811
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
    broker = redis.Redis.from_url(url)
    broker.flushdb()
    use_broker(url)

    send_delivery(
        Due(
            delivery_ids=(7,),
            database="pricing",
            subscriber="catalog.search_projection.price_changed",
        )
    )
    send_delivery(
        Due(
            delivery_ids=(8, 9),
            database="pricing",
            subscriber="recommendations.profile.price_changed",
        )
    )

    queued = {
        name: [json.loads(message)["headers"] for message in broker.lrange(name, 0, -1)]
        for name in ["catalog", "recommendations", "commerce"]
    }
    broker.flushdb()
    assert [(h["task"], h["argsrepr"]) for h in queued["catalog"]] == [
        ("kernel.tasks.deliver_events", "([7], 'pricing')")
    ]
    assert [h["argsrepr"] for h in queued["recommendations"]] == ["([8, 9], 'pricing')"]
    assert queued["commerce"] == []
