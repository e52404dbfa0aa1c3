"""Data that crosses the catalog boundary: frozen, slotted dataclasses. Stdlib only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class CategoryRef:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class BrandRef:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class Thumbnail:
    """A resized copy of a product image; ``size`` is "card" (400 px) or "large" (1000 px)."""

    size: str
    format: str  # "webp" or "jpeg"
    url: str


@dataclass(frozen=True, slots=True)
class Image:
    """A product image: the original's URL, its alt text and the thumbnails made so far.

    Until the thumbnail task has run (or if it could not read the file) the
    thumbnails are empty and pages fall back to the original.
    """

    url: str
    alt_text: str
    thumbnails: tuple[Thumbnail, ...] = ()

    def _thumb(self, size: str, fmt: str) -> str:
        for thumb in self.thumbnails:
            if thumb.size == size and thumb.format == fmt:
                return thumb.url
        return ""

    @property
    def card_url(self) -> str:
        return self._thumb("card", "jpeg") or self.url

    @property
    def card_webp_url(self) -> str:
        return self._thumb("card", "webp")

    @property
    def large_url(self) -> str:
        return self._thumb("large", "jpeg") or self.url

    @property
    def large_webp_url(self) -> str:
        return self._thumb("large", "webp")


@dataclass(frozen=True, slots=True)
class OptionValue:
    """One option of a variant, e.g. attribute "size" = "M"."""

    attribute: str
    attribute_name: str
    value: str
    slug: str


@dataclass(frozen=True, slots=True)
class Variant:
    id: int
    sku: str
    name: str
    options: tuple[OptionValue, ...] = ()


@dataclass(frozen=True, slots=True)
class AttributeValue:
    """A typed attribute of a product, already formatted for display."""

    code: str
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ProductSummary:
    """What a listing card or another context needs to show a product."""

    id: int
    sku: str
    title: str
    slug: str
    category: CategoryRef | None
    brand: BrandRef | None = None
    variant_skus: tuple[str, ...] = ()
    image: Image | None = None
    rating_average: Decimal | None = None  # None: no published review yet
    rating_count: int = 0
    variant_names: tuple[str, ...] = ()  # of ``variant_skus``, in their order
    #: Shoppers may see and buy it now: published, from its publish date (``False`` for an
    #: archived, draft or scheduled product, which ``products_by_sku`` returns by default).
    #: Known from ``products_by_sku`` only; None from reads of shown products (listings).
    on_sale: bool | None = None

    def variant_name(self, sku: str) -> str:
        """Variant ``sku``'s name ("1 kg", "M / Red"), for lines of carts and orders.

        Empty for a product sold in one variant: its title says it all.
        """
        if len(self.variant_skus) < 2 or sku not in self.variant_skus:
            return ""
        return self.variant_names[self.variant_skus.index(sku)]


@dataclass(frozen=True, slots=True)
class ProductDetail:
    """Everything the product page shows that the catalog owns.

    ``breadcrumbs`` run from the root category down to the primary one;
    ``variants`` are in display order and ``variant_skus`` are their SKUs.
    """

    id: int
    sku: str
    title: str
    slug: str
    description: str
    category: CategoryRef | None
    brand: BrandRef | None = None
    breadcrumbs: tuple[CategoryRef, ...] = ()
    secondary_categories: tuple[CategoryRef, ...] = ()
    product_type: str | None = None
    attributes: tuple[AttributeValue, ...] = ()
    variants: tuple[Variant, ...] = ()
    images: tuple[Image, ...] = ()
    status: str = "published"
    published_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def variant_skus(self) -> tuple[str, ...]:
        return tuple(variant.sku for variant in self.variants)


@dataclass(frozen=True, slots=True)
class ProductPage:
    """One page of a product listing."""

    items: tuple[ProductSummary, ...]
    number: int
    page_count: int
    total: int


@dataclass(frozen=True, slots=True)
class CategoryNode:
    """A category in the tree, with its children in display order."""

    slug: str
    name: str
    children: tuple[CategoryNode, ...] = ()


@dataclass(frozen=True, slots=True)
class CategoryDetail:
    slug: str
    name: str
    description: str
    breadcrumbs: tuple[CategoryRef, ...]  # root first, this category last
    children: tuple[CategoryRef, ...] = ()


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    TITLE = "title"
    RATING = "rating"


@dataclass(frozen=True, slots=True)
class AttributeFilter:
    """Products having any of these choices (slugs) of the attribute ``code``."""

    code: str
    slugs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListingQuery:
    """A listing or search request: text, filters, sort and page, all optional.

    ``attributes``: one filter per attribute code, each matching any of
    its choice slugs; different attributes must all match. Prices are in
    the ``currency`` the listing is shown in.
    """

    q: str = ""
    category: str | None = None
    brands: tuple[str, ...] = ()
    attributes: tuple[AttributeFilter, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False
    rating_min: int | None = None  # e.g. 4: four stars and up
    sort: Sort | None = None  # None: relevance when searching, newest otherwise
    page: int = 1
    per_page: int = 24
    currency: str = "EUR"

    @property
    def effective_sort(self) -> Sort:
        if self.sort is not None and (self.sort is not Sort.RELEVANCE or self.q):
            return self.sort
        return Sort.RELEVANCE if self.q else Sort.NEWEST


@dataclass(frozen=True, slots=True)
class ParsedListingQuery:
    """Request parameters read as a listing query; ``errors`` maps a bad parameter to why.

    The query holds only the good parameters: a page may ignore ``errors``
    and show the rest, an API answers 400 naming each one. ``missing`` maps
    a well-formed parameter naming something that does not exist (an
    unknown category) to why: an API answers 404 (after any 400).
    """

    query: ListingQuery
    errors: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CatalogVersion:
    """What HTTP caching of listings compares: ``tag`` changes whenever any listing could.

    ``last_modified`` is when that last happened (None for an empty catalog).
    """

    tag: str
    last_modified: datetime | None


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True, slots=True)
class Facet:
    """A filter shoppers can apply, with how many results each value would keep.

    ``param`` is the query parameter that selects a value ("brand",
    "attr_colour", "category", "price", "in_stock").
    """

    param: str
    name: str
    values: tuple[FacetValue, ...] = ()


@dataclass(frozen=True, slots=True)
class ListingResult:
    page: ProductPage
    facets: tuple[Facet, ...] = ()
    query: ListingQuery = field(default_factory=ListingQuery)
    #: When the text matched nothing as typed: the spelling that was searched instead.
    corrected_q: str | None = None


@dataclass(frozen=True, slots=True)
class AttributeText:
    """A product's attribute as an importer writes it: parsed by the attribute's kind."""

    code: str
    value: str


@dataclass(frozen=True, slots=True)
class OptionChoice:
    """One option of a variant: a variant-option attribute and a choice's value or slug."""

    code: str
    value: str


