"""Creating or updating many products and their variants by SKU, in bulk.

The one write path for importers (CSV, JSON Lines, demo data, the API's
``upsert_product``): every input is validated against the catalog first,
with a constant number of queries, and each problem reported with its row,
column and reason; then everything is written with bulk statements in one
transaction, so 10,000 products cost a few hundred queries rather than
hundreds of thousands. An input identical to what is stored is left alone:
no write, no event (the demo seed runs on every start).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog import categories, indexing, projection
from catalog.dtos import InputError, ProductInput, UpsertReport, VariantInput
from catalog.events import ProductArchived, ProductChanged, ProductPublished
from catalog.models import (
    Attribute,
    AttributeChoice,
    Brand,
    Category,
    Product,
    ProductAttributeValue,
    ProductSlugRedirect,
    ProductType,
    ProductVariant,
)
from kernel.outbox import publish

#: No "/" or spaces: a SKU is a URL path segment (/api/v1/products/<sku>/).
SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
SLUG_PATTERN = re.compile(r"^[-a-z0-9_]+$")
TRUE_WORDS = {"1", "true", "yes", "y"}
FALSE_WORDS = {"0", "false", "no", "n"}
CHUNK = 2000
MAX_NUMBER = Decimal(10) ** 10  # ProductAttributeValue.number: 14 digits, 4 decimals
#: Called with (stage, done, total) as an upsert goes on (a command's progress bar).
ProgressCallback = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default: nobody is watching."""


@dataclass
class _Plan:
    """An input resolved to ids and typed values: exactly what will be stored."""

    index: int
    input: ProductInput
    slug: str
    category_id: int | None
    secondary_ids: tuple[int, ...]
    brand_name: str | None
    product_type_id: int | None
    attributes: dict[int, tuple]  # attribute id -> (text, number, boolean, choice id)
    variants: list[tuple[str, str, tuple[int, ...]]]  # (sku, name, choice ids)
    existing: Product | None = None
    errors: list[InputError] = field(default_factory=list)

    def error(self, column: str, reason: str, variant: int | None = None) -> None:
        self.errors.append(InputError(self.index + 1, column, reason, variant))

    def fingerprint(self) -> tuple:
        i = self.input
        return (
            i.title,
            self.slug,
            i.description,
            self.category_id,
            tuple(sorted(self.secondary_ids)),
            slugify(self.brand_name) if self.brand_name else None,
            self.product_type_id,
            tuple(sorted(self.attributes.items())),
            tuple((sku, name, tuple(sorted(ids))) for sku, name, ids in self.variants),
            i.status,
        )


def _stored_fingerprint(product: Product) -> tuple:
    values = {
        value.attribute_id: (
            value.text,
            value.number.normalize() if value.number is not None else None,
            value.boolean,
            value.choice_id,
        )
        for value in product.attribute_values.all()
    }
    return (
        product.title,
        product.slug,
        product.description,
        product.category_id,
        tuple(sorted(c.pk for c in product.secondary_categories.all())),
        product.brand.slug if product.brand else None,
        product.product_type_id,
        tuple(sorted(values.items())),
        tuple(
            (v.sku, v.name, tuple(sorted(c.pk for c in v.option_values.all())))
            for v in product.variants.all()
        ),
        product.status,
    )


