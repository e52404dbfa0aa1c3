from django.apps import AppConfig


class SharedKernelConfig(AppConfig):
    name = "commerce.shared"
    label = "shared"
    verbose_name = "Event outbox"
