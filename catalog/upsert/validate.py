"""Checking importer inputs against the catalog and resolving them to what will be stored.

Everything validation needs is loaded once (``Known``: a query per table),
so checking a batch of products costs a few queries. Each
input becomes a ``ProductPlan``: ids and typed values, plus every problem
found, with its row, column and reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify

from catalog import categories
from catalog.dtos import InputError, ProductInput, VariantInput
from catalog.models import (
    Attribute,
    AttributeChoice,
    Category,
    Product,
    ProductType,
    ProductVariant,
)
from catalog.upsert.lookup import Among
from kernel.fields import SKU

SKU_PATTERN = re.compile(rf"^{SKU}$")
SLUG_PATTERN = re.compile(r"^[-a-z0-9_]+$")
TRUE_WORDS = {"1", "true", "yes", "y"}
FALSE_WORDS = {"0", "false", "no", "n"}
MAX_NUMBER = Decimal(10) ** 10  # ProductAttributeValue.number: 14 digits, 4 decimals


@dataclass(frozen=True, slots=True)
class TypedValue:
    """An attribute value parsed by its attribute's kind: the one column its kind uses is set."""

    text: str = ""
    number: Decimal | None = None
    boolean: bool | None = None
    choice_id: int | None = None


@dataclass(frozen=True, slots=True)
class VariantPlan:
    sku: str
    name: str
    choice_ids: tuple[int, ...]  # sorted


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a product's stored state is compared by: equal means nothing to write."""

    title: str
    slug: str
    description: str
    category_id: int | None
    secondary_ids: tuple[int, ...]
    brand_slug: str | None
    product_type_id: int | None
    attributes: tuple[tuple[int, TypedValue], ...]  # by attribute id
    variants: tuple[VariantPlan, ...]
    status: str


@dataclass
class ProductPlan:
    """An input resolved to ids and typed values: exactly what will be stored.

    Mutable while validation collects its problems; ``existing`` is the
    stored product it updates, if any.
    """

    index: int
    input: ProductInput
    slug: str
    category_id: int | None = None
    secondary_ids: tuple[int, ...] = ()
    brand_name: str | None = None
    product_type_id: int | None = None
    attributes: dict[int, TypedValue] = field(default_factory=dict)  # by attribute id
    variants: list[VariantPlan] = field(default_factory=list)
    existing: Product | None = None
    errors: list[InputError] = field(default_factory=list)

    def error(self, column: str, reason: str, variant: int | None = None) -> None:
        self.errors.append(InputError(self.index + 1, column, reason, variant))

    def fingerprint(self) -> Fingerprint:
        i = self.input
        return Fingerprint(
            title=i.title,
            slug=self.slug,
            description=i.description,
            category_id=self.category_id,
            secondary_ids=tuple(sorted(self.secondary_ids)),
            brand_slug=slugify(self.brand_name) if self.brand_name else None,
            product_type_id=self.product_type_id,
            attributes=tuple(sorted(self.attributes.items(), key=lambda item: item[0])),
            variants=tuple(self.variants),
            status=i.status,
        )


class Known:
    """What validation needs to know, loaded once (a query per table)."""

    def __init__(self, inputs: list[ProductInput]) -> None:
        self.tree = categories.Tree(list(Category.objects.all()))
        self.categories = self.tree.by_slug
        types = ProductType.objects.prefetch_related("attributes__choices")
        self.types = {t.slug: t for t in types}
        self.attributes = {
            t.slug: {a.code: a for a in t.attributes.all()} for t in self.types.values()
        }
        # By id, what the plans refer to: the writer builds documents from them.
        self.type_by_id = {t.pk: t for t in self.types.values()}
        self.attribute_by_id = {
            a.pk: a for by_code in self.attributes.values() for a in by_code.values()
        }
        self.choice_by_id = {
            c.pk: c for a in self.attribute_by_id.values() for c in a.choices.all()
        }
        skus = [i.sku for i in inputs]
        variant_skus = [v.sku for i in inputs for v in i.variants] + skus
        stored = Product.objects.filter(sku__in=Among(skus)).select_related("brand")
        # Not what the upsert rewrites from scratch anyway: the largest columns.
        stored = stored.defer("document", "search_keywords", "search_vector")
        self.products = {product.sku: product for product in stored}
        owner_ids = dict(  # variant SKU -> product id
            ProductVariant.objects.filter(sku__in=Among(variant_skus)).values_list(
                "sku", "product_id"
            )
        )
        self.product_codes = set(
            Product.objects.filter(sku__in=Among(variant_skus)).values_list("sku", flat=True)
        )
        self.variant_owner = self._codes_of(owner_ids)  # variant SKU -> product code
        slugs = [i.slug for i in inputs if i.slug]
        self.slug_owner = dict(
            Product.objects.filter(slug__in=Among(slugs)).values_list("slug", "sku")
        )

    def _codes_of(self, owner_ids: dict[str, int]) -> dict[str, str]:
        """Product ids as codes: mostly the batch's own products, already loaded.

        Not a join in the query above: with thousands of SKUs the planner
        hashes the whole product table for it, a batch slower the larger
        the catalog.
        """
        codes = {product.pk: product.sku for product in self.products.values()}
        others = list(set(owner_ids.values()) - codes.keys())
        codes.update(Product.objects.filter(pk__in=Among(others)).values_list("pk", "sku"))
        return {sku: codes[pk] for sku, pk in owner_ids.items() if pk in codes}


