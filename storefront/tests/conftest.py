import pytest
from django.core.cache import cache

from tests.builders import build_structure


@pytest.fixture
def structure(db):
    build_structure()


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
