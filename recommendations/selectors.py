"""Read queries of recommendations, with constant query counts.

A row for a product page is filled in this order, without repeats, up to
``limit`` items:

1. staff pins for the product (``Override``), in their order;
2. *bought together*: products sharing at least
   ``RECOMMENDATIONS_MIN_SUPPORT`` live orders with it, most shared first;
3. *similar*: products sharing the most tag weight with it (category,
   brand, attribute values, price band), so a product nobody has ordered
   yet (cold start) still gets a full row.

Only products a shopper can buy are suggested: published (and past their
publication time) with at least one SKU in stock, never the product
itself, never one staff blocked on it. A cart's row is the same without
pins: products bought with any of the basket's products (their counts
summed), then products similar to the basket, none already in it.

Each step is one query whatever the number of products, and the SKUs of
the chosen products come in one more: a product page's row costs six
queries with a visitor's recent views (``api.for_product`` adds three
writing the view), a cart's five.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from recommendations.dtos import (
    CartRecommendations,
    ProductRecommendations,
    Reason,
    Recommendation,
)
from recommendations.models import (
    CoPurchase,
    Override,
    ProductProfile,
    ProductTag,
    RecentView,
    SkuState,
)


def recommendable() -> QuerySet[ProductProfile]:
    """Products a shopper can see and buy now: published and in stock."""
    in_stock = SkuState.objects.filter(product_id=OuterRef("pk"), quantity__gt=0)
    return ProductProfile.objects.filter(
        Q(published_at__isnull=True) | Q(published_at__lte=timezone.now()),
        Exists(in_stock),
        status=ProductProfile.Status.PUBLISHED,
    )


def _ids(queryset, field: str) -> QuerySet:
    return queryset.filter(**{f"{field}__in": recommendable().values("pk")})


def _bought_with(product_ids: list[int], exclude: set[int], limit: int) -> list[int]:
    if limit <= 0 or not product_ids:
        return []
    pairs = CoPurchase.objects.filter(
        product_id__in=product_ids, orders__gte=settings.RECOMMENDATIONS_MIN_SUPPORT
    ).exclude(other_id__in=exclude)
    ranked = (
        _ids(pairs, "other_id")
        .values("other_id")
        .annotate(together=Sum("orders"))
        .order_by("-together", "other_id")
    )
    return [row["other_id"] for row in ranked[:limit]]


def _similar_to(product_ids: list[int], exclude: set[int], limit: int) -> list[int]:
    if limit <= 0 or not product_ids:
        return []
    their_tags = ProductTag.objects.filter(product_id__in=product_ids).values("tag")
    tags = ProductTag.objects.filter(tag__in=their_tags).exclude(product_id__in=exclude)
    ranked = (
        _ids(tags, "product_id")
        .values("product_id")
        .annotate(score=Sum("weight"))
        .order_by("-score", "product_id")
    )
    return [row["product_id"] for row in ranked[:limit]]


def _row(ranked: list[tuple[int, Reason]]) -> tuple[Recommendation, ...]:
    skus = dict(
        ProductProfile.objects.filter(pk__in=[pid for pid, _ in ranked]).values_list("pk", "sku")
    )
    return tuple(
        Recommendation(product_id=pid, sku=skus[pid], reason=reason)
        for pid, reason in ranked
        if pid in skus
    )


def _recently_viewed(visitor_id: str, product_id: int, limit: int) -> list[int]:
    views = RecentView.objects.filter(visitor_id=visitor_id).exclude(product_id=product_id)
    newest = _ids(views, "product_id").order_by("-viewed_at", "-pk")
    return list(newest.values_list("product_id", flat=True)[:limit])


def recently_viewed(*, visitor_id: str, product_id: int, limit: int) -> tuple[Recommendation, ...]:
    """The visitor's earlier views, newest first, without ``product_id``."""
    viewed = _recently_viewed(visitor_id, product_id, limit)
    return _row([(pid, Reason.RECENTLY_VIEWED) for pid in viewed])


def for_product(
    *, product_id: int, limit: int, visitor_id: str | None = None
) -> ProductRecommendations:
    overrides = list(Override.objects.filter(product_id=product_id))
    blocked = {o.target_id for o in overrides if o.action == Override.Action.BLOCK}
    pinned = [o.target_id for o in overrides if o.action == Override.Action.PIN]
    if pinned:
        buyable = set(recommendable().filter(pk__in=pinned).values_list("pk", flat=True))
        pinned = [pid for pid in pinned if pid in buyable]
    ranked = [(pid, Reason.PINNED) for pid in pinned[:limit]]
    seen = {product_id, *blocked, *pinned}
    bought = _bought_with([product_id], seen, limit - len(ranked))
    ranked += [(pid, Reason.BOUGHT_TOGETHER) for pid in bought]
    seen.update(bought)
    similar = _similar_to([product_id], seen, limit - len(ranked))
    ranked += [(pid, Reason.SIMILAR) for pid in similar]
    viewed = _recently_viewed(visitor_id, product_id, limit) if visitor_id else []
    items = _row(ranked + [(pid, Reason.RECENTLY_VIEWED) for pid in viewed])
    return ProductRecommendations(
        product_id=product_id,
        items=tuple(i for i in items if i.reason != Reason.RECENTLY_VIEWED),
        recently_viewed=tuple(i for i in items if i.reason == Reason.RECENTLY_VIEWED),
    )


def for_cart(*, skus: list[str], limit: int) -> CartRecommendations:
    in_cart = sorted(
        set(
            SkuState.objects.filter(sku__in=skus, product_id__isnull=False).values_list(
                "product_id", flat=True
            )
        )
    )
    seen = set(in_cart)
    bought = _bought_with(in_cart, seen, limit)
    seen.update(bought)
    similar = _similar_to(in_cart, seen, limit - len(bought))
    ranked = [(pid, Reason.BOUGHT_TOGETHER) for pid in bought]
    ranked += [(pid, Reason.SIMILAR) for pid in similar]
    return CartRecommendations(skus=tuple(skus), items=_row(ranked) if ranked else ())


def product_known(*, product_id: int) -> bool:
    """Whether the catalog ever announced ``product_id`` (published or not)."""
    return ProductProfile.objects.filter(pk=product_id).exists()
