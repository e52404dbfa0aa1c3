from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrdersConfig(AppConfig):
    name = "orders"

    def ready(self) -> None:
        from kernel import read_ahead
        from orders import handlers, signals  # noqa: F401 - registers subscribers and receivers
        from orders.context_processors import minicart_read_by

        read_ahead.register("orders", minicart_read_by)
        post_migrate.connect(_seed_shipping_methods, sender=self)


def _seed_shipping_methods(sender, apps=None, using=None, **kwargs) -> None:
    """After migrate or flush: an empty shipping table gets the default methods.

    ``apps`` is the migrated state after ``migrate`` (the table may not exist
    yet, or no longer); ``flush`` sends none and leaves every table in place.
    Only for orders' own database: with a database per context the signal
    comes once per database migrated or flushed.
    """
    from kernel.databases import database_of
    from orders.shipping import seed_default_methods

    if using != database_of("orders"):
        return
    try:
        model = apps.get_model("orders", "ShippingMethod") if apps else None
    except LookupError:
        return
    seed_default_methods(model)
