"""The project-level tests' shop and superuser, shared with the back office's tests."""

from tests.conftest import shop, superuser_client

__all__ = ["shop", "superuser_client"]
