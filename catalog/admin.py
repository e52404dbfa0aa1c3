"""Staff admin for the catalog's own models.

Every save goes through catalog.services, so slugs keep redirecting, the
search index stays current and events are published exactly as for an
import. Staff in the "Catalog manager" group (migration 0005) have the
permissions of these models and of nothing else.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import HttpResponse
from django.utils.html import format_html

from catalog import exchange, services, tasks
from catalog.models import (
    Attribute,
    AttributeChoice,
    Brand,
    Category,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductType,
    ProductVariant,
)
from kernel.adminkit import AutocompleteAdmin, DecimalInput
from kernel.display import count_display
from kernel.quantities import whole_number


class DeletesStructure:
    """An admin of what product documents copy (categories, brands, types, attributes).

    A save goes through the services, which rewrite the documents and forget
    the cached tree and listings; a delete, one or many, does the same here:
    the products it touches (``touched``, read before they lose the rows) get
    their documents rewritten, and shoppers' cached reads are forgotten.
    Without it a deleted category stayed in the cached tree, and an attribute
    deleted with its values stayed on its products' pages.
    """

    def touched(self, rows) -> Q:
        raise NotImplementedError

    def delete_model(self, request, obj):
        products = self._products_of([obj])
        super().delete_model(request, obj)
        services.structure_saved(products=products)

    def delete_queryset(self, request, queryset):
        products = self._products_of(list(queryset))
        super().delete_queryset(request, queryset)
        services.structure_saved(products=products)

    def _products_of(self, rows) -> Q:
        """The products ``rows`` are copied into, by id: after the delete, nothing names them."""
        touched = Product.objects.filter(self.touched(rows)).values_list("pk", flat=True)
        return Q(pk__in=set(touched))


@admin.register(Category)
class CategoryAdmin(DeletesStructure, AutocompleteAdmin):
    list_display = ["path", "slug", "position", "updated_at"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent__parent__parent"]
    ordering = ["parent__parent__name", "parent__name", "position", "name"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]

    @admin.display(description="category", ordering="name")
    def path(self, category: Category) -> str:
        names = []
        while category is not None and len(names) < 4:
            names.append(category.name)
            category = category.parent
        return " > ".join(reversed(names))

    def save_model(self, request, obj, form, change):
        services.category_save(category=obj)

    def touched(self, rows) -> Q:
        return Q(category__in=rows) | Q(secondary_categories__in=rows)


@admin.register(Brand)
class BrandAdmin(DeletesStructure, admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def touched(self, rows) -> Q:
        return Q(brand__in=rows)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.structure_saved(products=Q(brand=form.instance))


class AttributeInline(admin.TabularInline):
    model = Attribute
    extra = 0
    fields = ["code", "name", "kind", "is_variant_option", "unit", "position"]
    show_change_link = True


@admin.register(ProductType)
class ProductTypeAdmin(DeletesStructure, admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [AttributeInline]

    def touched(self, rows) -> Q:
        return Q(product_type__in=rows)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.structure_saved(products=Q(product_type=form.instance))


class AttributeChoiceInline(admin.TabularInline):
    model = AttributeChoice
    extra = 1
    prepopulated_fields = {"slug": ["value"]}


@admin.register(Attribute)
class AttributeAdmin(DeletesStructure, admin.ModelAdmin):
    list_display = ["name", "code", "product_type", "kind", "is_variant_option"]
    list_filter = ["product_type", "kind", "is_variant_option"]
    list_select_related = ["product_type"]
    search_fields = ["name", "code"]
    inlines = [AttributeChoiceInline]

    def touched(self, rows) -> Q:
        return Q(product_type__attributes__in=rows)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.structure_saved(products=Q(product_type=form.instance.product_type_id))


def _product_type_id(request) -> int | None:
    """The product type of the product being edited (attribute lists depend on it)."""
    object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
    if not object_id or whole_number(str(object_id)) is None:
        return None
    return Product.objects.filter(pk=object_id).values_list("product_type_id", flat=True).first()


class ProductAttributeValueForm(forms.ModelForm):
    class Meta:
        model = ProductAttributeValue
        fields = ["attribute", "text", "number", "boolean", "choice"]
        # Only one of the value columns is filled per row: narrow boxes keep the
        # table within a laptop's width.
        widgets = {
            "text": forms.TextInput(attrs={"size": 16}),
            "number": DecimalInput(attrs={"class": "vBigIntegerField"}),
        }

    def clean(self):
        """Exactly the column of the attribute's kind is filled, and a choice is its own."""
        data = super().clean()
        attribute = data.get("attribute")
        if attribute is None:
            return data
        column = {"text": "text", "number": "number", "boolean": "boolean", "choice": "choice"}[
            attribute.kind
        ]
        value = data.get(column)
        if value in (None, ""):
            raise forms.ValidationError({column: f"{attribute.name} needs a {attribute.kind}."})
        if column == "choice" and value.attribute_id != attribute.pk:
            raise forms.ValidationError({"choice": f"Not a value of {attribute.name}."})
        for other in {"text", "number", "boolean", "choice"} - {column}:
            data[other] = "" if other == "text" else None
        return data


