from django.apps import AppConfig


class BackOfficeConfig(AppConfig):
    """The back office: the admin's index (dashboard, sections) and composed staff panels."""

    name = "backoffice"
    verbose_name = "Back office"
