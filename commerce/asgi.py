"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from commerce.startup import exit_on_bad_configuration

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commerce.settings")
exit_on_bad_configuration()
application = get_asgi_application()
