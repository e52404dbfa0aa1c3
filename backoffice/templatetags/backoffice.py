"""Template tags of the back office's admin templates."""

from django import template

from backoffice.offer import variant_offers

register = template.Library()


@register.inclusion_tag("backoffice/product_offer.html", takes_context=True)
def product_offer(context, product_id: int) -> dict:
    """The product's variants with their prices and stock (``backoffice.offer``)."""
    return {"offers": variant_offers(product_id=product_id, user=context["request"].user)}
