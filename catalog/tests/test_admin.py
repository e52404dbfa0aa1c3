"""Staff admin: saves go through services, bulk actions, CSV export, catalog manager rights."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from catalog import api as catalog_api
from catalog.events import ProductChanged, ProductPublished
from catalog.models import Attribute, Category, Product, ProductImage, ProductVariant
from kernel.outbox import published
from tests.builders import sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


@pytest.fixture
def manager(client):
    user = User.objects.create_user("cm", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Catalog manager"))
    client.force_login(user)
    return client


def product_form(**fields) -> dict:
    data = {
        "title": "Linen Apron",
        "slug": "linen-apron",
        "sku": "AP-1",
        "description": "",
        "status": "published",
        "variants-TOTAL_FORMS": "0",
        "variants-INITIAL_FORMS": "0",
        "attribute_values-TOTAL_FORMS": "0",
        "attribute_values-INITIAL_FORMS": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    return data | fields


def its_variant(product) -> dict:
    """The change form's fields of the product's one variant (AP-1), as the page sends them."""
    return {
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "1",
        "variants-0-id": str(product.variants.get().pk),
        "variants-0-product": str(product.pk),
        "variants-0-sku": "AP-1",
        "variants-0-position": "0",
    }


def test_a_catalog_manager_edits_the_catalog_and_nothing_else(manager):
    assert manager.get("/admin/catalog/product/").status_code == 200
    assert manager.get("/admin/catalog/category/add/").status_code == 200
    assert manager.get("/admin/pricing/price/").status_code == 403
    assert manager.get("/admin/inventory/stock/").status_code == 403
    assert manager.get("/admin/auth/user/").status_code == 403
    assert manager.get("/admin/shared/outboxevent/").status_code == 403


def test_adding_a_product_in_the_admin_publishes_it_with_a_default_variant(manager):
    response = manager.post("/admin/catalog/product/add/", product_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(ProductVariant.objects.values_list("sku", flat=True)) == ["AP-1"]
    changed = published(ProductChanged.event_type).get()
    assert changed.payload["variant_skus"] == ["AP-1"]
    assert published(ProductPublished.event_type).count() == 1
    assert Product.objects.get().search_keywords


def test_renaming_a_product_slug_in_the_admin_keeps_the_old_url(manager, client):
    manager.post("/admin/catalog/product/add/", product_form())
    product = Product.objects.get()
    form = product_form(slug="flax-apron") | its_variant(product)
    response = manager.post(f"/admin/catalog/product/{product.pk}/change/", form)
    assert response.status_code == 302
    assert client.get("/products/linen-apron/")["Location"] == "/products/flax-apron/"


def test_saving_a_product_in_the_admin_keeps_its_publishing_time(manager):
    """The form shows whole seconds: a time nobody changed keeps its microseconds."""
    manager.post("/admin/catalog/product/add/", product_form())
    product = Product.objects.get()
    when = product.published_at.replace(microsecond=123456)
    Product.objects.filter(pk=product.pk).update(published_at=when)
    shown = timezone.localtime(when)
    form = (
        product_form(description="Now with a pocket")
        | its_variant(product)
        | {
            "published_at_0": shown.strftime("%Y-%m-%d"),
            "published_at_1": shown.strftime("%H:%M:%S"),
        }
    )
    assert manager.post(f"/admin/catalog/product/{product.pk}/change/", form).status_code == 302
    product.refresh_from_db()
    assert (product.description, product.published_at) == ("Now with a pocket", when)


def test_bulk_archive_and_publish(admin_client):
    upsert(sweater(), sweater(sku="SW-2", title="Another"))
    ids = [str(pk) for pk in Product.objects.values_list("pk", flat=True)]
    archived = admin_client.post(
        "/admin/catalog/product/", {"action": "archive", "_selected_action": ids}, follow=True
    )
    assert set(Product.objects.values_list("status", flat=True)) == {"archived"}
    assert "2 products archived." in archived.content.decode()
    published = admin_client.post(
        "/admin/catalog/product/", {"action": "publish", "_selected_action": ids[:1]}, follow=True
    )
    assert Product.objects.filter(status="published").count() == 1
    assert "1 product published." in published.content.decode()  # not "1 products"


def test_csv_export_action_writes_the_import_format(admin_client):
    upsert(sweater())
    ids = [str(pk) for pk in Product.objects.values_list("pk", flat=True)]
    response = admin_client.post(
        "/admin/catalog/product/", {"action": "export_csv", "_selected_action": ids}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["variant_sku"] for row in rows] == ["SW-1-S", "SW-1-M", "SW-1-L"]
    assert rows[0]["attributes"] == "material=Wool|weight=450|organic=yes"
    assert rows[1]["variant_options"] == "size=M|colour=Red"


def test_product_pages_of_the_admin_render_with_their_inlines(admin_client):
    upsert(sweater())
    product = Product.objects.get()
    page = admin_client.get(f"/admin/catalog/product/{product.pk}/change/").content.decode()
    assert 'name="variants-0-sku"' in page
    assert 'name="attribute_values-0-attribute"' in page
    assert 'name="images-0-image"' in page
    assert admin_client.get("/admin/catalog/product/add/").status_code == 200
    assert admin_client.get("/admin/catalog/product/", {"q": "SW-1-M"}).status_code == 200


def test_an_image_uploaded_in_the_admin_gets_thumbnails(
    manager, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("apron.png", png(), content_type="image/png")
    form = product_form() | {
        "images-TOTAL_FORMS": "1",
        "images-0-image": upload,
        "images-0-alt_text": "A linen apron",
        "images-0-position": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post("/admin/catalog/product/add/", form)
    assert response.status_code == 302
    image = ProductImage.objects.get()
    assert image.alt_text == "A linen apron"
    assert set(image.thumbnails) == {"card.webp", "card.jpeg", "large.webp", "large.jpeg"}


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), (10, 120, 80)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("model", ["category", "brand", "producttype", "attribute", "product"])
def test_every_catalog_admin_page_renders(admin_client, model):
    upsert(sweater())
    assert admin_client.get(f"/admin/catalog/{model}/").status_code == 200
    assert admin_client.get(f"/admin/catalog/{model}/add/").status_code == 200


def test_deleting_what_products_copy_is_seen_at_the_next_read(manager):
    """A category (a product's secondary one) and an attribute deleted in the admin, one
    from its page and one from the list: the tree and the product's page follow at once."""
    upsert(sweater(slug="wool-sweater", secondary_categories=("gifts",)))
    before = catalog_api.product_by_sku(sku="SW-1")
    assert [c.slug for c in before.secondary_categories] == ["gifts"]
    assert "organic" in {a.code for a in before.attributes}
    assert "gifts" in {node.slug for node in catalog_api.category_tree()}

    gifts = Category.objects.get(slug="gifts")
    assert (
        manager.post(f"/admin/catalog/category/{gifts.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    organic = Attribute.objects.get(code="organic")
    bulk = {"action": "delete_selected", "_selected_action": [organic.pk], "post": "yes"}
    assert manager.post("/admin/catalog/attribute/", bulk).status_code == 302

    after = catalog_api.product_by_sku(sku="SW-1")
    assert after.secondary_categories == ()
    assert "organic" not in {a.code for a in after.attributes}
    assert "gifts" not in {node.slug for node in catalog_api.category_tree()}
