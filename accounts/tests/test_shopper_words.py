"""Words a shopper reads: one friendly sign-in error, countries by name."""

from accounts.dtos import PostalAddress


def test_a_wrong_password_gets_one_plain_message(client, customer):
    response = client.post("/account/sign-in/", {"username": "ada@example.com", "password": "nope"})
    assert "E-mail or password is incorrect." in response.content.decode()


def test_an_address_names_its_country():
    address = PostalAddress(
        full_name="Ada", line1="Invalidenstr. 1", postal_code="10115", city="Berlin", country="DE"
    )
    assert address.lines()[-1] == "Germany"
    assert PostalAddress(full_name="A", line1="x", postal_code="1", city="c",
                         country="ZZ").lines()[-1] == "ZZ"  # fmt: skip
