"""What pricing out of process costs: product page and checkout latency, in process and split.

Not part of ``make bench`` (it seeds the demo shop and starts three
servers, a few minutes); run it with ``make bench-split`` or
``.venv/bin/python bench/pricing_split.py``. docs/pricing-service.md
records its numbers.

One scratch database (bench/scratch.py) with the demo shop, and three
gunicorn servers on it, one sync worker each: pricing's own service
(``SERVE=pricing``), the shop calling pricing in process, and the same shop
with ``PRICING_SERVICE_URL`` pointing at the service. Requests alternate
between the two shops, so both see the same machine load:

- product page: ``GET /products/<slug>/`` as a guest, ``PAGES`` times each
  (the page asks pricing who the shopper is, then for the offer prices);
- checkout: ``ORDERS`` orders each through the REST API (examples/
  mobile_client.py): the review (stock held, quote with shipping) and the
  order's placement (quote, voucher and stock steps, the order), timed
  together.

Prints the median and 90th percentile of each, and the split's extra time.
Ports: free ones, or ``BENCH_PORTS=8110,8111,8112``.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import database_url, isolate_environment, scratch_database  # noqa: E402

PAGES = 200
ORDERS = 40
WARM_UP = 10
BIN = ROOT / ".venv" / "bin"


def free_ports(count: int) -> list[int]:
    if os.environ.get("BENCH_PORTS"):
        return [int(port) for port in os.environ["BENCH_PORTS"].split(",")][:count]
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def serve(env: dict, port: int, **extra: str) -> subprocess.Popen:
    """A gunicorn on ``port``; its log lines are not the bench's output (errors still are)."""
    command = [str(BIN / "gunicorn"), "-c", "python:commerce.gunicorn", "commerce.wsgi",
               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env={**env, **extra}, stdout=subprocess.DEVNULL)


def remote_calls(base: str) -> float:
    """How many calls the shop at ``base`` made to pricing's service (its one worker's count)."""
    import requests

    text = requests.get(f"{base}/metrics", timeout=10).text
    found = re.search(
        r'^commerce_remote_calls_total\{context="pricing",outcome="ok"\} (\S+)$', text, re.M
    )
    return float(found.group(1)) if found else 0.0


def wait_until_up(port: int, deadline: float = 60) -> None:
    import requests

    give_up = time.monotonic() + deadline
    while time.monotonic() < give_up:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                return
        except requests.RequestException:  # not listening yet, or still starting
            pass
        time.sleep(0.2)
    sys.exit(f"the server on port {port} did not come up")


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def summary(samples: list[float]) -> tuple[float, float]:
    deciles = statistics.quantiles(samples, n=10)
    return statistics.median(samples), deciles[8]


def measure(shops: dict[str, str], env: dict) -> dict[str, dict[str, list[float]]]:
    import requests

    from examples import mobile_client as shop_api

    results = {name: {"product page": [], "checkout": []} for name in shops}
    split = shops["out of process"]
    sessions = {name: requests.Session() for name in shops}
    any_shop = shop_api.Api(next(iter(shops.values())))
    variant = shop_api.first_purchasable_variant(any_shop)
    product = next(
        p for p in shop_api.browse(any_shop)
        if variant["sku"] in {v["sku"] for v in shop_api.offer(any_shop, p["sku"])["variants"]}
    )  # fmt: skip
    page = f"/products/{product['slug']}/"
    # Enough of it for every order (the demo keeps a few units of each).
    stock = f"from inventory import api; api.set_stock(sku={variant['sku']!r}, quantity=100_000)"
    manage(env, "shell", "-c", stock)
    calls = remote_calls(split)
    for round_ in range(WARM_UP + PAGES):
        for name, base in shops.items():
            url, session = base + page, sessions[name]
            ms = timed(
                lambda url=url, session=session: session.get(url, timeout=30).raise_for_status()
            )
            if round_ >= WARM_UP:
                results[name]["product page"].append(ms)
    per_page = (remote_calls(split) - calls) / (WARM_UP + PAGES)
    calls = remote_calls(split)
    for _ in range(ORDERS):
        for name, base in shops.items():
            api = shop_api.Api(base)
            cart = shop_api.open_cart(api)["token"]
            shop_api.add_to_cart(api, cart, variant["sku"])
            details = shop_api.checkout_details("bench@example.com")

            def checkout(api=api, cart=cart, details=details):
                total = shop_api.review(api, cart, details)["grand_total"]["amount"]
                shop_api.place_order(api, cart, details, total)

            results[name]["checkout"].append(timed(checkout))
    per_checkout = (remote_calls(split) - calls) / ORDERS
    print(f"product page {page}: {per_page:.1f} calls to pricing's service each")
    print(f"checkout of 1 x {variant['sku']}: {per_checkout:.1f} calls (cart and review included)")
    return results


def main() -> None:
    isolate_environment()
    with (
        scratch_database(database_url("pricing_split")) as url,
        tempfile.TemporaryDirectory() as static,
    ):
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": static,
            "LOG_LEVEL": "WARNING",
            "EMAIL_URL": "dummymail://",
            "PRICING_SERVICE_SECRET": secrets.token_urlsafe(32),
            # The API's per-client limits are for the internet, not for a bench.
            "API_THROTTLE_ANON": "100000/minute",
        }
        print("seeding the demo shop (a minute or two)...", flush=True)
        manage(env, "migrate", "--no-input")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--no-input")
        pricing_port, local_port, split_port = free_ports(3)
        servers = [
            serve(env, pricing_port, SERVE="pricing"),
            serve(env, local_port),
            serve(env, split_port, PRICING_SERVICE_URL=f"http://127.0.0.1:{pricing_port}"),
        ]
        try:
            for port in (pricing_port, local_port, split_port):
                wait_until_up(port)
            results = measure(
                {
                    "in process": f"http://127.0.0.1:{local_port}",
                    "out of process": f"http://127.0.0.1:{split_port}",
                },
                env,
            )
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    report(results)


def report(results: dict[str, dict[str, list[float]]]) -> None:
    print(f"\n{'':16}{'':16}{'median ms':>10}{'p90 ms':>10}{'n':>6}")
    for name, kinds in results.items():
        for kind, samples in kinds.items():
            median, p90 = summary(samples)
            print(f"{kind:16}{name:16}{median:10.1f}{p90:10.1f}{len(samples):6}")
    for kind in ("product page", "checkout"):
        local = statistics.median(results["in process"][kind])
        split = statistics.median(results["out of process"][kind])
        print(f"{kind}: out of process adds {split - local:+.1f} ms ({split / local:.2f}x)")


if __name__ == "__main__":
    main()
