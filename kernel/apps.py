from django.apps import AppConfig


class SharedKernelConfig(AppConfig):
    name = "kernel"
    label = "shared"
    verbose_name = "Event outbox"
