"""kernel/media.py: uploaded pictures are served with DEBUG off, and nothing outside them."""

import pytest
from django.test import Client


@pytest.fixture
def picture(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "products").mkdir(parents=True)
    (settings.MEDIA_ROOT / "products" / "mug.png").write_bytes(b"\x89PNG a picture")
    (tmp_path / "secret.txt").write_text("not a picture")
    return "/media/products/mug.png"


def test_an_uploaded_picture_is_served_with_debug_off(picture, settings):
    assert settings.DEBUG is False
    response = Client().get(picture)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG a picture"
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=3600"
    again = Client().get(picture, headers={"If-Modified-Since": response["Last-Modified"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/products/",
        "/media/no.png",
        "/media/" + "x" * 256,  # longer than a file name may be
        "/media/products/" + "%C3%A9" * 130 + ".png",  # 260 bytes once decoded
    ],
)
def test_nothing_but_an_uploaded_file_is_served(picture, path):
    response = Client().get(path)
    assert response.status_code in (400, 404)  # the edge refuses a ".." segment itself
    assert b"not a picture" not in response.content