@dataclass(frozen=True, slots=True)
class VariantInput:
    sku: str
    options: tuple[OptionChoice, ...] = ()
    name: str = ""


@dataclass(frozen=True, slots=True)
class ProductInput:
    """A product as an importer (CSV, JSON Lines, demo data) describes it.

    References are by natural key: category and product type by slug,
    brand by name (created when new), attribute values as text parsed by
    the attribute's kind. No variants means one variant with SKU ``sku``.
    """

    sku: str
    title: str
    slug: str = ""
    description: str = ""
    category: str | None = None
    secondary_categories: tuple[str, ...] = ()
    brand: str | None = None
    product_type: str | None = None
    attributes: tuple[AttributeText, ...] = ()
    variants: tuple[VariantInput, ...] = ()
    status: str = "published"


@dataclass(frozen=True, slots=True)
class InputError:
    """Why an input was refused: which one (1-based row), which column, why."""

    row: int
    column: str
    reason: str
    variant: int | None = None  # index of the variant the error is about, if any

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


@dataclass(frozen=True, slots=True)
class UpsertReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: tuple[InputError, ...] = ()
    written: bool = False


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """An attribute of a product type: ``kind`` is text, number, boolean or choice.

    A variant option (what variants differ by, e.g. size) must be a choice.
    ``choices`` are added to the attribute's existing ones, never removed.
    """

    code: str
    name: str
    kind: str
    is_variant_option: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImageInput:
    """A product image to store: the file's name and content, and its alt text."""

    file_name: str
    content: bytes
    alt_text: str


@dataclass(frozen=True, slots=True)
class SkuName:
    """What staff call a SKU: its product's title and, for a variant, its label ("M / Red")."""

    sku: str
    product_id: int
    product_title: str
    variant: str = ""

    def __str__(self) -> str:
        return f"{self.product_title} ({self.variant})" if self.variant else self.product_title
