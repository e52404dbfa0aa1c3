"""The OpenAPI schema of the composed and catalog endpoints generates without warnings."""

import io

from django.core.management import call_command


def test_schema_is_valid_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    schema = out.getvalue()
    for path in ("/api/v1/search/", "/api/v1/catalog/products/", "/api/v1/catalog/categories/"):
        assert f"{path}:" in schema
