"""WSGI entry point (gunicorn commerce.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from commerce.startup import exit_on_bad_configuration

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commerce.settings")
exit_on_bad_configuration()
application = get_wsgi_application()