class _Catalog:
    """What validation needs to know, loaded once (a query per table)."""

    def __init__(self, inputs: list[ProductInput]) -> None:
        self.categories = {c.slug: c for c in Category.objects.all()}
        types = ProductType.objects.prefetch_related("attributes__choices")
        self.types = {t.slug: t for t in types}
        self.attributes = {
            t.slug: {a.code: a for a in t.attributes.all()} for t in self.types.values()
        }
        skus = [i.sku for i in inputs]
        variant_skus = [v.sku for i in inputs for v in i.variants] + skus
        self.products = {}
        for chunk in _chunks(skus):
            for product in (
                Product.objects.filter(sku__in=chunk)
                .select_related("brand")
                .prefetch_related(
                    "secondary_categories", "attribute_values", "variants__option_values"
                )
            ):
                self.products[product.sku] = product
        self.variant_owner = {}  # variant SKU -> product code
        self.product_codes = set()
        for chunk in _chunks(variant_skus):
            rows = ProductVariant.objects.filter(sku__in=chunk).values_list("sku", "product__sku")
            self.variant_owner.update(rows)
            self.product_codes.update(
                Product.objects.filter(sku__in=chunk).values_list("sku", flat=True)
            )
        slugs = [i.slug for i in inputs if i.slug]
        self.slug_owner = {}
        for chunk in _chunks(slugs):
            self.slug_owner.update(
                Product.objects.filter(slug__in=chunk).values_list("slug", "sku")
            )


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _parse_value(attribute: Attribute, raw: str) -> tuple:
    """(text, number, boolean, choice id) for ``raw``, or ValueError saying why not."""
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
        return ("", number.normalize(), None, None)
    if kind == Attribute.Kind.BOOLEAN:
        word = raw.lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise ValueError(f"{attribute.code}: {raw!r} is not yes/no")
        return ("", None, word in TRUE_WORDS, None)
    if kind == Attribute.Kind.CHOICE:
        return ("", None, None, _choice(attribute, raw).pk)
    if len(raw) > 255:
        raise ValueError(f"{attribute.code}: longer than 255 characters")
    return (raw, None, None, None)


def _choice(attribute: Attribute, raw: str) -> AttributeChoice:
    wanted = raw.strip().lower()
    for choice in attribute.choices.all():
        if wanted in (choice.value.lower(), choice.slug):
            return choice
    allowed = ", ".join(c.value for c in attribute.choices.all())
    raise ValueError(f"{attribute.code}: {raw!r} is not one of {allowed}")


def _plan(index: int, item: ProductInput, known: _Catalog) -> _Plan:  # noqa: PLR0912
    slug = item.slug or slugify(f"{item.title}-{item.sku}")[:220]
    plan = _Plan(index, item, slug, None, (), None, None, {}, [])
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
    for code, raw in item.attributes:
        attribute = attributes.get(code)
        if attribute is None or attribute.is_variant_option:
            if plan.product_type_id:
                plan.error("attributes", f"{code!r} is not a product attribute of this type")
            continue
        try:
            plan.attributes[attribute.pk] = _parse_value(attribute, raw)
        except ValueError as exc:
            plan.error("attributes", str(exc))
    default = (VariantInput(sku=item.sku),) if sku_ok else ()
    _plan_variants(plan, item.variants or default, attributes, known)
    return plan


