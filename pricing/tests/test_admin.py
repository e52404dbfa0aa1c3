"""Pricing's admin: the pricing manager group, saves through services, vouchers, preview."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from kernel import eventcodec
from kernel.adminkit import SystemAdmin
from kernel.outbox import published
from pricing import api
from pricing.dtos import BasketLine, QuoteContext
from pricing.events import PromotionChanged
from pricing.forms import QuotePreviewForm
from pricing.models import (
    Experiment,
    ExperimentExposure,
    ExperimentSale,
    ExperimentVariant,
    Price,
    PriceChange,
    Promotion,
    Voucher,
)
from pricing.services.experiments import experiment_start
from pricing.tests.conftest import promotion

pytestmark = pytest.mark.usefixtures("shop")


@pytest.fixture
def manager(client):
    user = User.objects.create_user("pia", is_staff=True)
    user.groups.add(Group.objects.get(name="Pricing manager"))
    client.force_login(user)
    return user


def test_the_pricing_manager_group_has_every_pricing_permission_and_nothing_else():
    group = Group.objects.get(name="Pricing manager")
    labels = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert labels == {"pricing"}
    assert (
        group.permissions.count()
        == Permission.objects.filter(content_type__app_label="pricing").count()
    )


def test_a_pricing_manager_sees_every_pricing_page_but_not_the_catalog(client, manager):
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "pricing":
            continue
        url = reverse(f"admin:pricing_{model._meta.model_name}_changelist")
        expected = 403 if isinstance(model_admin, SystemAdmin) else 200  # placements: plumbing
        assert client.get(url).status_code == expected, url
    assert client.get(reverse("admin:catalog_product_changelist")).status_code == 403


def test_editing_a_price_in_the_admin_records_who_changed_it(client, manager):
    price = Price.objects.get(sku="TEA-1", currency="EUR")
    url = reverse("admin:pricing_price_change", args=[price.pk])
    response = client.post(
        url, {"sku": "TEA-1", "currency": "EUR", "amount": "11.50", "compare_at_amount": "14.00"}
    )
    assert response.status_code == 302
    change = PriceChange.objects.filter(sku="TEA-1", field="amount").latest("id")
    assert (change.old_amount, change.new_amount, change.changed_by) == (
        Decimal("10.000"),
        Decimal("11.500"),
        "pia",
    )
    page = client.get(url).content.decode()
    assert "<td>€10.00 → €11.50</td><td>pia</td>" in page
    bad = client.post(
        url, {"sku": "TEA-1", "currency": "EUR", "amount": "11.50", "compare_at_amount": "9"}
    )
    assert bad.status_code == 200  # the form shows the error, nothing saved
    assert "must be above" in bad.content.decode()


def test_saving_a_promotion_announces_it_with_its_targets(client, manager):
    response = client.post(
        reverse("admin:pricing_promotion_add"),
        {
            "name": "Tea week",
            "slug": "tea-week",
            "reason": "10 % off tea",
            "kind": "percentage",
            "scope": "lines",
            "percent": "10",
            "priority": "0",
            "stacking": "combinable",
            "is_active": "on",
            "targets-TOTAL_FORMS": "1",
            "targets-INITIAL_FORMS": "0",
            "targets-0-kind": "category",
            "targets-0-value": "coffee-tea",
            "tiers-TOTAL_FORMS": "0",
            "tiers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    row = published(PromotionChanged.event_type).get()
    event = eventcodec.decode(PromotionChanged, row.payload)
    assert (event.slug, event.category_slugs, event.is_active) == (
        "tea-week",
        ("coffee-tea",),
        True,
    )


def test_bulk_codes_from_a_promotion_and_csv_export(client, manager):
    offer = promotion("spring", scope="order", percent=10, requires_voucher=True)
    changelist = reverse("admin:pricing_promotion_changelist")
    form_page = client.post(
        changelist, {"action": "generate_vouchers", "_selected_action": [offer.pk]}
    )
    assert b"Generate" in form_page.content
    done = client.post(
        changelist,
        {
            "action": "generate_vouchers",
            "_selected_action": [offer.pk],
            "count": "25",
            "prefix": "SPR-",
            "batch": "spring-26",
        },
    )
    assert done.status_code == 302
    codes = Voucher.objects.filter(batch="spring-26")
    assert codes.count() == 25

    export = client.post(
        reverse("admin:pricing_voucher_changelist"),
        {"action": "export_csv", "_selected_action": list(codes.values_list("pk", flat=True))},
    )
    lines = export.content.decode().splitlines()
    assert lines[0] == "code,promotion,batch,usage_limit,times_used,valid_until"
    assert len(lines) == 26
    assert all(line.startswith("SPR-") and ",spring,spring-26,1,0," in line for line in lines[1:])


def test_the_preview_prices_a_basket_for_a_customer(client, manager):
    promotion("tea-week", reason="10 % off tea", percent=10, targets=[("category", "coffee-tea")])
    url = reverse("admin:pricing_price_preview")
    page = client.get(url, {"basket": "TEA-1 2\nPAN-1 1", "currency": "EUR", "customer": "pia"})
    html = page.content.decode()
    assert "10 % off tea: &minus;EUR 2.00" in html
    assert '<span id="quote-total">EUR 68.00</span>' in html

    unknown = client.get(url, {"basket": "NOPE 1", "currency": "EUR"}).content.decode()
    assert "no price in EUR for: NOPE" in unknown


def test_previewing_for_a_visitor_does_not_count_as_an_exposure(client, manager):
    experiment = Experiment.objects.create(name="Tea", slug="tea", category_slug="coffee-tea")
    ExperimentVariant.objects.create(experiment=experiment, key="control", weight=1)
    experiment_start(experiment=experiment)
    url = reverse("admin:pricing_price_preview")
    page = client.get(url, {"basket": "TEA-1 1", "currency": "EUR", "visitor_id": "v1"})
    assert "tea/control" in page.content.decode()
    assert not ExperimentExposure.objects.exists()


def test_the_preview_needs_pricing_view_permission(client):
    client.force_login(User.objects.create_user("sam", is_staff=True))
    assert client.get(reverse("admin:pricing_price_preview")).status_code == 302


def test_experiment_results_per_variant(client, manager):
    experiment = Experiment.objects.create(name="Tea", slug="tea", category_slug="coffee-tea")
    ExperimentVariant.objects.create(experiment=experiment, key="control", weight=3)
    ExperimentVariant.objects.create(
        experiment=experiment, key="plus-5", weight=1, rule="percent", percent=5
    )
    changelist = reverse("admin:pricing_experiment_changelist")
    started = client.post(
        changelist, {"action": "start", "_selected_action": [experiment.pk]}, follow=True
    )
    assert "Started: Tea." in started.content.decode()  # staff see it took
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.RUNNING
    for n in range(20):
        quote = api.quote(
            lines=[BasketLine("TEA-1", 1)], currency="EUR", context=QuoteContext(visitor_id=str(n))
        )
        api.record_experiment_sales(order_ref=f"O-{n}", quote=quote)
    page = client.get(reverse("admin:pricing_experiment_change", args=[experiment.pk]))
    html = page.content.decode()
    for key in ("control", "plus-5"):
        orders = ExperimentSale.objects.filter(variant_key=key).count()
        shoppers = ExperimentExposure.objects.filter(variant_key=key).count()
        assert shoppers == orders  # every quoted shopper here bought
        assert f"<td>{key}</td>" in html
        assert f"<td>{shoppers}</td><td>EUR</td><td>{orders}</td><td>100.0 %</td>" in html
    assert "<td>75 %</td>" in html

    stopped = client.post(
        changelist, {"action": "stop", "_selected_action": [experiment.pk]}, follow=True
    )
    assert "Stopped: Tea. Base prices apply." in stopped.content.decode()
    assert Experiment.objects.get().status == Experiment.Status.STOPPED


def test_deleting_a_promotion_announces_it_as_inactive(client, manager):
    offer = promotion("gone", percent=5, targets=[("sku", "TEA-1")])
    client.post(
        reverse("admin:pricing_promotion_changelist"),
        {"action": "delete_selected", "_selected_action": [offer.pk], "post": "yes"},
    )
    row = published(PromotionChanged.event_type).latest("id")
    event = eventcodec.decode(PromotionChanged, row.payload)
    assert (event.slug, event.is_active, event.skus) == ("gone", False, ("TEA-1",))
    assert not Promotion.objects.exists()


def test_a_voucher_code_differing_only_in_case_is_a_form_error(client, manager):
    offer = promotion("spring", scope="order", percent=10, requires_voucher=True)
    Voucher.objects.create(code="SPRING", promotion=offer)
    response = client.post(
        reverse("admin:pricing_voucher_add"),
        {"code": "spring ", "promotion": offer.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "Voucher with this Code already exists." in response.content.decode()


def test_a_tax_rate_for_the_same_country_in_lower_case_is_a_form_error(client, manager):
    response = client.post(
        reverse("admin:pricing_taxrate_add"),
        {"country": "de", "tax_class": "standard", "rate": "0.19"},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


@pytest.mark.parametrize("customer", ["\u00b9", "\u2460"])
def test_the_quote_preview_reads_a_customer_id_in_ascii_digits_only(db, customer):
    """A user name of other digits is looked up as a name (none): not a 500 from ``int``."""
    form = QuotePreviewForm(
        data={"basket": "CT-0001 \u00b2", "currency": "EUR", "customer": customer}
    )
    assert not form.is_valid()
    assert set(form.errors) == {"basket", "customer"}
