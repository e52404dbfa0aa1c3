from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "pricing"

    def ready(self) -> None:
        from pricing import handlers  # noqa: F401 - registers this context's subscribers
