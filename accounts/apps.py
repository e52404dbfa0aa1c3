from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from accounts import cache, handlers, signed_in  # noqa: F401 - registers subscribers

        cache.connect()
        signed_in.connect()
