"""Orders and stock export as CSV from their admin lists, with the list's filters applied."""

from __future__ import annotations

import csv
import io
import re

from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from tests.shop import order_placed_days_ago


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_orders_list_links_to_an_export_of_what_it_shows(shop, superuser_client):
    order_placed_days_ago(3)
    changelist = reverse("admin:orders_order_changelist")
    midnight = timezone.localtime(shop.placed_at).replace(hour=0, minute=0, second=0, microsecond=0)
    page = superuser_client.get(changelist, {"placed_at__gte": midnight.isoformat()})
    link = page.context["csv_export_url"]
    assert link.startswith(reverse("admin:orders_order_export") + "?placed_at__gte=")
    assert f'href="{link}"' in page.content.decode().replace("&amp;", "&")

    exported = rows(superuser_client.get(link))

    assert [row["number"] for row in exported] == [shop.number]
    assert exported[0]["total"] == "18.89"
    assert exported[0]["discount"] == "5.00"
    assert exported[0]["voucher_codes"] == "LASTONE"
    assert len(rows(superuser_client.get(reverse("admin:orders_order_export")))) == 2


def test_the_stock_export_follows_the_warehouse_filter_and_search(shop, superuser_client):
    stock_list = superuser_client.get(reverse("admin:inventory_stock_changelist")).content
    [east_filter] = re.findall(
        r'href="\?(warehouse__id__exact=\d+)">East \(EAST\)<', stock_list.decode()
    )
    export = reverse("admin:inventory_stock_export")
    east = rows(superuser_client.get(f"{export}?{east_filter}"))
    assert {(row["sku"], row["warehouse"], row["on_hand"]) for row in east} == {
        ("SW-1-S", "EAST", "2"),
        ("SW-1-M", "EAST", "0"),
    }
    searched = rows(superuser_client.get(export, {"q": "SW-1-M"}))
    assert {row["warehouse"] for row in searched} == {"MAIN", "EAST"}


def test_a_bad_filter_is_a_400_and_other_roles_cannot_export(shop, client):
    user = User.objects.create_user("cat", is_staff=True)
    user.groups.add(Group.objects.get(name="Catalog manager"))
    client.force_login(user)
    assert client.get(reverse("admin:orders_order_export")).status_code == 403

    user.groups.add(Group.objects.get(name="Order fulfilment"))
    bad = client.get(reverse("admin:orders_order_export"), {"nonsense__field": "1"})
    assert bad.status_code == 400
