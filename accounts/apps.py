from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from accounts import cache, handlers  # noqa: F401 - registers this context's subscribers

        cache.connect()
