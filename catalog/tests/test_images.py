"""Product images: thumbnails made off the request path, and pages that survive bad files."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from catalog import api, images
from catalog.dtos import ImageInput
from catalog.models import ProductImage
from tests.builders import product, upsert

pytestmark = pytest.mark.usefixtures("structure")


def jpeg(size=(900, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def pan():
    upsert(product("PAN-1", "Copper Pan", category="pans"))


def test_thumbnails_are_made_after_commit_in_webp_and_jpeg(pan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api.set_product_images(sku="PAN-1", images=[ImageInput("pan.jpg", jpeg(), "A copper pan")])
    image = ProductImage.objects.get()
    assert set(image.thumbnails) == {"card.webp", "card.jpeg", "large.webp", "large.jpeg"}
    with default_storage.open(image.thumbnails["card.webp"]) as f:
        card = Image.open(f)
        assert (card.format, card.size) == ("WEBP", (400, 267))
    detail = api.product_by_sku(sku="PAN-1")
    assert detail.images[0].alt_text == "A copper pan"
    assert detail.images[0].card_webp_url.endswith("/card.webp")


def test_until_thumbnails_exist_pages_use_the_original(pan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        api.set_product_images(sku="PAN-1", images=[ImageInput("pan.jpg", jpeg(), "A copper pan")])
    (image,) = api.product_by_sku(sku="PAN-1").images
    assert image.card_url == image.url
    assert image.card_webp_url == ""


def test_a_corrupt_image_gets_no_thumbnails_and_the_page_still_renders(
    pan, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api.set_product_images(
            sku="PAN-1", images=[ImageInput("pan.jpg", b"not a picture", "Broken")]
        )
    assert ProductImage.objects.get().thumbnails == {}
    response = client.get("/products/copper-pan-pan-1/")
    assert response.status_code == 200
    assert b'alt="Broken"' in response.content


def test_a_missing_image_file_does_not_break_pages(pan, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api.set_product_images(sku="PAN-1", images=[ImageInput("pan.jpg", jpeg(), "Pan")])
    image = ProductImage.objects.get()
    for path in [image.image.name, *image.thumbnails.values()]:
        default_storage.delete(path)
    assert client.get("/products/copper-pan-pan-1/").status_code == 200
    assert client.get("/c/kitchen/").status_code == 200
    assert images.make_thumbnails(image_id=image.pk) == {}


def test_setting_the_same_images_again_changes_nothing(pan):
    api.set_product_images(sku="PAN-1", images=[ImageInput("pan.jpg", jpeg(), "Pan")])
    first = ProductImage.objects.get().pk
    api.set_product_images(sku="PAN-1", images=[ImageInput("pan.jpg", jpeg(), "Pan")])
    assert ProductImage.objects.get().pk == first
