"""core.stored_urls: a stored file's address, worked out once, and again when the
settings that make it change."""

from django.core.files.storage import FileSystemStorage, default_storage
from django.test import override_settings

from core import stored_urls
from core.stored_urls import stored_url

NAME = "renditions/7/ab/harbour-3x2-640.webp"


def counting_urls(monkeypatch, storage_class=FileSystemStorage):
    asked = []
    real = storage_class.url

    def url(self, name):
        asked.append(name)
        return real(self, name)

    monkeypatch.setattr(storage_class, "url", url)
    return asked


def test_an_address_is_the_storages_own_and_worked_out_once(monkeypatch):
    stored_urls._urls.clear()
    asked = counting_urls(monkeypatch)
    assert stored_url(NAME) == stored_url(NAME) == default_storage.url(NAME)
    assert asked == [NAME, NAME]  # the first stored_url() and default_storage.url() above


def test_new_settings_give_new_addresses():
    stored_urls._urls.clear()
    before = stored_url(NAME)
    with override_settings(MEDIA_URL="https://cdn.example.com/media/"):
        assert stored_url(NAME) == f"https://cdn.example.com/media/{NAME}"
    assert stored_url(NAME) == before


class SignedStorage(FileSystemStorage):
    """Like S3 with querystring_auth: each address carries its own expiry."""

    querystring_auth = True
    issued = 0

    def url(self, name):
        SignedStorage.issued += 1
        return f"{super().url(name)}?expires={SignedStorage.issued}"


def test_signed_addresses_are_asked_for_each_time():
    stored_urls._urls.clear()
    storages = {"default": {"BACKEND": f"{__name__}.SignedStorage"}}
    with override_settings(STORAGES=storages):
        first, second = stored_url(NAME), stored_url(NAME)
    assert first != second  # two signatures: neither was kept
    assert not stored_urls._urls


def test_the_table_starts_again_past_its_bound(monkeypatch):
    stored_urls._urls.clear()
    monkeypatch.setattr(stored_urls, "KEPT_NAMES", 3)
    for n in range(5):
        stored_url(f"renditions/{n}.webp")
    assert len(stored_urls._urls) <= 3
    assert stored_url("renditions/4.webp") == default_storage.url("renditions/4.webp")
