"""Schemathesis hooks of tests/test_api_contract.py (``SCHEMATHESIS_HOOKS``).

Schemathesis imports this module in its own process.

Every request goes on a connection of its own (``Connection: close``):
on a kept-alive connection, Django's test server twice answered a
generated request with a bare HTML error page and no status line, its
answer to a request line it could not parse, i.e. bytes left on the
connection by an earlier request. That is the test server's transport,
not the application (production runs gunicorn); a fresh connection per
request keeps one case from corrupting the next.

With ``CONTRACT_EMAIL`` set (the signed-in run), it signs in over the API
as that customer (``CONTRACT_PASSWORD``) and sends
``Authorization: Token <token>`` as an app does. Three operations end
the token they are called with (sign-out, sign-out everywhere, rotation),
and sign-out everywhere ends every token of the account: after any of them
the next case signs in again, so every operation runs signed in and none
is refused because an earlier case signed the customer out.
"""

import os

import requests
import schemathesis

#: Operations after which the token they were sent with (or every token) no longer works.
TOKEN_ENDING = {
    "/api/v1/auth/sign-out/",
    "/api/v1/auth/sign-out/everywhere/",
    "/api/v1/auth/token/rotate/",
}


@schemathesis.hook
def before_call(context, case, kwargs):
    case.headers = {**(case.headers or {}), "Connection": "close"}


class CustomerToken:
    """The customer's knox token, renewed after an operation that ends it."""

    def __init__(self):
        self.token = None
        self.spent = False

    def get(self, case, context):
        if self.token is None or self.spent:
            self.token = sign_in()
        self.spent = case.operation.path in TOKEN_ENDING
        return self.token

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


def sign_in() -> str:
    response = requests.post(
        os.environ["CONTRACT_BASE_URL"] + "/api/v1/auth/sign-in/",
        json={"email": os.environ["CONTRACT_EMAIL"], "password": os.environ["CONTRACT_PASSWORD"]},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["token"]


if "CONTRACT_EMAIL" in os.environ:
    schemathesis.auth(refresh_interval=None)(CustomerToken)
