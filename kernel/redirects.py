"""Going back to the page a form was posted from: one rule for every "next" field.

A form carries the page it came from in ``next``; after the POST the
shopper goes back there. The value is the client's, so it is trusted only
when it is a URL on this site (no open redirect), and it is always used as
a URL: Django's ``redirect()`` would take ``"1"`` or ``"-1"`` for a view
name and raise ``NoReverseMatch`` (a 500) instead.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def back_to_next(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """A redirect to the POSTed ``next`` when it is a URL of this site, else to ``fallback``.

    ``fallback`` is a URL pattern name or a path of our own.
    """
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(fallback)
