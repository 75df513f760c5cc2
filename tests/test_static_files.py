"""A static file's address is worked out once per process (core.static_files), and
again when the settings that make it change."""

import json

import pytest
from django.templatetags.static import static
from whitenoise.storage import CompressedManifestStaticFilesStorage


@pytest.fixture
def hashed_static(settings, tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"css/site.css": "css/site.0123abcd.css"}})
    )
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "core.static_files.StaticFilesStorage"},
    }
    settings.DEBUG = False
    return settings


def test_an_address_is_the_manifests_hashed_name_worked_out_once(hashed_static, monkeypatch):
    assert static("css/site.css") == "/static/css/site.0123abcd.css"
    worked_out = []
    original = CompressedManifestStaticFilesStorage.url

    def url(storage, name, force=False):
        worked_out.append(name)
        return original(storage, name, force)

    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "url", url)
    assert static("css/site.css") == "/static/css/site.0123abcd.css"
    assert worked_out == []


def test_a_new_static_url_gives_new_addresses(hashed_static):
    assert static("css/site.css") == "/static/css/site.0123abcd.css"
    hashed_static.STATIC_URL = "https://cdn.example.com/assets/"
    assert static("css/site.css") == "https://cdn.example.com/assets/css/site.0123abcd.css"


def test_a_name_the_manifest_lacks_is_an_error_each_time(hashed_static):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            static("css/nothing.css")
