import pytest

from accounts import services


@pytest.fixture
def password():
    return "correct horse battery staple"


@pytest.fixture
def customer(db, password):
    return services.customer_create(
        email="Ada@Example.com", password=password, first_name="Ada", last_name="Lovelace"
    )


@pytest.fixture
def other_customer(db, password):
    return services.customer_create(
        email="grace@example.com", password=password, first_name="Grace", last_name="Hopper"
    )


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client
