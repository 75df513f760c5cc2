"""The ``post`` fixture of the tests that post comments through the story page's form
(tests/conftest.py makes it everyone's)."""

import pytest
from django.urls import reverse

from tests.factories import comment_form_data


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST the comment form of ``article`` and run what happens after commit."""

    def post(article, data=None, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("comments:post", args=[article.pk]),
                data or comment_form_data(article, **fields),
            )

    return post
