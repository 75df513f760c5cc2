"""A video story with an uploaded file, read in a real browser (Debian's Chromium through
Playwright): the page asks only our own server for anything, the file not before the
reader presses play, and the player and its captions break no Content-Security-Policy
(tests/conftest.py's ``open_tab`` fails the test on any violation or failed request)."""

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile

from articles.models import Article
from tests.factories import make_article
from tests.photo_files import make_photo
from tests.test_media_stories import MP4, WEBVTT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_uploaded_video_loads_nothing_until_played(open_tab, live_server):
    story = make_article(
        kind=Article.Kind.VIDEO, lead_photo=make_photo(), captions_language="en", duration=754
    )
    story.media_file.save("harbour.mp4", ContentFile(MP4))
    story.captions.save("harbour.vtt", ContentFile(WEBVTT))
    page = open_tab()
    asked = []
    page.on("request", lambda request: asked.append(request.url))

    page.goto(story.get_absolute_url())
    page.wait_for_load_state("networkidle")

    ours = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in asked} == {ours}
    assert not any(url.endswith(".mp4") for url in asked)
    video = page.locator("video")
    assert video.get_attribute("preload") == "none"
    assert page.locator("video source").get_attribute("type") == "video/mp4"
    assert page.locator("video track").get_attribute("srclang") == "en"
