from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "commerce.storefront"
    label = "storefront"

    def ready(self) -> None:
        from commerce.storefront import handlers  # noqa: F401 - registers cache invalidation
