"""Thumbnails of product images, made off the request path.

Each image gets a "card" (400 px) and a "large" (1000 px) copy, each as
WebP (served to browsers that accept it, through <picture>) and as JPEG
(everyone else). Paths are derived from the image id, so making them twice
overwrites the same files (the task is idempotent). A file that is missing
or cannot be decoded is logged and the image keeps no thumbnails: pages then
fall back to the original URL, or to a placeholder, never to an error.
"""

from __future__ import annotations

import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from catalog import cache, documents
from catalog.models import ProductImage

logger = logging.getLogger(__name__)

SIZES = {"card": 400, "large": 1000}
FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 0}), "jpeg": ("JPEG", {"quality": 85})}


def thumbnail_path(image_id: int, size: str, fmt: str) -> str:
    return f"thumbs/{image_id}/{size}.{'jpg' if fmt == 'jpeg' else fmt}"


def make_thumbnails(*, image_id: int) -> dict[str, str]:
    """Write every size and format of ``image_id``; returns {"size.format": path}."""
    image = ProductImage.objects.select_related("product").filter(pk=image_id).first()
    if image is None:
        return {}
    try:
        with image.image.open("rb") as source:
            original = Image.open(source)
            original.load()
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        logger.warning("image %s (%s) unreadable: %s", image_id, image.image.name, exc)
        ProductImage.objects.filter(pk=image_id).update(thumbnails={})
        return {}
    original = original.convert("RGB")
    made = {}
    for size, pixels in SIZES.items():
        copy = original.copy()
        copy.thumbnail((pixels, pixels))
        for fmt, (pil_format, options) in FORMATS.items():
            buffer = io.BytesIO()
            copy.save(buffer, pil_format, **options)
            path = thumbnail_path(image_id, size, fmt)
            default_storage.delete(path)
            made[f"{size}.{fmt}"] = default_storage.save(path, ContentFile(buffer.getvalue()))
    ProductImage.objects.filter(pk=image_id).update(thumbnails=made)
    documents.refresh(product_ids=[image.product_id])  # the document lists the thumbnails
    cache.products_changed([image.product.sku])
    return made
