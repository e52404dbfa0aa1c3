"""No model relates to a model of another bounded context.

Contexts refer to each other's data by id or SKU plus a snapshot
(docs/architecture.md, "Rules the build enforces"); user accounts included:
contexts store ``customer_id``.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

#: App labels that own their data: every context, and the shared kernel.
OWNERS = {*settings.BOUNDED_CONTEXTS, "shared", "storefront", "backoffice"}


def cross_context_relations(model_classes) -> list[str]:
    found = []
    for model in model_classes:
        owner = model._meta.app_label
        if owner not in OWNERS:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.related_model is None or field.auto_created:
                continue
            target = _label(field.related_model)
            if target.split(".")[0] != owner:
                found.append(f"{model._meta.label}.{field.name} -> {target}")
    return found


def _label(model) -> str:
    """``app_label.Model`` of a model class or of a lazy "app_label.Model" reference."""
    return model if isinstance(model, str) else model._meta.label


def test_no_relation_crosses_a_context_boundary():
    assert cross_context_relations(apps.get_models(include_auto_created=True)) == []


@isolate_apps("catalog", "pricing")
def test_the_check_catches_a_foreign_key_into_another_context():
    class Leaky(models.Model):
        product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE)

        class Meta:
            app_label = "pricing"

        def __str__(self) -> str:
            return "leaky"

    assert cross_context_relations([Leaky]) == ["pricing.Leaky.product -> catalog.Product"]


@isolate_apps("orders")
def test_the_check_catches_a_relation_to_user_accounts():
    class CustomerLink(models.Model):
        customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

        class Meta:
            app_label = "orders"

        def __str__(self) -> str:
            return "customer link"

    assert cross_context_relations([CustomerLink]) == ["orders.CustomerLink.customer -> auth.User"]


@pytest.mark.parametrize("context", settings.BOUNDED_CONTEXTS)
def test_every_context_has_its_public_rooms(context):
    for room in ("api", "dtos", "events"):
        __import__(f"{context}.{room}")
