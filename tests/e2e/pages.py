"""What the storefront's browser tests share: the shop they browse and how wide a page is."""

from tests.builders import (
    build_structure,
    built_together,
    offer_product,
    priced,
    sweater,
    upsert,
)


@built_together()
def sweater_and_teas() -> None:
    """A sweater in three sizes (one sold out, one nearly) and 30 teas: more than a page,
    so the home page shows its shelves; the long title tests how pages wrap."""
    build_structure()
    upsert(sweater(slug="wool-sweater", title="Extraordinarily Warm Hand-knitted Merino Sweater"))
    for sku, amount, quantity in [
        ("SW-1-S", "40.00", 0),
        ("SW-1-M", "42.00", 9),
        ("SW-1-L", "44.00", 2),
    ]:
        priced(sku, amount, quantity)
    for index in range(30):
        offer_product(
            sku=f"TEA-{index}",
            title=f"Green Tea No. {index}",
            slug=f"green-tea-{index}",
            price="12.50",
            stock=20,
        )


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the window: above 0, a phone scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
