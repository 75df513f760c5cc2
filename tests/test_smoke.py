import pytest

from tests.factories import make_article


@pytest.mark.django_db
def test_front_page_lists_a_published_story(client):
    make_article(headline="Harbour reopens")
    response = client.get("/")
    assert response.status_code == 200
    assert "Harbour reopens" in response.text
