"""The Content-Security-Policy the shop sends (django-csp's setting), built in one place.

No inline script or style: they come from our origin or carry the
request's nonce. Pictures may be data: URLs (the placeholders). Nothing
may frame the shop, and forms post only to it (docs/security.md).
"""

from __future__ import annotations

from csp.constants import NONCE, NONE, SELF


def content_security_policy(*, report_uri: str = "") -> dict:
    """django-csp's policy; violations are reported to ``report_uri`` when given."""
    directives = {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
    if report_uri:
        directives["report-uri"] = [report_uri]
    return {"DIRECTIVES": directives}
