"""REST building blocks shared by every context's API."""

from collections.abc import Iterable, Mapping, Sequence

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from kernel.errors import DomainError
from kernel.fields import TextField


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus every context's ``DomainError`` as its own status and body.

    Configured once (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``), so no view
    translates a domain error itself. Like DRF's own answers, it marks an
    atomic request for rollback. The body is sent as the error built it
    (numbers stay numbers).
    """
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(exc.http_body(), status=exc.http_status)
    return drf_exception_handler(exc, context)


def shape_serializer(
    name: str, shape: Iterable[TextField], *, choices: Mapping[str, Sequence[str]] | None = None
) -> type[serializers.Serializer]:
    """A serializer class ``name`` with one input per input of ``shape``, blank by default.

    As with forms (``kernel.forms.shape_form``), whether a value is
    required is judged by the shape's owner with the whole input; only an
    input named in ``choices`` must be sent, and be one of them.
    """
    choices = choices or {}
    fields: dict[str, serializers.Field] = {}
    for spec in shape:
        if spec.name in choices:
            fields[spec.name] = serializers.ChoiceField(choices=choices[spec.name])
        else:
            fields[spec.name] = serializers.CharField(
                max_length=spec.max_length, allow_blank=True, default=""
            )
    return type(name, (serializers.Serializer,), fields)


class MoneySerializer(serializers.Serializer):
    """A `Money` as the API shows it: ``{"amount": "12.50", "currency": "EUR"}``.

    The amount is a decimal string rounded to the currency's minor unit
    (the shared kernel's rounding): "1200" for JPY, "12.500" for KWD. A
    string, not a JSON number, so no client parses it into a float.
    """

    amount = serializers.CharField(
        source="rounded.amount",
        help_text='A decimal string in the currency\'s minor unit, e.g. "12.50".',
    )
    currency = serializers.CharField(help_text="ISO 4217 code, e.g. EUR.")
