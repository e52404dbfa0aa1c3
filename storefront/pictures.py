"""Which of a product's pictures shows a given variant.

The catalog keeps pictures per product, not per variant. A picture whose
alt text names a variant's option value as a whole word ("Linen Towel in
Slate" for the "Slate" variant) is taken to show that variant: the alt text
is written by whoever uploaded the picture to describe what it shows, so it
is the one place that already says so. The product page then shows that
picture when the variant is picked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from catalog.dtos import Image, Variant


def variant_image_index(variant: Variant, images: Sequence[Image]) -> int | None:
    """The index of the first picture naming one of ``variant``'s option values, else None."""
    values = [option.value for option in variant.options if option.value]
    if not values:
        return None
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(value) for value in values) + r")\b", re.IGNORECASE
    )
    return next((i for i, image in enumerate(images) if pattern.search(image.alt_text)), None)
