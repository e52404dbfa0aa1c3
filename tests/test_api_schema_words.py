"""What the schema tells an app's developer: the API's own words, and what it must send."""

import inspect

import pytest
import yaml

from accounts.dtos import ADDRESS_FIELDS
from kernel.rest import ClosedSerializer, PageSerializer
from tests.test_hygiene import ROOT


@pytest.fixture(scope="module")
def components() -> dict:
    """The committed schema's components (``make check`` keeps it the code's)."""
    return yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text())["components"]["schemas"]


def test_no_component_is_described_by_a_shared_base_class_docstring(components):
    internal = {inspect.cleandoc(base.__doc__) for base in (ClosedSerializer, PageSerializer)}

    described_by_a_base = [
        name for name, schema in components.items() if schema.get("description") in internal
    ]

    assert described_by_a_base == []


@pytest.mark.parametrize("component", ["AddressInputRequest", "PostalAddressRequest"])
def test_an_address_says_which_fields_every_country_requires(components, component):
    required_everywhere = {spec.name for spec in ADDRESS_FIELDS if spec.required}

    assert set(components[component]["required"]) == required_everywhere
