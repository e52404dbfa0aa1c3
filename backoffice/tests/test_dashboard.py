"""The admin index's dashboard: the shop's figures, each a link, for whoever may see them."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from catalog import api as catalog_api
from kernel.databases import all_databases
from kernel.tests.queries import captured_queries
from pricing import api as pricing_api
from pricing.dtos import ExperimentSpec, VariantSpec
from reviews import api as reviews_api
from reviews.dtos import ReviewDraft
from tests.shop import deliver_events, order_placed_days_ago

INDEX = reverse("admin:index")


def panels(response) -> dict[str, dict[str, str]]:
    return {
        panel.title: {figure.label: figure.value for figure in panel.figures}
        for panel in response.context["dashboard"]
    }


def test_a_superuser_sees_sales_backlog_stock_experiments_and_deliveries(shop, superuser_client):
    response = superuser_client.get(INDEX)

    found = panels(response)
    assert found["Sales"]["Today (EUR)"] == "€18.89 · 1 order"
    assert found["Sales"]["Last 30 days (EUR)"] == "€18.89 · 1 order"
    assert found["Orders to act on"]["Waiting for payment"] == "1"
    assert found["Low stock (at most 5 sellable)"]["SW-1-M"] == "1 left"
    assert "control: 2 shoppers, 2 orders, €119.94" in found["Running experiments"]["Sweaters"]
    assert found["Reviews to moderate"] == {
        "Waiting for moderation": "0",
        "Reported by shoppers": "0",
    }
    assert found["Event deliveries (System)"] == {
        "Failed (gave up)": "0",
        "Failing, will retry": "0",
    }
    content = response.content.decode()
    assert content.count('class="chart-bar"') == 30
    assert 'aria-label="Daily sales in EUR over 30 days, €18.89 in all"' in content


def test_every_figure_links_to_an_admin_list_that_opens(shop, superuser_client):
    urls = [
        figure.url
        for panel in superuser_client.get(INDEX).context["dashboard"]
        for figure in panel.figures
    ]
    assert len(urls) > 10
    for url in urls:
        assert superuser_client.get(url).status_code == 200, url  # a bad filter redirects


def test_the_sales_link_shows_the_orders_it_counts(shop, superuser_client):
    [today] = [
        figure
        for panel in superuser_client.get(INDEX).context["dashboard"]
        for figure in panel.figures
        if figure.label == "Today (EUR)"
    ]
    assert superuser_client.get(today.url).context["cl"].result_count == 1


def _pending_reviews(count: int) -> None:
    """``count`` reviews of the sweater by different customers, waiting for moderation."""
    product_id = catalog_api.product_by_sku(sku="SW-1").id
    for customer_id in range(1, count + 1):
        review = reviews_api.write_review(
            customer_id=customer_id,
            author_name=f"Shopper {customer_id}",
            product_id=product_id,
            draft=ReviewDraft(rating=4, title="Warm", body="Keeps me warm all winter."),
        )
        assert review.status == "pending"


def test_reviews_waiting_for_moderation_link_to_the_moderation_queue(shop, client):
    _pending_reviews(3)
    moderator = User.objects.create_user("moderator", is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="view_review"))
    client.force_login(moderator)

    response = client.get(INDEX)

    assert set(panels(response)) == {"Reviews to moderate"}
    [panel] = response.context["dashboard"]
    waiting, reported, oldest = panel.figures
    assert (waiting.label, waiting.value) == ("Waiting for moderation", "3")
    assert (reported.label, reported.value) == ("Reported by shoppers", "0")
    assert oldest.label == "Oldest waiting"
    queue = client.get(waiting.url).context["cl"]
    assert queue.result_count == 3
    assert {review.status for review in queue.result_list} == {"pending"}


def test_a_failing_reviews_context_costs_only_its_panel(shop, superuser_client, settings):
    settings.FAULT_INJECTION = {"reviews": ("raise", 0.0)}

    response = superuser_client.get(INDEX)

    assert response.status_code == 200
    shown = panels(response)
    assert shown["Reviews to moderate"] == {}
    assert "Reviews are not answering just now." in response.content.decode()
    assert {"Sales", "Orders to act on", "Running experiments"} <= set(shown)


@pytest.mark.parametrize(
    ("role", "titles"),
    [
        ("Order fulfilment", {"Sales", "Orders to act on"}),
        ("Inventory clerk", {"Low stock (at most 5 sellable)"}),
        ("Pricing manager", {"Running experiments"}),
        ("Review moderator", {"Reviews to moderate"}),
        ("Catalog manager", set()),
    ],
)
def test_each_role_sees_the_panels_of_its_own_work(shop, client, role, titles):
    user = User.objects.create_user("staff", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)

    page = client.get(INDEX)
    assert set(panels(page)) == titles
    # A role with no panel is not told "Today in the shop" over nothing.
    assert ("Today in the shop" in page.content.decode()) == bool(titles)


def _queries(client) -> int:
    with captured_queries() as queries:
        assert client.get(INDEX).status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_however_big_the_shop(
    shop, superuser_client, django_assert_max_num_queries
):
    before = _queries(superuser_client)

    for days_ago in range(1, 12):
        order_placed_days_ago(days_ago)
    pricing_api.upsert_experiment(
        spec=ExperimentSpec(
            slug="more", name="More", skus=("SW-1-L",), variants=(VariantSpec("control", 1),)
        ),
        running=True,
    )
    _pending_reviews(4)
    deliver_events()

    with django_assert_max_num_queries(before):
        superuser_client.get(INDEX)
    # 16 with one database (the troubled deliveries cost a query per database), plus
    # the SAVEPOINT and RELEASE around the reviews panel's inline isolation: opened
    # only inside a transaction (every test), not in a real request (autocommit).
    assert before <= 15 + len(all_databases()) + 2, before


def test_the_chart_needs_no_script(shop, superuser_client):
    content = superuser_client.get(INDEX).content.decode()
    dashboard = content[content.index('<div id="dashboard">') :]
    assert not re.search(r"<script|https?://", dashboard.split("</svg>")[0])
