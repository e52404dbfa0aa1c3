"""kernel.caching: entries under a generation, unreachable once it is forgotten."""

import pytest
import redis

from kernel import caching
from kernel.tests.scrape import in_process
from tests.outages import live_redis_cache, stopped_cache


def test_a_forgotten_name_loads_again_and_other_names_stay_cached():
    assert caching.cached(name="a", key="k", load=lambda: 1, ttl=60) == 1
    assert caching.cached(name="b", key="k", load=lambda: 1, ttl=60) == 1
    caching.forget("a")
    assert caching.cached(name="a", key="k", load=lambda: 2, ttl=60) == 2
    assert caching.cached(name="b", key="k", load=lambda: 2, ttl=60) == 1


def test_a_value_loaded_while_a_change_lands_is_not_served_after_it():
    def load_while_changing():
        caching.forget("a")  # the change commits while the old rows are being read
        return "old"

    caching.cached(name="a", key="k", load=load_while_changing, ttl=60)
    assert caching.cached(name="a", key="k", load=lambda: "new", ttl=60) == "new"


@pytest.mark.django_db
def test_forgetting_on_commit_forgets_again_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        caching.forget_on_commit("a")
        # A request between the change's first forget and its commit reads old rows:
        caching.cached(name="a", key="k", load=lambda: "old", ttl=60)
    assert caching.cached(name="a", key="k", load=lambda: "new", ttl=60) == "new"


def test_many_keys_are_cached_each_under_its_own_name_and_absence_too():
    calls = []

    def load(keys):
        calls.append(sorted(keys))
        return {key: key.upper() for key in keys if key != "gone"}

    def read():
        return caching.cached_many(
            keys=["x", "y", "gone"], name_of=lambda key: f"sku:{key}", load=load, ttl=60
        )

    assert read() == {"x": "X", "y": "Y"}
    assert read() == {"x": "X", "y": "Y"}
    caching.forget("sku:y")
    read()
    assert calls == [["gone", "x", "y"], ["y"]]


def test_every_lookup_is_counted_by_the_names_kind_never_by_key():
    def read_many():
        caching.cached_many(
            keys=["x", "y", "gone"],
            name_of=lambda key: f"probe:sku:{key}",
            load=lambda keys: {key: key for key in keys if key != "gone"},
            ttl=60,
        )

    lookups = "commerce_cache_lookup_total"
    before = in_process()
    read_many()
    caching.cached(name="probe:tree", key="k", load=lambda: 1, ttl=60)
    middle = in_process()
    read_many()
    caching.cached(name="probe:tree", key="k", load=lambda: 1, ttl=60)
    after = in_process()
    assert middle.delta(before, lookups, cache="probe:sku", result="miss") == 3
    assert middle.delta(before, lookups, cache="probe:tree", result="miss") == 1
    assert after.delta(middle, lookups, cache="probe:sku", result="hit") == 3  # absence too
    assert after.delta(middle, lookups, cache="probe:tree", result="hit") == 1
    assert after.delta(middle, lookups, result="miss") == 0


# --- When the cache does not answer ------------------------------------------------


def test_while_the_cache_is_down_every_read_loads_and_counts_as_an_error():
    loads = []

    def load():
        loads.append(1)
        return "value"

    before = in_process()
    with stopped_cache():
        for _ in range(2):
            assert caching.cached(name="probe:down", key="k", load=load, ttl=60) == "value"
            caching.cached_many(
                keys=["x"], name_of=lambda _: "probe:down", load=lambda k: {"x": 1}, ttl=60
            )
    after = in_process()
    assert len(loads) == 2
    lookups = "commerce_cache_lookup_total"
    assert after.delta(before, lookups, cache="probe:down", result="error") == 4
    assert after.delta(before, lookups, cache="probe:down", result="miss") == 0


def test_a_forget_the_cache_did_not_take_is_made_once_it_answers_again():
    """The cache comes back with what it held (Redis kept its data, or a partition healed):
    the entry under the old token must not be served."""
    assert caching.cached(name="probe:owed", key="k", load=lambda: "old", ttl=60) == "old"
    with stopped_cache():
        caching.forget("probe:owed")  # the change commits; the cache does not hear of it
    assert caching.cached(name="probe:owed", key="k", load=lambda: "new", ttl=60) == "new"


def test_inside_a_delivery_a_forget_the_cache_did_not_take_raises():
    with stopped_cache():
        with (
            caching.forgetting_must_succeed(),
            pytest.raises(caching.CacheUnavailable, match="probe:delivered"),
        ):
            caching.forget("probe:delivered")
        caching.forget("probe:delivered")  # outside a delivery: owed, never raised


class CountedCache:
    """The cache, counting what kernel.caching asks of it."""

    def __init__(self, cache):
        self.cache, self.asked = cache, []

    def __getattr__(self, method):
        asked = getattr(self.cache, method)  # what the cache has not, this has not either

        def asking(*args, **kwargs):
            self.asked.append(method)
            return asked(*args, **kwargs)

        return asking


