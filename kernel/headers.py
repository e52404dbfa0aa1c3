"""Response headers: the content policy, built once, and those Django does not set itself.

``Permissions-Policy`` turns off browser features the shop never uses
(camera, microphone, geolocation...), so injected or third-party code
cannot use them either. The value is ``settings.PERMISSIONS_POLICY``.
The Content-Security-Policy comes from django-csp (its settings:
commerce/content_policy.py), Cross-Origin-Opener-Policy from Django's
SecurityMiddleware.
"""

from __future__ import annotations

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

#: What a view sets on its response to change its policy (django-csp's decorators).
_OVERRIDES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy of a response without a nonce built once.

    django-csp builds both policies from the settings for every response,
    which is an eighth of a kept page's time in the process
    (storefront/early_answers.py). A response whose request used no nonce
    and whose view changed nothing has the same policy every time, so it is
    built once per setting. Anything else (a nonce, a decorated view, the
    debug pages django-csp leaves alone) goes through django-csp as before.
    """

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _OVERRIDES)
            or settings.DEBUG
        ):
            return super().process_response(request, response)
        for header, policy, exempt, prefixes in _fixed_policies():
            if (
                policy
                and header not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.cache
def _fixed_policies() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, policy without a nonce, exemption attribute, excluded prefixes), enforced and
    report-only, as django-csp builds them from the settings."""
    return tuple(
        (
            header,
            build_policy(report_only=report_only),
            exempt,
            tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()),
        )
        for header, setting, exempt, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
        )
    )


@receiver(setting_changed)
def _forget_policies(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _fixed_policies.cache_clear()


def permissions_policy_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware
