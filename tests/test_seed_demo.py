from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Credit, Person, RelatedLink, Section
from comments.models import Comment
from demo import photos
from embeds.models import Embed
from photos.models import Photo

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parent.parent / "demo/data/reference-article.txt"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The demo's photos are written here, not into the checkout's media folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def counts():
    models = (
        Article,
        Section,
        Person,
        Credit,
        RelatedLink,
        Comment,
        Photo,
        Embed,
        get_user_model(),
    )
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_is_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    editor = get_user_model().objects.get(username="editor")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert get_user_model().objects.get(username="editor").password == editor.password
    assert first["Article"] == 8 and first["RelatedLink"] == 6
    # One lead photo per story, a thumbnail per video and one in a live entry (demo.live),
    # none drawn twice.
    assert first["Photo"] == 11 and first["Embed"] == 2


def test_every_demo_story_has_a_described_credited_photo(media):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    stories = Article.objects.select_related("lead_photo")
    assert stories.count() == 8
    assert all(story.lead_photo for story in stories)
    seen = set()
    for story in stories:
        photo = story.lead_photo
        assert photo.credit == "Newsroom demo image (generated)"
        assert "CC0" in photo.copyright  # the licence, named
        assert photo.alt_text.startswith("A generated landscape at ")
        assert photo.described and not photo.decorative
        assert (photo.width, photo.height) == (2400, 1600)
        assert 0 < photo.focal_x < 1 and 0 < photo.focal_y < 1
        assert (media / photo.file.name).read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG
        seen.add(photo.file.read())
    assert len(seen) == 8  # each story its own picture


def test_a_photo_is_drawn_from_its_seed_alone():
    first, again, other = photos.generate("a"), photos.generate("a"), photos.generate("b")
    assert first == again
    assert first.jpeg != other.jpeg


def test_a_story_seeded_before_photos_existed_gets_one(media):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    Article.objects.update(lead_photo=None)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Article.objects.filter(lead_photo=None).count() == 0
    assert Photo.objects.count() == 11  # found again by title, not drawn anew


def test_seed_demo_prints_a_generated_password(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Admin: /admin/ user 'editor' password '" in out  # its port is the server's to say
    password = out.split("password '")[1].split("'")[0]
    assert len(password) >= 12
    assert get_user_model().objects.get(username="editor").check_password(password)


def test_demo_story_matches_the_reference_page(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    article = Article.objects.get(slug="russia-north-korea-defense-pact-china")
    html = client.get(article.get_absolute_url()).text.replace("&#x27;", "'")

    reference = [b.strip() for b in REFERENCE.read_text().split("\n\n") if b.strip()]
    headline, related_at = reference[0], reference.index("Related Posts")
    assert f">{headline}</h1>" in html
    for paragraph in reference[1 : related_at - 1]:
        assert f"<p>{paragraph}</p>" in html.replace("&quot;", '"')
    assert '<p class="credit-line">Olivia Wang contributed reporting from Hong Kong.</p>' in html

    related = reference[related_at + 1 : reference.index("Leave a Reply")]
    for title, excerpt in zip(related[0::2], related[1::2], strict=True):
        assert f">{title}</a>" in html
        # The reference page's video excerpts are its player's chrome ("new video
        # loaded: ..."): the demo's videos have deks of their own.
        story = Article.objects.get(headline=title)
        shown = story.excerpt if story.is_video else excerpt
        assert f'<p class="card-excerpt">{shown}</p>' in html
    assert html.count('<span class="badge badge-video">Video</span>') == 2
    for tag in ("China", "Russia", "North Korea", "Xi Jinping", "Vladimir Putin", "Kim Jong-un"):
        assert f'rel="tag">{tag}</a>' in html
    assert "Leave a Reply" in html
    assert "Your email address will not be published." in html
    # A threaded discussion: approved replies nested, pending ones hidden.
    assert '<ol class="children">' in html
    assert "Does anyone have the full text of the treaty?" not in html
    assert "margaret@example.org" not in html