def test_a_cached_read_is_one_round_trip_to_the_cache(monkeypatch):
    """The name's token and the entry come back together: an entry loaded under an older
    token is a miss, not a second read."""
    caching.cached(name="a", key="k", load=lambda: 1, ttl=60)
    caching.cached_many(
        keys=["x", "y"], name_of=lambda key: f"b:{key}", load=lambda keys: {}, ttl=60
    )
    counted = CountedCache(caching.cache)
    monkeypatch.setattr(caching, "cache", counted)
    assert caching.cached(name="a", key="k", load=lambda: 2, ttl=60) == 1
    loaded = caching.cached_many(
        keys=["x", "y"], name_of=lambda key: f"b:{key}", load=lambda keys: {"x": 2}, ttl=60
    )
    assert loaded == {}  # both remembered as absent
    assert counted.asked == ["get_many", "get_many"]


def test_entries_read_ahead_answer_their_own_reads_and_a_stale_one_is_loaded(monkeypatch):
    caching.cached(name="probe:user", key="s", load=lambda: "ada", ttl=60)
    caching.cached(name="probe:count", key="count", load=lambda: 2, ttl=60)
    caching.forget("probe:count")  # its entry is now under an old generation
    counted = CountedCache(caching.cache)
    monkeypatch.setattr(caching, "cache", counted)
    caching.request_started()
    try:
        caching.read_ahead([("probe:user", "s"), ("probe:count", "count")])
        assert caching.cached(name="probe:user", key="s", load=lambda: "loaded", ttl=60) == "ada"
        assert caching.cached(name="probe:count", key="count", load=lambda: 3, ttl=60) == 3
    finally:
        caching.request_finished()
    assert counted.asked == ["get_many", "get_many", "set"]  # one read for both, then the load


def test_outside_a_request_nothing_is_read_ahead(monkeypatch):
    counted = CountedCache(caching.cache)
    monkeypatch.setattr(caching, "cache", counted)
    caching.read_ahead([("probe:user", "s")])
    assert counted.asked == []


@pytest.fixture(params=["local-memory", pytest.param("redis", marks=pytest.mark.services)])
def each_cache(request):
    """The local-memory cache (kept values checked by a second read), and Redis through the
    shop's backend (checked in the server, kernel.cache_backend)."""
    if request.param == "redis":
        with live_redis_cache():
            yield
    else:
        yield


@pytest.fixture
def in_a_request():
    caching.request_started()
    yield
    caching.request_finished()


def test_what_a_value_named_is_read_with_it_and_a_stale_entry_is_loaded_again(
    each_cache, in_a_request, monkeypatch
):
    """kernel.read_ahead's session: the entries it named last time come back with it,
    remembered for the request; one under an old generation is left to its own read."""
    caching.cache.set("session", {"user": "ada"}, 60)
    caching.cached(name="probe:user", key="s", load=lambda: "ada", ttl=60)
    caching.cached(name="probe:count", key="count", load=lambda: 2, ttl=60)
    caching.name_reads("named", [("probe:user", "s"), ("probe:count", "count")], ttl=60)
    caching.forget("probe:count")
    caching.request_started()  # a new request: nothing remembered
    counted = CountedCache(caching.cache)
    monkeypatch.setattr(caching, "cache", counted)

    value, named = caching.read_with_named("session", "named")

    assert value == {"user": "ada"}
    assert named == {("probe:user", "s"), ("probe:count", "count")}
    asked = list(counted.asked)
    assert caching.cached(name="probe:user", key="s", load=lambda: "loaded", ttl=60) == "ada"
    assert counted.asked == asked  # remembered: no read of its own
    assert caching.cached(name="probe:count", key="count", load=lambda: 3, ttl=60) == 3
    if hasattr(counted.cache, "get_listed"):
        assert asked == ["get_listed"]  # Redis: the value and what it named, one round trip


def test_a_value_that_named_nothing_is_read_alone(each_cache, in_a_request):
    caching.cache.set("session", {"user": "ada"}, 60)
    assert caching.read_with_named("session", "named") == ({"user": "ada"}, None)
    assert caching.read_with_named("gone", "named") == (None, None)


@pytest.mark.services
def test_on_redis_a_listing_not_written_by_name_reads_is_no_listing(in_a_request):
    with live_redis_cache():
        caching.cache.set("session", {"user": "ada"}, 60)
        listing_key = caching.cache.make_and_validate_key("named")
        caching.cache._cache.get_client(write=True).set(listing_key, "not JSON")
        assert caching.read_with_named("session", "named") == ({"user": "ada"}, None)


def _composed_from(*names: str) -> dict[str, str]:
    with caching.observing() as generations:
        for name in names:
            caching.cached(name=name, key="k", load=lambda: "read", ttl=60)
    return generations