def _plan_variants(
    plan: _Plan, variants: tuple[VariantInput, ...], attributes: dict, known: _Catalog
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
        for code, raw in variant.options:
            attribute = attributes.get(code)
            if attribute is None or not attribute.is_variant_option:
                plan.error("variant_options", f"{code!r} is not a variant option", position)
                continue
            try:
                choice = _choice(attribute, raw)
            except ValueError as exc:
                plan.error("variant_options", str(exc), position)
                continue
            choice_ids.append(choice.pk)
            names.append(choice.value)
        key = tuple(sorted(choice_ids))
        if key in seen_options:
            plan.error("variant_options", f"same options as {seen_options[key]}", position)
        seen_options[key] = variant.sku
        plan.variants.append((variant.sku, variant.name or " / ".join(names), key))


def _cross_checks(plans: list[_Plan]) -> None:
    """SKUs and slugs must also be unique across the inputs themselves."""
    first_sku, first_slug, first_variant = {}, {}, {}
    for plan in plans:
        sku = plan.input.sku
        if sku in first_sku:
            plan.error("sku", f"also on row {first_sku[sku]}")
        first_sku.setdefault(sku, plan.index + 1)
        if plan.slug in first_slug:
            plan.error("slug", f"also on row {first_slug[plan.slug]}")
        first_slug.setdefault(plan.slug, plan.index + 1)
    for plan in plans:
        for position, (variant_sku, _, _) in enumerate(plan.variants):
            owner = first_variant.setdefault(variant_sku, plan.input.sku)
            if owner != plan.input.sku:
                plan.error("variant_sku", f"{variant_sku} also listed for {owner}", position)
            elif variant_sku != plan.input.sku and variant_sku in first_sku:
                plan.error("variant_sku", f"{variant_sku} is another product's code", position)


def upsert(
    *,
    inputs: list[ProductInput],
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: ProgressCallback | None = None,
) -> UpsertReport:
    """Validate ``inputs`` and, unless told otherwise, write them in one transaction.

    Nothing is written when any input is invalid, unless ``skip_invalid``:
    then the valid ones are written and the invalid ones reported.
    """
    progress = progress or _no_progress
    progress("loading", 0, len(inputs))
    known = _Catalog(inputs)
    plans = []
    for index, item in enumerate(inputs):
        plans.append(_plan(index, item, known))
        if index % 500 == 0:
            progress("checking", index, len(inputs))
    progress("checking", len(inputs), len(inputs))
    _cross_checks(plans)
    errors = tuple(error for plan in plans for error in plan.errors)
    valid = [plan for plan in plans if not plan.errors]
    changed = []
    for plan in valid:
        plan.existing = known.products.get(plan.input.sku)
        if plan.existing is None or _stored_fingerprint(plan.existing) != plan.fingerprint():
            changed.append(plan)
    created = sum(1 for plan in changed if plan.existing is None)
    counts = {
        "created": created,
        "updated": len(changed) - created,
        "unchanged": len(valid) - len(changed),
        "errors": errors,
    }
    if dry_run or (errors and not skip_invalid):
        return UpsertReport(**counts)
    with transaction.atomic():
        _write(changed, progress)
    return UpsertReport(**counts, written=True)


def _write(plans: list[_Plan], progress: ProgressCallback) -> None:
    if not plans:
        return
    progress("writing", 0, len(plans))
    now = timezone.now()
    brands = _brands({plan.brand_name for plan in plans if plan.brand_name})
    previous_status = {}
    new, old = [], []
    redirects = []
    for plan in plans:
        item = plan.input
        product = plan.existing or Product(sku=item.sku)
        previous_status[item.sku] = product.status if plan.existing else None
        if plan.existing and product.slug != plan.slug:
            redirects.append(ProductSlugRedirect(old_slug=product.slug, product=product))
        product.title = item.title
        product.slug = plan.slug
        product.description = item.description
        product.category_id = plan.category_id
        product.brand = brands.get(plan.brand_name)
        product.product_type_id = plan.product_type_id
        product.status = item.status
        if item.status == Product.Status.PUBLISHED and product.published_at is None:
            product.published_at = now
        product.updated_at = now
        (old if plan.existing else new).append(product)
    if old:
        Product.objects.bulk_update(
            old,
            ["title", "slug", "description", "category", "brand", "product_type", "status",
             "published_at", "updated_at"],
            batch_size=1000,
        )  # fmt: skip
    Product.objects.bulk_create(new, batch_size=1000)
    for product in new:
        product.created_at = now
    products = {product.sku: product for product in [*old, *new]}
    ProductSlugRedirect.objects.filter(old_slug__in=[p.slug for p in products.values()]).delete()
    ProductSlugRedirect.objects.bulk_create(redirects, ignore_conflicts=True)
    ids = [product.pk for product in products.values()]
    _write_memberships(plans, products, ids)
    _write_variants(plans, products, ids)
    indexing.reindex(product_ids=ids)
    projection.refresh(product_ids=ids)
    progress("writing", len(plans), len(plans))
    tree = categories.load()
    for done, plan in enumerate(plans, start=1):
        if done % 500 == 0 or done == len(plans):
            progress("announcing", done, len(plans))
        product = products[plan.input.sku]
        _announce(
            product=product,
            previous_status=previous_status[product.sku],
            variant_skus=tuple(sku for sku, _, _ in plan.variants),
            category_slugs=tree.membership_path(plan.category_id, plan.secondary_ids),
        )


def _brands(names: set[str]) -> dict[str, Brand]:
    by_slug = {slugify(name): name for name in names}
    existing = {b.slug: b for b in Brand.objects.filter(slug__in=by_slug)}
    missing = [
        Brand(name=name, slug=slug) for slug, name in by_slug.items() if slug not in existing
    ]
    Brand.objects.bulk_create(missing, batch_size=1000)
    found = {**existing, **{b.slug: b for b in missing}}
    return {name: found[slugify(name)] for name in names}


def _write_memberships(plans: list[_Plan], products: dict, ids: list[int]) -> None:
    Secondary = Product.secondary_categories.through
    Secondary.objects.filter(product_id__in=ids).delete()
    Secondary.objects.bulk_create(
        [
            Secondary(product_id=products[plan.input.sku].pk, category_id=category_id)
            for plan in plans
            for category_id in plan.secondary_ids
        ],
        batch_size=5000,
    )
    ProductAttributeValue.objects.filter(product_id__in=ids).delete()
    ProductAttributeValue.objects.bulk_create(
        [
            ProductAttributeValue(
                product_id=products[plan.input.sku].pk,
                attribute_id=attribute_id,
                text=text,
                number=number,
                boolean=boolean,
                choice_id=choice_id,
            )
            for plan in plans
            for attribute_id, (text, number, boolean, choice_id) in plan.attributes.items()
        ],
        batch_size=5000,
    )


def _write_variants(plans: list[_Plan], products: dict, ids: list[int]) -> None:
    """The input's variants replace the product's: new ones added, missing ones removed."""
    wanted = {
        sku: (products[plan.input.sku].pk, name, position, choice_ids)
        for plan in plans
        for position, (sku, name, choice_ids) in enumerate(plan.variants)
    }
    ProductVariant.objects.filter(product_id__in=ids).exclude(sku__in=list(wanted)).delete()
    existing = {}
    for chunk in _chunks(list(wanted)):
        existing.update({v.sku: v for v in ProductVariant.objects.filter(sku__in=chunk)})
    to_create, to_update = [], []
    for sku, (product_id, name, position, _) in wanted.items():
        variant = existing.get(sku) or ProductVariant(sku=sku)
        variant.product_id, variant.name, variant.position = product_id, name, position
        (to_update if variant.pk else to_create).append(variant)
    ProductVariant.objects.bulk_update(to_update, ["product", "name", "position"], batch_size=1000)
    ProductVariant.objects.bulk_create(to_create, batch_size=1000)
    variant_ids = {variant.sku: variant.pk for variant in [*to_update, *to_create]}
    Options = ProductVariant.option_values.through
    Options.objects.filter(productvariant_id__in=list(variant_ids.values())).delete()
    Options.objects.bulk_create(
        [
            Options(productvariant_id=variant_ids[sku], attributechoice_id=choice_id)
            for sku, (_, _, _, choice_ids) in wanted.items()
            for choice_id in choice_ids
        ],
        batch_size=5000,
    )


def _event_fields(
    product: Product, variant_skus: tuple[str, ...], category_slugs: tuple[str, ...]
) -> dict:
    return {
        "product_id": product.pk,
        "sku": product.sku,
        "slug": product.slug,
        "title": product.title,
        "variant_skus": variant_skus,
        "category_slugs": category_slugs,
        "brand": product.brand.name if product.brand else None,
    }


def _announce(
    *,
    product: Product,
    previous_status: str | None,
    variant_skus: tuple[str, ...],
    category_slugs: tuple[str, ...],
) -> None:
    """Publish what happened to ``product``: always changed, and any status transition.

    Called inside the writing transaction after the product's row is
    written, so ``changed_at`` orders two changes of one product as their
    commits are ordered (see ``ProductChanged``).
    """
    fields = _event_fields(product, variant_skus, category_slugs)
    publish(ProductChanged(**fields, changed_at=timezone.now()))
    if product.status == previous_status:
        return
    if product.status == Product.Status.PUBLISHED:
        publish(ProductPublished(**fields, published_at=product.published_at))
    elif product.status == Product.Status.ARCHIVED:
        publish(ProductArchived(**fields))


def _read_back(product: Product, tree: categories.Tree) -> tuple[tuple, tuple]:
    """(variant SKUs, category path) of a stored product."""
    secondary = tuple(product.secondary_categories.values_list("pk", flat=True))
    return (
        tuple(product.variants.values_list("sku", flat=True)),
        tree.membership_path(product.category_id, secondary),
    )


def announce(
    *, product: Product, previous_status: str | None, tree: categories.Tree | None = None
) -> None:
    """Announce a product saved through a form (admin): read its variants and categories."""
    variant_skus, category_slugs = _read_back(product, tree or categories.load())
    _announce(
        product=product,
        previous_status=previous_status,
        variant_skus=variant_skus,
        category_slugs=category_slugs,
    )


def announce_removed(*, product: Product, tree: categories.Tree) -> None:
    """A product about to be deleted: subscribers stop selling it as if archived."""
    publish(ProductArchived(**_event_fields(product, *_read_back(product, tree))))
