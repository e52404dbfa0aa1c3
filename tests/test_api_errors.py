"""Django's own 404 and 500 under /api/ are problem documents; the shop keeps its pages."""

import pytest
from django.test import override_settings
from django.urls import path

from commerce import urls as project_urls
from kernel.rest import PROBLEM_MEDIA_TYPE


def boom(request):
    raise RuntimeError("unexpected")


urlpatterns = [path("api/v1/boom/", boom), path("shop/boom/", boom), *project_urls.urlpatterns]
handler404 = "kernel.rest.page_not_found"
handler500 = "kernel.rest.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_unknown_api_address_is_a_problem_but_the_shop_keeps_its_page(client):
    response = client.get("/api/v1/nowhere/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["code"] == "not_found"
    assert client.get("/nowhere/")["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_unhandled_error_under_the_api_is_a_problem(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["code"] == "server_error"
    assert "unexpected" not in response.content.decode()
    assert client.get("/shop/boom/")["Content-Type"].startswith("text/html")