def _parse_value(attribute: Attribute, raw: str) -> TypedValue:
    """``raw`` typed by the attribute's kind, or ValueError saying why not."""
    raw = raw.strip()
    kind = attribute.kind
    if kind == Attribute.Kind.NUMBER:
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(f"{attribute.code}: {raw!r} is not a number") from None
        if not number.is_finite():
            raise ValueError(f"{attribute.code}: {raw!r} is not a number")
        if abs(number) >= MAX_NUMBER or number.normalize().as_tuple().exponent < -4:
            raise ValueError(f"{attribute.code}: at most 10 digits before the point and 4 after")
        return TypedValue(number=number.normalize())
    if kind == Attribute.Kind.BOOLEAN:
        word = raw.lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise ValueError(f"{attribute.code}: {raw!r} is not yes/no")
        return TypedValue(boolean=word in TRUE_WORDS)
    if kind == Attribute.Kind.CHOICE:
        return TypedValue(choice_id=_choice(attribute, raw).pk)
    if len(raw) > 255:
        raise ValueError(f"{attribute.code}: longer than 255 characters")
    return TypedValue(text=raw)


def _choice(attribute: Attribute, raw: str) -> AttributeChoice:
    wanted = raw.strip().lower()
    for choice in attribute.choices.all():
        if wanted in (choice.value.lower(), choice.slug):
            return choice
    allowed = ", ".join(c.value for c in attribute.choices.all())
    raise ValueError(f"{attribute.code}: {raw!r} is not one of {allowed}")


def resolve(index: int, item: ProductInput, known: Known) -> ProductPlan:  # noqa: PLR0912
    """``item`` checked against ``known`` and resolved to ids and typed values, with its errors."""
    slug = item.slug or slugify(f"{item.title}-{item.sku}")[:220]
    plan = ProductPlan(index, item, slug)
    sku_ok = bool(SKU_PATTERN.match(item.sku or ""))
    if not sku_ok:
        plan.error("sku", "required; letters, digits and . _ - only, at most 64")
    if not item.title.strip() or len(item.title) > 200:
        plan.error("title", "required, at most 200 characters")
    if not SLUG_PATTERN.match(slug) or len(slug) > 220:
        plan.error("slug", "lower-case letters, digits, - and _ only, at most 220")
    elif known.slug_owner.get(slug, item.sku) != item.sku:
        plan.error("slug", f"already used by product {known.slug_owner[slug]}")
    if item.status not in Product.Status.values:
        plan.error("status", f"one of {', '.join(Product.Status.values)}")
    if item.category:
        if item.category in known.categories:
            plan.category_id = known.categories[item.category].pk
        else:
            plan.error("category", f"no category with slug {item.category!r}")
    secondary = []
    for slug_ in item.secondary_categories:
        if slug_ in known.categories:
            secondary.append(known.categories[slug_].pk)
        else:
            plan.error("secondary_categories", f"no category with slug {slug_!r}")
    plan.secondary_ids = tuple(dict.fromkeys(c for c in secondary if c != plan.category_id))
    plan.brand_name = (item.brand or "").strip() or None
    if plan.brand_name and (not slugify(plan.brand_name) or len(plan.brand_name) > 120):
        plan.error("brand", "needs a letter or digit, at most 120 characters")
    attributes: dict[str, Attribute] = {}
    if item.product_type:
        if item.product_type in known.types:
            plan.product_type_id = known.types[item.product_type].pk
            attributes = known.attributes[item.product_type]
        else:
            plan.error("product_type", f"no product type with slug {item.product_type!r}")
    elif item.attributes or any(v.options for v in item.variants):
        plan.error("product_type", "required when attributes or options are given")
    for given in item.attributes:
        attribute = attributes.get(given.code)
        if attribute is None or attribute.is_variant_option:
            if plan.product_type_id:
                plan.error("attributes", f"{given.code!r} is not a product attribute of this type")
            continue
        try:
            plan.attributes[attribute.pk] = _parse_value(attribute, given.value)
        except ValueError as exc:
            plan.error("attributes", str(exc))
    default = (VariantInput(sku=item.sku),) if sku_ok else ()
    _plan_variants(plan, item.variants or default, attributes, known)
    return plan