def test_a_kept_value_is_served_until_a_generation_it_was_composed_under_changes(each_cache):
    caching.keep("page", {"html": "composed"}, _composed_from("probe:a", "probe:b"), 60)
    caching.keep("other", "composed", _composed_from("probe:a"), 60)
    assert caching.kept("page") == {"html": "composed"}
    caching.forget("probe:b")
    assert caching.kept("page") is None
    assert caching.kept("other") == "composed"


def test_a_kept_value_whose_generation_the_cache_lost_is_not_served(each_cache):
    caching.keep("page", "composed", _composed_from("probe:lost"), 60)
    caching.cache.delete("generation:probe:lost")  # evicted
    assert caching.kept("page") is None
    assert caching.kept("never-kept") is None


def test_a_kept_value_is_kept_again_whole(each_cache):
    caching.keep("page", "first", _composed_from("probe:a", "probe:b"), 60)
    caching.keep("page", "second", _composed_from("probe:c"), 60)
    caching.forget("probe:a")  # a generation only the first copy was composed under
    assert caching.kept("page") == "second"


@pytest.mark.services
def test_on_redis_a_kept_value_of_thousands_of_generations_is_checked_against_each():
    """The server checks them a thousand at a time (kernel/cache_backend.py)."""
    with live_redis_cache():
        names = [f"probe:{n}" for n in range(2500)]
        caching.keep("page", "composed", _composed_from(*names), 60)
        assert caching.kept("page") == "composed"
        caching.forget("probe:2499")
        assert caching.kept("page") is None


@pytest.mark.services
def test_on_redis_a_kept_value_and_its_generations_are_one_round_trip(monkeypatch):
    with live_redis_cache():
        caching.keep("page", "composed", _composed_from("probe:a", "probe:b"), 60)
        counted = CountedCache(caching.cache)
        monkeypatch.setattr(caching, "cache", counted)
        assert caching.kept("page") == "composed"
    assert counted.asked == ["get_guarded"]


@pytest.mark.services
def test_on_redis_a_tally_is_counted_in_the_kept_reads_round_trip(monkeypatch):
    with live_redis_cache():
        caching.keep("page", "composed", _composed_from("probe:a"), 60)
        transactions = []
        execute = redis.client.Pipeline.execute

        def recorded(pipeline, *args, **options):
            transactions.append([command[0][0] for command in pipeline.command_stack])
            return execute(pipeline, *args, **options)

        monkeypatch.setattr(redis.client.Pipeline, "execute", recorded)
        first, second = caching.Tally("reads:7", 60), caching.Tally("reads:7", 60)
        assert caching.kept("page", tally=first) == "composed"
        assert caching.kept("never-kept", tally=second) is None  # counted all the same
        assert (first.count, second.count) == (1, 2)
        assert transactions == [["EVALSHA", "HGET", "INCRBY", "EXPIRE"]] * 2
        server = caching.cache._cache.get_client()
        (key,) = server.keys("*:reads:7")
        assert 0 < server.ttl(key) <= 60


def test_without_redis_a_tally_is_left_to_its_caller():
    caching.keep("page", "composed", _composed_from("probe:a"), 60)
    tally = caching.Tally("reads:7", 60)
    assert caching.kept("page", tally=tally) == "composed"
    assert tally.count is None


@pytest.mark.services
def test_on_redis_a_kept_value_is_read_after_a_restart_forgot_the_checking_script():
    with live_redis_cache():
        caching.keep("page", "composed", _composed_from("probe:a"), 60)
        assert caching.kept("page") == "composed"
        caching.cache._cache.get_client().script_flush()  # as a restarted server has none
        assert caching.kept("page") == "composed"
        caching.forget("probe:a")
        assert caching.kept("page") is None


def test_a_held_read_is_answered_by_the_process_and_checked_by_the_next_kept(
    each_cache, monkeypatch
):
    caching.keep("page", "composed", _composed_from("probe:a"), 60)
    with caching.holding(caching.Held()):
        caching.cached(name="probe:held", key="k", load=lambda: "first", ttl=60)
    counted = CountedCache(caching.cache)
    monkeypatch.setattr(caching, "cache", counted)
    held = caching.Held()
    with caching.holding(held):
        assert caching.cached(name="probe:held", key="k", load=lambda: "loaded", ttl=60) == "first"
    assert counted.asked == []  # no round trip
    monkeypatch.setattr(caching, "cache", counted.cache)
    assert caching.kept("page", held) == "composed"
    assert not held.stale

    caching.forget("probe:held")
    assert caching.kept("page", held) is None
    assert held.stale
    again = caching.Held()
    with caching.holding(again):
        assert caching.cached(name="probe:held", key="k", load=lambda: "new", ttl=60) == "new"
    assert caching.kept("page", again) == "composed"


def test_outside_holding_a_read_never_takes_what_the_process_held():
    with caching.holding(caching.Held()):
        caching.cached(name="probe:own", key="k", load=lambda: "held", ttl=60)
    caching.forget("probe:own")
    assert caching.cached(name="probe:own", key="k", load=lambda: "fresh", ttl=60) == "fresh"