class ProductAttributeValueInline(admin.TabularInline):
    model = ProductAttributeValue
    form = ProductAttributeValueForm
    extra = 0
    verbose_name = "attribute"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        type_id = _product_type_id(request)
        if db_field.name == "attribute":
            kwargs["queryset"] = Attribute.objects.filter(
                product_type_id=type_id, is_variant_option=False
            )
        if db_field.name == "choice":
            kwargs["queryset"] = AttributeChoice.objects.filter(
                attribute__product_type_id=type_id, attribute__is_variant_option=False
            ).select_related("attribute")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProductVariantInline(admin.TabularInline):
    model = ProductVariant
    extra = 0
    fields = ["sku", "name", "option_values", "position"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "option_values":
            kwargs["queryset"] = AttributeChoice.objects.filter(
                attribute__product_type_id=_product_type_id(request),
                attribute__is_variant_option=True,
            ).select_related("attribute")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 1
    fields = ["preview", "image", "alt_text", "position"]
    readonly_fields = ["preview"]

    @admin.display(description="thumbnail")
    def preview(self, image: ProductImage) -> str:
        path = (image.thumbnails or {}).get("card.jpeg")
        if not path:
            return "being made" if image.pk else ""
        return format_html('<img src="{}" alt="" width="80">', default_storage.url(path))


@admin.register(Product)
class ProductAdmin(AutocompleteAdmin):
    list_display = ["title", "sku", "status", "brand", "category", "published_at", "updated_at"]
    list_filter = [
        "status",
        "brand",
        "product_type",
        ("category", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["brand", "category"]
    search_fields = ["title", "sku", "slug", "variants__sku"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "brand"]
    filter_horizontal = ["secondary_categories"]
    date_hierarchy = "published_at"
    inlines = [ProductVariantInline, ProductAttributeValueInline, ProductImageInline]
    actions = ["publish", "archive", "export_csv"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "sku", "product_type", "brand", "description"]}),
        ("Categories", {"fields": ["category", "secondary_categories"]}),
        ("Publishing", {"fields": ["status", "published_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        _kept_to_the_microsecond(obj, form, "published_at")
        form.previous_status = services.product_save(product=obj)

    def save_formset(self, request, form, formset, change):
        saved = formset.save()
        if formset.model is ProductImage:
            for image in saved:
                tasks.schedule_thumbnails(image_id=image.pk)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.product_after_form_save(
            product=form.instance, previous_status=form.previous_status
        )

    def delete_model(self, request, obj):
        services.products_delete(product_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.products_delete(product_ids=list(queryset.values_list("pk", flat=True)))

    def _set_status(self, request, queryset, status: str) -> None:
        count = services.products_set_status(
            product_ids=list(queryset.values_list("pk", flat=True)), status=status
        )
        self.message_user(request, f"{count_display(count, 'product')} {status}.", messages.SUCCESS)

    @admin.action(description="Publish the selected products", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Product.Status.PUBLISHED)

    @admin.action(description="Archive the selected products", permissions=["change"])
    def archive(self, request, queryset):
        self._set_status(request, queryset, Product.Status.ARCHIVED)

    @admin.action(description="Export the selected products as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="products.csv"'
        exchange.write_csv(queryset, response)
        return response


def _kept_to_the_microsecond(obj, form, name: str) -> None:
    """The admin's date and time fields show whole seconds, so saving a form whose time
    nobody changed would cut the stored microseconds off, and move a product among
    others published in the same second (lists sort by it): keep the stored time then."""
    before, after = form.initial.get(name), getattr(obj, name)
    if before and after and before.replace(microsecond=0) == after.replace(microsecond=0):
        setattr(obj, name, before)
