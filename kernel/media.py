"""Pictures staff uploaded (``MEDIA_ROOT``), served by the shop itself unless a front does.

WhiteNoise serves the static files collected at release time, not files
uploaded while the shop runs, and Django serves ``/media/`` only with
``DEBUG`` on. A shop deployed as docs/operations.md says, with nothing in
front, showed every product picture broken. So the shop serves them
(``SERVE_MEDIA``, on by default) with Django's own file view, answered where
WhiteNoise answers static files: before the language, the visitor's id and
the session, none of which a picture needs (nor a cookie that would keep it
from being shared). A path outside ``MEDIA_ROOT`` is a 404, a conditional
GET a 304. Behind nginx, a CDN or Varnish with the files at hand, turn it
off and serve ``MEDIA_ROOT`` from there (docs/operations.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponseNotFound
from django.utils.cache import patch_cache_control
from django.views.static import serve

#: An upload never overwrites another, but a replaced picture's thumbnails keep their names
#: (``thumbs/<picture id>/``): a copy is kept an hour, then revalidated by its date (304).
MAX_AGE_SECONDS = 60 * 60


def media_middleware(get_response):
    """Answer a GET or HEAD under ``MEDIA_URL`` with the file, when ``SERVE_MEDIA``."""

    def middleware(request):
        if not (
            settings.SERVE_MEDIA
            and request.method in ("GET", "HEAD")
            and request.path.startswith(settings.MEDIA_URL)
        ):
            return get_response(request)
        return _picture(request, request.path.removeprefix(settings.MEDIA_URL))

    return middleware


def _picture(request, path: str):
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # No such file, a folder, outside MEDIA_ROOT, or a name the file system cannot hold
    # (a part over 255 bytes: "File name too long").
    except (Http404, SuspiciousFileOperation, OSError):
        return HttpResponseNotFound("No such picture.", content_type="text/plain")
    if response.status_code == 200:
        patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
    return response