def _plan_variants(
    plan: ProductPlan, variants: tuple[VariantInput, ...], attributes: dict, known: Known
) -> None:
    seen_options = {}
    for position, variant in enumerate(variants):
        if not SKU_PATTERN.match(variant.sku or ""):
            plan.error("variant_sku", "required; letters, digits and . _ - only", position)
            continue
        owner = known.variant_owner.get(variant.sku, plan.input.sku)
        if owner != plan.input.sku:
            plan.error("variant_sku", f"{variant.sku} is a variant of product {owner}", position)
        if variant.sku != plan.input.sku and variant.sku in known.product_codes:
            plan.error("variant_sku", f"{variant.sku} is another product's code", position)
        if len(variant.name) > 200:
            plan.error("variant_name", "at most 200 characters", position)
        choice_ids, names = [], []
        for option in variant.options:
            attribute = attributes.get(option.code)
            if attribute is None or not attribute.is_variant_option:
                plan.error("variant_options", f"{option.code!r} is not a variant option", position)
                continue
            try:
                choice = _choice(attribute, option.value)
            except ValueError as exc:
                plan.error("variant_options", str(exc), position)
                continue
            choice_ids.append(choice.pk)
            names.append(choice.value)
        key = tuple(sorted(choice_ids))
        if key in seen_options:
            plan.error("variant_options", f"same options as {seen_options[key]}", position)
        seen_options[key] = variant.sku
        plan.variants.append(
            VariantPlan(sku=variant.sku, name=variant.name or " / ".join(names), choice_ids=key)
        )


class Seen:
    """The codes, slugs and variant SKUs of the inputs checked so far, batch after batch.

    An import checks its file a batch at a time: what must be unique across
    the whole file is remembered here (strings only, the inputs themselves
    are let go). ``first`` numbers inputs across batches, for "also on row".
    """

    def __init__(self) -> None:
        self.sku: dict[str, int] = {}
        self.slug: dict[str, int] = {}
        self.variant: dict[str, str] = {}
        self.first = 0


def cross_check(plans: list[ProductPlan], seen: Seen | None = None) -> None:
    """SKUs and slugs must also be unique across the inputs themselves (and ``seen``)."""
    seen = seen or Seen()
    for plan in plans:
        number = seen.first + plan.index + 1
        sku = plan.input.sku
        if sku in seen.sku:
            plan.error("sku", f"also on row {seen.sku[sku]}")
        elif seen.variant.get(sku, sku) != sku:  # listed as a variant in an earlier batch
            plan.error("sku", f"{sku} is a variant of {seen.variant[sku]}")
        seen.sku.setdefault(sku, number)
        if plan.slug in seen.slug:
            plan.error("slug", f"also on row {seen.slug[plan.slug]}")
        seen.slug.setdefault(plan.slug, number)
    for plan in plans:
        for position, variant in enumerate(plan.variants):
            owner = seen.variant.setdefault(variant.sku, plan.input.sku)
            if owner != plan.input.sku:
                plan.error("variant_sku", f"{variant.sku} also listed for {owner}", position)
            elif variant.sku != plan.input.sku and variant.sku in seen.sku:
                plan.error("variant_sku", f"{variant.sku} is another product's code", position)
    seen.first += len(plans)
