from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "storefront"
    label = "storefront"

    def ready(self) -> None:
        from storefront import handlers  # noqa: F401 - registers cache invalidation
