"""Words of the catalog's data that the shopper's language says its own way."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

#: A yes/no attribute's value as the catalog formats it (``ProductAttributeValue.display``),
#: the same in every language in the cached product document: translated where it is shown.
_YES_NO = {"Yes": _("Yes"), "No": _("No")}


@register.filter
def yes_no(value: str) -> str:
    """``value`` in the shopper's language when it is "Yes" or "No"; else as it is."""
    return str(_YES_NO.get(value, value))
