"""``{% picture_url image %}``: a line picture's URL, made absolute in e-mails.

Pages have no ``site_url`` in their context and keep the URL as the
storage gives it; an e-mail is read far from the shop, so its context
carries the shop's address (``settings.SITE_URL``) and the URL is joined
to it. A URL that is already absolute (a CDN's) is kept as it is.
"""

from urllib.parse import urljoin

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def picture_url(context, image) -> str:
    site_url = context.get("site_url", "")
    return urljoin(site_url, image.card_url) if site_url else image.card_url
