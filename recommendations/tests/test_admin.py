"""Staff pin and block products by SKU in the admin; bad input is a form error, never a 500."""

import pytest

from recommendations.models import Override

ADD = "/admin/recommendations/override/add/"


@pytest.fixture
def staff(admin_client, shop):
    return admin_client


def add(client, product: str, target: str, action: str = "pin"):
    return client.post(
        ADD, {"product_sku": product, "target_sku": target, "action": action, "position": 0}
    )


def test_a_pin_is_added_by_sku_and_shows_first(staff):
    assert add(staff, "P-1", "P-12").status_code == 302
    override = Override.objects.get()
    assert (override.product_id, override.target_id, override.action) == (1, 12, "pin")
    page = staff.get(f"/admin/recommendations/override/{override.pk}/change/").content.decode()
    assert 'value="P-12"' in page


@pytest.mark.parametrize(
    ("product", "target", "error"),
    [
        ("P-1", "NOPE", "No product with SKU"),
        ("P-1", "P-1", "cannot be pinned or blocked on its own page"),
    ],
)
def test_bad_overrides_are_refused_with_a_message(staff, product, target, error):
    response = add(staff, product, target)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Override.objects.exists()


def test_a_second_override_of_the_same_pair_is_refused(staff):
    add(staff, "P-1", "P-12")
    response = add(staff, "P-1", "P-12", action="block")
    assert "already has an override" in response.content.decode()
    assert Override.objects.count() == 1
