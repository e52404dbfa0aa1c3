"""Response headers Django does not set itself.

``Permissions-Policy`` turns off browser features the shop never uses
(camera, microphone, geolocation...), so injected or third-party code
cannot use them either. The value is ``settings.PERMISSIONS_POLICY``.
The Content-Security-Policy comes from django-csp, Cross-Origin-Opener-
Policy from Django's SecurityMiddleware.
"""

from django.conf import settings


def permissions_policy_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware
